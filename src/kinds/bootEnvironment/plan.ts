/**
 * The pure part of BootEnvironment: what the host has (from `bectl list -H`), what to do about
 * it, and what delete does. Formats and exit codes: commands.md §3.
 */
import { parseBectlList, type BootEnvironmentFact } from "../../facts/parse";
import type { Activation, BootEnvironmentInputs } from "./schema";

/** What observe found. */
export interface LiveBootEnvironments {
  /** false: bectl failed as it does without a ZFS root (`libbe_init("") failed.`, exit 255). */
  zfsRoot: boolean;
  /** The managed boot environment, or null when it is not there. */
  be: BootEnvironmentFact | null;
  /** The boot environment running now (N), for messages. */
  booted: string | null;
}

/** What the resource remembers: whether the boot environment was there before it. */
export interface Memory {
  adopted: boolean;
}

/** One step. The refusals are actions so plans stay pure and the refusal is unit-tested. */
export type Action =
  | { kind: "create"; name: string; source?: string | undefined }
  | { kind: "activate"; name: string; temporary: boolean; from: string }
  | { kind: "clearTemporary"; name: string }
  | { kind: "destroy"; name: string; origin: boolean }
  | { kind: "refuseNoZfs" }
  | { kind: "refuseActive"; name: string; active: string; booted: string | null };

/** Parses `bectl list -H` output into the live state of boot environment `name`. */
export function liveFromList(text: string, name: string): LiveBootEnvironments {
  const all = parseBectlList(text);
  return { zfsRoot: true, be: all.find((b) => b.name === name) ?? null, booted: all.find((b) => b.active.includes("N"))?.name ?? null };
}

/**
 * Whether the activation flags satisfy the declared activation:
 * - "none" leaves activation alone (a boot environment can only lose R by activating another);
 * - "permanent" needs R;
 * - "nextBoot" needs T, or N: once the one-time boot has happened, the BE runs and T is gone,
 *   and setting T again would boot it on every later reboot too.
 */
export function activationSatisfied(want: Activation, active: string): boolean {
  switch (want) {
    case "none":
      return true;
    case "permanent":
      return active.includes("R");
    case "nextBoot":
      return active.includes("T") || active.includes("N");
  }
}

/** The declared activation as the host has it, for drift messages: `activate: "none" => "nextBoot"`. */
export function liveActivation(want: Activation, active: string): Activation {
  if (activationSatisfied(want, active)) return want;
  if (active.includes("R")) return "permanent";
  if (active.includes("T")) return "nextBoot";
  return "none";
}

/** The steps that give the host the declared boot environment; empty when it has it. */
export function plan(live: LiveBootEnvironments, d: BootEnvironmentInputs): Action[] {
  if (!live.zfsRoot) return d.onMissingZfs === "fail" ? [{ kind: "refuseNoZfs" }] : [];
  const actions: Action[] = [];
  const active = live.be?.active ?? "";
  if (!live.be) actions.push({ kind: "create", name: d.name, source: d.source });
  if (!activationSatisfied(d.activate, active)) {
    actions.push({ kind: "activate", name: d.name, temporary: d.activate === "nextBoot", from: active });
  }
  return actions;
}

/**
 * Delete semantics: the boot environment is destroyed (`bectl destroy`, `-o` with
 * destroyOrigin), after removing a one-time activation pointing at it, so the next boot does
 * not look for a dataset that is gone. A boot environment that runs now (N) or is chosen for
 * reboot (R) is never destroyed: the plan is a refusal. Nothing to do without a ZFS root or when
 * it is gone already.
 */
export function planDelete(live: LiveBootEnvironments, d: BootEnvironmentInputs): Action[] {
  if (!live.zfsRoot || !live.be) return [];
  const active = live.be.active;
  if (active.includes("N") || active.includes("R")) return [{ kind: "refuseActive", name: d.name, active, booted: live.booted }];
  const actions: Action[] = [];
  if (active.includes("T")) actions.push({ kind: "clearTemporary", name: d.name });
  actions.push({ kind: "destroy", name: d.name, origin: d.destroyOrigin });
  return actions;
}

/** The bectl argv of an action (refusals have none). */
export function argvOf(a: Action): string[] | undefined {
  switch (a.kind) {
    case "create":
      return a.source === undefined ? ["bectl", "create", a.name] : ["bectl", "create", "-e", a.source, a.name];
    case "activate":
      return a.temporary ? ["bectl", "activate", "-t", a.name] : ["bectl", "activate", a.name];
    case "clearTemporary":
      return ["bectl", "activate", "-T"];
    case "destroy":
      return a.origin ? ["bectl", "destroy", "-o", a.name] : ["bectl", "destroy", a.name];
    default:
      return undefined;
  }
}

/** One line per action, for logs and errors. */
export function describe(a: Action): string {
  switch (a.kind) {
    case "create":
      return a.source === undefined ? `create boot environment ${a.name} from the running one` : `create boot environment ${a.name} from ${a.source}`;
    case "activate":
      return `activate ${a.name}${a.temporary ? " for the next boot only" : " (permanent)"} (flags now: ${a.from || "-"})`;
    case "clearTemporary":
      return `remove the one-time activation of ${a.name}`;
    case "destroy":
      return `destroy boot environment ${a.name}${a.origin ? " and its origin snapshot" : ""}`;
    case "refuseNoZfs":
      return "refuse: the host has no ZFS root";
    case "refuseActive":
      return `refuse to destroy ${a.name}: it is active (${a.active})`;
  }
}
