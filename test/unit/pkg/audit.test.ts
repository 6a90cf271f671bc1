import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AuditParseError,
  auditErrorFrom,
  classifyAudit,
  formatAuditJson,
  formatAuditQuiet,
  formatAuditText,
  parseAudit,
  parseAuditJson,
  parseAuditQuiet,
  parseAuditSummary,
  parseAuditText,
  parseVulnerableJobMarkers,
  vuxmlIdFromUrl,
  type AuditFormat,
  type AuditPackage,
  type AuditReport,
  type AuditWording,
} from "../../../src/pkg/audit";
import { parseVuxml, vulnerabilitiesFor, vuxmlUrl } from "../../../src/pkg/vuxml";

const DIR = join(__dirname, "../../fixtures/pkg-audit");
const fx = (name: string): string => readFileSync(join(DIR, name), "utf8");
const vuxml = parseVuxml(readFileSync(join(__dirname, "../../fixtures/vuxml/vuln-sample.xml"), "utf8"));
const byVid = new Map(vuxml.map((e) => [e.vid, e]));

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/**
 * Checks a parsed report against the VuXML sample: each versioned package carries exactly the
 * entries the sample flags for it (as a set: real pkg may order them differently), and each
 * issue has that entry's topic, CVEs and vuxml link.
 */
function checkAgainstSample(r: AuditReport): void {
  for (const p of r.packages) {
    const issues = p.vulnerabilities;
    if (p.version !== null) {
      const want = vulnerabilitiesFor(vuxml, p.package, p.version).map((e) => e.vid);
      expect(sorted(issues.map((v) => v.vuxmlId ?? "?")), `${p.package}-${p.version}`).toEqual(sorted(want));
    }
    for (const v of issues) {
      const e = byVid.get(v.vuxmlId ?? "");
      expect(e, v.topic).toBeDefined();
      expect(v.topic).toBe(e!.topic);
      expect(sorted(v.cves)).toEqual(sorted(e!.cves));
      expect(v.url!.replace(/^http:/, "https:")).toBe(vuxmlUrl(e!.vid));
    }
  }
}

const names = (r: AuditReport): string[] => r.packages.map((p) => (p.version === null ? p.package : `${p.package}-${p.version}`));

// ---------------------------------------------------------------------------------------------

describe("fixtures", () => {
  it("every fixture is listed in the fixtures README, with its provenance", () => {
    const readme = fx("README.md");
    const files = readdirSync(DIR).filter((f) => f !== "README.md");
    expect(files.length).toBe(19);
    for (const f of files) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${f}\` |`));
      expect(row, f).toBeDefined();
      expect(row).toMatch(f.startsWith("copied-") ? /\| copied \|/ : /\| composed \|/);
    }
  });

  it.each(["composed-2x-multi.txt", "composed-1x-multi.txt", "composed-2x-fetch.txt", "composed-1x-uptodate.txt", "composed-2x-recursive.txt", "composed-2x-name-only.txt", "composed-2x-base.txt", "composed-legacy-multi.txt", "copied-vuxml-readme-sudo-2x.txt"])(
    "%s agrees with the VuXML sample",
    (f) => checkAgainstSample(parseAuditText(fx(f))),
  );

  it.each(["composed-2x.json", "composed-2x-compact.json"])("%s agrees with the VuXML sample", (f) => checkAgainstSample(parseAuditJson(fx(f))));
});

describe("parseAuditText: copied samples", () => {
  it("the vuxml README's sudo-1.9.17 output (pkg 2.x)", () => {
    const r = parseAuditText(fx("copied-vuxml-readme-sudo-2x.txt"));
    expect(r).toEqual<AuditReport>({
      format: "text",
      packages: [
        {
          package: "sudo",
          version: "1.9.17",
          vulnerabilities: [
            {
              topic: "sudo -- privilege escalation vulnerability through host and chroot options",
              cves: ["CVE-2025-32462", "CVE-2025-32463"],
              vuxmlId: "24f4b495-56a1-11f0-9621-93abbef07693",
              url: "https://vuxml.FreeBSD.org/freebsd/24f4b495-56a1-11f0-9621-93abbef07693.html",
            },
          ],
        },
      ],
      summary: { problems: 1, packages: 1, wording: "2.x", line: "1 problem(s) in 1 package(s) found." },
      problemCount: 1,
      packageCount: 1,
      notices: [],
    });
  });

  it("the §1.15 nginx block: placeholder link gives no vid, missing summary gives counted totals", () => {
    const r = parseAuditText(fx("copied-commands-1.15-nginx.txt"));
    expect(r.packages).toEqual([
      {
        package: "nginx",
        version: "1.24.0",
        vulnerabilities: [
          {
            topic: "nginx -- multiple vulnerabilities",
            cves: ["CVE-2024-7347", "CVE-2024-xxxx"],
            vuxmlId: null,
            url: "https://vuxml.FreeBSD.org/freebsd/<vid>.html",
          },
        ],
      },
    ]);
    expect(r.summary).toBeNull();
    expect(r.problemCount).toBe(1);
    expect(r.packageCount).toBe(1);
  });

  it("the §1.15 clean line", () => {
    const r = parseAuditText(fx("copied-commands-1.15-clean-2x.txt"));
    expect(r.packages).toEqual([]);
    expect(r.summary).toMatchObject({ problems: 0, packages: 0, wording: "2.x" });
    expect(r.problemCount).toBe(0);
    expect(r.packageCount).toBe(0);
  });
});

describe("parseAuditText: both wordings and the legacy one", () => {
  const multi = ["curl-7.15.0", "sudo-1.6.8.3", "openssl-3.0.12,1"];

  it("pkg 2.x: N problem(s) in M package(s) found.", () => {
    const r = parseAuditText(fx("composed-2x-multi.txt"));
    expect(names(r)).toEqual(multi);
    expect(r.packages.map((p) => p.vulnerabilities.length)).toEqual([2, 3, 1]);
    expect(r.summary).toMatchObject({ problems: 6, packages: 3, wording: "2.x" });
    expect([r.problemCount, r.packageCount]).toEqual([6, 3]);
    // An issue with no CVE (045944a0 has none) still has its link.
    const cdpath = r.packages[1]!.vulnerabilities[2]!;
    expect(cdpath).toEqual({
      topic: "sudo -- environmental variable CDPATH is not cleared",
      cves: [],
      vuxmlId: "045944a0-6bca-11d9-aaa6-000a95bc6fae",
      url: vuxmlUrl("045944a0-6bca-11d9-aaa6-000a95bc6fae"),
    });
  });

  it("pkg 1.x: N problem(s) in M installed package(s) found. — same packages", () => {
    const one = parseAuditText(fx("composed-1x-multi.txt"));
    const two = parseAuditText(fx("composed-2x-multi.txt"));
    expect(one.summary).toMatchObject({ problems: 6, packages: 3, wording: "1.x" });
    expect(one.packages).toEqual(two.packages);
    expect([one.problemCount, one.packageCount]).toEqual([6, 3]);
    expect(parseAuditText(fx("composed-1x-clean.txt")).summary).toMatchObject({ problems: 0, packages: 0, wording: "1.x" });
  });

  it("legacy: unindented, header repeated per issue, N = packages", () => {
    const r = parseAuditText(fx("composed-legacy-multi.txt"));
    expect(names(r)).toEqual(["sudo-1.6.8.3", "mysql-server-4.1.11"]);
    expect(r.packages[0]!.vulnerabilities.map((v) => v.vuxmlId)).toEqual([
      "24f4b495-56a1-11f0-9621-93abbef07693",
      "3bf157fa-e1c6-11d9-b875-0001020eed82",
      "045944a0-6bca-11d9-aaa6-000a95bc6fae",
    ]);
    expect(r.packages[0]!.vulnerabilities[0]!.url).toMatch(/^http:\/\/vuxml\.FreeBSD\.org\//);
    expect(r.summary).toMatchObject({ problems: 2, packages: null, wording: "legacy" });
    expect(r.packageCount).toBe(2);
    expect(r.problemCount).toBe(4); // counted: the legacy summary does not print it
  });

  it("keeps fetch notices apart from the blocks", () => {
    const f = parseAuditText(fx("composed-2x-fetch.txt"));
    expect(f.notices).toEqual(["Fetching vuln.xml.xz: .......... done"]);
    expect(names(f)).toEqual(["apache24-2.4.54", "php83-8.3.22"]);
    expect([f.problemCount, f.packageCount]).toEqual([3, 2]);
    const u = parseAuditText(fx("composed-1x-uptodate.txt"));
    expect(u.notices).toEqual(["vulnxml file up-to-date"]);
    expect(names(u)).toEqual(["postgresql-server-14.11"]);
  });

  it("-r: reverse dependencies, including an empty list", () => {
    const r = parseAuditText(fx("composed-2x-recursive.txt"));
    expect(r.packages.map((p) => p.reverseDependencies)).toEqual([["git", "libgit2", "cmake-core"], []]);
    expect(r.packages.map((p) => p.vulnerabilities.length)).toEqual([1, 1]);
  });

  it("bare-name audits: Affected versions, and the name is not split at its '-'", () => {
    const r = parseAuditText(fx("composed-2x-name-only.txt"));
    expect(r.packages.map((p) => [p.package, p.version])).toEqual([
      ["unbound", null],
      ["nginx-devel", null],
    ]);
    expect(r.packages[0]!.vulnerabilities.map((v) => v.affectedVersions)).toEqual([["> 1.18.0 : < 1.19.2"], ["< 1.19.1"]]);
    expect(r.packages[1]!.vulnerabilities[0]!.affectedVersions).toEqual([">= 1.25.0 : < 1.25.4"]);
    expect([r.problemCount, r.packageCount]).toEqual([3, 2]);
  });

  it("base-system names (FreeBSD-14.0_4)", () => {
    const r = parseAuditText(fx("composed-2x-base.txt"));
    expect(r.packages.map((p) => [p.package, p.version])).toEqual([["FreeBSD", "14.0_4"]]);
    expect(r.packages[0]!.vulnerabilities[0]!.vuxmlId).toBe("c62285cb-cb46-11ee-b609-002590c1f29c");
  });

  it("accepts CRLF line ends and a missing final newline", () => {
    const t = fx("copied-vuxml-readme-sudo-2x.txt");
    expect(parseAuditText(t.replace(/\n/g, "\r\n")).packages).toEqual(parseAuditText(t).packages);
    expect(parseAuditText(t.trimEnd()).summary).toMatchObject({ problems: 1 });
  });

  it("empty output (no package database: pkg exits 0 silently)", () => {
    expect(parseAuditText("")).toEqual({ format: "text", packages: [], summary: null, problemCount: 0, packageCount: 0, notices: [] });
  });

  it("rejects malformed blocks", () => {
    const bad: [string, RegExp][] = [
      ["x-1 is vulnerable:\n  CVE: CVE-1\n", /line 2: CVE line outside an issue/],
      ["x-1 is vulnerable:\n  WWW: u\n", /line 2: WWW line outside an issue/],
      ["x-1 is vulnerable:\n  t\n  WWW: u\n\n  CVE: CVE-1\n", /line 5: CVE line outside an issue/],
      ["0 problem(s) in 0 package(s) found.\nmore\n", /line 2: unexpected text after the summary/],
      ["x is vulnerable:\n  Affected versions:\n  < 1\n1 problem(s) in 1 package(s) found.\n", /line 4: 'Affected versions:' without a topic/],
    ];
    for (const [t, re] of bad) {
      expect(() => parseAuditText(t)).toThrow(AuditParseError);
      expect(() => parseAuditText(t)).toThrow(re);
    }
  });
});

describe("parseAuditSummary and vuxmlIdFromUrl", () => {
  it.each([
    ["3 problem(s) in 2 package(s) found.", { problems: 3, packages: 2, wording: "2.x" }],
    ["3 problem(s) in 2 installed package(s) found.", { problems: 3, packages: 2, wording: "1.x" }],
    ["2 problem(s) in the installed packages found.", { problems: 2, packages: null, wording: "legacy" }],
    ["0 problem(s) in 0 package(s) found.", { problems: 0, packages: 0, wording: "2.x" }],
  ] as const)("%s", (line, want) => {
    expect(parseAuditSummary(line)).toEqual({ ...want, line });
  });

  it("rejects other lines", () => {
    for (const l of ["", "3 problems in 2 packages found.", "x problem(s) in 2 package(s) found.", "3 problem(s) in 2 package(s) found"]) {
      expect(parseAuditSummary(l)).toBeUndefined();
    }
  });

  it("reads vids from vuxml links only", () => {
    const vid = "24f4b495-56a1-11f0-9621-93abbef07693";
    expect(vuxmlIdFromUrl(`https://vuxml.FreeBSD.org/freebsd/${vid}.html`)).toBe(vid);
    expect(vuxmlIdFromUrl(`http://vuxml.freebsd.org/freebsd/${vid.toUpperCase()}.html`)).toBe(vid);
    expect(vuxmlIdFromUrl("https://vuxml.FreeBSD.org/freebsd/<vid>.html")).toBeNull();
    expect(vuxmlIdFromUrl("https://www.sudo.ws/releases/stable/")).toBeNull();
    expect(vuxmlIdFromUrl(`https://evil.example/vuxml.freebsd.org/freebsd/${vid}.html`)).toBeNull();
  });
});

describe("parseAuditQuiet", () => {
  it("the §1.15 upstream test output", () => {
    expect(parseAuditQuiet(fx("copied-commands-1.15-quiet.txt"))).toEqual({
      format: "quiet",
      packages: [{ package: "test", version: "1.5", vulnerabilities: [] }],
      summary: null,
      problemCount: null,
      packageCount: 1,
      notices: [],
    });
  });

  it("lists the same packages as the plain output", () => {
    expect(names(parseAuditQuiet(fx("composed-quiet-multi.txt")))).toEqual(names(parseAuditText(fx("composed-2x-multi.txt"))));
  });

  it("refuses plain output given by mistake", () => {
    expect(() => parseAuditQuiet(fx("composed-2x-multi.txt"))).toThrow(/line 1: expected one name-version per line/);
    expect(() => parseAuditQuiet("a b\n")).toThrow(AuditParseError);
  });
});

describe("parseAuditJson", () => {
  it("reads the raw JSON shape", () => {
    const r = parseAuditJson(fx("composed-2x.json"));
    expect(names(r)).toEqual(["curl-7.15.0", "sudo-1.9.17"]);
    expect(r.packageCount).toBe(2);
    expect(r.problemCount).toBe(3);
    expect(r.packages[0]!.vulnerabilities[1]).toEqual({
      topic: "curl -- URL buffer overflow vulnerability",
      cves: ["CVE-2005-4077"],
      vuxmlId: "9b4facec-6761-11da-99f6-00123ffe8333",
      url: vuxmlUrl("9b4facec-6761-11da-99f6-00123ffe8333"),
      affectedVersions: [">= 7.11.2 : < 7.15.1"],
    });
  });

  it("matches the plain output, apart from the Affected versions only JSON carries", () => {
    const strip = (ps: AuditPackage[]) => ps.map((p) => ({ ...p, vulnerabilities: p.vulnerabilities.map(({ affectedVersions: _a, ...v }) => v) }));
    const text = parseAuditText(formatAuditText(parseAuditJson(fx("composed-2x.json")).packages));
    expect(strip(parseAuditJson(fx("composed-2x.json")).packages)).toEqual(text.packages);
  });

  it("compact form, reverse dependencies and the clean document", () => {
    const c = parseAuditJson(fx("composed-2x-compact.json"));
    expect(c.packages[0]).toMatchObject({ package: "rubygem-rack", version: "3.0.8", reverseDependencies: ["rubygem-rails70"] });
    const clean = parseAuditJson(fx("composed-2x-clean.json"));
    expect([clean.packages, clean.packageCount, clean.problemCount]).toEqual([[], 0, 0]);
    expect(parseAuditJson('{"pkg_count":0}').packages).toEqual([]);
  });

  it("keeps lines before the object as notices", () => {
    const r = parseAuditJson("Fetching vuln.xml.xz: . done\n" + fx("composed-2x-compact.json"));
    expect(r.notices).toEqual(["Fetching vuln.xml.xz: . done"]);
    expect(r.packageCount).toBe(1);
  });

  it("rejects documents that are not pkg's", () => {
    const bad: [string, RegExp][] = [
      ["", /no JSON object found/],
      ["pkg_count = 1;\n", /no JSON object found/], // UCL, the default of -R
      ["{nope", /invalid JSON/],
      ['{"pkg_count":"1"}', /pkg_count must be a non-negative integer/],
      ['{"packages":[]}', /packages must be an object/],
      ['{"packages":{"a":{"issues":{}}}}', /packages\.a\.issues must be an array/],
      ['{"packages":{"a":{"issues":[{}]}}}', /issues\[0\]\.description must be a string/],
      ['{"packages":{"a":{"issues":[{"description":"d","cve":"CVE-1"}]}}}', /cve must be an array of strings/],
      ['{"packages":{"a":{"version":1}}}', /version must be a string/],
    ];
    for (const [t, re] of bad) expect(() => parseAuditJson(t), t).toThrow(re);
  });
});

// ---------------------------------------------------------------------------------------------

describe("formatters round-trip", () => {
  it.each([
    ["composed-2x-multi.txt", "2.x"],
    ["composed-1x-multi.txt", "1.x"],
    ["composed-2x-recursive.txt", "2.x"],
    ["composed-2x-name-only.txt", "2.x"],
    ["composed-2x-base.txt", "2.x"],
    ["copied-vuxml-readme-sudo-2x.txt", "2.x"],
    ["copied-commands-1.15-clean-2x.txt", "2.x"],
    ["composed-1x-clean.txt", "1.x"],
  ] as const)("formatAuditText(parse(%s)) reproduces it byte for byte", (f, wording: AuditWording) => {
    expect(formatAuditText(parseAuditText(fx(f)).packages, wording)).toBe(fx(f));
  });

  it("quiet and compact JSON too", () => {
    expect(formatAuditQuiet(parseAuditQuiet(fx("composed-quiet-multi.txt")).packages)).toBe(fx("composed-quiet-multi.txt"));
    expect(formatAuditJson(parseAuditJson(fx("composed-2x-compact.json")).packages)).toBe(fx("composed-2x-compact.json"));
    expect(formatAuditJson([])).toBe(fx("composed-2x-clean.json"));
  });

  it("parse(format(x)) = x on random reports, in every form", () => {
    let seed = 1234;
    const r = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const vids = [...byVid.keys()];
    for (let k = 0; k < 60; k++) {
      const pkgs: AuditPackage[] = [];
      const n = Math.floor(r() * 4);
      const used = new Set<string>();
      for (let i = 0; i < n; i++) {
        const name = pick(["curl", "sudo", "nginx-devel", "py311-django", "FreeBSD-kernel", "p5-libwww", "gtk+"]);
        if (used.has(name)) continue;
        used.add(name);
        const bare = r() < 0.2;
        const p: AuditPackage = {
          package: name,
          version: bare ? null : pick(["1.0", "7.15.0_1", "3.0.12,1", "1.9.17p1", "14.0_4"]),
          vulnerabilities: Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
            const e = byVid.get(pick(vids))!;
            return {
              topic: e.topic || "cancelled -- no topic",
              cves: e.cves,
              vuxmlId: e.vid,
              url: vuxmlUrl(e.vid),
              ...(bare ? { affectedVersions: [pick(["< 1.0", ">= 1.0 : < 2.0", "= 9.3.0"])] } : {}),
            };
          }),
        };
        if (r() < 0.3) p.reverseDependencies = r() < 0.3 ? [] : ["a", "b-c"];
        pkgs.push(p);
      }
      for (const w of ["2.x", "1.x"] as const) expect(parseAuditText(formatAuditText(pkgs, w)).packages).toEqual(pkgs);
      expect(parseAuditJson(formatAuditJson(pkgs)).packages).toEqual(pkgs);
      expect(names(parseAuditQuiet(formatAuditQuiet(pkgs)))).toEqual(pkgs.map((p) => (p.version === null ? p.package : `${p.package}-${p.version}`)));
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("classifyAudit", () => {
  const run = (exitCode: number | null, stdout: string, stderr = "") => ({ exitCode, stdout, stderr });
  const sudo = fx("copied-vuxml-readme-sudo-2x.txt");
  const missing = fx("copied-commands-1.15-missing-vulnxml.stderr");

  it("vulnerable output is vulnerable whatever the exit code (1 in pkg 1.x/2.x; never discarded)", () => {
    for (const code of [1, 2, 3, 64, 65, 70, 74, 75, 77, 255]) {
      const o = classifyAudit(run(code, sudo), "text");
      expect(o.state, String(code)).toBe("vulnerable");
      expect(o.warnings).toEqual([]);
    }
    const zero = classifyAudit(run(0, sudo), "text");
    expect(zero.state).toBe("vulnerable");
    expect(zero.warnings).toEqual(["pkg audit reported vulnerable packages but exited 0"]);
    expect(classifyAudit(run(1, fx("composed-quiet-multi.txt")), "quiet").state).toBe("vulnerable");
    expect(classifyAudit(run(1, fx("composed-2x.json")), "json").state).toBe("vulnerable");
    expect(classifyAudit(run(1, '{"pkg_count":1}'), "json").state).toBe("vulnerable");
  });

  it("a summary with problems but no readable block still counts as vulnerable", () => {
    expect(classifyAudit(run(1, "3 problem(s) in 2 package(s) found.\n"), "text").state).toBe("vulnerable");
  });

  it("exit 0 without findings is clean, including pkg's silent exit when there is no package DB", () => {
    for (const [out, fmt] of [
      [fx("copied-commands-1.15-clean-2x.txt"), "text"],
      [fx("composed-1x-clean.txt"), "text"],
      ["", "text"],
      ["", "quiet"],
      [fx("composed-2x-clean.json"), "json"],
    ] as [string, AuditFormat][]) {
      const o = classifyAudit(run(0, out), fmt);
      expect(o.state, `${fmt}: ${out}`).toBe("clean");
    }
    const withNotice = classifyAudit(run(0, "vulnxml file up-to-date\n0 problem(s) in 0 package(s) found.\n", "pkg: some warning\n"), "text");
    expect(withNotice).toMatchObject({ state: "clean", warnings: ["pkg: some warning"] });
    if (withNotice.state === "clean") expect(withNotice.report.notices).toEqual(["vulnxml file up-to-date"]);
  });

  it("recognises the error messages, whatever the exit code (old sysexits codes included)", () => {
    const cases: [number, string, string][] = [
      [1, missing, "no-vulnxml"],
      [65, "pkg: vulnxml file /var/db/pkg/vuln.xml does not exist. Try running 'pkg audit -F' first\n", "no-vulnxml"],
      [1, "pkg: cannot fetch vulnxml file\n", "fetch-failed"],
      [74, "pkg: cannot fetch vulnxml file\n", "fetch-failed"],
      [1, "pkg: unable to open vulnxml file /x: Permission denied\n", "vulnxml-unreadable"],
      [1, "pkg: vulnxml parsing error: not well-formed (invalid token)\npkg: cannot process vulnxml\n", "vulnxml-invalid"],
      [1, "pkg: Insufficient privileges to read the package database\n", "no-access"],
      [1, "pkg: Cannot get a read lock on a database, it is locked by another process\n", "db-locked"],
      [75, "pkg: Cannot get a read lock on a database, it is locked by another process\n", "db-locked"],
      [1, "pkg: Error accessing the package database\n", "db-error"],
      [1, "pkg: invalid argument yml for --raw option\n", "usage"],
      [64, "Usage: pkg audit [-Fqr] [-f file] <pattern>\n\nFor more information see 'pkg help audit'.\n", "usage"],
      [3, "pkg: cap_enter() failed: Operation not permitted\n", "sandbox"],
    ];
    for (const [code, stderr, kind] of cases) {
      const o = classifyAudit(run(code, "", stderr), "text");
      expect(o, stderr).toMatchObject({ state: "error", kind });
      if (o.state === "error") expect(o.message.startsWith("pkg: ")).toBe(false);
    }
    expect(auditErrorFrom(missing)).toEqual({ kind: "no-vulnxml", message: "vulnxml file vuln.xml does not exist. Try running 'pkg audit -F' first" });
    expect(auditErrorFrom("")).toBeUndefined();
  });

  it("an error message beats an exit 0 (nothing was audited)", () => {
    expect(classifyAudit(run(0, "", missing), "text")).toMatchObject({ state: "error", kind: "no-vulnxml" });
  });

  it("unreadable stdout is an error, explained by stderr when it can be", () => {
    expect(classifyAudit(run(1, "garbage: x\n  CVE: y\n"), "quiet")).toMatchObject({ state: "error", kind: "unparseable" });
    expect(classifyAudit(run(1, "", "pkg: invalid argument yml for --raw option\n"), "json")).toMatchObject({ state: "error", kind: "usage" });
    expect(classifyAudit(run(0, "pkg_count = 0;\n"), "json")).toMatchObject({ state: "error", kind: "unparseable" });
  });

  it("non-zero exits with nothing to show are errors, never 'vulnerable' or 'clean'", () => {
    expect(classifyAudit(run(1, fx("copied-commands-1.15-clean-2x.txt")), "text")).toMatchObject({
      state: "error",
      kind: "inconsistent",
      message: 'pkg audit printed "0 problem(s) in 0 package(s) found." but exited 1',
    });
    expect(classifyAudit(run(1, ""), "text")).toMatchObject({ state: "error", kind: "unknown", message: "pkg audit exited 1 without reporting a vulnerable package" });
    expect(classifyAudit(run(1, "", "pkg: something new\n"), "quiet")).toMatchObject({ state: "error", kind: "unknown", message: "pkg audit exited 1 without reporting a vulnerable package: pkg: something new" });
    expect(classifyAudit(run(null, ""), "text")).toMatchObject({ state: "error", kind: "unknown", message: "pkg audit was killed by a signal without reporting a vulnerable package" });
    expect(classifyAudit(run(1, fx("composed-2x-clean.json")), "json")).toMatchObject({ state: "error", kind: "unknown" });
  });

  it("parseAudit dispatches on the format", () => {
    expect(parseAudit(sudo, "text").format).toBe("text");
    expect(parseAudit("a-1\n", "quiet").format).toBe("quiet");
    expect(parseAudit("{}", "json").format).toBe("json");
  });
});

describe("parseVulnerableJobMarkers (pkg ≥ 2.8 install/upgrade summaries)", () => {
  it("reads the (vulnerable!) items and the WARNING count", () => {
    expect(parseVulnerableJobMarkers(fx("composed-2.8-upgrade-vulnerable.txt"))).toEqual({
      items: [
        { package: "curl", line: "curl: 8.4.0 -> 8.5.0 (vulnerable!)" },
        { package: "unbound", line: "unbound-1.19.1 (options changed) (vulnerable!)" },
      ],
      warningCount: 2,
    });
  });

  it("accepts a trailing [repo] tag and ignores look-alikes", () => {
    const out = "\tnginx: 1.26.2_11,3 (vulnerable!) [FreeBSD]\n  not-an-item (vulnerable!)\n\tfoo: 1 (vulnerable!) trailing\n";
    expect(parseVulnerableJobMarkers(out)).toEqual({ items: [{ package: "nginx", line: "nginx: 1.26.2_11,3 (vulnerable!) [FreeBSD]" }], warningCount: null });
  });

  it("finds nothing in older pkg output (which does not mean 'not vulnerable')", () => {
    expect(parseVulnerableJobMarkers("Installed packages to be UPGRADED:\n\tcurl: 8.4.0 -> 8.5.0\n")).toEqual({ items: [], warningCount: null });
  });
});
