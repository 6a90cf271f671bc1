import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { splitPackageName } from "../../../src/pkg/version";
import {
  affects,
  boundHolds,
  decodeEntities,
  fnmatch,
  formatRange,
  inRange,
  matchingBlocks,
  parseVuxml,
  tokenizeXml,
  VuxmlParseError,
  vulnerabilitiesFor,
  vuxmlUrl,
  type VuxmlEntry,
} from "../../../src/pkg/vuxml";

const FIXTURES = join(__dirname, "../../fixtures/vuxml");
const sampleText = readFileSync(join(FIXTURES, "vuln-sample.xml"), "utf8");
const syntheticText = readFileSync(join(FIXTURES, "synthetic-heartbeat.xml"), "utf8");
const sample = parseVuxml(sampleText);
const synthetic = parseVuxml(syntheticText);

// ---------------------------------------------------------------------------------------------
// The table of test/fixtures/vuxml/README.md ("Entries, with versions for tests"), transcribed.
// `vulnerable` / `fixed`: [name-version, the rows (#) of the table whose entries flag it].
// The README's counts are the lengths of those lists; "(2, with #21)" becomes [8, 21].

interface Row {
  row: number;
  vid: string;
  topic: string; // the README's topic, up to its first "…" (it abbreviates long ones)
  vulnerable: [string, number[]][];
  fixed: [string, number[]][];
}

const TABLE: Row[] = [
  { row: 1, vid: "342f2a0a-5e9b-11f0-8baa-8447094a420f", topic: "Apache httpd -- Multiple vulnerabilities", vulnerable: [["apache24-2.4.63", [1]]], fixed: [["apache24-2.4.64", []]] },
  { row: 2, vid: "2a4472ed-5c0d-11f0-b991-291fce777db8", topic: "git -- multiple vulnerabilities", vulnerable: [["git-2.50.0", [2]], ["git-gui-2.49.0_1", [2]]], fixed: [["git-2.50.1", []]] },
  { row: 3, vid: "7b3e7f71-5b30-11f0-b507-000c295725e4", topic: "redis,valkey -- DoS ", vulnerable: [["redis-8.0.2", [3]], ["valkey-8.1.2", [3]]], fixed: [["redis-8.0.3", []], ["redis-7.0.15", []], ["valkey-8.1.3", []]] },
  { row: 4, vid: "7642ba72-5abf-11f0-87ba-002590c1f29c", topic: "FreeBSD -- Use-after-free in multi-threaded xz decoder", vulnerable: [["FreeBSD-14.2_3", [4]]], fixed: [["FreeBSD-14.2_4", []], ["FreeBSD-14.3", []]] },
  { row: 5, vid: "d607b12c-5821-11f0-ab92-f02f7497ecda", topic: "php -- Multiple vulnerabilities", vulnerable: [["php83-8.3.22", [5]], ["php84-8.4.9", [5]]], fixed: [["php83-8.3.23", []], ["php84-8.4.10", []]] },
  { row: 6, vid: "24f4b495-56a1-11f0-9621-93abbef07693", topic: "sudo -- privilege escalation ", vulnerable: [["sudo-1.9.17", [6]], ["sudo-1.9.16p2", [6]]], fixed: [["sudo-1.9.17p1", []]] },
  { row: 7, vid: "c2ad8700-de25-11ee-9190-84a93843eb75", topic: "Unbound -- Denial-of-Service vulnerability", vulnerable: [["unbound-1.19.1", [7]]], fixed: [["unbound-1.19.2", []], ["unbound-1.18.0", [12]]] },
  { row: 8, vid: "02e33cd1-c655-11ee-8613-08002784c58d", topic: "curl -- OCSP verification bypass with TLS session reuse", vulnerable: [["curl-8.5.0", [8]], ["curl-7.15.0", [8, 21]]], fixed: [["curl-8.6.0", []], ["curl-8.6.0_1", []]] },
  { row: 9, vid: "c97a4ecf-cc25-11ee-b0ee-0050569f0b83", topic: "nginx-devel -- Multiple Vulnerabilities in HTTP/3", vulnerable: [["nginx-devel-1.25.3", [9]]], fixed: [["nginx-devel-1.25.4", []], ["nginx-1.24.0", []]] },
  { row: 10, vid: "46a29f83-cb47-11ee-b609-002590c1f29c", topic: "FreeBSD -- jail(2) information leak", vulnerable: [["FreeBSD-kernel-14.0_4", [10]], ["FreeBSD-kernel-13.2_9", [10]]], fixed: [["FreeBSD-kernel-14.0_5", []], ["FreeBSD-kernel-13.2_10", []]] },
  { row: 11, vid: "c62285cb-cb46-11ee-b609-002590c1f29c", topic: "FreeBSD -- bhyveload(8) host file access", vulnerable: [["FreeBSD-14.0_4", [11]]], fixed: [["FreeBSD-14.0_5", []]] },
  { row: 12, vid: "21a854cc-cac1-11ee-b7a7-353f1e043d9a", topic: "DNSSEC validators -- ", vulnerable: [["bind918-9.18.23", [12]], ["bind916-9.16.47", [12]], ["dnsmasq-2.89_1", [12]]], fixed: [["bind918-9.18.24", []], ["bind9-devel-9.19.21", []], ["dnsmasq-2.90", []]] },
  { row: 13, vid: "19e6dd1b-c6a5-11ee-9cd0-6cc21735f730", topic: "postgresql-server -- non-owner REFRESH MATERIALIZED VIEW ", vulnerable: [["postgresql-server-15.5", [13]], ["postgresql-server-14.11", [13]]], fixed: [["postgresql-server-15.6", []], ["postgresql-server-16.2", []]] },
  { row: 14, vid: "33ba2241-c68e-11ee-9ef3-001999f8d30b", topic: "Composer -- Code execution and possible privilege escalation", vulnerable: [["php83-composer-2.6.6", [14]]], fixed: [["php83-composer-2.7.0", []]] },
  { row: 15, vid: "43768ff3-c683-11ee-97d0-001b217b3468", topic: "Libgit2 -- multiple vulnerabilities", vulnerable: [["libgit2-1.7.1", [15]], ["libgit2-1.6.4", [15]], ["eza-0.18.1", [15]]], fixed: [["libgit2-1.7.2", []], ["libgit2-1.6.5", []], ["eza-0.18.2", []]] },
  { row: 16, vid: "10dee731-c069-11ee-9190-84a93843eb75", topic: "OpenSSL -- Multiple vulnerabilities", vulnerable: [["openssl-3.0.12,1", [16]], ["openssl-3.0.12", [16]], ["openssl32-3.2.0", [16]], ["openssl-0.9.7g", [16, 22]]], fixed: [["openssl-3.0.13,1", []], ["openssl32-3.2.1", []]] },
  { row: 17, vid: "28b69630-9b10-11ed-97a6-6805ca2fa271", topic: "powerdns-recursor -- denial of service", vulnerable: [["powerdns-recursor-4.8.0", [12, 17]]], fixed: [["powerdns-recursor-4.8.1", [12]], ["powerdns-recursor-5.0.2", []]] },
  { row: 18, vid: "95176ba5-9796-11ed-bfbf-080027f5fec9", topic: "rack -- Multiple vulnerabilities", vulnerable: [["rubygem-rack-3.0.4,3", [18]], ["rubygem-rack-3.0.8", [18]]], fixed: [["rubygem-rack-3.0.4.1,3", []], ["rubygem-rack-3.0.8,3", []]] },
  { row: 19, vid: "00919005-96a3-11ed-86e9-d4c9ef517024", topic: "Apache httpd -- Multiple vulnerabilities", vulnerable: [["apache24-2.4.54", [1, 19]]], fixed: [["apache24-2.4.55", [1]], ["apache24-2.4.64", []]] },
  { row: 20, vid: "76e2fcce-92d2-11ed-a635-080027f5fec9", topic: "emacs -- arbitary shell command execution vulnerability of ctags", vulnerable: [["emacs-28.2_1,3", [20]], ["emacs-nox-28.2,3", [20]]], fixed: [["emacs-28.2_2,3", []], ["emacs-29.1,3", []]] },
  { row: 21, vid: "9b4facec-6761-11da-99f6-00123ffe8333", topic: "curl -- URL buffer overflow vulnerability", vulnerable: [["curl-7.15.0", [8, 21]], ["curl-7.12.0", [8, 21]]], fixed: [["curl-7.11.1", [8]], ["curl-8.6.0", []]] },
  { row: 22, vid: "60e26a40-3b25-11da-9484-00123ffe8333", topic: "openssl -- potential SSL 2.0 rollback", vulnerable: [["openssl-0.9.8_1", [16, 22]], ["FreeBSD-5.4_7", [22]]], fixed: [["openssl-0.9.8a", [16]], ["FreeBSD-5.4_8", []]] },
  { row: 23, vid: "30e4ed7b-1ca6-11da-bc01-000e0c2e438a", topic: "bind9 -- denial of service", vulnerable: [["bind9-9.3.0", [23]]], fixed: [["bind9-9.3.1", []]] },
  { row: 24, vid: "3f4ac724-fa8b-11d9-afcf-0060084a00e5", topic: "fetchmail -- denial of service/crash from malicious POP3 server", vulnerable: [["fetchmail-6.2.5.1", [24]]], fixed: [["fetchmail-6.2.5", []], ["fetchmail-6.2.5.2", []]] },
  { row: 25, vid: "eeae6cce-d05c-11d9-9aed-000e0c2e438a", topic: "mysql-server -- insecure temporary file creation", vulnerable: [["mysql-server-4.1.11", [25]]], fixed: [["mysql-server-4.1.12", []], ["mysql-server-4.1", []]] },
  { row: 26, vid: "9a035a56-eff0-11d9-8310-0001020eed82", topic: "ekg -- insecure temporary file creation", vulnerable: [["pl-ekg-1.6r1,1", [26]], ["pl-ekg-1.6", [26]]], fixed: [["pl-ekg-1.6r2,1", []]] },
  { row: 27, vid: "3bf157fa-e1c6-11d9-b875-0001020eed82", topic: "sudo -- local race condition vulnerability", vulnerable: [["sudo-1.6.8.8", [6, 27]]], fixed: [["sudo-1.6.8.9", [6]], ["sudo-1.9.17p1", []]] },
  { row: 28, vid: "045944a0-6bca-11d9-aaa6-000a95bc6fae", topic: "sudo -- environmental variable CDPATH is not cleared", vulnerable: [["sudo-1.6.8.3", [6, 27, 28]]], fixed: [["sudo-1.6.8.4", [6, 27]]] },
  { row: 29, vid: "e8c6ade2-6bcc-11d9-8e6f-000a95bc6fae", topic: "", vulnerable: [], fixed: [] },
];

const rowOfVid = new Map(TABLE.map((r) => [r.vid, r.row]));
const entryOfRow = (row: number): VuxmlEntry => {
  const vid = TABLE[row - 1]!.vid;
  const e = sample.find((x) => x.vid === vid);
  if (!e) throw new Error(`no entry ${vid}`);
  return e;
};
/** The table rows whose entries flag `pkg` (a name-version), sorted. */
function flaggingRows(entries: readonly VuxmlEntry[], pkg: string): number[] {
  const p = splitPackageName(pkg);
  if (!p) throw new Error(`bad vector ${pkg}`);
  return vulnerabilitiesFor(entries, p.name, p.version)
    .map((e) => rowOfVid.get(e.vid) ?? -1)
    .sort((a, b) => a - b);
}

describe("vuln-sample.xml", () => {
  it("is the unmodified shared sample (sha256 from its README)", () => {
    const sha = createHash("sha256").update(readFileSync(join(FIXTURES, "vuln-sample.xml"))).digest("hex");
    expect(sha).toBe("113f7fbcbae02c676f60752bc484f45c03648426aa6bd7b8e74657e901cd3325");
  });

  it("parses 29 entries, 28 live and 1 cancelled, in table order", () => {
    expect(sample).toHaveLength(29);
    expect(sample.map((e) => e.vid)).toEqual(TABLE.map((r) => r.vid));
    expect(sample.filter((e) => e.packages.length > 0)).toHaveLength(28);
    const cancelled = sample.filter((e) => e.cancelled);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.cancelled).toEqual({ superseded: "e3cf89f0-53da-11d9-92b7-ceadd4ac2edd" });
    expect(cancelled[0]!.topic).toBe("");
  });

  it("has the README's topics", () => {
    for (const r of TABLE) {
      if (r.row === 29) continue;
      expect(entryOfRow(r.row).topic.startsWith(r.topic), `#${r.row}`).toBe(true);
    }
  });

  it("the table covers every entry and every entry flags its own vulnerable vectors", () => {
    expect(new Set(TABLE.map((r) => r.vid)).size).toBe(29);
    for (const r of TABLE) for (const [pkg, rows] of r.vulnerable) expect(rows, `${pkg} under #${r.row}`).toContain(r.row);
    for (const r of TABLE) for (const [pkg, rows] of r.fixed) expect(rows, `${pkg} under #${r.row}`).not.toContain(r.row);
  });

  const vectors = TABLE.flatMap((r) => [
    ...r.vulnerable.map(([pkg, rows]) => [r.row, "vulnerable", pkg, rows] as const),
    ...r.fixed.map(([pkg, rows]) => [r.row, "fixed", pkg, rows] as const),
  ]);

  it("has 98 README vectors (47 vulnerable, 51 fixed / not flagged)", () => {
    expect(vectors).toHaveLength(98);
    expect(vectors.filter((v) => v[1] === "vulnerable")).toHaveLength(47);
  });

  it.each(vectors)("#%i %s: %s is flagged by exactly rows %j", (row, kind, pkg, rows) => {
    const p = splitPackageName(pkg)!;
    expect(affects(entryOfRow(row), p.name, p.version)).toBe(kind === "vulnerable");
    expect(flaggingRows(sample, pkg)).toEqual(rows);
  });

  it("heartbeat-1.2.3 gives 0 problems (no heartbeat entry in the sample)", () => {
    expect(flaggingRows(sample, "heartbeat-1.2.3")).toEqual([]);
  });

  it("the cancelled entry never flags anything, even by bare name", () => {
    const c = entryOfRow(29);
    for (const n of ["FreeBSD", "sudo", "openssl", "*", ""]) {
      expect(affects(c, n)).toBe(false);
      expect(affects(c, n, "0")).toBe(false);
    }
  });

  it("reads every part of an entry (#1)", () => {
    const e = entryOfRow(1);
    expect(e.topic).toBe("Apache httpd -- Multiple vulnerabilities");
    expect(e.packages).toEqual([{ names: ["apache24"], ranges: [{ bounds: [{ op: "lt", version: "2.4.64" }] }] }]);
    expect(e.systems).toEqual([]);
    expect(e.cves).toEqual([
      "CVE-2024-42516",
      "CVE-2024-43204",
      "CVE-2024-43394",
      "CVE-2024-47252",
      "CVE-2025-23048",
      "CVE-2025-49630",
      "CVE-2025-49812",
      "CVE-2025-53020",
    ]);
    expect(e.urls).toEqual(["https://httpd.apache.org/security/vulnerabilities_24.html"]);
    expect(e.dates).toEqual({ discovery: "2025-07-10", entry: "2025-07-11" });
    expect(e.cancelled).toBeUndefined();
    expect(sampleText.split("\n")[e.line - 1]).toContain('<vuln vid="342f2a0a-5e9b-11f0-8baa-8447094a420f">');
  });

  it("reads multi-name blocks, two-bound ranges, several ranges and epochs", () => {
    expect(entryOfRow(2).packages[0]!.names).toEqual(["git", "git-cvs", "git-gui", "git-p4", "git-svn"]);
    expect(entryOfRow(7).packages[0]!.ranges).toEqual([
      { bounds: [{ op: "gt", version: "1.18.0" }, { op: "lt", version: "1.19.2" }] },
    ]);
    expect(entryOfRow(13).packages[0]!.ranges.map(formatRange)).toEqual(["< 15.6", "< 14.11", "< 13.14", "< 12.18"]);
    expect(entryOfRow(20).packages.map((p) => p.ranges.map(formatRange))).toEqual([["< 28.2_2,3"], ["< 30.0.50.202211128,2"]]);
    const ssl = entryOfRow(22).packages[0]!;
    expect(ssl.ranges.map(formatRange)).toEqual(["<= 0.9.7g", ">= 0.9.8 : <= 0.9.8_1", ">= 0.9.*_20050325 : <= 0.9.*_20051011"]);
    expect(entryOfRow(23).packages[0]!.ranges.map(formatRange)).toEqual(["= 9.3.0"]);
  });

  it("keeps every reference kind in order and decodes entities", () => {
    expect(entryOfRow(21).references.map((r) => r.kind)).toEqual(["bid", "cvename", "url", "url", "url"]);
    expect(entryOfRow(4).references).toEqual([
      { kind: "cvename", text: "CVE-2025-31115" },
      { kind: "freebsdsa", text: "SA-25:06.xz" },
    ]);
    expect(entryOfRow(23).references.map((r) => r.kind)).toEqual(["certvu", "cvename", "url", "url"]);
    const ekg = entryOfRow(26);
    expect(ekg.references.find((r) => r.kind === "mlist")!.text).toBe("http://marc.theaimsgroup.com/?l=bugtraq&m=112060146011122");
    expect(entryOfRow(28).cves).toEqual([]);
    expect(entryOfRow(9).urls).toEqual([]);
  });

  it("every live entry has a topic, a discovery and an entry date", () => {
    for (const e of sample.filter((x) => !x.cancelled)) {
      expect(e.topic.length).toBeGreaterThan(0);
      expect(e.dates.discovery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.dates.entry).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.packages.every((p) => p.names.length > 0 && p.ranges.length > 0)).toBe(true);
    }
  });

  it("a bare name (no version) matches every entry for it, as pkg audit NAME does", () => {
    expect(vulnerabilitiesFor(sample, "sudo").map((e) => rowOfVid.get(e.vid))).toEqual([6, 27, 28]);
    expect(vulnerabilitiesFor(sample, "FreeBSD").map((e) => rowOfVid.get(e.vid))).toEqual([4, 11, 22, 23]);
    expect(vulnerabilitiesFor(sample, "unbound").map((e) => rowOfVid.get(e.vid))).toEqual([7, 12]);
    expect(vulnerabilitiesFor(sample, "heartbeat")).toEqual([]);
  });

  it("matchingBlocks returns the ranges that hit", () => {
    const m = matchingBlocks(entryOfRow(13), "postgresql-server", "14.11");
    expect(m).toHaveLength(1);
    expect(m[0]!.ranges.map(formatRange)).toEqual(["< 15.6"]);
    expect(matchingBlocks(entryOfRow(13), "postgresql-server", "16.2")).toEqual([]);
    expect(matchingBlocks(entryOfRow(13), "postgresql-server")[0]!.ranges).toHaveLength(4);
    expect(matchingBlocks(entryOfRow(13), "postgresql-client", "1")).toEqual([]);
  });
});

describe("synthetic-heartbeat.xml (SYNTHETIC, not a real advisory)", () => {
  it("is clearly labelled synthetic", () => {
    expect(synthetic).toHaveLength(1);
    const e = synthetic[0]!;
    expect(e.topic).toMatch(/^SYNTHETIC /);
    expect(e.topic).toMatch(/not a real advisory/);
    expect(syntheticText).toMatch(/<!--\s+SYNTHETIC TEST DATA\. NOT A REAL ADVISORY\./);
    expect(e.vid).toBe("00000000-0000-0000-0000-000000000001");
    expect(e.cves).toEqual([]);
    expect(e.urls).toEqual([]);
    expect(e.packages).toEqual([{ names: ["heartbeat"], ranges: [{ bounds: [{ op: "lt", version: "3.0.6_4" }] }] }]);
    // The vid is not reused by any real sample entry.
    expect(sample.some((x) => x.vid === e.vid)).toBe(false);
  });

  it("flags heartbeat below 3.0.6_4 only, with pkg's revision ordering", () => {
    const e = synthetic[0]!;
    for (const v of ["3.0.6_3", "3.0.6", "3.0.5_9", "1.2.3", "3.0.6_3,0"]) expect(affects(e, "heartbeat", v), v).toBe(true);
    for (const v of ["3.0.6_4", "3.0.6_10", "3.0.6_15", "3.0.7", "3.0.6.0_4", "1.0,1"]) expect(affects(e, "heartbeat", v), v).toBe(false);
    expect(affects(e, "heartbeat-gui", "1.0")).toBe(false);
    expect(affects(e, "Heartbeat", "1.0")).toBe(false); // fnmatch is case-sensitive
  });

  it("combined with the sample, heartbeat-1.2.3 gets exactly the synthetic entry", () => {
    const all = [...sample, ...synthetic];
    expect(vulnerabilitiesFor(all, "heartbeat", "1.2.3").map((e) => e.vid)).toEqual(["00000000-0000-0000-0000-000000000001"]);
    expect(vulnerabilitiesFor(all, "heartbeat", "3.0.6_4")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("matching rules", () => {
  const entry = (xml: string): VuxmlEntry => parseVuxml(`<vuxml><vuln vid="v">${xml}</vuln></vuxml>`)[0]!;

  it("each bound operator", () => {
    const b = (op: "lt" | "le" | "gt" | "ge" | "eq", v: string) => ({ op, version: v });
    expect(boundHolds("1.0", b("lt", "1.1"))).toBe(true);
    expect(boundHolds("1.1", b("lt", "1.1"))).toBe(false);
    expect(boundHolds("1.1", b("le", "1.1.0"))).toBe(true);
    expect(boundHolds("1.2", b("le", "1.1"))).toBe(false);
    expect(boundHolds("1.2", b("gt", "1.1"))).toBe(true);
    expect(boundHolds("1.1", b("gt", "1.1"))).toBe(false);
    expect(boundHolds("1.1", b("ge", "1.1"))).toBe(true);
    expect(boundHolds("1.0", b("ge", "1.1"))).toBe(false);
    expect(boundHolds("1", b("eq", "1.0.0"))).toBe(true);
    expect(boundHolds("1_1", b("eq", "1"))).toBe(false);
  });

  it("a range with no bound matches everything; only the first two bounds count (as pkg)", () => {
    expect(inRange("0", { bounds: [] })).toBe(true);
    const three = { bounds: [{ op: "ge" as const, version: "1" }, { op: "lt" as const, version: "2" }, { op: "eq" as const, version: "9" }] };
    expect(inRange("1.5", three)).toBe(true);
    expect(formatRange(three)).toBe(">= 1 : < 2");
  });

  it("names are fnmatch globs", () => {
    const e = entry("<affects><package><name>py3*-django</name><range><lt>4.2</lt></range></package></affects>");
    expect(affects(e, "py311-django", "4.1")).toBe(true);
    expect(affects(e, "py39-django", "4.1")).toBe(true);
    expect(affects(e, "py27-django", "4.1")).toBe(false);
    expect(affects(e, "py311-django", "4.2")).toBe(false);
  });

  it("a block with names but no range matches only a bare name", () => {
    const e = entry("<affects><package><name>foo</name></package></affects>");
    expect(affects(e, "foo")).toBe(true);
    expect(affects(e, "foo", "1.0")).toBe(false);
  });

  it("<system> blocks are parsed but ignored, as pkg ignores them", () => {
    const e = entry("<affects><system><name>FreeBSD</name><range><lt>5.0</lt></range></system></affects>");
    expect(e.systems).toEqual([{ names: ["FreeBSD"], ranges: [{ bounds: [{ op: "lt", version: "5.0" }] }] }]);
    expect(e.packages).toEqual([]);
    expect(affects(e, "FreeBSD", "4.0")).toBe(false);
  });

  it("ranges stay with their own <package> block", () => {
    const e = entry(
      "<affects><package><name>a</name><range><lt>1</lt></range></package>" +
        "<package><name>b</name><range><lt>5</lt></range></package></affects>",
    );
    expect(affects(e, "a", "2")).toBe(false);
    expect(affects(e, "b", "2")).toBe(true);
  });
});

describe("fnmatch", () => {
  it.each([
    ["foo", "foo", true],
    ["foo", "foobar", false],
    ["foo*", "foobar", true],
    ["*", "", true],
    ["*bar", "foobar", true],
    ["f?o", "fxo", true],
    ["f?o", "fo", false],
    ["[abc]x", "bx", true],
    ["[!abc]x", "bx", false],
    ["[^abc]x", "dx", true],
    ["[a-c]x", "cx", true],
    ["[a-c]x", "dx", false],
    ["[]]", "]", true],
    ["[!]]", "a", true],
    ["[", "[", true],
    ["[ab", "[ab", true],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyy", false],
    ["*/*", "a/b", true],
    ["linux-*", "linux-c7-curl", true],
    ["php8[0-9]", "php83", true],
    ["php8[0-9]", "php8x", false],
  ] as const)("fnmatch(%j, %j) = %s", (p, s, want) => {
    expect(fnmatch(p, s)).toBe(want);
  });

  it("is fast on pathological patterns (memoised)", () => {
    const t0 = Date.now();
    expect(fnmatch("*a*a*a*a*a*a*a*a*b", "a".repeat(60))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("tokenizer and well-formedness", () => {
  it("decodes the predefined entities and character references, keeps unknown ones", () => {
    expect(decodeEntities("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;")).toBe("a <b> & \"c\" 'd' AB");
    expect(decodeEntities("&nbsp; &bogus &#xZZ;")).toBe("&nbsp; &bogus &#xZZ;");
  });

  it("handles comments, CDATA, PIs, DOCTYPE with an internal subset, self-closing tags and quotes", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE vuxml [ <!ENTITY x "a>b]"> ]>
<!-- <vuln vid="commented-out"> -->
<vuxml><vuln vid='q&amp;1'><topic><![CDATA[a <raw> & topic]]></topic>
<cancelled superseded = "s" /></vuln></vuxml>`;
    const [e, ...rest] = parseVuxml(xml);
    expect(rest).toEqual([]);
    expect(e!.vid).toBe("q&1");
    expect(e!.topic).toBe("a <raw> & topic");
    expect(e!.cancelled).toEqual({ superseded: "s" });
    expect(e!.line).toBe(4);
    const toks = tokenizeXml("<a x='1'/>t</a>");
    expect(toks[0]).toEqual({ kind: "open", name: "a", attrs: { x: "1" }, selfClosing: true, line: 1 });
  });

  it("skips the XHTML description, even when it has elements named like VuXML ones", () => {
    const [e] = parseVuxml(
      `<vuxml><vuln vid="v"><topic>t</topic><description><body><topic>not me</topic><name>x</name><cvename>CVE-0</cvename></body></description>` +
        `<references><cvename>CVE-1</cvename></references></vuln></vuxml>`,
    );
    expect(e!.topic).toBe("t");
    expect(e!.cves).toEqual(["CVE-1"]);
    expect(e!.packages).toEqual([]);
  });

  it("trims text and joins text split by markup", () => {
    const [e] = parseVuxml(`<vuln vid="v">\n<topic>\n  foo &amp; <b>bar</b>\n</topic></vuln>`);
    expect(e!.topic).toBe("foo & bar");
  });

  it("rejects malformed XML with a line number", () => {
    const bad: [string, RegExp][] = [
      ["<vuxml><vuln></vuxml>", /line 1: end tag <\/vuxml> does not match <vuln>/],
      ["<vuxml>\n<vuln>", /line 2: unexpected end of text: <vuln> is not closed/],
      ["</vuxml>", /unexpected end tag/],
      ["<vuxml><!-- never ends", /unterminated comment/],
      ["<vuxml a=1></vuxml>", /not quoted/],
      ["<vuxml a></vuxml>", /has no value/],
      ["<vuxml a='1></vuxml>", /unterminated value/],
      ["<vuxml", /unterminated start tag/],
      ["a < b", /malformed start tag/],
      ["<a></ a>", /malformed end tag/],
      ["<a><![CDATA[x</a>", /unterminated CDATA/],
      ["<!DOCTYPE x", /unterminated <!…> declaration/],
    ];
    for (const [xml, re] of bad) {
      expect(() => parseVuxml(xml), xml).toThrow(VuxmlParseError);
      expect(() => parseVuxml(xml), xml).toThrow(re);
    }
  });

  it("never throws anything but VuxmlParseError on mutated sample text", () => {
    let seed = 99;
    const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let k = 0; k < 200; k++) {
      const cut = Math.floor(r() * sampleText.length);
      const del = Math.floor(r() * 40);
      const mutated = sampleText.slice(0, cut) + sampleText.slice(cut + del);
      try {
        parseVuxml(mutated);
      } catch (e) {
        expect(e).toBeInstanceOf(VuxmlParseError);
      }
    }
  });

  it("vuxmlUrl builds pkg's WWW link", () => {
    expect(vuxmlUrl("24f4b495-56a1-11f0-9621-93abbef07693")).toBe(
      "https://vuxml.FreeBSD.org/freebsd/24f4b495-56a1-11f0-9621-93abbef07693.html",
    );
  });
});
