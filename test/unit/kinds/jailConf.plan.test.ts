import { describe, expect, it } from "vitest";
import { kindProvider } from "../../../src/engine/adapter";
import { jailConfKind } from "../../../src/kinds/jailConf";
import { closestName, nameProblem, satisfies, typedValue } from "../../../src/kinds/jailConf/params";
import { editText, fileConverged, nextMemory, plan, planDelete, renderFile, type Desired, type LiveFile } from "../../../src/kinds/jailConf/plan";
import { hardened, hardenedWith } from "../../../src/kinds/jailConf/preset";
import { jailConfSchema, pathOf } from "../../../src/kinds/jailConf/schema";
import { effectiveParam, parseJailConf } from "../../../src/formats/jailconf";

const file = (content: string): LiveFile => ({ state: "file", content });
const absent: LiveFile = { state: "absent", content: "" };
const params = (jail: string, parameters: Desired["parameters"]): Desired => ({ jail, manage: "parameters", parameters });
const owned = (jail: string, parameters: Desired["parameters"]): Desired => ({ jail, manage: "file", parameters });
const eff = (t: string, j: string, n: string) => effectiveParam(parseJailConf(t), j, n);
const connection = { host: "never.invalid", port: 9, privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };

/** Runs plan and apply's text edit until converged, as the adapter would. */
function converge(live: LiveFile, d: Desired) {
  const m = nextMemory(live, d, undefined);
  const actions = plan(live, d, m);
  const text = editText(live.content, d.jail, actions, m);
  return { m, actions, text, after: plan(file(text), d, m) };
}

describe("JailConf values", () => {
  it("compares booleans semantically: = 0, = false and the no form are the same value", () => {
    for (const t of ["www { allow.raw_sockets = 0; }", "www { allow.raw_sockets = false; }", "www { allow.noraw_sockets; }", "www { allow.noraw_sockets = 0; allow.noraw_sockets; }"]) {
      expect(satisfies("allow.raw_sockets", false, eff(t, "www", "allow.raw_sockets")), t).toBe(true);
    }
    expect(satisfies("allow.raw_sockets", false, eff("www { allow.raw_sockets = 1; }", "www", "allow.raw_sockets"))).toBe(false);
    expect(satisfies("persist", true, eff("www { persist = TRUE; }", "www", "persist"))).toBe(true);
    expect(satisfies("enforce_statfs", 2, eff('www { enforce_statfs = "2"; }', "www", "enforce_statfs"))).toBe(true);
    expect(satisfies("ip4.addr", ["a", "b"], eff("www { ip4.addr = a; ip4.addr += b; }", "www", "ip4.addr"))).toBe(true);
    expect(satisfies("ip4.addr", "a", eff("www { ip4.addr = a; }", "www", "ip4.addr"))).toBe(true);
    expect(typedValue("path", eff('www { path = "/j/$name"; }', "www", "path"))).toBeUndefined();
  });

  it("names the closest known parameter", () => {
    expect(closestName("allow.raw_socket")).toBe("allow.raw_sockets");
    expect(closestName("enforce_statf")).toBe("enforce_statfs");
    expect(nameProblem("allow.noraw_sockets")).toMatch(/write "allow.raw_sockets": false/);
    expect(nameProblem("children.cur")).toMatch(/read-only/);
  });
});

describe("JailConf schema", () => {
  const check = (parameters: unknown, extra: Record<string, unknown> = {}) => {
    const r = jailConfSchema.safeParse({ connection, jail: "www", parameters, ...extra });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join("/")}: ${i.message}`);
  };
  it("accepts the preset and typical parameters", () => {
    expect(check({ ...hardened, path: "/jails/www", "ip4.addr": ["192.0.2.1", "192.0.2.2"], "exec.start": "/bin/sh /etc/rc", vnet: "new" })).toEqual([]);
  });
  it("rejects unknown names with a hint, wrong types and unrenderable values", () => {
    const issues = check({ "allow.raw_socket": false, persist: 1, securelevel: 7, "exec.start": "a\nb", vnet: "disable", "ip4.addr": [], name: "x" });
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^parameters\/allow.raw_socket: unknown jail parameter "allow.raw_socket".*did you mean "allow.raw_sockets"\?/),
      "parameters/persist: persist is a boolean parameter: declare true or false",
      "parameters/securelevel: securelevel must be at most 3",
      expect.stringMatching(/^parameters\/exec.start: .*newline/),
      expect.stringMatching(/^parameters\/vnet: vnet must be one of "inherit", "new"/),
      "parameters/ip4.addr: ip4.addr takes a string or a non-empty list of strings",
      expect.stringMatching(/^parameters\/name: the jail's name is the `jail` input/),
    ]));
    expect(issues).toHaveLength(7);
    expect(check({}, { jail: "a.b" })[0]).toMatch(/^jail: jail must be a jail name/);
  });
  it("defaults the path by mode", () => {
    expect(pathOf({ jail: "www", manage: "parameters" })).toBe("/etc/jail.conf");
    expect(pathOf({ jail: "www", manage: "file" })).toBe("/etc/jail.conf.d/www.conf");
    expect(pathOf({ jail: "www", manage: "file", path: "/x/y.conf" })).toBe("/x/y.conf");
  });
  it("check failures through the adapter name the property", async () => {
    const r = await kindProvider(jailConfKind).check({}, { connection, jail: "www", parameters: { "allow.raw_socket": false } });
    expect(r.failures).toEqual([{ property: 'parameters["allow.raw_socket"]', reason: expect.stringMatching(/^parameters\["allow.raw_socket"\]: unknown jail parameter.*did you mean "allow.raw_sockets"/) }]);
  });
});

describe("JailConf plan (parameters mode)", () => {
  const CONF = "exec.clean;\n* {\n\tenforce_statfs = 2;\n}\n\nwww {\n\tpath = /jails/www;\n\tallow.raw_sockets = 1;\n}\n";

  it("writes only what differs: a wildcard default that already holds the value is left alone", () => {
    const { actions, text, after } = converge(file(CONF), params("www", { enforce_statfs: 2, "allow.raw_sockets": false, securelevel: 2 }));
    expect(actions.map((a) => a.kind === "set" && `${a.name}<-${a.from}`)).toEqual(["allow.raw_sockets<-allow.raw_sockets = 1;", "securelevel<-null"]);
    expect(text).toBe(CONF.replace("\tallow.raw_sockets = 1;\n", "\tallow.noraw_sockets;\n\tsecurelevel = 2;\n"));
    expect(after).toEqual([]);
  });

  it("overrides a wildcard default in the jail's own block", () => {
    const { text, after } = converge(file(CONF), params("www", { enforce_statfs: 1 }));
    expect(text).toBe(CONF.replace("\tallow.raw_sockets = 1;\n", "\tallow.raw_sockets = 1;\n\tenforce_statfs = 1;\n"));
    expect(after).toEqual([]);
  });

  it("creates the file and the block when absent, and delete removes both", () => {
    const d = params("www", { persist: true });
    const { m, text } = converge(absent, d);
    expect(text).toBe("www {\n\tpersist;\n}\n");
    expect(m).toEqual({ priorExists: false, priorStatements: { persist: null }, blockSeparator: "", priorContent: null });
    const del = planDelete(file(text), d, m);
    expect(del.map((a) => a.kind)).toEqual(["restore", "removeBlock", "deleteFile"]);
  });

  it("delete restores prior statements exactly and removes an appended block with its separator", () => {
    const start = "db {\n\tpersist;\n}\n";
    const d = params("www", { persist: true, "allow.raw_sockets": false });
    const { m, text } = converge(file(start), d);
    expect(text).toBe(`${start}\nwww {\n\tallow.noraw_sockets;\n\tpersist;\n}\n`);
    const del = planDelete(file(text), d, m);
    expect(editText(text, "www", del, m)).toBe(start);

    const start2 = CONF;
    const d2 = params("www", { "allow.raw_sockets": false, "children.max": 0 });
    const c2 = converge(file(start2), d2);
    expect(editText(c2.text, "www", planDelete(file(c2.text), d2, c2.m), c2.m)).toBe(start2);
  });

  it("gives back a parameter that is no longer declared", () => {
    const d = params("www", { "allow.raw_sockets": false, securelevel: 2 });
    const { m, text } = converge(file(CONF), d);
    const d2 = params("www", { securelevel: 2 });
    const acts = plan(file(text), d2, m);
    expect(acts).toEqual([{ kind: "restore", name: "allow.raw_sockets", statements: ["allow.raw_sockets = 1;"], from: "allow.noraw_sockets;" }]);
    expect(editText(text, "www", acts, m)).toContain("\tallow.raw_sockets = 1;\n");
  });

  it("keeps prior values from the first adoption", () => {
    const d = params("www", { "allow.raw_sockets": false });
    const m1 = nextMemory(file(CONF), d, undefined);
    const m2 = nextMemory(file("www { allow.noraw_sockets; }"), params("www", { "allow.raw_sockets": false, persist: true }), m1);
    expect(m2.priorStatements).toEqual({ "allow.raw_sockets": ["allow.raw_sockets = 1;"], persist: null });
  });

  it("a broken file is never converged and the edit is refused with the line", () => {
    const live = file('www {\n\tpath = "/x;\n}\n');
    const d = params("www", { persist: true });
    const m = nextMemory(live, d, undefined);
    const acts = plan(live, d, m);
    expect(acts).toHaveLength(1);
    expect(() => editText(live.content, "www", acts, m)).toThrow(/line 2: unterminated string/);
  });
});

describe("JailConf plan (file mode)", () => {
  const d = owned("www", { path: "/jails/www", "allow.raw_sockets": false, "ip4.addr": ["10.0.0.1", "10.0.0.2"], securelevel: 2 });
  it("renders the whole file sorted by name", () => {
    expect(renderFile(d)).toBe(
      "# Managed by Pulumi (pulumi-freebsd JailConf): changes made here are reverted.\nwww {\n\tallow.noraw_sockets;\n\tip4.addr = 10.0.0.1, 10.0.0.2;\n\tpath = /jails/www;\n\tsecurelevel = 2;\n}\n",
    );
  });
  it("is converged on the same meaning, not on bytes; extra parameters or items are drift", () => {
    expect(fileConverged(file(renderFile(d)), d)).toBe(true);
    expect(fileConverged(file("www { allow.raw_sockets = 0; ip4.addr = 10.0.0.1, 10.0.0.2; path = \"/jails/www\"; securelevel = 2; }"), d)).toBe(true);
    expect(fileConverged(file(renderFile(d).replace("}", "\tpersist;\n}")), d)).toBe(false);
    expect(fileConverged(file(`${renderFile(d)}db { persist; }\n`), d)).toBe(false);
    expect(fileConverged(file(renderFile(d).replace("securelevel = 2", "securelevel = 1")), d)).toBe(false);
    expect(fileConverged(absent, d)).toBe(false);
  });
  it("delete restores an adopted file's text, or removes a created one", () => {
    const prior = "www { persist; }\n";
    const m = nextMemory(file(prior), d, undefined);
    expect(m.priorContent).toBe(prior);
    expect(planDelete(file(renderFile(d)), d, m)).toEqual([{ kind: "writeFile", content: prior, reason: "restore" }]);
    const m2 = nextMemory(absent, d, undefined);
    expect(planDelete(file(renderFile(d)), d, m2)).toEqual([{ kind: "deleteFile" }]);
  });
});

describe("hardened preset", () => {
  it("turns the listed privileges off and sets the limits", () => {
    expect(hardened).toMatchObject({
      "allow.raw_sockets": false, "allow.sysvipc": false, "allow.mount": false, "allow.mount.devfs": false, "allow.chflags": false,
      enforce_statfs: 2, securelevel: 2, "children.max": 0, devfs_ruleset: 4,
    });
    expect(Object.isFrozen(hardened)).toBe(true);
  });
  it("is extended and overridden with hardenedWith (null drops a parameter)", () => {
    const p = hardenedWith({ "allow.raw_sockets": true, securelevel: null, persist: true });
    expect(p["allow.raw_sockets"]).toBe(true);
    expect("securelevel" in p).toBe(false);
    expect(p.persist).toBe(true);
    expect(hardened.securelevel).toBe(2);
  });
});
