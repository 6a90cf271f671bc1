/**
 * Package plan tables: every ensure (and version form) × installed state × desired lock.
 * Versions: the target is 2.0; "older" is 1.0_9, "equal" 2.0.0 (equal by pkg's ordering, not as
 * text), "newer" 2.0_1 (a port revision bump, which string comparison would miss).
 */
import { describe, expect, it } from "vitest";
import { packageSchema, planPackage, type PackageLive, type PackageInputs } from "../../../src/kinds/package";
import type { InstalledPackage } from "../../../src/kinds/pkgcommon";

const connection = { host: "never.invalid", port: 9, privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };
const STATES = ["absent", "older", "older+L", "equal", "equal+L", "newer", "newer+L"] as const;
const LOCKS = [undefined, true, false] as const;
const VERSIONS = { older: "1.0_9", equal: "2.0.0", newer: "2.0_1" } as const;

function live(state: (typeof STATES)[number], available: string | null = "2.0"): PackageLive {
  if (state === "absent") return { installed: null, available: available ? { name: "heartbeat", version: available, repository: "FreeBSD" } : null, vulnerabilities: [] };
  const [v, l] = state.split("+") as [keyof typeof VERSIONS, string | undefined];
  const installed: InstalledPackage = { name: "heartbeat", origin: "sysutils/heartbeat", version: VERSIONS[v], locked: l === "L", repository: "FreeBSD" };
  return { installed, available: available ? { name: "heartbeat", version: available, repository: "FreeBSD" } : null, vulnerabilities: [] };
}

function inputs(extra: Record<string, unknown>): PackageInputs {
  return packageSchema.parse({ connection, name: "heartbeat", ...extra });
}

const kinds = (l: PackageLive, d: PackageInputs) => planPackage(l, d).map((a) => a.kind).join(",");

// One row per installed state; columns: locked unset | locked: true | locked: false.
type Grid = Record<(typeof STATES)[number], [string, string, string]>;

const UNCHANGED: Omit<Grid, "absent"> = {
  older: ["", "lock", ""], "older+L": ["", "", "unlock"],
  equal: ["", "lock", ""], "equal+L": ["", "", "unlock"],
  newer: ["", "lock", ""], "newer+L": ["", "", "unlock"],
};
const INSTALL: [string, string, string] = ["install", "install,lock", "install"];
const UPGRADE: Pick<Grid, "older" | "older+L"> = {
  older: ["upgrade", "upgrade,lock", "upgrade"],
  "older+L": ["unlock,upgrade,lock", "unlock,upgrade,lock", "unlock,upgrade"],
};

const TABLES: Record<string, { extra: Record<string, unknown>; grid: Grid }> = {
  "present": { extra: {}, grid: { absent: INSTALL, ...UNCHANGED } },
  "present + version 2.0": {
    extra: { version: "2.0" },
    grid: {
      absent: INSTALL, ...UNCHANGED, ...UPGRADE,
      newer: ["downgrade", "downgrade,lock", "downgrade"],
      "newer+L": ["unlock,downgrade,lock", "unlock,downgrade,lock", "unlock,downgrade"],
    },
  },
  "present + minVersion 2.0": { extra: { minVersion: "2.0" }, grid: { absent: INSTALL, ...UNCHANGED, ...UPGRADE } },
  "latest (repository has 2.0)": { extra: { ensure: "latest" }, grid: { absent: INSTALL, ...UNCHANGED, ...UPGRADE } },
  "latest + minVersion 2.0": { extra: { ensure: "latest", minVersion: "2.0" }, grid: { absent: INSTALL, ...UNCHANGED, ...UPGRADE } },
};

describe("Package plan tables", () => {
  for (const [title, { extra, grid }] of Object.entries(TABLES)) {
    describe(title, () => {
      for (const s of STATES) {
        LOCKS.forEach((locked, i) => {
          it(`${s}, locked ${String(locked)} → [${grid[s][i]}]`, () => {
            const d = inputs({ ...extra, ...(locked === undefined ? {} : { locked }) });
            expect(kinds(live(s), d)).toBe(grid[s][i]);
          });
        });
      }
    });
  }

  describe("absent", () => {
    const grid: Record<(typeof STATES)[number], [string, string]> = {
      absent: ["", ""], older: ["remove", "remove"], "older+L": ["unlock,remove", "unlock,remove"],
      equal: ["remove", "remove"], "equal+L": ["unlock,remove", "unlock,remove"], newer: ["remove", "remove"], "newer+L": ["unlock,remove", "unlock,remove"],
    };
    for (const s of STATES) {
      [undefined, false].forEach((locked, i) => {
        it(`${s}, locked ${String(locked)} → [${grid[s][i]}]`, () => {
          expect(kinds(live(s), inputs({ ensure: "absent", ...(locked === undefined ? {} : { locked }) }))).toBe(grid[s][i]);
        });
      });
    }
    it("locked: true with absent is refused at check time", () => {
      const r = packageSchema.safeParse({ connection, name: "x", ensure: "absent", locked: true });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(["locked"]);
    });
  });

  describe("snapshotBeforeChange", () => {
    const snap = { snapshotBeforeChange: {} };
    it("comes first before an upgrade, before the unlock", () => {
      expect(kinds(live("older+L"), inputs({ ...snap, minVersion: "2.0", locked: true }))).toBe("snapshot,unlock,upgrade,lock");
    });
    it("comes before a downgrade and a removal", () => {
      expect(kinds(live("newer"), inputs({ ...snap, version: "2.0" }))).toBe("snapshot,downgrade");
      expect(kinds(live("newer+L"), inputs({ ...snap, ensure: "absent" }))).toBe("snapshot,unlock,remove");
    });
    it("is not taken for a fresh install or a lock change alone", () => {
      expect(kinds(live("absent"), inputs({ ...snap, minVersion: "2.0" }))).toBe("install");
      expect(kinds(live("equal"), inputs({ ...snap, locked: true }))).toBe("lock");
    });
    it("rejects a template bectl would refuse, at check time", () => {
      const r = packageSchema.safeParse({ connection, name: "x", snapshotBeforeChange: { template: "pre <package>" } });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(["snapshotBeforeChange", "template"]);
    });
  });

  describe("versions are compared with pkg's ordering", () => {
    it("2.0.0 satisfies version 2.0 (equal), 2.0_1 is newer than 2.0 (revision)", () => {
      expect(kinds(live("equal"), inputs({ version: "2.0" }))).toBe("");
      expect(planPackage(live("newer"), inputs({ version: "2.0" }))[0]).toEqual({ kind: "downgrade", name: "heartbeat", from: "2.0_1", to: "2.0" });
    });
    it("3.0.6_10 satisfies minVersion 3.0.6_4 (10 > 4 numerically)", () => {
      const l = live("equal");
      l.installed!.version = "3.0.6_10";
      expect(kinds(l, inputs({ minVersion: "3.0.6_4" }))).toBe("");
    });
    it("an upgrade to minVersion names the offered version when it satisfies, else leaves it to apply", () => {
      expect(planPackage(live("older", "2.1"), inputs({ minVersion: "2.0" }))[0]).toMatchObject({ kind: "upgrade", to: "2.1" });
      expect(planPackage(live("older", "1.5"), inputs({ minVersion: "2.0" }))[0]).not.toHaveProperty("to");
    });
    it("latest with nothing newer in the catalogue is converged", () => {
      expect(kinds(live("older", null), inputs({ ensure: "latest" }))).toBe("");
      expect(kinds(live("newer"), inputs({ ensure: "latest" }))).toBe("");
    });
  });

  describe("integrity", () => {
    it("altered files → reinstall (unlocking and relocking a locked package)", () => {
      const l = { ...live("equal+L"), integrity: "altered" as const };
      expect(kinds(l, inputs({ reinstallOnIntegrityFailure: true }))).toBe("unlock,reinstall,lock");
      expect(kinds(l, inputs({}))).toBe("");
      expect(kinds({ ...live("equal"), integrity: "ok" }, inputs({ reinstallOnIntegrityFailure: true }))).toBe("");
    });
  });
});

describe("Package check-time validation", () => {
  const issue = (extra: Record<string, unknown>) => {
    const r = packageSchema.safeParse({ connection, name: "heartbeat", ...extra });
    return r.success ? undefined : { path: r.error.issues[0]!.path.join("."), message: r.error.issues[0]!.message };
  };
  it("rejects shell metacharacters in names, naming the rule", () => {
    expect(issue({ name: "nginx;reboot" })).toEqual({ path: "name", message: expect.stringContaining("found ';' at position 6") });
    expect(issue({ name: "$(id)" })?.path).toBe("name");
    expect(issue({ name: "-f" })?.message).toMatch(/must start with a letter or digit/);
    expect(issue({ name: "www/nginx" })).toBeUndefined();
    expect(issue({ name: "www/ng inx" })?.message).toMatch(/origin port name/);
  });
  it("rejects impossible versions", () => {
    expect(issue({ version: "1.0_x" })).toEqual({ path: "version", message: expect.stringContaining("revision") });
    expect(issue({ minVersion: "1.0,1,2" })?.path).toBe("minVersion");
    expect(issue({ minVersion: "1.0 && reboot" })?.message).toMatch(/found a space/);
  });
  it("rejects version and minVersion together", () => {
    expect(issue({ version: "1.0", minVersion: "1.0" })).toEqual({ path: "minVersion", message: expect.stringContaining("not both") });
  });
  it("rejects latest with an exact version and a malformed repository", () => {
    expect(issue({ ensure: "latest", version: "1.0" })?.path).toBe("version");
    expect(issue({ repository: "Free BSD" })?.path).toBe("repository");
  });
});
