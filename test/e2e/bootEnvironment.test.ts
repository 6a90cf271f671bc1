/**
 * BootEnvironment end to end: the real Pulumi engine, an inline program on this checkout's build,
 * and FreeBSD test hosts whose bectl is simulated to the letter of commands.md §3.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { capture, changes, newProgramStack, up, type TestStack } from "./harness";

let fleet: TestFleet;
const stacks: TestStack[] = [];

// hosts: [{host, port, hostKey}], bes: [{resource, host (index), args}] — both from stack config.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { BootEnvironment } = require(PF);
const cfg = new pulumi.Config();
const hosts = cfg.requireObject("hosts");
const key = cfg.requireSecret("key");
for (const b of cfg.requireObject("bes")) {
  const h = hosts[b.host];
  const r = new BootEnvironment(b.resource, {
    connection: { host: h.host, port: h.port, hostKey: h.hostKey, privateKey: key },
    ...b.args,
  });
  exports[b.resource] = { exists: r.exists, active: r.active, zfsRoot: r.zfsRoot, adopted: r.adopted, warnings: r.warnings };
}
`;

interface BeDecl {
  resource: string;
  host: number;
  args: Record<string, unknown>;
}

async function stackFor(bes: BeDecl[]): Promise<TestStack> {
  const hosts = fleet.hosts.map((h) => ({ host: h.host, port: h.port, hostKey: h.hostKey }));
  const t = await newProgramStack(PROGRAM, { config: { hosts, bes }, secrets: { key: fleet.clientKey.privateKey } });
  stacks.push(t);
  return t;
}

async function setBes(t: TestStack, bes: BeDecl[]): Promise<void> {
  await t.stack.setConfig("bes", { value: JSON.stringify(bes) });
}

/** `bectl list -H` on the host as name → Active letters. */
async function flags(h: TestHost): Promise<Record<string, string>> {
  const r = await h.run("bectl list -H");
  expect(r.exitCode).toBe(0);
  return Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split("\t")).map((f) => [f[0]!, f[1]!]));
}

/** The ops of one preview, per resource name. */
async function previewOps(t: TestStack, refresh: boolean): Promise<{ ops: string[]; stdout: string; summary: Record<string, number> }> {
  const ops: string[] = [];
  const pv = await t.stack.preview({
    refresh,
    diff: true,
    ...capture(t),
    onEvent: (e) => {
      t.events.push(e);
      const m = e.resourcePreEvent?.metadata;
      // refresh steps are reported too; the plan is what follows them
      if (m && m.type.includes("BootEnvironment") && m.op !== "refresh" && m.op !== "same") ops.push(`${m.op} ${m.urn.split("::").pop()}`);
    },
  });
  return { ops, stdout: pv.stdout, summary: pv.changeSummary as Record<string, number> };
}

beforeAll(async () => {
  fleet = await startHosts(2, [{ name: "alpha" }, { name: "nozfs", profile: { zfsRoot: false } }]);
}, 120_000);

// Each scenario starts from a fresh install: only `default`, NR.
beforeEach(async () => {
  await fleet.hosts[0]!.run("rm -f /var/run/freebsd-sim/state/bectl/state.json");
});

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("BootEnvironment with the real engine", { timeout: 600_000 }, () => {
  it("create + activate nextBoot; drift by hand shows in preview --refresh and up --refresh repairs it; destroy removes it", async () => {
    const alpha = fleet.hosts[0]!;
    const decl = [{ resource: "alpha-pre-nginx", host: 0, args: { name: "pre-nginx-20241001", activate: "nextBoot" } }];
    const t = await stackFor(decl);
    alpha.resetLogs();
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 }); // the stack + the BE
    expect(alpha.connections()).toBe(1);
    expect(await flags(alpha)).toEqual({ default: "NR", "pre-nginx-20241001": "T" });
    expect(r.outputs["alpha-pre-nginx"]!.value).toMatchObject({ exists: true, active: "T", zfsRoot: true, adopted: false, warnings: [] });
    // only argv-built bectl commands ran: list, create, activate -t, list
    expect(alpha.tools().filter((e) => e.tool === "bectl").map((e) => e.argv.join(" "))).toEqual([
      "list -H", "create pre-nginx-20241001", "activate -t pre-nginx-20241001", "list -H",
    ]);

    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

    // Activation changed by hand: preview --refresh shows an update naming `activate`…
    await alpha.run("bectl activate -T");
    const pv = await previewOps(t, true);
    expect(pv.ops).toEqual(["update alpha-pre-nginx"]);
    expect(pv.stdout).toMatch(/activate\s*:\s*"none"\s*=>\s*"nextBoot"/);
    expect((await flags(alpha))["pre-nginx-20241001"]).toBe("-"); // a preview changes nothing
    // …and up --refresh repairs it, after which nothing is left to do.
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({ update: 1 });
    expect((await flags(alpha))["pre-nginx-20241001"]).toBe("T");
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // Destroyed by hand: refresh sees it gone, so the preview creates it again; up --refresh does.
    await alpha.run("bectl activate -T >/dev/null && bectl destroy pre-nginx-20241001");
    const gone = await previewOps(t, true);
    expect(gone.ops).toEqual(["create alpha-pre-nginx"]);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({ create: 1 });
    expect(await flags(alpha)).toEqual({ default: "NR", "pre-nginx-20241001": "T" });
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // destroy removes it, and the one-time activation pointing at it first.
    alpha.resetLogs();
    await t.stack.destroy({ ...capture(t) });
    expect(await flags(alpha)).toEqual({ default: "NR" });
    expect(alpha.tools().filter((e) => e.tool === "bectl").map((e) => e.argv.join(" "))).toEqual([
      "list -H", "activate -T", "destroy pre-nginx-20241001", "list -H",
    ]);
  });

  it("adopts an existing BE, creates from a snapshot, and destroyOrigin removes the snapshot on delete", async () => {
    const alpha = fleet.hosts[0]!;
    await alpha.run("bectl create by-hand && bectl create default@before-upgrade");
    const t = await stackFor([
      { resource: "alpha-by-hand", host: 0, args: { name: "by-hand" } },
      { resource: "alpha-rollback", host: 0, args: { name: "rollback", source: "default@before-upgrade" } },
    ]);
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 3 });
    expect(r.outputs["alpha-by-hand"]!.value).toMatchObject({ exists: true, adopted: true });
    expect(r.outputs["alpha-rollback"]!.value).toMatchObject({ exists: true, adopted: false });
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});
    // destroyOrigin only matters on delete, and still reaches the state
    await setBes(t, [
      { resource: "alpha-by-hand", host: 0, args: { name: "by-hand" } },
      { resource: "alpha-rollback", host: 0, args: { name: "rollback", source: "default@before-upgrade", destroyOrigin: true } },
    ]);
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({ update: 1 });
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});
    await t.stack.destroy({ ...capture(t) });
    expect(await flags(alpha)).toEqual({ default: "NR" });
    const snaps = JSON.parse(alpha.readFile("/var/run/freebsd-sim/state/bectl/state.json")).bes.default.snapshots as Record<string, unknown>;
    expect(Object.keys(snaps).filter((s) => s === "before-upgrade")).toEqual([]);
  });

  it("refuses to destroy the active BE, naming it and what to do", async () => {
    const alpha = fleet.hosts[0]!;
    const t = await stackFor([
      { resource: "alpha-next", host: 0, args: { name: "next", activate: "permanent" } },
      { resource: "alpha-default", host: 0, args: { name: "default" } },
    ]);
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 3 });
    expect(await flags(alpha)).toEqual({ default: "N", next: "R" });
    // (its `active` output is as observed when it was adopted: before or after `next` took R)
    expect(r.outputs["alpha-default"]!.value).toMatchObject({ adopted: true });
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

    const err = await t.stack.destroy({ ...capture(t) }).then(() => undefined, (e: Error) => e);
    const msg = String(err?.message);
    expect(msg).toMatch(new RegExp(`BootEnvironment 'alpha-next' on root@127\\.0\\.0\\.1:${alpha.port}: delete failed: refusing to destroy boot environment next: it is the boot environment the host boots on the next reboot \\(bectl list shows R; the running one is default\\)`));
    expect(msg).toMatch(/What to do: activate another boot environment first \(e\.g\. bectl activate default\)/);
    expect(msg).toMatch(/BootEnvironment 'alpha-default' on .*refusing to destroy boot environment default: it is the running boot environment \(bectl list shows N\)/);
    expect(await flags(alpha)).toEqual({ default: "N", next: "R" });

    // Doing what the message says lets the destroy of `next` through; `default` stays refused.
    await alpha.run("bectl activate default");
    const again = await t.stack.destroy({ ...capture(t) }).then(() => undefined, (e: Error) => e);
    expect(String(again?.message)).toMatch(/'alpha-default'.*refusing to destroy boot environment default/);
    expect(String(again?.message)).not.toMatch(/'alpha-next' on .*refusing/);
    expect(String(again?.message)).toMatch(/BootEnvironment alpha-next deleted/);
    expect(await flags(alpha)).toEqual({ default: "NR" });
  });

  it("a host without a ZFS root: fail mode names host and resource; warn mode succeeds, warns, and a second up changes nothing", async () => {
    const nozfs = fleet.hosts[1]!;
    const t = await stackFor([{ resource: "nozfs-pre", host: 1, args: { name: "pre-x" } }]);
    const err = await up(t).then(() => undefined, (e: Error) => e);
    const msg = String(err?.message);
    expect(msg).toMatch(new RegExp(`BootEnvironment 'nozfs-pre' on root@127\\.0\\.0\\.1:${nozfs.port}: create failed: the host has no ZFS root \\(bectl: libbe_init\\(""\\) failed\\.\\)`));
    expect(msg).toMatch(/What to do: set onMissingZfs: "warn"/);

    await setBes(t, [{ resource: "nozfs-pre", host: 1, args: { name: "pre-x", onMissingZfs: "warn" } }]);
    t.events.length = 0;
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 1 });
    expect(r.outputs["nozfs-pre"]!.value).toMatchObject({ exists: false, zfsRoot: false });
    const warnings = t.events.filter((e) => e.diagnosticEvent?.severity === "warning").map((e) => e.diagnosticEvent!.message);
    expect(warnings.join("\n")).toMatch(/has no ZFS root: boot environment pre-x was not created \(onMissingZfs: "warn"\)/);
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});
    await t.stack.destroy({ ...capture(t) });
  });
});
