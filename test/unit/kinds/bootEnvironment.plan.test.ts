// BootEnvironment: the pure plan, delete semantics, drift shaping and the adapter's diff/read
// hooks. Formats and exit codes from commands.md §3 (copied facts; the file is never read here).
import { describe, expect, it } from "vitest";
import { kindProvider } from "../../../src/engine/adapter";
import { bootEnvironmentKind, bootEnvironmentSchema, type BootEnvironmentInputs } from "../../../src/kinds/bootEnvironment";
import {
  activationSatisfied,
  argvOf,
  liveActivation,
  liveFromList,
  plan,
  planDelete,
  type LiveBootEnvironments,
} from "../../../src/kinds/bootEnvironment/plan";
import type { HostContext } from "../../../src/engine/kind";

const connection = { host: "never.invalid", port: 9, privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };
const inputs = (extra: Record<string, unknown> = {}): BootEnvironmentInputs =>
  bootEnvironmentSchema.parse({ connection, name: "pre-nginx", ...extra });
const be = (active: string, name = "pre-nginx") => ({ name, active, mountpoint: null, space: "8K", created: "2024-10-01 12:00" });
const live = (active: string | null, booted = "default"): LiveBootEnvironments => ({
  zfsRoot: true,
  be: active === null ? null : be(active),
  booted,
});
const NOZFS: LiveBootEnvironments = { zfsRoot: false, be: null, booted: null };

describe("liveFromList (bectl list -H, §3 lines 782-783)", () => {
  it("finds the BE and the running one; '-' means no flags", () => {
    const text = "default\tNR\t/\t12.4G\t2023-11-20 09:14\npre-nginx\tT\t-\t8K\t2024-10-01 12:00\n";
    expect(liveFromList(text, "pre-nginx")).toEqual({
      zfsRoot: true,
      be: { name: "pre-nginx", active: "T", mountpoint: null, space: "8K", created: "2024-10-01 12:00" },
      booted: "default",
    });
    expect(liveFromList(text, "other").be).toBeNull();
    expect(liveFromList("default\t-\t-\t1K\t2023-11-20 09:14\n", "default").be!.active).toBe("");
  });
});

describe("activation", () => {
  it.each([
    ["none", "", true],
    ["none", "NR", true],
    ["permanent", "R", true],
    ["permanent", "NR", true],
    ["permanent", "T", false],
    ["permanent", "N", false],
    ["nextBoot", "T", true],
    ["nextBoot", "RT", true],
    ["nextBoot", "N", true], // the one-time boot happened: it runs now
    ["nextBoot", "R", false],
    ["nextBoot", "", false],
  ] as const)("%s with flags %j → satisfied %s", (want, flags, ok) => {
    expect(activationSatisfied(want, flags)).toBe(ok);
  });

  it("liveActivation names what the host has, so drift reads activate: \"none\" => \"nextBoot\"", () => {
    expect(liveActivation("nextBoot", "T")).toBe("nextBoot");
    expect(liveActivation("nextBoot", "")).toBe("none");
    expect(liveActivation("nextBoot", "R")).toBe("permanent");
    expect(liveActivation("permanent", "T")).toBe("nextBoot");
    expect(liveActivation("permanent", "")).toBe("none");
  });
});

describe("plan", () => {
  it("creates a missing BE (from the running one, or -e source) and activates as declared", () => {
    expect(plan(live(null), inputs())).toEqual([{ kind: "create", name: "pre-nginx", source: undefined }]);
    expect(plan(live(null), inputs({ activate: "nextBoot", source: "default@before" }))).toEqual([
      { kind: "create", name: "pre-nginx", source: "default@before" },
      { kind: "activate", name: "pre-nginx", temporary: true, from: "" },
    ]);
    expect(plan(live(null), inputs({ activate: "permanent" }))[1]).toEqual({ kind: "activate", name: "pre-nginx", temporary: false, from: "" });
  });

  it("adopts an existing BE: nothing to do when its flags already satisfy the activation", () => {
    expect(plan(live(""), inputs())).toEqual([]);
    expect(plan(live("T"), inputs({ activate: "nextBoot" }))).toEqual([]);
    expect(plan(live("R"), inputs({ activate: "permanent", source: "ignored-after-creation" }))).toEqual([]);
    expect(plan(live(""), inputs({ activate: "nextBoot" }))).toEqual([{ kind: "activate", name: "pre-nginx", temporary: true, from: "" }]);
  });

  it("without a ZFS root: a refusal in fail mode, nothing in warn mode", () => {
    expect(plan(NOZFS, inputs())).toEqual([{ kind: "refuseNoZfs" }]);
    expect(plan(NOZFS, inputs({ onMissingZfs: "warn", activate: "permanent" }))).toEqual([]);
  });

  it("builds argv arrays only (no shell text)", () => {
    expect(argvOf({ kind: "create", name: "a" })).toEqual(["bectl", "create", "a"]);
    expect(argvOf({ kind: "create", name: "a", source: "b@s" })).toEqual(["bectl", "create", "-e", "b@s", "a"]);
    expect(argvOf({ kind: "activate", name: "a", temporary: true, from: "" })).toEqual(["bectl", "activate", "-t", "a"]);
    expect(argvOf({ kind: "activate", name: "a", temporary: false, from: "" })).toEqual(["bectl", "activate", "a"]);
    expect(argvOf({ kind: "clearTemporary", name: "a" })).toEqual(["bectl", "activate", "-T"]);
    expect(argvOf({ kind: "destroy", name: "a", origin: true })).toEqual(["bectl", "destroy", "-o", "a"]);
    expect(argvOf({ kind: "refuseNoZfs" })).toBeUndefined();
  });
});

describe("planDelete", () => {
  it("destroys an inactive BE, with -o when destroyOrigin", () => {
    expect(planDelete(live(""), inputs())).toEqual([{ kind: "destroy", name: "pre-nginx", origin: false }]);
    expect(planDelete(live(""), inputs({ destroyOrigin: true }))).toEqual([{ kind: "destroy", name: "pre-nginx", origin: true }]);
  });

  it("removes a one-time activation pointing at it first", () => {
    expect(planDelete(live("T"), inputs())).toEqual([
      { kind: "clearTemporary", name: "pre-nginx" },
      { kind: "destroy", name: "pre-nginx", origin: false },
    ]);
  });

  it.each(["N", "R", "NR", "RT", "NT"])("never destroys an active BE (%s): a refusal naming it", (flags) => {
    expect(planDelete(live(flags, "default"), inputs())).toEqual([{ kind: "refuseActive", name: "pre-nginx", active: flags, booted: "default" }]);
  });

  it("nothing to do when it is gone or the host has no ZFS", () => {
    expect(planDelete(live(null), inputs())).toEqual([]);
    expect(planDelete(NOZFS, inputs())).toEqual([]);
  });
});

describe("the kind's apply refusals", () => {
  const ctx = { remote: { label: "root@h:22" }, host: "root@h:22", resource: "BootEnvironment 'x'", log: () => undefined } as unknown as HostContext;
  it("fail mode without ZFS: says what is wrong and what to do", async () => {
    const err = await bootEnvironmentKind.apply(ctx, inputs(), NOZFS, [{ kind: "refuseNoZfs" }], { adopted: false }).catch((e: Error) => e);
    expect(String((err as Error).message)).toMatch(/no ZFS root .*nothing was created/);
    expect((err as { hint?: string }).hint).toMatch(/onMissingZfs: "warn"/);
  });
  it("an active BE: names it, the flags, the running one and what to do", async () => {
    const action = { kind: "refuseActive", name: "next", active: "R", booted: "default" } as const;
    const err = (await bootEnvironmentKind.apply(ctx, inputs(), live("R"), [action], { adopted: false }).catch((e: Error) => e)) as Error & { hint: string };
    expect(err.message).toBe("refusing to destroy boot environment next: it is the boot environment the host boots on the next reboot (bectl list shows R; the running one is default)");
    expect(err.hint).toMatch(/bectl activate default/);
    const now = { kind: "refuseActive", name: "default", active: "NR", booted: "default" } as const;
    const e2 = (await bootEnvironmentKind.apply(ctx, inputs(), live("NR"), [now], { adopted: true }).catch((e: Error) => e)) as Error & { hint: string };
    expect(e2.message).toMatch(/it is the running boot environment \(bectl list shows NR\)/);
    expect(e2.hint).toMatch(/retainOnDelete/);
  });
});

describe("drift shaping and outputs", () => {
  it("liveInputs reshapes only a declared activation", () => {
    const raw = { connection, name: "pre-nginx", activate: "nextBoot" } as unknown as BootEnvironmentInputs;
    expect(bootEnvironmentKind.liveInputs(live(""), raw).activate).toBe("none");
    expect(bootEnvironmentKind.liveInputs(live("T"), raw).activate).toBe("nextBoot");
    const noActivate = { connection, name: "pre-nginx" } as unknown as BootEnvironmentInputs;
    expect(bootEnvironmentKind.liveInputs(live("R"), noActivate)).toBe(noActivate);
  });

  it("outputs round-trip through liveFromOutputs", () => {
    const d = inputs({ activate: "nextBoot" });
    for (const l of [live("T"), live(null), NOZFS]) {
      const o = { name: d.name, ...bootEnvironmentKind.outputs(l, d, { adopted: false }) };
      expect(bootEnvironmentKind.liveFromOutputs(o)).toEqual(l);
    }
    const o = bootEnvironmentKind.outputs(live("NR"), d, { adopted: true });
    expect(o).toMatchObject({ exists: true, active: "NR", activeNow: true, activeOnReboot: true, activeNextBoot: false, adopted: true, warnings: [] });
    expect(bootEnvironmentKind.outputs(NOZFS, d, { adopted: false }).warnings).toEqual([
      'host never.invalid has no ZFS root: boot environment pre-nginx was not created (onMissingZfs: "warn")',
    ]);
  });

  it("exists: gone when the BE is missing; a warn-mode record without ZFS is there", () => {
    expect(bootEnvironmentKind.exists!(live(""), inputs())).toBe(true);
    expect(bootEnvironmentKind.exists!(live(null), inputs())).toBe(false);
    expect(bootEnvironmentKind.exists!(NOZFS, inputs({ onMissingZfs: "warn" }))).toBe(true);
    expect(bootEnvironmentKind.exists!(NOZFS, inputs())).toBe(false);
  });
});

describe("adapter with the BootEnvironment kind (no host access)", () => {
  const provider = kindProvider(bootEnvironmentKind);
  const recorded = (active: string, extra: Record<string, unknown> = {}) => ({
    connection,
    name: "pre-nginx",
    activate: "nextBoot",
    ...bootEnvironmentKind.outputs(live(active), inputs({ activate: "nextBoot" }), { adopted: false }),
    ...extra,
    __provider: "code",
  });

  it("check names the rule of a bad name", async () => {
    const r = await provider.check({}, { connection, name: "-rf" });
    expect(r.failures).toEqual([{ property: "name", reason: `name: "-rf" is not a valid boot environment name: it must not start with '-' (bectl would read it as an option)` }]);
  });

  it("diff: no change when the recorded flags satisfy the activation; a change when they do not", async () => {
    const news = { connection, name: "pre-nginx", activate: "nextBoot" };
    await expect(provider.diff("id", recorded("T"), news)).resolves.toEqual({ changes: false });
    await expect(provider.diff("id", recorded(""), news)).resolves.toEqual({ changes: true });
    await expect(provider.diff("id", recorded("T"), { ...news, name: "other" })).resolves.toEqual({ changes: true, replaces: ["name"] });
  });

  it("diff: a changed destroyOrigin is an update (stored for delete) though the host needs nothing", async () => {
    const news = { connection, name: "pre-nginx", activate: "nextBoot" };
    await expect(provider.diff("id", recorded("T"), { ...news, destroyOrigin: true })).resolves.toEqual({ changes: true });
    await expect(provider.diff("id", recorded("T", { destroyOrigin: true }), { ...news, destroyOrigin: true })).resolves.toEqual({ changes: false });
    // source matters only at creation: changing it later changes nothing
    await expect(provider.diff("id", recorded("T"), { ...news, source: "default@x" })).resolves.toEqual({ changes: false });
  });
});
