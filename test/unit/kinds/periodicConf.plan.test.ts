import { describe, expect, it } from "vitest";
import { editText, nextMemory, plan, planDelete, type LiveFile } from "../../../src/kinds/periodicConf/plan";
import { currentNameFor, obsoleteWarnings } from "../../../src/kinds/periodicConf/obsolete";
import { satisfies, yesNo } from "../../../src/kinds/periodicConf/values";
import { periodicConfSchema } from "../../../src/kinds/periodicConf/schema";

const file = (content: string): LiveFile => ({ state: "file", content });
const absent: LiveFile = { state: "absent", content: "" };

describe("PeriodicConf plan", () => {
  it("is empty when every value is already there, whatever the quoting", () => {
    const live = file(`a="YES"\nb='2'\nc=x # note\n`);
    const d = { a: true, b: 2, c: "x" };
    expect(plan(live, d, nextMemory(live, d, undefined))).toEqual([]);
  });

  it("sets a missing variable and one with another value", () => {
    const live = file(`a=NO\n`);
    const d = { a: true, b: "x" };
    expect(plan(live, d, nextMemory(live, d, undefined))).toEqual([
      { kind: "set", name: "a", value: "YES", from: "NO" },
      { kind: "set", name: "b", value: "x", from: null },
    ]);
  });

  it("follows the last assignment, as sh and sysrc do", () => {
    const live = file(`a=YES\na=NO\n`);
    expect(plan(live, { a: true }, nextMemory(live, { a: true }, undefined))).toHaveLength(1);
    const live2 = file(`a=NO\na=YES\n`);
    expect(plan(live2, { a: true }, nextMemory(live2, { a: true }, undefined))).toEqual([]);
  });

  it("treats booleans the way checkyesno does, strings exactly", () => {
    expect(satisfies(true, "yes")).toBe(true);
    expect(satisfies(true, "On")).toBe(true);
    expect(satisfies(false, "0")).toBe(true);
    expect(satisfies(true, "NO")).toBe(false);
    expect(satisfies(true, "maybe")).toBe(false);
    expect(satisfies("YES", "yes")).toBe(false);
    expect(satisfies(2, "2")).toBe(true);
    expect(yesNo("TRUE")).toBe(true);
    expect(yesNo("")).toBeUndefined();
  });

  it("a non-literal value is never taken as converged", () => {
    const live = file(`a=$b\n`);
    expect(plan(live, { a: "x" }, nextMemory(live, { a: "x" }, undefined))).toEqual([
      { kind: "set", name: "a", value: "x", from: null },
    ]);
  });

  it("remembers prior values once, at adoption", () => {
    const m1 = nextMemory(file(`a=NO\n`), { a: true }, undefined);
    expect(m1).toEqual({ priorExists: true, priorValues: { a: "NO" } });
    const m2 = nextMemory(file(`a=YES\nb=1\n`), { a: true, b: "2" }, m1);
    expect(m2).toEqual({ priorExists: true, priorValues: { a: "NO", b: "1" } });
    expect(nextMemory(absent, { a: true }, undefined)).toEqual({ priorExists: false, priorValues: { a: null } });
  });

  it("gives back prior values to variables no longer declared", () => {
    const live = file(`a=YES\nb=2\n`);
    const memory = { priorExists: true, priorValues: { a: "NO", b: null } };
    expect(plan(live, {}, memory)).toEqual([
      { kind: "set", name: "a", value: "NO", from: "YES" },
      { kind: "remove", name: "b", from: "2" },
    ]);
  });

  it("delete restores values and removes a file it created when nothing else is in it", () => {
    const created = file(`a="YES"\n`);
    expect(planDelete(created, { priorExists: false, priorValues: { a: null } })).toEqual([
      { kind: "remove", name: "a", from: "YES" },
      { kind: "deleteFile" },
    ]);
    const shared = file(`# mine\na="YES"\n`);
    expect(planDelete(shared, { priorExists: false, priorValues: { a: null } })).toEqual([
      { kind: "remove", name: "a", from: "YES" },
    ]);
    expect(planDelete(file(`x=1\n`), { priorExists: true, priorValues: { a: null } })).toEqual([]);
    expect(planDelete(absent, { priorExists: false, priorValues: { a: null } })).toEqual([]);
  });

  it("edits only the managed lines", () => {
    const text = `# header\na="NO" # keep me\n\nother=1\n`;
    const out = editText(text, [
      { kind: "set", name: "a", value: "YES", from: "NO" },
      { kind: "set", name: "b", value: "x y", from: null },
    ]);
    expect(out).toBe(`# header\na="YES" # keep me\n\nother=1\nb="x y"\n`);
  });
});

describe("PeriodicConf schema", () => {
  const connection = { host: "h", privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };
  it("fills defaults", () => {
    const d = periodicConfSchema.parse({ connection, values: { a: true } });
    expect(d.path).toBe("/etc/periodic.conf");
    expect(d.mode).toBe("0644");
  });
  it.each([
    [{ values: { "a;b": "x" } }, "values"],
    [{ values: { a: "x\ny" } }, "values"],
    [{ values: { a: "x" }, path: "etc/periodic.conf" }, "path"],
    [{ values: { a: "x" }, path: "/etc/../root/x" }, "path"],
    [{ values: { a: "x" }, path: "/etc/periodic.conf; rm -rf /" }, "path"],
    [{ values: { a: "x" }, mode: "777777" }, "mode"],
    [{ values: { a: { nested: 1 } } }, "values"],
  ])("rejects %j at %s", (extra, property) => {
    const r = periodicConfSchema.safeParse({ connection, ...extra });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path[0]).toBe(property);
  });
});

describe("obsolete knob names (commands.md §5)", () => {
  it("maps daily_status_security_pkgaudit_* to security_status_pkgaudit_*", () => {
    expect(currentNameFor("daily_status_security_pkgaudit_enable")).toBe("security_status_pkgaudit_enable");
    expect(currentNameFor("daily_status_security_pkgaudit_quiet")).toBe("security_status_pkgaudit_quiet");
    // Current names in /etc/defaults/periodic.conf are not obsolete.
    expect(currentNameFor("daily_status_security_enable")).toBeUndefined();
    expect(currentNameFor("daily_status_security_inline")).toBeUndefined();
    expect(obsoleteWarnings(["daily_status_security_pkgaudit_enable", "x"])).toHaveLength(1);
  });
});
