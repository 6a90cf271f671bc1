/**
 * Package: the live state, the typed actions and the pure plan (every ensure × installed state ×
 * lock combination is a row in test/unit/kinds/package.plan.test.ts).
 */
import type { AuditVulnerability } from "../../pkg/audit";
import { compareVersions, satisfiesMin } from "../../pkg/version";
import type { InstalledPackage } from "../pkgcommon/installed";
import type { PackageInputs } from "./schema";

/** A version a repository offers (`pkg rquery`). */
export interface Candidate {
  name: string;
  version: string;
  repository: string;
}

/** What observe found. */
export interface PackageLive {
  installed: InstalledPackage | null;
  /** The newest version the catalogue offers; null: none; undefined: not asked (not needed). */
  available?: Candidate | null | undefined;
  /** `pkg check -s` result, only when reinstallOnIntegrityFailure is set. */
  integrity?: "ok" | "altered" | undefined;
  /** The files `pkg check -s` named. */
  integrityProblems?: string[] | undefined;
  /** This package's entries in the host's `pkg audit`; null when the audit could not run. */
  vulnerabilities: AuditVulnerability[] | null;
}

/** Kept in outputs between runs. Apply updates it (the adapter then records it). */
export interface PackageMemory {
  /** The version before the last change this resource made. */
  previousVersion: string | null;
  /** The boot environment created before the last change, if any. */
  bootEnvironment: string | null;
}

/** One step. `name` is what pkg is given: the installed name, or the declared name/origin. */
export type PackageAction =
  | { kind: "snapshot"; name: string; version: string; reason: string }
  | { kind: "unlock"; name: string }
  | { kind: "lock"; name: string }
  | { kind: "install"; name: string; version?: string; minVersion?: string }
  | { kind: "upgrade"; name: string; from: string; to?: string; minVersion?: string }
  | { kind: "downgrade"; name: string; from: string; to: string }
  | { kind: "reinstall"; name: string; version: string; reason: string }
  | { kind: "remove"; name: string; version: string };

type Change = Extract<PackageAction, { kind: "install" | "upgrade" | "downgrade" | "reinstall" }>;

/** The version change the desired state asks for, if any. */
function versionChange(live: PackageLive, d: PackageInputs): Change | undefined {
  const inst = live.installed;
  if (!inst) {
    return { kind: "install", name: d.name, ...(d.version ? { version: d.version } : {}), ...(d.minVersion ? { minVersion: d.minVersion } : {}) };
  }
  const avail = live.available ?? undefined;
  if (d.version !== undefined) {
    const c = compareVersions(inst.version, d.version);
    if (c < 0) return { kind: "upgrade", name: inst.name, from: inst.version, to: d.version };
    if (c > 0) return { kind: "downgrade", name: inst.name, from: inst.version, to: d.version };
  } else if (d.minVersion !== undefined && !satisfiesMin(inst.version, d.minVersion)) {
    const to = avail && satisfiesMin(avail.version, d.minVersion) ? avail.version : undefined;
    return { kind: "upgrade", name: inst.name, from: inst.version, minVersion: d.minVersion, ...(to ? { to } : {}) };
  } else if (d.ensure === "latest" && avail && compareVersions(inst.version, avail.version) < 0) {
    return { kind: "upgrade", name: inst.name, from: inst.version, to: avail.version };
  }
  if (d.reinstallOnIntegrityFailure && live.integrity === "altered") {
    return { kind: "reinstall", name: inst.name, version: inst.version, reason: "pkg check -s found altered files" };
  }
  return undefined;
}

/** Pure: the actions that take `live` to `d`, in order; empty when converged. */
export function plan(live: PackageLive, d: PackageInputs): PackageAction[] {
  const inst = live.installed;
  const snap = d.snapshotBeforeChange !== undefined;
  if (d.ensure === "absent") {
    if (!inst) return [];
    return [
      ...(snap ? [{ kind: "snapshot" as const, name: inst.name, version: inst.version, reason: `before removing ${inst.name}-${inst.version}` }] : []),
      ...(inst.locked ? [{ kind: "unlock" as const, name: inst.name }] : []),
      { kind: "remove", name: inst.name, version: inst.version },
    ];
  }
  const change = versionChange(live, d);
  if (!change) {
    if (!inst) return [];
    if (d.locked === true && !inst.locked) return [{ kind: "lock", name: inst.name }];
    if (d.locked === false && inst.locked) return [{ kind: "unlock", name: inst.name }];
    return [];
  }
  const out: PackageAction[] = [];
  // Upgrades, downgrades and removals can break a host: a boot environment first (a fresh
  // install or a same-version reinstall changes nothing that was working).
  if (snap && inst && (change.kind === "upgrade" || change.kind === "downgrade")) {
    out.push({ kind: "snapshot", name: inst.name, version: inst.version, reason: `before ${describe(change)}` });
  }
  // A locked package cannot be modified, even with -f (§1.7): unlock, change, relock.
  if (inst?.locked) out.push({ kind: "unlock", name: inst.name });
  out.push(change);
  const relock = d.locked === true || (d.locked === undefined && inst?.locked === true);
  if (relock) out.push({ kind: "lock", name: inst?.name ?? d.name });
  return out;
}

/** One line per action, for logs and errors. */
export function describe(a: PackageAction): string {
  switch (a.kind) {
    case "snapshot":
      return `create a boot environment ${a.reason}`;
    case "unlock":
      return `unlock ${a.name}`;
    case "lock":
      return `lock ${a.name}`;
    case "install":
      return `install ${a.name}${a.version ? ` ${a.version}` : a.minVersion ? ` (at least ${a.minVersion})` : ""}`;
    case "upgrade":
      return `upgrade ${a.name} ${a.from} -> ${a.to ?? `at least ${a.minVersion}`}`;
    case "downgrade":
      return `downgrade ${a.name} ${a.from} -> ${a.to}`;
    case "reinstall":
      return `reinstall ${a.name}-${a.version} (${a.reason})`;
    case "remove":
      return `remove ${a.name}-${a.version}`;
  }
}

/** True for actions that write to the host's package database. */
export function isPkgWrite(a: PackageAction): boolean {
  return a.kind !== "snapshot";
}
