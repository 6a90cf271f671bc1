/**
 * PeriodicConf end to end: the real Pulumi engine (this repo's own program) against FreeBSD
 * test hosts over real SSH.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { capture, changes, newStack, up, type TestStack } from "./harness";

let fleet: TestFleet;
let inventoryDir: string;
const stacks: TestStack[] = [];

const VALUES = {
  security_status_pkgaudit_enable: true,
  security_status_pkgaudit_quiet: true,
  security_status_pkgaudit_expiry: 2,
};

// A hand-written periodic.conf with comments, another knob and an old-style quoted value.
const EXISTING = `# /etc/periodic.conf - local overrides, see periodic.conf(5)
daily_clean_tmps_enable="YES"   # keep /tmp tidy
security_status_pkgaudit_enable='NO'
weekly_locate_enable="NO"
`;

function inventory(hosts: TestHost[], extra: Record<string, unknown> = {}, withKey = true): string {
  const file = path.join(inventoryDir, `inv-${Math.random().toString(36).slice(2)}.json`);
  const entries = hosts.map((h) => ({
    name: h.name,
    host: h.host,
    port: h.port,
    user: h.user,
    hostKey: h.hostKey,
    ...(withKey ? { privateKeyPath: fleet.clientKey.privateKeyPath } : {}),
    ...extra,
  }));
  fs.writeFileSync(file, JSON.stringify(entries));
  return file;
}

async function stackFor(hosts: TestHost[], values: Record<string, unknown> = VALUES, extra?: Record<string, unknown>) {
  const t = await newStack({ config: { inventory: inventory(hosts, extra), periodic: { values } } });
  stacks.push(t);
  return t;
}

beforeAll(async () => {
  inventoryDir = fs.mkdtempSync(path.join(os.tmpdir(), "pf-inv-"));
  fleet = await startHosts(3, [{ name: "alpha" }, { name: "bravo", files: { "/etc/periodic.conf": EXISTING } }, { name: "charlie" }]);
}, 120_000);

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("PeriodicConf with the real engine", { timeout: 600_000 }, () => {
  it("up sets the variables on 3 hosts over one SSH connection each; a second up changes nothing", async () => {
    const t = await stackFor(fleet.hosts);
    // An existing file keeps its own mode and owner through the atomic replace.
    await fleet.hosts[1]!.run("chmod 0640 /etc/periodic.conf && chown 0:5 /etc/periodic.conf");
    for (const h of fleet.hosts) h.resetLogs();
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 4 }); // the stack + 3 resources
    for (const h of fleet.hosts) expect(h.connections()).toBe(1);

    const alpha = fleet.hosts[0]!.readFile("/etc/periodic.conf");
    expect(alpha).toBe(
      'security_status_pkgaudit_enable="YES"\nsecurity_status_pkgaudit_expiry="2"\nsecurity_status_pkgaudit_quiet="YES"\n',
    );
    // Every unmanaged byte of an existing file survives; the quoting style of the edited line too.
    expect(fleet.hosts[1]!.readFile("/etc/periodic.conf")).toBe(EXISTING.replace("pkgaudit_enable='NO'", "pkgaudit_enable='YES'") +
      'security_status_pkgaudit_expiry="2"\nsecurity_status_pkgaudit_quiet="YES"\n');
    expect((await fleet.hosts[1]!.run("stat -c '%a %u %g' /etc/periodic.conf")).stdout).toBe("640 0 5\n");
    expect((await fleet.hosts[0]!.run("stat -c '%a %u %g' /etc/periodic.conf")).stdout).toBe("644 0 0\n");
    const out = r.outputs.periodic!.value as Record<string, { values: Record<string, unknown>; content: string }>;
    expect(out.alpha!.values).toEqual(VALUES);
    expect(out.alpha!.content).toBe(alpha);

    const again = await up(t);
    expect(changes(again.summary.resourceChanges)).toEqual({});

    // (c) drift made by hand shows in preview --refresh as an update naming the property…
    await fleet.hosts[0]!.run(`sed -i 's/pkgaudit_quiet="YES"/pkgaudit_quiet="NO"/' /etc/periodic.conf`);
    const events: string[] = [];
    const pv = await t.stack.preview({ refresh: true, diff: true, ...capture(t), onEvent: (e) => {
      t.events.push(e);
      const m = e.resourcePreEvent?.metadata;
      if (m && m.op === "update") events.push(m.urn);
    } });
    expect(pv.changeSummary.update).toBe(1);
    expect(events).toEqual([expect.stringContaining("alpha-periodic")]);
    expect(pv.stdout).toMatch(/security_status_pkgaudit_quiet\s*:\s*"NO"\s*=>\s*true/);
    // …and up --refresh repairs it, after which nothing is left to do.
    const repaired = await up(t, { refresh: true });
    expect(changes(repaired.summary.resourceChanges)).toEqual({ update: 1 });
    expect(fleet.hosts[0]!.readFile("/etc/periodic.conf")).toContain('security_status_pkgaudit_quiet="YES"');
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // A quoting change by hand is not drift.
    await fleet.hosts[0]!.run(`sed -i 's/pkgaudit_expiry="2"/pkgaudit_expiry=2/' /etc/periodic.conf`);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // (d) destroy gives back what was there: bravo's file byte for byte, alpha's file removed.
    await t.stack.destroy({ ...capture(t) });
    expect(fleet.hosts[0]!.exists("/etc/periodic.conf")).toBe(false);
    expect(fleet.hosts[1]!.readFile("/etc/periodic.conf")).toBe(EXISTING);
  });

  it("a host key mismatch fails and names both fingerprints", async () => {
    const [alpha, bravo] = fleet.hosts;
    const t = await newStack({
      config: { inventory: inventory([alpha!], { hostKey: bravo!.hostKey }), periodic: { values: VALUES } },
    });
    stacks.push(t);
    const err = await up(t).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = String(err!.message);
    expect(msg).toContain(bravo!.hostKeyFingerprint);
    expect(msg).toContain(alpha!.hostKeyFingerprint);
    expect(msg).toMatch(/host key/i);
    expect(alpha!.exists("/etc/periodic.conf")).toBe(false);
  });

  it("a private key given as a secret is in plaintext neither in the state nor in any log", async () => {
    const charlie = fleet.hosts[2]!;
    const key = fleet.clientKey.privateKey;
    const t = await newStack({
      config: { inventory: inventory([charlie], {}, false), periodic: { values: { security_status_pkgaudit_enable: true } } },
      secrets: { sshPrivateKey: key },
    });
    stacks.push(t);
    await up(t);
    await t.stack.refresh({ ...capture(t) });
    const state = t.exportState();
    const body = key.split("\n").filter((l) => l && !l.startsWith("-----"));
    for (const line of body) {
      expect(state).not.toContain(line);
      expect(t.output.join("")).not.toContain(line);
      expect(JSON.stringify(t.events)).not.toContain(line);
      expect(JSON.stringify(charlie.commands())).not.toContain(line);
    }
    expect(state).toContain("ciphertext"); // the key is there, encrypted
    const files = walk(t.stateDir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    for (const line of body) expect(files).not.toContain(line);
    await t.stack.destroy({ ...capture(t) });
  });

  it("a symlink planted where a naive tool would put its temp file is left alone, and so is its target", async () => {
    const charlie = fleet.hosts[2]!;
    await charlie.run(
      "echo 'precious' > /root/sentinel && for l in /etc/periodic.conf.tmp /etc/periodic.conf.new /etc/.periodic.conf.tmp /tmp/periodic.conf /etc/periodic.conf~; do ln -sf /root/sentinel \"$l\"; done",
    );
    const t = await stackFor([charlie]);
    await up(t);
    expect(charlie.readFile("/root/sentinel")).toBe("precious\n");
    const links = await charlie.run(
      "for l in /etc/periodic.conf.tmp /etc/periodic.conf.new /etc/.periodic.conf.tmp /tmp/periodic.conf /etc/periodic.conf~; do readlink \"$l\"; done; ls -a /etc | grep -c pulumi || true",
    );
    expect(links.stdout).toBe("/root/sentinel\n".repeat(5) + "0\n");
    expect(charlie.readFile("/etc/periodic.conf")).toContain('security_status_pkgaudit_enable="YES"');
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});
    await t.stack.destroy({ ...capture(t) });

    // The target itself a symlink: refused with a clear message, nothing written through it.
    await charlie.run("ln -sf /root/sentinel /etc/periodic.conf");
    const t2 = await stackFor([charlie]);
    const err = await up(t2).then(() => undefined, (e: Error) => e);
    expect(String(err?.message)).toMatch(/PeriodicConf 'charlie-periodic' on root@127\.0\.0\.1:\d+: .*symbolic link/);
    expect(charlie.readFile("/root/sentinel")).toBe("precious\n");
    await charlie.run("rm -f /etc/periodic.conf /root/sentinel");
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}
