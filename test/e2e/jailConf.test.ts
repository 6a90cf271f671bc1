/**
 * JailConf end to end: the real Pulumi engine, an inline program on this checkout's build, and a
 * FreeBSD test host over real SSH.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { capture, changes, newProgramStack, up, type TestStack } from "./harness";

let fleet: TestFleet;
let host: TestHost;
const stacks: TestStack[] = [];

// A hand-written jail.conf: defaults, comments in all three styles, another jail, an include.
const EXISTING = `# /etc/jail.conf - edited by hand
/* defaults for every jail */
exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown";
exec.clean;
mount.devfs;
path = "/usr/local/jails/$name";

# the web jail
www {
    host.hostname = www.example.org;
    ip4.addr = 192.0.2.10;
    allow.raw_sockets;      # was needed for ping
    enforce_statfs = 1;
}

// the database jail: not managed here
db {
\thost.hostname = db.example.org;
\tallow.sysvipc;
}

.include "/etc/jail.conf.d/*.conf";
`;

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { JailConf, hardened } = require(PF);
const cfg = new pulumi.Config();
const conf = new JailConf(cfg.require("name"), {
  connection: { host: "127.0.0.1", port: cfg.requireNumber("port"), hostKey: cfg.require("hostKey"), privateKey: cfg.requireSecret("key") },
  jail: cfg.require("jail"),
  manage: cfg.get("manage"),
  parameters: { ...(cfg.getBoolean("hardened") ? hardened : {}), ...(cfg.getObject("extra") || {}) },
});
exports.content = conf.content;
exports.observed = conf.observed;
exports.warnings = conf.warnings;
`;

async function stackFor(config: Record<string, unknown>): Promise<TestStack> {
  const t = await newProgramStack(PROGRAM, {
    config: { port: String(host.port), hostKey: host.hostKey, ...config },
    secrets: { key: fleet.clientKey.privateKey },
  });
  stacks.push(t);
  return t;
}

/** preview --refresh: the URNs of updates, and the output text. */
async function driftPreview(t: TestStack) {
  const updates: string[] = [];
  const pv = await t.stack.preview({
    refresh: true,
    diff: true,
    ...capture(t),
    onEvent: (e) => {
      t.events.push(e);
      const m = e.resourcePreEvent?.metadata;
      if (m && m.op === "update") updates.push(m.urn);
    },
  });
  return { pv, updates };
}

beforeAll(async () => {
  fleet = await startHosts(1, { name: "jailhost", files: { "/etc/jail.conf": EXISTING } });
  host = fleet.hosts[0]!;
}, 120_000);

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("JailConf with the real engine", { timeout: 600_000 }, () => {
  it("hardens one jail in a shared jail.conf, changing only the managed parameters; drift shows and is repaired; destroy restores", async () => {
    const t = await stackFor({ name: "www-hardening", jail: "www", hardened: true });
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });

    // Exact text: two statements rewritten in place (comment kept), the rest appended to the
    // block with its indentation, in name order; everything else byte for byte.
    const added = [
      "allow.nochflags;", "allow.nomlock;", "allow.nomount;", "allow.mount.nodevfs;", "allow.mount.nofdescfs;",
      "allow.mount.nonullfs;", "allow.mount.noprocfs;", "allow.mount.notmpfs;", "allow.noquotas;",
      "allow.noread_msgbuf;", "allow.noset_hostname;", "allow.nosocket_af;", "allow.nosysvipc;",
      "allow.nounprivileged_proc_debug;", "children.max = 0;", "devfs_ruleset = 4;", "securelevel = 2;",
    ];
    const expected = EXISTING
      .replace("    allow.raw_sockets;      # was needed", "    allow.noraw_sockets;      # was needed")
      .replace("    enforce_statfs = 1;\n", `    enforce_statfs = 2;\n${added.map((s) => `    ${s}\n`).join("")}`);
    expect(host.readFile("/etc/jail.conf")).toBe(expected);
    expect(r.outputs.content!.value).toBe(expected);
    const observed = r.outputs.observed!.value as Record<string, unknown>;
    expect(observed["allow.raw_sockets"]).toBe(false);
    expect(observed["enforce_statfs"]).toBe(2);
    expect(r.outputs.warnings!.value).toEqual([expect.stringMatching(/line \d+ includes \/etc\/jail\.conf\.d\/\*\.conf, which this resource does not read/)]);

    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

    // A hand edit is drift: preview --refresh shows an update naming the parameter…
    await host.run(`sed -i 's/allow.noraw_sockets;/allow.raw_sockets = 1;/' /etc/jail.conf`);
    const { pv, updates } = await driftPreview(t);
    expect(pv.changeSummary.update).toBe(1);
    expect(updates).toEqual([expect.stringContaining("www-hardening")]);
    expect(pv.stdout).toMatch(/parameters\s*:[^]*"?allow\.raw_sockets"?\s*:\s*true\s*=>\s*false/);
    // …and up --refresh repairs it, after which nothing is left to do.
    const repaired = await up(t, { refresh: true });
    expect(changes(repaired.summary.resourceChanges)).toEqual({ update: 1 });
    expect(host.readFile("/etc/jail.conf")).toBe(expected);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // Another spelling of the same value is not drift.
    await host.run(`sed -i 's/allow.nomount;/allow.mount = 0;/; s/securelevel = 2;/securelevel = "2";/' /etc/jail.conf`);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // Destroy gives back the file as it was, byte for byte.
    await host.run(`sed -i 's/allow.mount = 0;/allow.nomount;/; s/securelevel = "2";/securelevel = 2;/' /etc/jail.conf`);
    await t.stack.destroy({ ...capture(t) });
    expect(host.readFile("/etc/jail.conf")).toBe(EXISTING);
  });

  it("owns a whole /etc/jail.conf.d/NAME.conf; drift is repaired; destroy removes it", async () => {
    const extra = { path: "/jails/db2", "host.hostname": "db2.example.org", "ip4.addr": ["192.0.2.20", "192.0.2.21"], persist: true };
    const t = await stackFor({ name: "db2-jail", jail: "db2", manage: "file", hardened: true, extra });
    expect(host.exists("/etc/jail.conf.d")).toBe(false);
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });
    const expected = `# Managed by Pulumi (pulumi-freebsd JailConf): changes made here are reverted.
db2 {
\tallow.nochflags;
\tallow.nomlock;
\tallow.nomount;
\tallow.mount.nodevfs;
\tallow.mount.nofdescfs;
\tallow.mount.nonullfs;
\tallow.mount.noprocfs;
\tallow.mount.notmpfs;
\tallow.noquotas;
\tallow.noraw_sockets;
\tallow.noread_msgbuf;
\tallow.noset_hostname;
\tallow.nosocket_af;
\tallow.nosysvipc;
\tallow.nounprivileged_proc_debug;
\tchildren.max = 0;
\tdevfs_ruleset = 4;
\tenforce_statfs = 2;
\thost.hostname = db2.example.org;
\tip4.addr = 192.0.2.20, 192.0.2.21;
\tpath = /jails/db2;
\tpersist;
\tsecurelevel = 2;
}
`;
    expect(host.readFile("/etc/jail.conf.d/db2.conf")).toBe(expected);
    expect(host.readFile("/etc/jail.conf")).toBe(EXISTING); // the shared file is not touched
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

    await host.run(`sed -i 's/securelevel = 2;/securelevel = 1;/' /etc/jail.conf.d/db2.conf`);
    const { pv, updates } = await driftPreview(t);
    expect(pv.changeSummary.update).toBe(1);
    expect(updates).toEqual([expect.stringContaining("db2-jail")]);
    expect(pv.stdout).toMatch(/parameters\s*:[^]*"?securelevel"?\s*:\s*1\s*=>\s*2/);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({ update: 1 });
    expect(host.readFile("/etc/jail.conf.d/db2.conf")).toBe(expected);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    await t.stack.destroy({ ...capture(t) });
    expect(host.exists("/etc/jail.conf.d/db2.conf")).toBe(false);
  });

  it("rejects an unknown parameter name at check time, naming the property and the closest name", async () => {
    const t = await stackFor({ name: "typo", jail: "www", extra: { "allow.raw_socket": false } });
    const before = host.readFile("/etc/jail.conf");
    const err = await up(t).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = String(err!.message);
    expect(msg).toContain('parameters["allow.raw_socket"]');
    expect(msg).toContain('did you mean "allow.raw_sockets"');
    expect(host.readFile("/etc/jail.conf")).toBe(before);
  });
});
