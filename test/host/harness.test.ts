// The test-host harness itself: isolation, real ssh logins, logs, fault knobs.
import * as fs from "node:fs";
import * as crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, missingPrerequisites, fingerprint, type TestFleet } from "./index";
import { ssh, sshArgs } from "./ssh";

let fleet: TestFleet;
const realPeriodicBefore = fs.existsSync("/etc/periodic.conf") ? fs.readFileSync("/etc/periodic.conf") : null;

beforeAll(async () => {
  fleet = await startHosts(2);
});
afterAll(async () => {
  await fleet?.stop();
});

describe("prerequisites", () => {
  it("are all present on this machine", () => {
    expect(missingPrerequisites()).toEqual([]);
  });
});

describe("startup", () => {
  it("starts one host quickly (measured, not asserted)", async () => {
    const t0 = Date.now();
    const one = await startHosts(1, { name: "timing" });
    const ms = Date.now() - t0;
    console.log(`[test/host] one host started in ${ms} ms (port ${one.hosts[0]!.port})`);
    await one.stop();
  });
});

describe("isolation", () => {
  it("gives every host its own ed25519 host key", () => {
    const [a, b] = fleet.hosts;
    expect(a!.hostKey).toMatch(/^ssh-ed25519 AAAA\S+/);
    expect(b!.hostKey).toMatch(/^ssh-ed25519 AAAA\S+/);
    expect(a!.hostKey).not.toEqual(b!.hostKey);
    expect(a!.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(a!.hostKeyFingerprint).toBe(fingerprint(a!.hostKey));
    const lf = execFileSync("ssh-keygen", ["-lf", `${a!.root}/ssh/ssh_host_ed25519_key.pub`], { encoding: "utf8" });
    expect(lf.split(" ")[1]).toBe(a!.hostKeyFingerprint);
    expect(a!.port).not.toBe(b!.port);
    expect(a!.name).toBe("host-1");
    expect(b!.name).toBe("host-2");
  });

  it("keeps /etc separate per host and away from the real /etc", async () => {
    const [a, b] = fleet.hosts;
    // commands.md §5: a fresh FreeBSD has no /etc/periodic.conf
    expect(a!.exists("/etc/periodic.conf")).toBe(false);
    const w = await ssh(fleet, a!, `printf 'security_status_pkgaudit_enable="YES"\\n' > /etc/periodic.conf`);
    expect(w.code).toBe(0);
    expect(a!.readFile("/etc/periodic.conf")).toBe('security_status_pkgaudit_enable="YES"\n');
    expect(fs.existsSync(a!.realPath("/etc/periodic.conf"))).toBe(true);
    const r = await ssh(fleet, b!, "test -e /etc/periodic.conf; echo $?");
    expect(r.stdout.toString()).toBe("1\n");
    expect(b!.exists("/etc/periodic.conf")).toBe(false);
    const real = fs.existsSync("/etc/periodic.conf") ? fs.readFileSync("/etc/periodic.conf") : null;
    expect(real).toEqual(realPeriodicBefore);
    // each host's own name in its own rc.conf
    expect((await a!.run("sysrc -n hostname")).stdout).toBe("host-1\n");
    expect((await b!.run("sysrc -n hostname")).stdout).toBe("host-2\n");
  });

  it("realPath maps private folders and refuses anything else", () => {
    const a = fleet.hosts[0]!;
    expect(a.realPath("/etc/rc.conf")).toBe(`${a.root}/fs/etc/rc.conf`);
    expect(a.realPath("/usr/local/etc/rc.d/nginx")).toBe(`${a.root}/fs/usr/local/etc/rc.d/nginx`);
    expect(() => a.realPath("/usr/bin/uname")).toThrow(/outside/);
    expect(() => a.realPath("/etc/../bin/sh")).toThrow(/outside/);
    expect(() => a.realPath("etc/rc.conf")).toThrow();
  });

  it("seeds files and a profile given at start", async () => {
    const f = await startHosts(1, {
      name: "seeded",
      profile: { userland: "13.3-RELEASE-p4", kernel: "13.3-RELEASE-p3", running: "13.3-RELEASE-p3", osreldate: 1303000, userreldate: 1303000 },
      files: { "/etc/rc.conf.local": 'foo_enable="YES"\n', "/usr/local/etc/app.conf": { content: "x\n", mode: 0o600 } },
    });
    try {
      const h = f.hosts[0]!;
      const r = await h.run("freebsd-version -kru; uname -K; sysrc -n foo_enable; stat -c %a /usr/local/etc/app.conf; uname -n");
      expect(r.stdout).toBe("13.3-RELEASE-p3\n13.3-RELEASE-p3\n13.3-RELEASE-p4\n1303000\nYES\n600\nseeded\n");
    } finally {
      await f.stop();
    }
  });
});

describe("ssh", () => {
  it("logs in with the client key against the host key and runs a command", async () => {
    const a = fleet.hosts[0]!;
    a.resetLogs();
    const r = await ssh(fleet, a, "freebsd-version -kru");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe("14.1-RELEASE-p5\n14.1-RELEASE-p5\n14.1-RELEASE-p6\n");
    const cmds = a.commands();
    expect(cmds).toHaveLength(1);
    expect(cmds[0]!.command).toBe("freebsd-version -kru");
    expect(cmds[0]!.exitCode).toBe(0);
    expect(cmds[0]!.connection).toMatch(/^127\.0\.0\.1 \d+$/);
    expect(cmds[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(a.connections()).toBe(1);
    expect(a.tools()).toEqual([
      expect.objectContaining({ tool: "freebsd-version", argv: ["-kru"], exitCode: 0 }),
    ]);
  });

  it("passes stdin, stdout, stderr and exit codes through exactly (binary-safe)", async () => {
    const a = fleet.hosts[0]!;
    const blob = crypto.randomBytes(256 * 1024);
    const put = await ssh(fleet, a, "cat > /tmp/blob && sha256 -q /tmp/blob", { stdin: blob });
    expect(put.code).toBe(0);
    expect(put.stdout.toString()).toBe(crypto.createHash("sha256").update(blob).digest("hex") + "\n");
    const get = await ssh(fleet, a, "cat /tmp/blob");
    expect(Buffer.compare(get.stdout, blob)).toBe(0);
    const e = await ssh(fleet, a, "echo out; echo err >&2; exit 42");
    expect([e.code, e.stdout.toString(), e.stderr]).toEqual([42, "out\n", "err\n"]);
  });

  it("runs an empty command as /bin/sh reading stdin", async () => {
    const a = fleet.hosts[0]!;
    const r = await ssh(fleet, a, "", { stdin: "uname -s\nexit 3\n" });
    expect([r.code, r.stdout.toString()]).toEqual([3, "FreeBSD\n"]);
  });

  it("counts connections and keeps host.run() out of the logs", async () => {
    const a = fleet.hosts[0]!;
    a.resetLogs();
    await a.run("sysrc -n sshd_enable; uname -r");
    expect(a.commands()).toEqual([]);
    expect(a.tools()).toEqual([]);
    expect(a.connections()).toBe(0);
    await ssh(fleet, a, "true");
    await ssh(fleet, a, "uname -r");
    expect(a.connections()).toBe(2);
    expect(a.commands().map((c) => c.command)).toEqual(["true", "uname -r"]);
    expect(new Set(a.commands().map((c) => c.connection)).size).toBe(2);
  });

  it("forwards TCP so one host can be a jump host for another", async () => {
    const [jump, target] = fleet.hosts;
    jump!.resetLogs();
    target!.resetLogs();
    const proxy = ["ssh", ...sshArgs(fleet, jump!), "-W", "%h:%p"].map((a) => (/[\s%]/.test(a) ? `'${a}'` : a)).join(" ");
    const r = await ssh(fleet, target!, "uname -n", { extra: ["-o", `ProxyCommand=${proxy}`] });
    expect([r.code, r.stdout.toString(), r.stderr]).toEqual([0, "host-2\n", ""]);
    expect(jump!.connections()).toBe(1);
    expect(jump!.commands()).toEqual([]);
    expect(target!.connections()).toBe(1);
  });
});

describe("fault knobs", () => {
  it("slow: every run of the command sleeps first", async () => {
    const a = fleet.hosts[0]!;
    a.faults.clear();
    a.resetLogs();
    a.faults.slow("cat", 600);
    const r = await ssh(fleet, a, "cat /etc/rc.conf >/dev/null && cat /etc/hosts >/dev/null");
    expect(r.code).toBe(0);
    expect(a.commands()[0]!.durationMs).toBeGreaterThanOrEqual(1200);
    a.faults.clear();
    await ssh(fleet, a, "cat /etc/rc.conf >/dev/null");
    expect(a.commands()[1]!.durationMs).toBeLessThan(1200);
  });

  it("failNext: the next N runs fail with the code and stderr, then it recovers", async () => {
    const a = fleet.hosts[0]!;
    a.faults.clear();
    a.resetLogs();
    a.faults.failNext("sysrc", 2, 75, "sysrc: simulated failure\n");
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await ssh(fleet, a, "sysrc -n sshd_enable"));
    expect(results.map((r) => [r.code, r.stdout.toString(), r.stderr])).toEqual([
      [75, "", "sysrc: simulated failure\n"],
      [75, "", "sysrc: simulated failure\n"],
      [0, "YES\n", ""],
    ]);
    // the failed runs never reached the tool
    expect(a.tools().filter((t) => t.tool === "sysrc")).toHaveLength(1);
    expect(a.commands().map((c) => c.exitCode)).toEqual([75, 75, 0]);
  });

  it("failNext works for plain commands inside a larger script", async () => {
    const a = fleet.hosts[0]!;
    a.faults.clear();
    a.faults.failNext("mv", 1, 1, "mv: rename /tmp/x to /etc/x: Device busy\n");
    const r = await ssh(fleet, a, "echo 1 > /tmp/x && mv /tmp/x /etc/x; echo rc=$?; echo 2 > /tmp/x && mv /tmp/x /etc/x; echo rc=$?; cat /etc/x");
    expect(r.stdout.toString()).toBe("rc=1\nrc=0\n2\n");
    expect(r.stderr).toBe("mv: rename /tmp/x to /etc/x: Device busy\n");
    a.faults.clear();
  });

  it("dropConnections kills live sessions but keeps the listener", async () => {
    const a = fleet.hosts[0]!;
    a.faults.clear();
    a.resetLogs();
    const running = ssh(fleet, a, "echo started; sleep 30; echo finished");
    for (let i = 0; i < 200 && a.commands().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await a.faults.dropConnections();
    const r = await running;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(255);
    expect(r.stdout.toString()).not.toContain("finished");
    const sleeps = await a.run("ps -eo args | grep -c '^sleep 30$' || true");
    expect(sleeps.stdout.trim()).toBe("0");
    const again = await ssh(fleet, a, "echo ok");
    expect([again.code, again.stdout.toString()]).toEqual([0, "ok\n"]);
  });

  it("refuseLogins makes authentication fail until turned off", async () => {
    const a = fleet.hosts[0]!;
    a.faults.refuseLogins(true);
    const r = await ssh(fleet, a, "true");
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Permission denied \(publickey\)/);
    a.faults.refuseLogins(false);
    expect((await ssh(fleet, a, "true")).code).toBe(0);
  });

  it("stopSshd refuses connections; startSshd brings it back with the same port and key", async () => {
    const a = fleet.hosts[0]!;
    const port = a.port;
    await a.faults.stopSshd();
    const r = await ssh(fleet, a, "true");
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Connection refused/);
    await a.faults.startSshd();
    expect(a.port).toBe(port);
    const ok = await ssh(fleet, a, "uname -s");
    expect([ok.code, ok.stdout.toString(), ok.stderr]).toEqual([0, "FreeBSD\n", ""]);
  });
});
