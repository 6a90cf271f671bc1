import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { makeShim, providerModuleIds } from "../../../src/engine/shim";
import { propertyPath } from "../../../src/engine/failures";
import { containsUnknown, UNKNOWN } from "../../../src/engine/unknowns";
import { sameJson } from "../../../src/engine/adapter";

describe("providerModuleIds", () => {
  it("uses the package name when loaded from node_modules", () => {
    const ids = providerModuleIds("/p/node_modules/pulumi-freebsd/dist/engine/dispatch.js", "/p");
    expect(ids[0]).toBe("pulumi-freebsd/dist/engine/dispatch");
    expect(ids).toContain("./node_modules/pulumi-freebsd/dist/engine/dispatch.js");
  });
  it("uses a project-relative id inside a checkout, then the absolute path", () => {
    expect(providerModuleIds("/repo/dist/engine/dispatch.js", "/repo")).toEqual([
      "./dist/engine/dispatch.js",
      "/repo/dist/engine/dispatch.js",
    ]);
    expect(providerModuleIds("/repo/dist/engine/dispatch.js", "/elsewhere")).toEqual(["/repo/dist/engine/dispatch.js"]);
  });
});

describe("makeShim", () => {
  it("skips missing candidates: a moved checkout still finds its code relative to the project", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shim-"));
    fs.writeFileSync(path.join(dir, "dispatch.js"), "exports.dispatch = async (k, op, a) => ({ k, op, a });");
    const shim = makeShim("PeriodicConf", ["/nonexistent/old-checkout/dispatch.js", path.join(dir, "dispatch.js")]);
    await expect(shim.diff("id", { a: 1 }, { a: 2 })).resolves.toEqual({ k: "PeriodicConf", op: "diff", a: ["id", { a: 1 }, { a: 2 }] });
  });
  it("says what to do when no candidate loads", async () => {
    const shim = makeShim("PeriodicConf", ["/nonexistent/a.js"]);
    await expect(shim.create({})).rejects.toThrow(/cannot load the provider code for PeriodicConf.*npm install/);
  });
  it("does not hide a broken install (a missing dependency inside the module)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shim-"));
    fs.writeFileSync(path.join(dir, "dispatch.js"), "require('no-such-dependency-xyz');");
    const shim = makeShim("PeriodicConf", [path.join(dir, "dispatch.js")]);
    await expect(shim.create({})).rejects.toThrow(/no-such-dependency-xyz/);
  });
});

describe("engine helpers", () => {
  it("finds the preview unknown sentinel at any depth", () => {
    expect(containsUnknown({ a: { b: [1, UNKNOWN] } })).toBe(true);
    expect(containsUnknown({ a: "x" })).toBe(false);
  });
  it("renders property paths the way Pulumi shows them", () => {
    expect(propertyPath(["connection", "port"])).toBe("connection.port");
    expect(propertyPath(["values", "a;b"])).toBe('values["a;b"]');
    expect(propertyPath(["hosts", 2, "name"])).toBe("hosts[2].name");
  });
  it("compares structurally, ignoring key order and undefined", () => {
    expect(sameJson({ a: 1, b: { c: 2 } }, { b: { c: 2 }, a: 1, d: undefined })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
  });
});
