/**
 * Package: one FreeBSD package kept present, at a version, at least a version (a security fix),
 * the newest, or absent; optionally locked, reinstalled when its files were altered, and with a
 * boot environment created before upgrades, downgrades and removals.
 *
 * State is always queried (`pkg query`, `pkg rquery`, `pkg check -s`, versions compared with
 * pkg's ordering), never inferred from exit codes that changed between pkg releases.
 *
 * Delete does nothing on the host: destroying the resource stops managing the package. Declare
 * `ensure: "absent"` to remove one.
 */
import type { Kind } from "../../engine/kind";
import type { AuditVulnerability } from "../../pkg/audit";
import { compareVersions, satisfiesMin, versionsEqual } from "../../pkg/version";
import { findInstalled, type InstalledPackage } from "../pkgcommon/installed";
import { hostAudit, installedSet } from "../pkgcommon/observe";
import { applyPackage } from "./apply";
import { describe, plan, type PackageAction, type PackageLive, type PackageMemory } from "./plan";
import { candidates, integrity, newest } from "./remote";
import type { PackageInputs } from "./schema";
import { packageSchema } from "./schema";

export { packageSchema, type PackageInputs } from "./schema";
export { plan as planPackage, describe as describePackageAction, type PackageAction, type PackageLive, type PackageMemory } from "./plan";

/** Whether observe must ask the catalogue: only when the plan needs the newest version. */
function needsCatalogue(inst: InstalledPackage | null, d: PackageInputs): boolean {
  if (d.ensure === "absent") return false;
  if (d.ensure === "latest") return true;
  return d.minVersion !== undefined && (!inst || !satisfiesMin(inst.version, d.minVersion));
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The Package kind. */
export const packageKind: Kind<PackageInputs, PackageLive, PackageAction, PackageMemory> = {
  name: "Package",
  schema: packageSchema,
  id: (d) => `${d.connection.host}:pkg:${d.name}`,
  replaceKeys: (d) => ({ name: d.name }),

  async observe(ctx, d) {
    // `repository` is also an output (where the installed package came from), so a refresh can
    // hand it back as an input; pkg's name for "installed from a file" is not a repository.
    if (d.repository === "unknown-repository") d = { ...d, repository: undefined };
    const set = await installedSet(ctx.remote);
    const inst = findInstalled(set, d.name) ?? null;
    const live: PackageLive = { installed: inst, vulnerabilities: [] };
    if (needsCatalogue(inst, d)) live.available = newest(await candidates(ctx.remote, d.name, d.repository, false));
    if (inst && d.reinstallOnIntegrityFailure) {
      const i = await integrity(ctx.remote, inst.name);
      live.integrity = i.state;
      live.integrityProblems = i.problems;
    }
    if (inst) {
      const audit = await hostAudit(ctx.remote);
      live.vulnerabilities =
        audit.state === "error"
          ? null
          : audit.report.packages.filter((p) => p.package === inst.name && p.version !== null && versionsEqual(p.version, inst.version)).flatMap((p) => p.vulnerabilities);
    }
    return live;
  },

  liveFromOutputs(o) {
    if (!("installedVersion" in o)) return undefined;
    const version = str(o.installedVersion);
    const installed: InstalledPackage | null = version
      ? { name: str(o.installedName) ?? "", origin: str(o.origin) ?? "", version, locked: o.locked === true, repository: str(o.repository) ?? "" }
      : null;
    const av = str(o.availableVersion);
    return {
      installed,
      available: av ? { name: str(o.installedName) ?? "", version: av, repository: str(o.availableRepository) ?? "" } : null,
      integrity: o.integrity === "altered" ? "altered" : o.integrity === "ok" ? "ok" : undefined,
      vulnerabilities: Array.isArray(o.vulnerabilities) ? (o.vulnerabilities as AuditVulnerability[]) : null,
    };
  },

  memory: (_live, _d, previous) => previous ?? { previousVersion: null, bootEnvironment: null },
  memoryFromOutputs: (o) => ("previousVersion" in o ? { previousVersion: str(o.previousVersion), bootEnvironment: str(o.bootEnvironment) } : undefined),

  plan: (live, d) => plan(live, d),
  planDelete: () => [],
  describe,
  apply: (ctx, d, live, actions, memory) => applyPackage(ctx, d, live, actions, memory),

  liveInputs(live, raw) {
    // Reshaped so `preview --refresh` names the drift: `~ locked: false => true`, `~ version: …`.
    const r = { ...raw };
    const inst = live.installed;
    const ensure = raw.ensure ?? "present";
    if (!inst && ensure !== "absent") r.ensure = "absent";
    if (inst && ensure === "absent") r.ensure = "present";
    if (inst) {
      if (raw.version !== undefined && !versionsEqual(inst.version, raw.version)) r.version = inst.version;
      if (raw.minVersion !== undefined && !satisfiesMin(inst.version, raw.minVersion)) r.minVersion = inst.version;
      if (raw.locked !== undefined && raw.locked !== inst.locked) r.locked = inst.locked;
    }
    return r;
  },

  outputs(live, _d, memory) {
    const inst = live.installed;
    return {
      installedVersion: inst?.version ?? null,
      installedName: inst?.name ?? null,
      origin: inst?.origin ?? null,
      repository: inst?.repository ?? null,
      locked: inst?.locked ?? false,
      availableVersion: live.available?.version ?? null,
      availableRepository: live.available?.repository ?? null,
      upgradeAvailable: !!(inst && live.available && compareVersions(inst.version, live.available.version) < 0),
      integrity: live.integrity ?? null,
      integrityProblems: live.integrityProblems ?? [],
      vulnerabilities: live.vulnerabilities,
      previousVersion: memory.previousVersion,
      bootEnvironment: memory.bootEnvironment,
    };
  },
};
