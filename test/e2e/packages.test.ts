/**
 * Packages end to end: the real Pulumi engine, an inline program on this checkout's build, and
 * FreeBSD test hosts whose pkg, bectl and service are simulated to the letter of commands.md.
 *
 * The runbook: a host with vulnerable packages (the SYNTHETIC heartbeat entry and the real sudo
 * advisory from vuln-sample.xml) → the preview shows the Package updates and the gate → up
 * snapshots, upgrades, locks, restarts and the audit is clean → a second up changes nothing →
 * someone unlocks and downgrades heartbeat by hand → preview --refresh shows both drifts → up
 * --refresh repairs them. Plus the AdvisoryRemediation component with a failing gate, and the
 * batching figure: 10 Packages on one host cost one installed-set query per refresh.
 */
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { cachePackage, installPackages, lockDatabase, readPackages, resetPkg, setCatalogue, setVulnXml } from "../host/pkgdb";
import { capture, changes, up, type TestStack } from "./harness";
import { previewOps, setResources, stackFor as stackForFleet, type Decl } from "./packagesSetup";

let fleet: TestFleet;
const stacks: TestStack[] = [];
const FIX = path.resolve(__dirname, "../fixtures/vuxml");

// The real sample with the synthetic heartbeat entry added: one vuln.xml with both.
function combinedVulnXml(): string {
  const sample = fs.readFileSync(path.join(FIX, "vuln-sample.xml"), "utf8");
  const synthetic = /<vuln [\s\S]*<\/vuln>/.exec(fs.readFileSync(path.join(FIX, "synthetic-heartbeat.xml"), "utf8"))![0];
  return sample.replace(/<\/vuxml>\s*$/, `  ${synthetic}\n\n</vuxml>\n`);
}

const stackFor = (resources: Decl[]) => stackForFleet(fleet, stacks, resources);

/** Counts of simulated tool calls on a host since the last reset, e.g. { "pkg query": 1 }. */
function toolCounts(h: TestHost): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of h.tools()) {
    const sub = t.tool === "pkg" ? t.argv.find((a) => /^[a-z]+$/.test(a)) ?? "" : t.argv[0] ?? "";
    const k = `${t.tool} ${sub}`.trim();
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const installedQueries = (h: TestHost) =>
  h.tools().filter((t) => t.tool === "pkg" && t.argv.includes("query") && t.argv.includes("-a")).length;

const version = (h: TestHost, name: string) => readPackages(h)?.find((p) => p.name === name);

const RC_SCRIPT = `#!/bin/sh
# PROVIDE: heartbeat
# REQUIRE: DAEMON
. /etc/rc.subr
name=heartbeat
rcvar=heartbeat_enable
load_rc_config $name
run_rc_command "$1"
`;

async function seedVulnerableHost(h: TestHost): Promise<void> {
  await resetPkg(h);
  installPackages(h, [
    { name: "heartbeat", version: "3.0.6_3", origin: "sysutils/heartbeat" },
    { name: "sudo", version: "1.9.17", origin: "security/sudo" },
  ], { replace: true });
  setCatalogue(h, "FreeBSD", [
    { name: "heartbeat", version: "3.0.6_4", origin: "sysutils/heartbeat" },
    { name: "sudo", version: "1.9.17p1", origin: "security/sudo" },
  ]);
  setVulnXml(h, combinedVulnXml());
  // What pkg leaves in its cache after installing 3.0.6_3: lets an operator downgrade by hand.
  cachePackage(h, { name: "heartbeat", version: "3.0.6_3", origin: "sysutils/heartbeat" });
  h.writeFile("/usr/local/etc/rc.d/heartbeat", RC_SCRIPT, 0o755);
  await h.run(`grep -q heartbeat_enable /etc/rc.conf || echo 'heartbeat_enable="YES"' >> /etc/rc.conf`);
}

beforeAll(async () => {
  fleet = await startHosts(3, [{ name: "alpha" }, { name: "bravo" }, { name: "charlie" }]);
}, 120_000);

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("packages with the real engine", { timeout: 600_000 }, () => {
  it("the runbook: snapshot, upgrade, lock, restart, clean audit; drift by hand is shown and repaired", async () => {
    const h = fleet.hosts[0]!;
    await seedVulnerableHost(h);
    const audit = { vulnXml: "/var/db/pkg/vuln.xml", fetch: false };
    const baseline: Decl[] = [
      { type: "Package", name: "heartbeat", host: 0, args: { name: "heartbeat" } },
      { type: "Package", name: "sudo", host: 0, args: { name: "security/sudo" } },
      { type: "VulnerabilityAudit", name: "audit", host: 0, args: { ...audit, failOn: "none" }, dependsOn: ["heartbeat", "sudo"] },
    ];
    const t = await stackFor(baseline);
    let r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 4 });
    expect(r.outputs.audit!.value).toMatchObject({ vulnerableCount: 2, blockingPackages: [] });
    expect((r.outputs.heartbeat!.value as { vulnerabilities: { vuxmlId: string }[] }).vulnerabilities[0]!.vuxmlId).toBe("00000000-0000-0000-0000-000000000001");
    expect((r.outputs.sudo!.value as { vulnerabilities: { cves: string[] }[] }).vulnerabilities[0]!.cves).toContain("CVE-2025-32462");

    // The advisory: at least the fixed versions, heartbeat locked, a boot environment first.
    const remediation: Decl[] = [
      { type: "Package", name: "heartbeat", host: 0, args: { name: "heartbeat", minVersion: "3.0.6_4", locked: true, snapshotBeforeChange: {} } },
      { type: "Package", name: "sudo", host: 0, args: { name: "security/sudo", minVersion: "1.9.17p1" } },
      { type: "ServiceRestart", name: "restart-heartbeat", host: 0, args: { service: "heartbeat" }, triggerFrom: "heartbeat", dependsOn: ["heartbeat"] },
      { type: "VulnerabilityAudit", name: "audit", host: 0, args: { ...audit, failOn: "any" }, dependsOn: ["heartbeat", "sudo", "restart-heartbeat"] },
    ];
    await setResources(t, remediation);
    const pv = await previewOps(t, false);
    expect(pv.ops).toEqual(["create restart-heartbeat", "update audit", "update heartbeat", "update sudo"]);
    expect(pv.stdout).toMatch(/minVersion/);
    expect(pv.stdout).toMatch(/failOn/);

    h.resetLogs();
    let t0 = Date.now();
    r = await up(t);
    console.log(`runbook up: ${Date.now() - t0} ms, tools on alpha: ${JSON.stringify(toolCounts(h))}, connections ${h.connections()}`);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 1, update: 3 });
    expect(version(h, "heartbeat")).toMatchObject({ version: "3.0.6_4", locked: true });
    expect(version(h, "sudo")).toMatchObject({ version: "1.9.17p1" });
    const hb = r.outputs.heartbeat!.value as Record<string, unknown>;
    expect(hb).toMatchObject({ installedVersion: "3.0.6_4", locked: true, previousVersion: "3.0.6_3", vulnerabilities: [] });
    expect(hb.bootEnvironment).toMatch(/^pre-heartbeat-\d{8}$/);
    expect((await h.run("bectl list -H")).stdout).toContain(String(hb.bootEnvironment));
    expect(r.outputs.audit!.value).toMatchObject({ vulnerableCount: 0, blockingPackages: [] });
    expect(r.outputs["restart-heartbeat"]!.value).toEqual({ lastTrigger: "3.0.6_4" });
    const tools = h.tools().map((x) => `${x.tool} ${x.argv.join(" ")}`);
    // Order: snapshot → unlock-free upgrade → lock → restart; no exit-code guessing commands.
    const idx = (re: RegExp) => tools.findIndex((l) => re.test(l));
    expect(idx(/^bectl create pre-heartbeat-/)).toBeGreaterThanOrEqual(0);
    expect(idx(/^bectl create/)).toBeLessThan(idx(/^pkg install -y heartbeat-3\.0\.6_4/));
    expect(idx(/^pkg install -y heartbeat-3\.0\.6_4/)).toBeLessThan(idx(/^pkg lock -y heartbeat/));
    expect(idx(/^pkg lock -y heartbeat/)).toBeLessThan(idx(/^service heartbeat restart/));
    expect(tools.some((l) => /upgrade -n/.test(l))).toBe(false);
    expect(h.connections()).toBe(1);

    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});

    // Someone unlocks and downgrades heartbeat by hand from the cache.
    const byHand = await h.run("pkg unlock -y heartbeat && pkg add -f /var/cache/pkg/heartbeat-3.0.6_3.pkg");
    expect(byHand.exitCode).toBe(0);
    const drift = await previewOps(t, true);
    // The restart's trigger (heartbeat's installedVersion) is unknown until the upgrade runs, so
    // the preview lists it; at up time the trigger is 3.0.6_4 again and it stays the same.
    expect(drift.ops).toEqual(["update audit", "update heartbeat", "update restart-heartbeat"]);
    expect(drift.stdout).toMatch(/locked/);
    expect(drift.stdout).toMatch(/minVersion/);

    h.resetLogs();
    t0 = Date.now();
    r = await up(t, { refresh: true });
    console.log(`repair up --refresh: ${Date.now() - t0} ms, tools on alpha: ${JSON.stringify(toolCounts(h))}`);
    expect(changes(r.summary.resourceChanges)).toEqual({ update: 2 });
    expect(version(h, "heartbeat")).toMatchObject({ version: "3.0.6_4", locked: true });
    // Same day, second change: its own boot environment.
    expect((r.outputs.heartbeat!.value as Record<string, unknown>).bootEnvironment).toMatch(/^pre-heartbeat-\d{8}-2$/);
    expect(r.outputs.audit!.value).toMatchObject({ vulnerableCount: 0 });

    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
  });

  it("AdvisoryRemediation: the gate fails up with a readable listing until every affected package is fixed", async () => {
    const h = fleet.hosts[2]!;
    await seedVulnerableHost(h);
    const args = { lock: true, restartServices: ["heartbeat"], audit: { vulnXml: "/var/db/pkg/vuln.xml", fetch: false, failOn: "any" } };
    const t = await stackFor([{ type: "AdvisoryRemediation", name: "hb", host: 2, args: { ...args, packages: [{ name: "heartbeat", fixedVersion: "3.0.6_4" }] } }]);
    const err = await up(t).then(() => undefined, (e: unknown) => String(e));
    expect(err).toBeDefined();
    expect(err).toMatch(/pkg audit: 1 vulnerable package blocks this update \(failOn: any\)/);
    expect(err).toMatch(/sudo-1\.9\.17/);
    expect(err).toMatch(/CVE-2025-32462, CVE-2025-32463/);
    expect(err).toMatch(/VuXML 24f4b495-56a1-11f0-9621-93abbef07693/);
    expect(version(h, "heartbeat")).toMatchObject({ version: "3.0.6_4", locked: true });

    await setResources(t, [{ type: "AdvisoryRemediation", name: "hb", host: 2, args: { ...args, packages: [
      { name: "heartbeat", fixedVersion: "3.0.6_4" }, { name: "security/sudo", fixedVersion: "1.9.17p1" },
    ], audit: { ...args.audit, failOn: ["heartbeat", "sudo"] } } }]);
    const r = await up(t);
    expect(r.outputs.hb!.value).toEqual({ installedVersions: { heartbeat: "3.0.6_4", "security/sudo": "1.9.17p1" }, vulnerableCount: 0 });
    expect(version(h, "sudo")).toMatchObject({ version: "1.9.17p1", locked: true });
    const again = await up(t);
    expect(changes(again.summary.resourceChanges)).toEqual({});
  });

  it("10 Package resources and a PackageLock on one host cost one installed-set query per refresh", async () => {
    const h = fleet.hosts[1]!;
    await resetPkg(h);
    const names = Array.from({ length: 10 }, (_, i) => `pkg${i}`);
    installPackages(h, names.map((n) => ({ name: n, version: "1.0", origin: `misc/${n}` })), { replace: true });
    setVulnXml(h, combinedVulnXml());
    const decls: Decl[] = names.map((n) => ({ type: "Package", name: n, host: 1, args: { name: n } }));
    decls.push({ type: "PackageLock", name: "locks", host: 1, args: { packages: ["pkg1", "pkg2"] } });
    const t = await stackFor(decls);
    let r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 12 });
    expect(version(h, "pkg1")?.locked).toBe(true);

    h.resetLogs();
    const t0 = Date.now();
    await t.stack.refresh({ ...capture(t) });
    console.log(`refresh of 11 resources: ${Date.now() - t0} ms, tools on bravo: ${JSON.stringify(toolCounts(h))}, connections ${h.connections()}`);
    expect(installedQueries(h)).toBe(1);
    expect(h.tools().filter((x) => x.tool === "pkg" && x.argv.includes("audit")).length).toBe(1);
    expect(h.tools().every((x) => !(x.tool === "pkg" && /^(install|lock|unlock|add|delete|update)$/.test(x.argv.find((a) => /^[a-z]+$/.test(a)) ?? "")))).toBe(true);

    // Drift on the lock shows in a refresh and is repaired.
    await h.run("pkg unlock -y pkg2");
    const drift = await previewOps(t, true);
    expect(drift.ops).toEqual(["update locks"]);
    r = await up(t, { refresh: true });
    expect(changes(r.summary.resourceChanges)).toEqual({ update: 1 });
    expect(version(h, "pkg2")?.locked).toBe(true);
    r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({});
  });

  it("downgrades to an exact version from a cached .pkg (pkg add -f), through a locked database", async () => {
    const h = fleet.hosts[2]!;
    // heartbeat 3.0.6_4 installed and locked; the catalogue has only 3.0.6_4, the cache has 3.0.6_3.
    await seedVulnerableHost(h);
    installPackages(h, [{ name: "heartbeat", version: "3.0.6_4", origin: "sysutils/heartbeat", locked: true }]);
    const t = await stackFor([{ type: "Package", name: "hb-pinned", host: 2, args: { name: "heartbeat", version: "3.0.6_3", locked: true, snapshotBeforeChange: { template: "pin-<package>-<version>" } } }]);
    // Another process holds the database lock for longer than pkg's own retries.
    lockDatabase(h, { attempts: 8, waitMs: 10 });
    h.resetLogs();
    const r = await up(t);
    lockDatabase(h, null);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });
    expect(version(h, "heartbeat")).toMatchObject({ version: "3.0.6_3", locked: true });
    expect(r.outputs["hb-pinned"]!.value).toMatchObject({ installedVersion: "3.0.6_3", previousVersion: "3.0.6_4", bootEnvironment: "pin-heartbeat-3.0.6_4" });
    const tools = h.tools().map((x) => `${x.tool} ${x.argv.join(" ")}`);
    expect(tools).toContain("pkg add -f /var/cache/pkg/heartbeat-3.0.6_3.pkg");
    expect(tools.filter((l) => l.startsWith("pkg query -a")).length).toBeGreaterThan(1); // retried while locked
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});
  });

  it("bad input is refused at check time with the property and the rule; nothing runs on the host", async () => {
    const h = fleet.hosts[1]!;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: "nginx;reboot" }, /name: \\?"nginx;reboot\\?" is not a valid FreeBSD package name or origin: package name may contain only letters, digits and \+ \. _ -; found ';' at position 6/],
      [{ name: "nginx", version: "1.0", minVersion: "1.0" }, /minVersion: set either version \(exactly this\) or minVersion \(at least this\), not both/],
      [{ name: "nginx", minVersion: "1.0_x" }, /minVersion: \\?"1\.0_x\\?" is not a possible pkg version: version revision/],
    ];
    for (const [args, want] of cases) {
      h.resetLogs();
      const t = await stackFor([{ type: "Package", name: "bad", host: 1, args }]);
      const err = await t.stack.preview({ ...capture(t) }).then(() => "", (e: unknown) => String(e));
      expect(err).toMatch(want);
      expect(h.tools()).toEqual([]);
    }
  });

  it("reinstalls a package whose files were altered (pkg check -s → pkg install -f)", async () => {
    const h = fleet.hosts[1]!;
    await resetPkg(h);
    const file = "/usr/local/sbin/heartbeat";
    installPackages(h, [{ name: "heartbeat", version: "3.0.6_4", origin: "sysutils/heartbeat", files: { [file]: "#!/bin/sh\necho beat\n" } }], { replace: true });
    setCatalogue(h, "FreeBSD", [{ name: "heartbeat", version: "3.0.6_4", origin: "sysutils/heartbeat", files: { [file]: "#!/bin/sh\necho beat\n" } }]);
    const t = await stackFor([{ type: "Package", name: "hb-checked", host: 1, args: { name: "heartbeat", reinstallOnIntegrityFailure: true } }]);
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({ create: 2 });
    h.writeFile(file, "#!/bin/sh\necho tampered\n");
    expect((await previewOps(t, true)).ops).toEqual(["update hb-checked"]);
    h.resetLogs();
    const r = await up(t, { refresh: true });
    expect(changes(r.summary.resourceChanges)).toEqual({ update: 1 });
    expect(h.tools().map((x) => `${x.tool} ${x.argv.join(" ")}`)).toContain("pkg install -y -f heartbeat-3.0.6_4");
    expect(h.readFile(file)).toBe("#!/bin/sh\necho beat\n");
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});
  });
});
