/** PackageLock plan: lock/unlock what differs, refuse what is missing, delete restores. */
import { describe, expect, it } from "vitest";
import { packageLockSchema, planLockDelete, planLocks, type LockLive } from "../../../src/kinds/packageLock";

const connection = { host: "never.invalid", port: 9, privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };
const d = (extra: Record<string, unknown>) => packageLockSchema.parse({ connection, packages: ["nginx", "www/apache24"], ...extra });
const live = (nginx: boolean | null, apache: boolean | null): LockLive => ({
  packages: {
    nginx: nginx === null ? null : { name: "nginx", locked: nginx },
    "www/apache24": apache === null ? null : { name: "apache24", locked: apache },
  },
});

describe("planLocks", () => {
  const rows: [boolean | null, boolean | null, boolean, string][] = [
    [false, false, true, "lock nginx,lock apache24"],
    [true, false, true, "lock apache24"],
    [true, true, true, ""],
    [true, true, false, "unlock nginx,unlock apache24"],
    [false, true, false, "unlock apache24"],
    [false, false, false, ""],
    [null, true, true, "missing nginx"],
  ];
  for (const [n, a, locked, want] of rows) {
    it(`nginx ${n}, apache24 ${a}, locked ${locked} → [${want}]`, () => {
      const got = planLocks(live(n, a), d({ locked })).map((x) => (x.kind === "missing" ? `missing ${x.ref}` : `${x.kind} ${x.name}`));
      expect(got.join(",")).toBe(want);
    });
  }
  it("delete gives back the state from before (unknown: left alone)", () => {
    const got = planLockDelete(live(true, true), d({}), { prior: { nginx: false, "www/apache24": true } });
    expect(got).toEqual([{ kind: "unlock", ref: "nginx", name: "nginx" }]);
    expect(planLockDelete(live(true, true), d({}), { prior: { nginx: null, "www/apache24": null } })).toEqual([]);
  });
  it("rejects bad names and duplicates at check time", () => {
    expect(packageLockSchema.safeParse({ connection, packages: ["ok", "b`ad`"] }).error?.issues[0]?.path).toEqual(["packages", 1]);
    expect(packageLockSchema.safeParse({ connection, packages: ["a", "a"] }).error?.issues[0]?.message).toMatch(/listed twice/);
    expect(packageLockSchema.safeParse({ connection, packages: [] }).success).toBe(false);
  });
});
