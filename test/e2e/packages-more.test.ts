/**
 * More Package scenarios with the real engine (same setup as packages.test.ts): removal with
 * ensure "absent" and its drift, unlocking with locked: false, snapshotBeforeChange on a host
 * without a ZFS root (warn / fail), an exact version no repository or cache has, and the
 * upgrade-to-minVersion + lock path on pkg 1.21 and pkg 1.19 hosts (commands.md §8 wording
 * differences). Every scenario ends with a second up that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { installPackages, readPackages, resetPkg, setCatalogue } from "../host/pkgdb";
import { changes, up, type TestStack } from "./harness";
import { previewOps, setResources, stackFor as stackForFleet, type Decl } from "./packagesSetup";

let fleet: TestFleet;
const stacks: TestStack[] = [];

const stackFor = (resources: Decl[]) => stackForFleet(fleet, stacks, resources);

const toolLines = (h: TestHost) => h.tools().map((x) => `${x.tool} ${x.argv.join(" ")}`);
const writes = (h: TestHost) => toolLines(h).filter((l) => /^pkg (install|delete|add|upgrade|lock|unlock)\b|^bectl create\b/.test(l));
const version = (h: TestHost, name: string) => readPackages(h)?.find((p) => p.name === name);
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => String(e));
/** What the host itself says: `pkg query '%v %k' NAME`. */
async function query(h: TestHost, name: string): Promise<string> {
  return (await h.run(`pkg query '%v %k' ${name}`)).stdout.trim();
}
/** Everything the engine printed or reported for one stack (CLI output, diagnostics). */
const said = (t: TestStack) =>
  [...t.output, ...t.events.map((e) => e.diagnosticEvent?.message ?? "")].join("\n");

const HB_OLD = { name: "heartbeat", version: "3.0.6_3", origin: "sysutils/heartbeat" };
const HB_NEW = { name: "heartbeat", version: "3.0.6_4", origin: "sysutils/heartbeat" };

async function seed(h: TestHost, installed: Record<string, unknown>[], catalogue: Record<string, unknown>[] = [HB_NEW]): Promise<void> {
  await resetPkg(h);
  installPackages(h, installed as never, { replace: true });
  setCatalogue(h, "FreeBSD", catalogue as never);
}

beforeAll(async () => {
  fleet = await startHosts(4, [
    { name: "delta" },
    { name: "echo", profile: { zfsRoot: false } },
    { name: "foxtrot", profile: { pkgVersion: "1.21.3" } },
    { name: "golf", profile: { pkgVersion: "1.19.1" } },
  ]);
}, 120_000);

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("more packages with the real engine", { timeout: 600_000 }, () => {
  it('ensure: "absent" removes an installed package; a reinstall by hand is drift and is removed again', async () => {
    const h = fleet.hosts[0]!;
    await seed(h, [HB_NEW, { name: "sudo", version: "1.9.17p1", origin: "security/sudo" }]);
    const t = await stackFor([{ type: "Package", name: "no-heartbeat", host: 0, args: { name: "heartbeat", ensure: "absent" } }]);
    h.resetLogs();
    const t0 = Date.now();
    let r = await up(t);
    console.log(`absent up: ${Date.now() - t0} ms`);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });
    expect(toolLines(h)).toContain("pkg delete -y heartbeat");
    expect(version(h, "heartbeat")).toBeUndefined();
    expect(version(h, "sudo")).toMatchObject({ version: "1.9.17p1" });
    expect(r.outputs["no-heartbeat"]!.value).toMatchObject({ installedVersion: null, previousVersion: "3.0.6_4" });

    h.resetLogs();
    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
    expect(writes(h)).toEqual([]);

    // Someone installs it again by hand.
    const byHand = await h.run("pkg install -y heartbeat");
    expect(byHand.exitCode).toBe(0);
    expect(version(h, "heartbeat")).toMatchObject({ version: "3.0.6_4" });
    const drift = await previewOps(t, true);
    expect(drift.ops).toEqual(["update no-heartbeat"]);
    expect(drift.stdout).toMatch(/ensure/);

    h.resetLogs();
    r = await up(t, { refresh: true });
    expect(changes(r.summary.resourceChanges)).toEqual({ update: 1 });
    expect(toolLines(h)).toContain("pkg delete -y heartbeat");
    expect(version(h, "heartbeat")).toBeUndefined();
    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
  });

  it("locked: false unlocks a locked package", async () => {
    const h = fleet.hosts[0]!;
    await seed(h, [{ ...HB_NEW, locked: true }]);
    const t = await stackFor([{ type: "Package", name: "hb-unlocked", host: 0, args: { name: "heartbeat", locked: false } }]);
    h.resetLogs();
    let r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });
    expect(writes(h)).toEqual(["pkg unlock -y heartbeat"]);
    expect((await h.run("pkg query %k heartbeat")).stdout.trim()).toBe("0");
    expect(r.outputs["hb-unlocked"]!.value).toMatchObject({ installedVersion: "3.0.6_4", locked: false });
    h.resetLogs();
    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
    expect(writes(h)).toEqual([]);
  });

  it("snapshotBeforeChange on a host without a ZFS root: fail refuses and changes nothing; warn upgrades with a warning", async () => {
    const h = fleet.hosts[1]!;
    await seed(h, [HB_OLD]);
    const decl = (onMissingZfs: string): Decl[] => [
      { type: "Package", name: "hb-snap", host: 1, args: { name: "heartbeat", minVersion: "3.0.6_4", snapshotBeforeChange: { onMissingZfs } } },
    ];
    const t = await stackFor(decl("fail"));
    h.resetLogs();
    const err = await failure(up(t));
    expect(err).toBeDefined();
    expect(err).toMatch(new RegExp(`Package 'hb-snap' on root@127\\.0\\.0\\.1:${h.port}`));
    expect(err).toMatch(/cannot create a boot environment before changing heartbeat: the root file system is not ZFS/);
    expect(err).toMatch(/onMissingZfs to \\?"warn\\?"/);
    expect(await query(h, "heartbeat")).toBe("3.0.6_3 0");
    expect(writes(h).filter((l) => !l.startsWith("bectl create"))).toEqual([]);

    await setResources(t, decl("warn"));
    h.resetLogs();
    const t0 = Date.now();
    let r = await up(t);
    console.log(`no-ZFS warn up: ${Date.now() - t0} ms`);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 1 });
    expect(await query(h, "heartbeat")).toBe("3.0.6_4 0");
    expect(toolLines(h)).toContain("pkg install -y heartbeat-3.0.6_4");
    expect(r.outputs["hb-snap"]!.value).toMatchObject({ installedVersion: "3.0.6_4", previousVersion: "3.0.6_3", bootEnvironment: null });
    expect(said(t)).toMatch(/warning: no boot environment created: the root file system is not ZFS/);
    h.resetLogs();
    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
    expect(writes(h)).toEqual([]);
  });

  it("a version that no repository or cache has: a clear error and nothing changed on the host", async () => {
    const h = fleet.hosts[0]!;
    await seed(h, [HB_OLD, { name: "sudo", version: "1.9.17", origin: "security/sudo" }]);
    const localDb = () => h.readFile("/var/run/freebsd-sim/state/pkg/local.json");
    const before = localDb();
    const queryBefore = (await h.run("pkg query -a '%n %v %k'")).stdout;
    const decl = (v: string): Decl[] => [
      { type: "Package", name: "hb-exact", host: 0, args: { name: "heartbeat", version: v, repository: "FreeBSD", snapshotBeforeChange: {} } },
    ];
    const t = await stackFor(decl("3.0.6_9"));
    h.resetLogs();
    const err = await failure(up(t));
    expect(err).toBeDefined();
    expect(err).toMatch(new RegExp(`Package 'hb-exact' on root@127\\.0\\.0\\.1:${h.port}`));
    expect(err).toMatch(/repository FreeBSD offer no heartbeat 3\.0\.6_9 \(they offer heartbeat-3\.0\.6_4 \(FreeBSD\)\)/);
    expect(err).toMatch(/\/var\/cache\/pkg has no heartbeat-3\.0\.6_9\.pkg/);
    expect(localDb()).toBe(before);
    expect((await h.run("pkg query -a '%n %v %k'")).stdout).toBe(queryBefore);
    expect(toolLines(h).filter((l) => /^pkg (install|delete|add)\b|^bectl create\b/.test(l))).toEqual([]);

    // Pointing it at the version the repository does carry converges; a second up is a no-op.
    await setResources(t, decl("3.0.6_4"));
    let r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 1 });
    expect(await query(h, "heartbeat")).toBe("3.0.6_4 0");
    h.resetLogs();
    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
    expect(writes(h)).toEqual([]);
  });

  for (const [i, pkgVersion] of [[2, "1.21.3"], [3, "1.19.1"]] as const) {
    it(`pkg ${pkgVersion}: upgrade to minVersion and lock, then nothing to do`, async () => {
      const h = fleet.hosts[i]!;
      expect((await h.run("pkg -v")).stdout.trim()).toBe(pkgVersion);
      await seed(h, [{ ...HB_OLD, locked: true }, { name: "sudo", version: "1.9.17", origin: "security/sudo" }],
        [HB_NEW, { name: "sudo", version: "1.9.17p1", origin: "security/sudo" }]);
      const t = await stackFor([
        { type: "Package", name: "hb", host: i, args: { name: "heartbeat", minVersion: "3.0.6_4", locked: true } },
        { type: "Package", name: "sudo", host: i, args: { name: "security/sudo", minVersion: "1.9.17p1", locked: true } },
      ]);
      h.resetLogs();
      const t0 = Date.now();
      let r = await up(t);
      console.log(`pkg ${pkgVersion} up: ${Date.now() - t0} ms`);
      expect(changes(r.summary.resourceChanges)).toEqual({ create: 3 });
      expect(await query(h, "heartbeat")).toBe("3.0.6_4 1");
      expect(await query(h, "sudo")).toBe("1.9.17p1 1");
      const w = writes(h);
      expect(w.indexOf("pkg unlock -y heartbeat")).toBeLessThan(w.indexOf("pkg install -y heartbeat-3.0.6_4"));
      expect(w.indexOf("pkg install -y heartbeat-3.0.6_4")).toBeLessThan(w.indexOf("pkg lock -y heartbeat"));
      expect(w).toContain("pkg install -y sudo-1.9.17p1");
      expect(w).toContain("pkg lock -y sudo");
      expect(r.outputs.hb!.value).toMatchObject({ installedVersion: "3.0.6_4", locked: true, previousVersion: "3.0.6_3" });
      h.resetLogs();
      r = await up(t);
      expect(changes(r.summary.resourceChanges)).toEqual({});
      expect(writes(h)).toEqual([]);
    });
  }
});
