/** FileIntegrityBaseline: check-time validation and the pure plan (no host). */
import { describe, expect, it } from "vitest";
import { kindProvider } from "../../../src/engine/adapter";
import { fileIntegrityKind } from "../../../src/kinds/fileIntegrity";
import { parseHeader, headerPrefix, rootOfSpecFile, specFileName } from "../../../src/kinds/fileIntegrity/layout";
import { plan, planDelete, type Live, type Memory, type RootLive } from "../../../src/kinds/fileIntegrity/plan";
import { excludesFor, fileIntegritySchema } from "../../../src/kinds/fileIntegrity/schema";

const connection = { host: "web1", privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };
const base = { connection, name: "etc", paths: ["/etc", "/usr/local/etc"] };
const provider = kindProvider(fileIntegrityKind);

async function failures(inputs: Record<string, unknown>) {
  return (await provider.check({}, inputs)).failures;
}

describe("check", () => {
  it("accepts the defaults", async () => {
    expect(await failures(base)).toEqual([]);
    expect(fileIntegritySchema.parse(base)).toMatchObject({ keywords: expect.arrayContaining(["sha256digest"]), generation: 0, failOnDrift: false, excludes: [] });
  });

  it.each([
    [{ paths: ["/var/log"] }, "paths[0]", /outside the allowed roots/],
    [{ paths: ["etc"] }, "paths[0]", /not an absolute path/],
    [{ paths: ["/etc/../var"] }, "paths[0]", /\.\. components/],
    [{ paths: ["/etc/$(reboot)"] }, "paths[0]", /shell specials/],
    [{ paths: ["/etc//ssh"] }, "paths[0]", /empty component/],
    [{ paths: ["/"] }, "paths[0]", /empty component|outside/],
    [{ paths: ["/etc", "/etc/ssh"] }, "paths[1]", /inside \/etc/],
    [{ paths: ["/etc", "/etc"] }, "paths[1]", /listed twice/],
    [{ paths: [] }, "paths", /at least one/],
    [{ name: "../x" }, "name", /letters, digits/],
    [{ keywords: ["sha265"] }, "keywords[0]", /not an mtree keyword/],
    [{ keywords: ["ignore"] }, "keywords[0]", /not an mtree keyword/],
    [{ excludes: ["a b"] }, "excludes[0]", /may contain only/],
    [{ excludes: ["#x"] }, "excludes[0]", /may contain only/],
    [{ excludes: ["ssh/*"] }, "excludes[0]", /absolute path under one of paths/],
    [{ excludes: ["/var/*"] }, "excludes[0]", /not under any of paths/],
    [{ generation: 1.5 }, "generation", /whole number/],
    [{ generation: -1 }, "generation", /0 or more/],
  ])("%j is rejected at %s with the rule", async (patch, property, reason) => {
    const f = await failures({ ...base, ...patch });
    expect(f.map((x) => x.property)).toContain(property);
    expect(f.find((x) => x.property === property)!.reason).toMatch(reason);
    expect(f.find((x) => x.property === property)!.reason.startsWith(`${property}: `)).toBe(true);
  });
});

describe("layout", () => {
  it("spec file names map one to one", () => {
    expect(specFileName("/usr/local/etc")).toBe("usr%local%etc.mtree");
    expect(rootOfSpecFile("usr%local%etc.mtree")).toBe("/usr/local/etc");
    expect(rootOfSpecFile("last-report.json")).toBeUndefined();
  });
  it("the header round-trips", () => {
    const h = { name: "etc", root: "/etc", generation: 3, run: "abcd", keywords: ["sha256digest", "type"], excludes: ["*.db", "./ssh/x"] };
    expect(parseHeader(`${headerPrefix(h)} created=2026-01-01T00:00:00Z`)).toEqual({ ...h, created: "2026-01-01T00:00:00Z" });
    expect(parseHeader("#\t   user: root")).toBeUndefined();
  });
  it("absolute excludes apply to their own tree, as ./relative", () => {
    expect(excludesFor("/etc", ["*.db", "/etc/ssh/ssh_host_*", "/usr/local/etc/x"])).toEqual(["*.db", "./ssh/ssh_host_*"]);
  });
});

const d = (patch: Record<string, unknown> = {}) => fileIntegritySchema.parse({ ...base, ...patch });
const clean = (root: string, sha: string, run = "old"): RootLive => ({
  root, rootState: "dir", specState: "file", sha256: sha,
  header: { name: "etc", root, generation: 0, run, created: "t", keywords: [], excludes: [] },
  drift: { changed: [], missing: [], extra: [] }, error: null,
});
const live = (roots: RootLive[], report: Live["report"] = null): Live => ({ dirState: "dir", roots, stale: [], report });
const accepted: Memory = {
  generation: 0, accepted: { "/etc": "s1", "/usr/local/etc": "s2" },
  keywords: ["gid", "link", "mode", "sha256digest", "size", "type", "uid"], excludes: [], run: "now",
};
const kinds = (actions: { kind: string }[]) => actions.map((a) => a.kind);

describe("plan", () => {
  it("create baselines every tree; once this run's specs are there it is converged", () => {
    const m = { generation: null, accepted: {}, keywords: null, excludes: null, run: "now" };
    const absent: RootLive = { root: "/etc", rootState: "dir", specState: "absent", sha256: null, header: null, drift: null, error: null };
    expect(plan(live([absent, { ...absent, root: "/usr/local/etc" }], null), d(), m).map((a) => a.kind)).toEqual(["baseline", "baseline"]);
    expect(plan(live([clean("/etc", "n1", "now"), clean("/usr/local/etc", "n2", "now")]), d(), m)).toEqual([]);
  });

  it("a clean tree with the accepted specs needs nothing", () => {
    expect(plan(live([clean("/etc", "s1"), clean("/usr/local/etc", "s2")]), d(), accepted)).toEqual([]);
  });

  it("new drift is recorded, not re-baselined; the same drift once recorded needs nothing", () => {
    const drifted = { ...clean("/etc", "s1"), drift: { changed: [{ path: "/etc/rc.conf", keywords: ["sha256digest", "size"] }], missing: ["/etc/motd"], extra: ["/etc/evil"] } };
    const actions = plan(live([drifted, clean("/usr/local/etc", "s2")]), d(), accepted);
    expect(kinds(actions)).toEqual(["record"]);
    const content = (actions[0] as { content: string }).content;
    expect(JSON.parse(content)).toEqual({ changed: [{ path: "/etc/rc.conf", keywords: ["sha256digest", "size"] }], missing: ["/etc/motd"], extra: ["/etc/evil"], problems: [] });
    expect(plan(live([drifted, clean("/usr/local/etc", "s2")], { content, sha256: "r" }), d(), accepted)).toEqual([]);
  });

  it("failOnDrift refuses with a listing instead of recording", () => {
    const drifted = { ...clean("/etc", "s1"), drift: { changed: [], missing: ["/etc/motd"], extra: [] } };
    const actions = plan(live([drifted, clean("/usr/local/etc", "s2")]), d({ failOnDrift: true }), accepted);
    expect(actions[0]).toMatchObject({ kind: "refuse", message: expect.stringContaining("missing: /etc/motd") });
  });

  it("a bumped generation re-baselines every tree (accepting the drift)", () => {
    const drifted = { ...clean("/etc", "s1"), drift: { changed: [], missing: ["/etc/motd"], extra: [] } };
    const actions = plan(live([drifted, clean("/usr/local/etc", "s2")]), d({ generation: 1 }), accepted);
    expect(actions).toMatchObject([{ kind: "baseline", root: "/etc", reason: "generation", expected: "s1" }, { kind: "baseline", root: "/usr/local/etc" }]);
  });

  it("a tampered or deleted spec is a problem, never silently replaced", () => {
    const actions = plan(live([clean("/etc", "EVIL"), { ...clean("/usr/local/etc", "s2"), specState: "absent", sha256: null, header: null, drift: null }]), d(), accepted);
    expect(kinds(actions)).toEqual(["record"]);
    const problems = JSON.parse((actions[0] as { content: string }).content).problems as string[];
    expect(problems).toEqual([
      "/etc: the spec etc.mtree was modified since the baseline (sha256 s1 -> EVIL)",
      "/usr/local/etc: the spec usr%local%etc.mtree is missing (removed or replaced since the baseline)",
    ]);
  });

  it("changed keywords re-baseline a clean tree but are refused while it has drift", () => {
    const m = accepted;
    expect(kinds(plan(live([clean("/etc", "s1"), clean("/usr/local/etc", "s2")]), d({ keywords: ["sha512digest"] }), m))).toEqual(["baseline", "baseline"]);
    const drifted = { ...clean("/etc", "s1"), drift: { changed: [], missing: [], extra: ["/etc/x"] } };
    expect(plan(live([drifted, clean("/usr/local/etc", "s2")]), d({ keywords: ["sha512digest"] }), m)[0]).toMatchObject({ kind: "refuse", message: expect.stringContaining("/etc has drift") });
  });

  it("a new tree gets a baseline, a dropped one loses its spec", () => {
    const l = { ...live([clean("/etc", "s1")]), stale: [{ file: "usr%local%etc.mtree", root: "/usr/local/etc", sha256: "s2" }] };
    expect(plan(l, d({ paths: ["/etc"] }), accepted)).toEqual([{ kind: "removeSpec", root: "/usr/local/etc", file: "usr%local%etc.mtree", sha256: "s2" }]);
    const l2 = live([clean("/etc", "s1"), clean("/usr/local/etc", "s2"), { ...clean("/boot", "x"), specState: "absent", sha256: null, header: null }]);
    expect(plan(l2, d({ paths: ["/etc", "/usr/local/etc", "/boot"] }), accepted)).toMatchObject([{ kind: "baseline", root: "/boot", reason: "new" }]);
  });

  it("delete removes every spec and the report", () => {
    expect(kinds(planDelete(live([clean("/etc", "s1"), clean("/usr/local/etc", "s2")], { content: "{}", sha256: "r" })))).toEqual(["removeSpec", "removeSpec", "record"]);
  });

  it("outputs round-trip through liveFromOutputs/memoryFromOutputs so diff sees what read saw", () => {
    const drifted = { ...clean("/etc", "s1"), drift: { changed: [{ path: "/etc/a", keywords: ["mode"] }], missing: [], extra: ["/etc/b"] } };
    const first = live([drifted, clean("/usr/local/etc", "s2")]);
    const record = plan(first, d(), accepted)[0] as { content: string };
    const l = { ...first, report: { content: record.content, sha256: "r" } };
    expect(plan(l, d(), accepted)).toEqual([]);
    const o = fileIntegrityKind.outputs(l, d(), accepted);
    expect(o).toMatchObject({ clean: false, changed: [{ path: "/etc/a", keywords: ["mode"] }], extra: ["/etc/b"], baselineGeneration: 0 });
    // The engine gives objects back with their keys sorted.
    const sorted = JSON.parse(JSON.stringify(o, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v)));
    const l2 = fileIntegrityKind.liveFromOutputs(sorted)!;
    const m2 = { ...fileIntegrityKind.memoryFromOutputs(sorted)!, run: "now" };
    expect(plan(l2, d(), m2)).toEqual(plan(l, d(), accepted));
  });
});
