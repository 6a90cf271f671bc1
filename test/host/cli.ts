// Start or stop ONE FreeBSD test host from the command line (used by `npm run demo`).
//
//   npx tsx test/host/cli.ts start --dir DIR [--name demo]
//       starts the host with its state under DIR, prints one JSON line
//       {name, host, port, user, hostKey, hostKeyFingerprint, privateKeyPath, root}
//       on stdout and keeps running until SIGTERM/SIGINT, then stops cleanly.
//   npx tsx test/host/cli.ts stop --dir DIR
//       stops a host started earlier with `start --dir DIR` (via DIR/cli.pid).
import * as fs from "node:fs";
import * as path from "node:path";
import { alive, startHosts } from "./index";

function usage(): never {
  process.stderr.write("usage: cli.ts start --dir DIR [--name NAME]\n       cli.ts stop --dir DIR\n");
  process.exit(2);
}

function parse(argv: string[]): { cmd: string; dir: string; name?: string } {
  const [cmd, ...rest] = argv;
  let dir: string | undefined;
  let name: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--dir") dir = rest[++i];
    else if (a.startsWith("--dir=")) dir = a.slice(6);
    else if (a === "--name") name = rest[++i];
    else if (a.startsWith("--name=")) name = a.slice(7);
    else usage();
  }
  if (!cmd || !dir || (cmd !== "start" && cmd !== "stop")) usage();
  return { cmd, dir: path.resolve(dir), name };
}


async function start(dir: string, name?: string): Promise<void> {
  const pidFile = path.join(dir, "cli.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
    if (pid && alive(pid)) {
      process.stderr.write(`a test host is already running for ${dir} (pid ${pid}); stop it first\n`);
      process.exit(1);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const fleet = await startHosts(1, name ? { name } : {}, { dir });
  const h = fleet.hosts[0]!;
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await fleet.stop();
    } finally {
      fs.rmSync(pidFile, { force: true });
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
  process.on("SIGHUP", () => void shutdown());
  process.stdout.write(
    JSON.stringify({
      name: h.name,
      host: h.host,
      port: h.port,
      user: h.user,
      hostKey: h.hostKey,
      hostKeyFingerprint: h.hostKeyFingerprint,
      privateKeyPath: fleet.clientKey.privateKeyPath,
      root: h.root,
    }) + "\n",
  );
  // stay alive until a signal arrives
  setInterval(() => undefined, 1 << 30);
}

async function stop(dir: string): Promise<void> {
  const pidFile = path.join(dir, "cli.pid");
  if (!fs.existsSync(pidFile)) {
    process.stderr.write(`no test host is running for ${dir} (no ${pidFile})\n`);
    process.exit(1);
  }
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  if (pid && alive(pid)) {
    process.kill(pid, "SIGTERM");
    const end = Date.now() + 15_000;
    while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  // if the host process had to be killed, its sshd may still run: stop it too
  for (const e of fs.readdirSync(dir)) {
    const info = path.join(dir, e, "host.json");
    if (!fs.existsSync(info)) continue;
    const { sshdPid } = JSON.parse(fs.readFileSync(info, "utf8")) as { sshdPid?: number };
    if (!sshdPid || !alive(sshdPid)) continue;
    let cmdline = "";
    try {
      cmdline = fs.readFileSync(`/proc/${sshdPid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (cmdline.includes(path.join(dir, e, "ssh", "sshd_config"))) process.kill(sshdPid, "SIGTERM");
  }
  fs.rmSync(pidFile, { force: true });
}

const args = parse(process.argv.slice(2));
(args.cmd === "start" ? start(args.dir, args.name) : stop(args.dir)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
