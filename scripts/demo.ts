/**
 * `npm run demo`: a `pulumi up` of this project against a local FreeBSD test host, with a local
 * file state backend under .demo/, then a second `up` that changes nothing.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensurePrerequisites, startHosts } from "../test/host";

const REPO = path.resolve(__dirname, "..");
const DEMO = path.join(REPO, ".demo");

async function main(): Promise<void> {
  await ensurePrerequisites();
  const root = execFileSync("bash", [path.join(REPO, "scripts/engine.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop()!;
  for (const d of ["state", "hosts", "home"]) fs.rmSync(path.join(DEMO, d), { recursive: true, force: true });
  fs.mkdirSync(path.join(DEMO, "state"), { recursive: true });
  fs.mkdirSync(path.join(DEMO, "home"), { recursive: true });
  const fleet = await startHosts(1, { name: "demo" }, { dir: path.join(DEMO, "hosts") });
  try {
    const h = fleet.hosts[0]!;
    fs.writeFileSync(
      path.join(DEMO, "inventory.json"),
      JSON.stringify([{ name: h.name, host: h.host, port: h.port, user: h.user, hostKey: h.hostKey, privateKeyPath: fleet.clientKey.privateKeyPath }], null, 2),
    );
    console.log(`demo FreeBSD test host "${h.name}" on ${h.host}:${h.port} (host key ${h.hostKeyFingerprint})`);
    const env = {
      ...process.env,
      PATH: `${path.join(root, "bin")}:${process.env.PATH}`,
      PULUMI_BACKEND_URL: `file://${path.join(DEMO, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "demo",
      PULUMI_HOME: path.join(DEMO, "home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const pulumi = (...args: string[]) => {
      const r = spawnSync(path.join(root, "bin/pulumi"), args, { cwd: REPO, env, stdio: "inherit" });
      if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (exit ${r.status})`);
    };
    pulumi("stack", "select", "--create", "demo", "--non-interactive");
    pulumi("up", "--yes", "--non-interactive", "--diff");
    console.log("\n== a second `pulumi up` must change nothing:");
    pulumi("up", "--yes", "--non-interactive", "--expect-no-changes");
    console.log(`\n== /etc/periodic.conf on the demo host:\n${h.readFile("/etc/periodic.conf")}`);
  } finally {
    await fleet.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
