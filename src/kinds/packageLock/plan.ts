/** PackageLock: live state, actions and the pure plan. */
import type { PackageLockInputs } from "./schema";

/** Each declared package as found: its installed name and lock flag, or null when not installed. */
export interface LockLive {
  packages: Record<string, { name: string; locked: boolean } | null>;
}

/** The lock state each package had before this resource took it over (delete restores it). */
export interface LockMemory {
  prior: Record<string, boolean | null>;
}

/** One step. */
export type LockAction =
  | { kind: "lock"; ref: string; name: string }
  | { kind: "unlock"; ref: string; name: string }
  | { kind: "missing"; ref: string };

/** Pure: lock or unlock what differs; a package that is not installed is an action that fails. */
export function planLocks(live: LockLive, d: PackageLockInputs): LockAction[] {
  const out: LockAction[] = [];
  for (const ref of d.packages) {
    const p = live.packages[ref];
    if (!p) out.push({ kind: "missing", ref });
    else if (p.locked !== d.locked) out.push({ kind: d.locked ? "lock" : "unlock", ref, name: p.name });
  }
  return out;
}

/** Pure: delete gives every package back the lock state it had before (unknown: left as is). */
export function planLockDelete(live: LockLive, d: PackageLockInputs, memory: LockMemory): LockAction[] {
  const out: LockAction[] = [];
  for (const ref of d.packages) {
    const p = live.packages[ref];
    const before = memory.prior[ref];
    if (!p || before === null || before === undefined || p.locked === before) continue;
    out.push({ kind: before ? "lock" : "unlock", ref, name: p.name });
  }
  return out;
}

/** The memory for a run: kept from before, with newly declared packages' current state added. */
export function nextLockMemory(live: LockLive, d: PackageLockInputs, previous: LockMemory | undefined): LockMemory {
  const prior: Record<string, boolean | null> = {};
  for (const ref of d.packages) {
    const kept = previous?.prior[ref];
    prior[ref] = kept !== undefined ? kept : live.packages[ref]?.locked ?? null;
  }
  return { prior };
}

/** One line per action. */
export function describeLock(a: LockAction): string {
  return a.kind === "missing" ? `${a.ref} is not installed` : `${a.kind} ${a.name}`;
}
