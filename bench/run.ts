/**
 * Benchmarks (not tests: they print figures and assert nothing). `npm run bench`.
 *
 * 1. rc-vars format: parse + print + edit of a large periodic.conf-style file.
 * 2. transport: N commands over the pooled connection vs a new connection per command (what
 *    @pulumi/command's remote.Command does), against one FreeBSD test host.
 */
import { performance } from "perf_hooks";
import { parseRc, printRc, setRcVar } from "../src/formats/rcvars";
import { closeAllConnections, remoteFor } from "../src/transport";
import { startHosts } from "../test/host";

function time<T>(label: string, fn: () => T, reps = 5): T {
  let out!: T;
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label}: median ${samples[Math.floor(reps / 2)]!.toFixed(1)} ms (min ${samples[0]!.toFixed(1)})`);
  return out;
}

async function rcvarsBench(): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) lines.push(i % 10 === 0 ? `# comment ${i}` : `knob_${i}_enable="YES"   # note`);
  const text = lines.join("\n") + "\n";
  time("rcvars parse+print, 10,000 lines", () => printRc(parseRc(text)));
  time("rcvars set last of 10,000 lines", () => printRc(setRcVar(parseRc(text), "knob_9999_enable", "NO")));
}

async function transportBench(n: number): Promise<void> {
  const fleet = await startHosts(1, { name: "bench" });
  try {
    const h = fleet.hosts[0]!;
    const conn = { host: h.host, port: h.port, privateKey: fleet.clientKey.privateKey, hostKey: h.hostKey };
    let t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => remoteFor(conn).exec(["true"])));
    const pooled = performance.now() - t0;
    console.log(`transport: ${n} commands on the pooled connection: ${pooled.toFixed(0)} ms, ${h.connections()} connection(s)`);
    await closeAllConnections();
    h.resetLogs();
    t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await remoteFor(conn).exec(["true"]);
      await closeAllConnections();
    }
    const fresh = performance.now() - t0;
    console.log(`transport: ${n} commands, a new connection each: ${fresh.toFixed(0)} ms, ${h.connections()} connection(s) (${(fresh / pooled).toFixed(1)}x)`);
  } finally {
    await closeAllConnections();
    await fleet.stop();
  }
}

async function main(): Promise<void> {
  await rcvarsBench();
  await transportBench(Number(process.env.BENCH_COMMANDS ?? 40));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
