/**
 * BootEnvironment: a ZFS boot environment managed with bectl(8) — created (or adopted when one
 * of that name exists), activated permanently or for the next boot only, destroyed on delete
 * unless it is the running or the next-reboot one.
 */
import type { Kind } from "../../engine/kind";
import { HostStateError } from "../../hostfs";
import { isRemoteError } from "../../transport";
import { argvOf, describe, liveActivation, liveFromList, plan, planDelete, type Action, type LiveBootEnvironments, type Memory } from "./plan";
import { bootEnvironmentSchema, type BootEnvironmentInputs } from "./schema";

export { bootEnvironmentSchema, type BootEnvironmentInputs, type Activation } from "./schema";
export {
  bootEnvironmentName,
  bootEnvironmentNameProblem,
  BootEnvironmentNameError,
  MAX_BOOT_ENVIRONMENT_NAME,
  type BootEnvironmentNameValues,
} from "./name";

// bectl's main() returns -1 when libbe_init() fails (no ZFS root): exit status 255 (§3).
const NO_LIBBE = 255;

/** The BootEnvironment kind: schema, observe, plan, apply. */
export const bootEnvironmentKind: Kind<BootEnvironmentInputs, LiveBootEnvironments, Action, Memory> = {
  name: "BootEnvironment",
  schema: bootEnvironmentSchema,
  id: (d) => `${d.connection.host}:${d.name}`,
  replaceKeys: (d) => ({ name: d.name }),
  // Read only by delete, so a change must reach the stored state even though the host is right.
  storedKeys: (d) => ({ destroyOrigin: d.destroyOrigin }),

  async observe(ctx, d) {
    const r = await ctx.remote.exec(["bectl", "list", "-H"], { idempotent: true, okExitCodes: [0, NO_LIBBE], summary: "bectl list -H" });
    if (r.exitCode === NO_LIBBE) {
      if (/libbe_init\(.*\) failed\./.test(r.stderrText)) return { zfsRoot: false, be: null, booted: null };
      throw new HostStateError(`bectl list -H failed (exit 255): ${r.stderrText.trim().slice(-400) || "no message"}`,
        "run `bectl list` on the host to see why");
    }
    return liveFromList(r.stdoutText, d.name);
  },

  liveFromOutputs(o) {
    if (typeof o.zfsRoot !== "boolean" || typeof o.exists !== "boolean" || typeof o.name !== "string") return undefined;
    const be = o.exists
      ? {
          name: o.name,
          active: typeof o.active === "string" ? o.active : "",
          mountpoint: typeof o.mountpoint === "string" ? o.mountpoint : null,
          space: typeof o.space === "string" ? o.space : "",
          created: typeof o.created === "string" ? o.created : "",
        }
      : null;
    return { zfsRoot: o.zfsRoot, be, booted: typeof o.runningBootEnvironment === "string" ? o.runningBootEnvironment : null };
  },

  memory: (live, _d, previous) => previous ?? { adopted: live.be !== null },
  memoryFromOutputs: (o) => (typeof o.adopted === "boolean" ? { adopted: o.adopted } : undefined),

  plan: (live, d) => plan(live, d),
  planDelete: (live, d) => planDelete(live, d),
  describe,

  // Without ZFS in "warn" mode the resource is a record that nothing was created, so it is there.
  exists: (live, d) => (live.zfsRoot ? live.be !== null : d.onMissingZfs === "warn"),

  async apply(ctx, _d, _live, actions) {
    for (const a of actions) {
      if (a.kind === "refuseNoZfs") {
        throw new HostStateError(
          `the host has no ZFS root (bectl: libbe_init("") failed.), so it has no boot environments; nothing was created`,
          'set onMissingZfs: "warn" to record hosts without ZFS and go on, or leave this host out of the boot environment resources',
        );
      }
      if (a.kind === "refuseActive") throw refuseActive(a);
      const argv = argvOf(a)!;
      try {
        await ctx.remote.exec(argv, { summary: argv.join(" ") });
      } catch (err) {
        throw explain(a, err);
      }
    }
  },

  liveInputs(live, raw) {
    // Only a declared activation can drift; "none" (the default) leaves activation alone.
    if (!live.be || raw.activate === undefined) return raw;
    return { ...raw, activate: liveActivation(raw.activate, live.be.active) };
  },

  outputs(live, d, memory) {
    const active = live.be?.active ?? "";
    return {
      zfsRoot: live.zfsRoot,
      exists: live.be !== null,
      active,
      activeNow: active.includes("N"),
      activeOnReboot: active.includes("R"),
      activeNextBoot: active.includes("T"),
      mountpoint: live.be?.mountpoint ?? null,
      space: live.be?.space ?? null,
      created: live.be?.created ?? null,
      runningBootEnvironment: live.booted,
      adopted: memory.adopted,
      warnings: live.zfsRoot
        ? []
        : [`host ${d.connection.host} has no ZFS root: boot environment ${d.name} was not created (onMissingZfs: "warn")`],
    };
  },
};

function refuseActive(a: Extract<Action, { kind: "refuseActive" }>): HostStateError {
  const now = a.active.includes("N");
  const what = now
    ? `it is the running boot environment (bectl list shows ${a.active})`
    : `it is the boot environment the host boots on the next reboot (bectl list shows ${a.active}; the running one is ${a.booted ?? "unknown"})`;
  const hint = now
    ? `activate another boot environment (bectl activate OTHER), reboot into it, then run the destroy again; or keep this one: set retainOnDelete, or \`pulumi state delete\` the resource`
    : `activate another boot environment first (e.g. bectl activate ${a.booted ?? "default"}), then run the destroy again; or keep this one with retainOnDelete`;
  return new HostStateError(`refusing to destroy boot environment ${a.name}: ${what}`, hint);
}

// libbe's error number is bectl's exit status (§3): say what it means and what to do.
function explain(a: Action, err: unknown): unknown {
  if (!isRemoteError(err, "command") || err.exitCode === undefined) return err;
  const tail = err.stderrTail?.trim() ? ` (${err.stderrTail.trim().split("\n").join("; ")})` : "";
  const step = describe(a);
  switch (err.exitCode) {
    case 1:
    case 9:
      return new HostStateError(`${step}: bectl refused the name${tail}`, "choose a shorter name of letters, digits and . _ -");
    case 2:
      return new HostStateError(`${step}: a boot environment of that name appeared meanwhile${tail}`, "run `pulumi up` again: it adopts the existing one");
    case 3:
      return new HostStateError(`${step}: the boot environment or its source does not exist${tail}`,
        a.kind === "create" ? "check `source` against `bectl list` (and `bectl list -s` for snapshots)" : "run `pulumi up --refresh`");
    case 5:
      return new HostStateError(`${step}: bectl says it is active${tail}`, "activate another boot environment first");
    case 6:
      return new HostStateError(`${step}: it is mounted${tail}`, `unmount it first (bectl umount ${"name" in a ? a.name : "NAME"}), then run the destroy again`);
    default:
      return err;
  }
}
