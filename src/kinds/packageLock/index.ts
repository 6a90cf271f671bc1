/**
 * PackageLock: `pkg lock` / `pkg unlock` on named packages, without managing their versions.
 * Reads the host's shared installed set (one `pkg query` per host per run), so a refresh shows
 * drift when someone unlocks a package by hand. Delete gives each package back the lock state it
 * had before the resource took it over.
 */
import type { Kind } from "../../engine/kind";
import { HostStateError } from "../../hostfs/errors";
import { invalidateHost } from "../pkgcommon/cache";
import { pkgExec } from "../pkgcommon/exec";
import { findInstalled } from "../pkgcommon/installed";
import { installedSet } from "../pkgcommon/observe";
import { describeLock, nextLockMemory, planLockDelete, planLocks, type LockAction, type LockLive, type LockMemory } from "./plan";
import { packageLockSchema, type PackageLockInputs } from "./schema";

export { packageLockSchema, type PackageLockInputs } from "./schema";
export { planLocks, planLockDelete, type LockAction, type LockLive, type LockMemory } from "./plan";

/** The PackageLock kind. */
export const packageLockKind: Kind<PackageLockInputs, LockLive, LockAction, LockMemory> = {
  name: "PackageLock",
  schema: packageLockSchema,
  id: (d) => `${d.connection.host}:pkg-lock:${d.packages.join(",")}`,
  replaceKeys: () => ({}),

  async observe(ctx, d) {
    const set = await installedSet(ctx.remote);
    const packages: LockLive["packages"] = {};
    for (const ref of d.packages) {
      const p = findInstalled(set, ref);
      packages[ref] = p ? { name: p.name, locked: p.locked } : null;
    }
    return { packages };
  },

  liveFromOutputs(o) {
    const s = o.states;
    if (!s || typeof s !== "object") return undefined;
    const packages: LockLive["packages"] = {};
    for (const [ref, v] of Object.entries(s as Record<string, unknown>)) {
      const e = v as { name?: unknown; locked?: unknown } | null;
      packages[ref] = e && typeof e.name === "string" ? { name: e.name, locked: e.locked === true } : null;
    }
    return { packages };
  },

  memory: (live, d, previous) => nextLockMemory(live, d, previous),
  memoryFromOutputs: (o) => (o.priorLocked && typeof o.priorLocked === "object" ? { prior: o.priorLocked as Record<string, boolean | null> } : undefined),

  plan: (live, d) => planLocks(live, d),
  planDelete: (live, d, memory) => planLockDelete(live, d, memory),
  describe: describeLock,

  async apply(ctx, _d, _live, actions) {
    const missing = actions.filter((a) => a.kind === "missing").map((a) => a.ref);
    if (missing.length > 0) {
      throw new HostStateError(`not installed: ${missing.join(", ")}; a package that is not installed cannot be locked`,
        "install it first (a Package resource, with this lock depending on it) or remove it from `packages`");
    }
    try {
      for (const a of actions) {
        if (a.kind === "missing") continue;
        invalidateHost(ctx.remote.label);
        await pkgExec(ctx.remote, ["pkg", a.kind, "-y", a.name]);
      }
    } finally {
      invalidateHost(ctx.remote.label);
    }
  },

  liveInputs(live, raw) {
    // Drift shows as the packages that are not in the declared state being missing from the
    // list, so the preview reads `+ "nginx"`: nginx will be (un)locked again.
    const want = raw.locked ?? true;
    return { ...raw, packages: raw.packages.filter((ref) => live.packages[ref]?.locked === want) };
  },

  outputs(live, _d, memory) {
    const lockedPackages = Object.values(live.packages).filter((p) => p?.locked).map((p) => p!.name);
    return { states: live.packages, lockedPackages, priorLocked: memory.prior };
  },
};
