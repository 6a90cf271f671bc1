/**
 * Parsers for `pkg audit` output, in every wording pkg has used, and a classifier that turns a
 * finished `pkg audit` run into clean / vulnerable / error without trusting exit codes blindly.
 *
 * Output forms (commands.md §1.15, §8; libpkg/pkg_audit.c, src/audit.c):
 *
 * - **plain** (`pkg audit [-F] [-r] [name[-version] …]`): one block per vulnerable package
 *   ```
 *   sudo-1.9.17 is vulnerable:
 *     sudo -- privilege escalation vulnerability through host and chroot options
 *     CVE: CVE-2025-32462
 *     CVE: CVE-2025-32463
 *     WWW: https://vuxml.FreeBSD.org/freebsd/24f4b495-56a1-11f0-9621-93abbef07693.html
 *
 *   1 problem(s) in 1 package(s) found.
 *   ```
 *   Each issue is its topic, one `CVE:` line per CVE, a `WWW:` line and a blank line. A
 *   bare-name argument (no version) puts `Affected versions:` and range lines (`>= 1.0 : < 2.0`)
 *   before each topic; `-r` adds `Packages that depend on NAME: a, b`. The summary is
 *   `N problem(s) in M package(s) found.` in pkg 2.x, `N problem(s) in M installed package(s)
 *   found.` in pkg 1.x (1.19, 1.21 …), and `N problem(s) in the installed packages found.`
 *   (N = vulnerable packages) in very old releases, whose blocks were also not indented and
 *   whose links used `http://`. All three are accepted. Fetch notices (`-F`) may come first.
 * - **quiet** (`-q`): one `name-version` line per vulnerable package, no summary.
 * - **raw JSON** (`-R json`, `--raw=json`, `json-compact`): `{"pkg_count":N,"packages":{NAME:
 *   {"version":…,"issue_count":…,"issues":[{"Affected versions":[…],"description":…,"cve":[…],
 *   "url":…}],"reverse dependencies":[…]}}}`. The UCL/YAML raw forms are not parsed: ask for JSON.
 *
 * Note on `WWW:`/`url`: pkg prints the entry's URL if it has one, otherwise the vuxml page of
 * the vid. pkg's VuXML reader never fills the URL from `<url>` references, so in practice the
 * link is always the vuxml page, and {@link AuditVulnerability.vuxmlId} can be read from it.
 *
 * Exit codes (see {@link classifyAudit}): pkg audit exits 1 both when something is vulnerable
 * and on most errors (pkg ≥ 1.x), older releases used sysexits codes (64, 65, 70, 74, 75, 77)
 * for errors and 1 for "vulnerable", and a sandbox failure returns 3. So only exit 0 is given a
 * meaning (nothing vulnerable was reported and nothing failed); the state always comes from the
 * output, and a reported vulnerability is never discarded because of an exit code.
 *
 * Pure: no I/O.
 */

/** One issue reported for a package. */
export interface AuditVulnerability {
  /** The VuXML topic (`description` in raw output), e.g. `curl -- URL buffer overflow vulnerability`. */
  topic: string;
  /** CVE names, in the order pkg printed them. */
  cves: string[];
  /** The VuXML vid, when the link is a vuxml.FreeBSD.org entry page; otherwise null. */
  vuxmlId: string | null;
  /** The `WWW:` link (`url` in raw output), or null when pkg printed none. */
  url: string | null;
  /** Range lines (`>= 1.0 : < 2.0`), present only when pkg printed `Affected versions:`. */
  affectedVersions?: string[];
}

/** One vulnerable package and its issues. */
export interface AuditPackage {
  /** The package name (`nginx`), or the argument as given when no version was audited. */
  package: string;
  /** The version pkg audited (`1.24.0_12,3`), or null for a bare-name audit. */
  version: string | null;
  /** The issues, in the order pkg printed them (empty for quiet output: pkg does not print them). */
  vulnerabilities: AuditVulnerability[];
  /** `-r` only: the installed packages that depend on this one. */
  reverseDependencies?: string[];
}

/** Which summary wording was seen. */
export type AuditWording =
  /** pkg 2.x: `N problem(s) in M package(s) found.` */
  | "2.x"
  /** pkg 1.x (1.19, 1.21 …): `N problem(s) in M installed package(s) found.` */
  | "1.x"
  /** very old pkg: `N problem(s) in the installed packages found.` (N = packages) */
  | "legacy";

/** The summary line of plain output. */
export interface AuditSummary {
  /** N: issues found (for the legacy wording: vulnerable packages). */
  problems: number;
  /** M: vulnerable packages; null for the legacy wording, which does not print it. */
  packages: number | null;
  wording: AuditWording;
  /** The line as printed. */
  line: string;
}

/** The output format a parser reads. */
export type AuditFormat = "text" | "quiet" | "json";

/** Everything read from one `pkg audit` stdout. */
export interface AuditReport {
  format: AuditFormat;
  /** Vulnerable packages, in output order. */
  packages: AuditPackage[];
  /** Plain output's summary line; null for quiet/JSON output or when it is missing. */
  summary: AuditSummary | null;
  /** Issues found: from the summary (or `issue_count`s) when pkg printed them, else counted; null for quiet output. */
  problemCount: number | null;
  /** Vulnerable packages: from the summary (or `pkg_count`) when printed, else counted. */
  packageCount: number;
  /** Lines outside any block, such as `vulnxml file up-to-date` or `Fetching vuln.xml.xz: … done`. */
  notices: string[];
}

/** Thrown when output cannot be read as the requested format. */
export class AuditParseError extends Error {
  /** 1-based line of stdout where reading failed, when known. */
  readonly line?: number;

  /**
   * @param message what is wrong
   * @param line the 1-based line, if known
   */
  constructor(message: string, line?: number) {
    super(line === undefined ? `pkg audit output: ${message}` : `pkg audit output: line ${line}: ${message}`);
    this.name = "AuditParseError";
    if (line !== undefined) this.line = line;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

const VUXML_PAGE = /^https?:\/\/(?:www\.)?vuxml\.freebsd\.org\/freebsd\/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\.html$/i;

/** The vid in a vuxml.FreeBSD.org entry link (`https://vuxml.FreeBSD.org/freebsd/<vid>.html`), or null. */
export function vuxmlIdFromUrl(url: string): string | null {
  const m = VUXML_PAGE.exec(url.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** Splits `name-version` at the last `-`; a string without a usable `-` is a bare name. */
function splitHeader(s: string): { package: string; version: string | null } {
  const i = s.lastIndexOf("-");
  if (i <= 0 || i === s.length - 1) return { package: s, version: null };
  return { package: s.slice(0, i), version: s.slice(i + 1) };
}

const lines = (text: string): string[] => {
  const ls = text.replace(/\r\n/g, "\n").split("\n");
  if (ls.length > 0 && ls[ls.length - 1] === "") ls.pop();
  return ls;
};

const SUMMARY: readonly [RegExp, AuditWording][] = [
  [/^(\d+) problem\(s\) in (\d+) package\(s\) found\.$/, "2.x"],
  [/^(\d+) problem\(s\) in (\d+) installed package\(s\) found\.$/, "1.x"],
  [/^(\d+) problem\(s\) in the installed packages found\.$/, "legacy"],
];

/** Reads a summary line in any wording, or undefined when `line` is not one. */
export function parseAuditSummary(line: string): AuditSummary | undefined {
  const t = line.trim();
  for (const [re, wording] of SUMMARY) {
    const m = re.exec(t);
    if (m) {
      return { problems: Number(m[1]), packages: m[2] === undefined ? null : Number(m[2]), wording, line: t };
    }
  }
  return undefined;
}

const HEADER = /^(\S+) is vulnerable:$/;
const RANGE_LINE = /^(?:<|<=|>|>=|=) \S+(?: : (?:<|<=|>|>=|=) \S+)?$/;
const RDEPS = /^Packages that depend on (\S+): ?(.*)$/;

// ---------------------------------------------------------------------------------------------
// Plain text

/**
 * Parses plain `pkg audit` output (any wording: pkg 2.x, 1.x or legacy; indented or not).
 * Tolerates fetch notices before the first block and a missing summary (then the counts are
 * computed from the blocks). Throws {@link AuditParseError} when a block is malformed (an issue
 * without a topic, a `CVE:` line outside an issue, text after the summary).
 */
export function parseAuditText(stdout: string): AuditReport {
  const packages: AuditPackage[] = [];
  const notices: string[] = [];
  let summary: AuditSummary | null = null;
  let pkg: (AuditPackage & { sawAffected: boolean }) | undefined;
  let issue: AuditVulnerability | undefined;
  /** `Affected versions:` seen; range lines follow until the topic. */
  let pendingRanges: string[] | undefined;

  const closeIssue = (): void => {
    if (pkg && issue) pkg.vulnerabilities.push(issue);
    issue = undefined;
  };
  const closePackage = (ln: number): void => {
    if (pendingRanges !== undefined) throw new AuditParseError("'Affected versions:' without a topic", ln);
    closeIssue();
    if (pkg) {
      const { sawAffected, ...p } = pkg;
      if (sawAffected) {
        // A bare-name audit: the header is the name as given, not name-version.
        p.version = null;
        p.package = pkg.version === null ? pkg.package : `${pkg.package}-${pkg.version}`;
      }
      // Very old pkg printed the header once per issue: merge a repeated adjacent header.
      const last = packages[packages.length - 1];
      if (last && last.package === p.package && last.version === p.version && p.reverseDependencies === undefined) {
        last.vulnerabilities.push(...p.vulnerabilities);
      } else packages.push(p);
    }
    pkg = undefined;
  };

  const ls = lines(stdout);
  for (let i = 0; i < ls.length; i++) {
    const ln = i + 1;
    const raw = ls[i]!;
    const t = raw.trim();
    if (summary) {
      if (t === "") continue;
      throw new AuditParseError(`unexpected text after the summary line: ${JSON.stringify(raw)}`, ln);
    }
    const h = HEADER.exec(raw);
    if (h) {
      closePackage(ln);
      const { package: name, version } = splitHeader(h[1]!);
      pkg = { package: name, version, vulnerabilities: [], sawAffected: false };
      continue;
    }
    const s = parseAuditSummary(raw);
    if (s && raw === s.line) {
      closePackage(ln);
      summary = s;
      continue;
    }
    if (!pkg) {
      if (t !== "") notices.push(t);
      continue;
    }
    if (t === "") {
      // Ends an issue once its WWW line was seen; otherwise harmless.
      if (issue && issue.url !== null) closeIssue();
      continue;
    }
    if (t === "Affected versions:") {
      closeIssue();
      pendingRanges = [];
      pkg.sawAffected = true;
      continue;
    }
    if (pendingRanges !== undefined && RANGE_LINE.test(t)) {
      pendingRanges.push(t);
      continue;
    }
    const rd = RDEPS.exec(t);
    if (rd && rd[1] !== undefined) {
      closeIssue();
      const list = (rd[2] ?? "").trim();
      pkg.reverseDependencies = list === "" ? [] : list.split(/,\s*/).filter(Boolean);
      continue;
    }
    if (t.startsWith("CVE: ")) {
      if (!issue || issue.url !== null) throw new AuditParseError(`CVE line outside an issue: ${JSON.stringify(raw)}`, ln);
      issue.cves.push(t.slice(5).trim());
      continue;
    }
    if (t.startsWith("WWW: ") || t === "WWW:") {
      if (!issue || issue.url !== null) throw new AuditParseError(`WWW line outside an issue: ${JSON.stringify(raw)}`, ln);
      issue.url = t.slice(4).trim();
      issue.vuxmlId = vuxmlIdFromUrl(issue.url);
      continue;
    }
    // Anything else is the topic of a new issue.
    closeIssue();
    issue = { topic: t, cves: [], vuxmlId: null, url: null };
    if (pendingRanges !== undefined) {
      issue.affectedVersions = pendingRanges;
      pendingRanges = undefined;
    }
  }
  closePackage(ls.length);

  const counted = packages.reduce((n, p) => n + p.vulnerabilities.length, 0);
  return {
    format: "text",
    packages,
    summary,
    problemCount: summary && summary.wording !== "legacy" ? summary.problems : counted,
    packageCount: summary?.packages ?? (summary?.wording === "legacy" ? summary.problems : packages.length),
    notices,
  };
}

// ---------------------------------------------------------------------------------------------
// Quiet

/**
 * Parses `pkg audit -q` output: one `name-version` (or bare `name`) line per vulnerable package.
 * The issues are not printed in this form, so `vulnerabilities` are empty and `problemCount` is
 * null. Throws {@link AuditParseError} on a line that is not a single word (so plain output
 * passed here by mistake is not misread).
 */
export function parseAuditQuiet(stdout: string): AuditReport {
  const packages: AuditPackage[] = [];
  const ls = lines(stdout);
  for (let i = 0; i < ls.length; i++) {
    const t = ls[i]!.trim();
    if (t === "") continue;
    if (/\s/.test(t) || t.endsWith(":")) {
      throw new AuditParseError(`expected one name-version per line, got ${JSON.stringify(ls[i])}`, i + 1);
    }
    const { package: name, version } = splitHeader(t);
    packages.push({ package: name, version, vulnerabilities: [] });
  }
  return { format: "quiet", packages, summary: null, problemCount: null, packageCount: packages.length, notices: [] };
}

// ---------------------------------------------------------------------------------------------
// JSON

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown, what: string): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new AuditParseError(`${what} must be an array of strings`);
  return v as string[];
};
const count = (v: unknown, what: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new AuditParseError(`${what} must be a non-negative integer`);
  return v;
};

/**
 * Parses `pkg audit -R json` / `--raw=json` / `json-compact` output. Lines before the JSON
 * object (fetch notices) are kept as notices. Throws {@link AuditParseError} when there is no
 * JSON object or it does not have pkg's shape.
 */
export function parseAuditJson(stdout: string): AuditReport {
  const ls = lines(stdout);
  const start = ls.findIndex((l) => l.trimStart().startsWith("{"));
  if (start < 0) throw new AuditParseError("no JSON object found (was --raw=json given?)");
  const notices = ls.slice(0, start).map((l) => l.trim()).filter(Boolean);
  let doc: unknown;
  try {
    doc = JSON.parse(ls.slice(start).join("\n"));
  } catch (e) {
    throw new AuditParseError(`invalid JSON: ${(e as Error).message}`, start + 1);
  }
  if (!isObject(doc)) throw new AuditParseError("the JSON document is not an object");
  const pkgCount = count(doc["pkg_count"], "pkg_count");
  const pkgsRaw = doc["packages"] ?? {};
  if (!isObject(pkgsRaw)) throw new AuditParseError("packages must be an object");
  const packages: AuditPackage[] = [];
  let issueTotal = 0;
  for (const [name, body] of Object.entries(pkgsRaw)) {
    if (!isObject(body)) throw new AuditParseError(`packages.${name} must be an object`);
    const version = body["version"];
    if (version !== undefined && typeof version !== "string") throw new AuditParseError(`packages.${name}.version must be a string`);
    const issuesRaw = body["issues"] ?? [];
    if (!Array.isArray(issuesRaw)) throw new AuditParseError(`packages.${name}.issues must be an array`);
    const vulnerabilities = issuesRaw.map((iss, k): AuditVulnerability => {
      const where = `packages.${name}.issues[${k}]`;
      if (!isObject(iss)) throw new AuditParseError(`${where} must be an object`);
      const desc = iss["description"];
      if (typeof desc !== "string") throw new AuditParseError(`${where}.description must be a string`);
      const url = iss["url"];
      if (url !== undefined && typeof url !== "string") throw new AuditParseError(`${where}.url must be a string`);
      const v: AuditVulnerability = {
        topic: desc,
        cves: strings(iss["cve"], `${where}.cve`),
        vuxmlId: url === undefined ? null : vuxmlIdFromUrl(url),
        url: url ?? null,
      };
      const affected = iss["Affected versions"];
      if (affected !== undefined) v.affectedVersions = strings(affected, `${where}["Affected versions"]`);
      return v;
    });
    const issueCount = count(body["issue_count"], `packages.${name}.issue_count`);
    issueTotal += issueCount ?? vulnerabilities.length;
    const p: AuditPackage = { package: name, version: version ?? null, vulnerabilities };
    if (body["reverse dependencies"] !== undefined) {
      p.reverseDependencies = strings(body["reverse dependencies"], `packages.${name}["reverse dependencies"]`);
    }
    packages.push(p);
  }
  return {
    format: "json",
    packages,
    summary: null,
    problemCount: issueTotal,
    packageCount: pkgCount ?? packages.length,
    notices,
  };
}

/** Parses `pkg audit` stdout in the given format (see the three parsers). */
export function parseAudit(stdout: string, format: AuditFormat): AuditReport {
  switch (format) {
    case "text":
      return parseAuditText(stdout);
    case "quiet":
      return parseAuditQuiet(stdout);
    case "json":
      return parseAuditJson(stdout);
  }
}

// ---------------------------------------------------------------------------------------------
// Classification

/** Why a `pkg audit` run failed, from its stderr. */
export type AuditErrorKind =
  /** `vulnxml file … does not exist. Try running 'pkg audit -F' first` */
  | "no-vulnxml"
  /** `cannot fetch vulnxml file` */
  | "fetch-failed"
  /** `unable to open vulnxml file …` */
  | "vulnxml-unreadable"
  /** `cannot process vulnxml` / `vulnxml parsing error` */
  | "vulnxml-invalid"
  /** `Insufficient privileges to read the package database` */
  | "no-access"
  /** `Cannot get a read lock on a database, it is locked by another process` */
  | "db-locked"
  /** `Error accessing the package database` */
  | "db-error"
  /** `invalid argument X for --raw option`, `Usage: pkg audit …` */
  | "usage"
  /** `cap_enter() failed` */
  | "sandbox"
  /** stdout could not be read in the expected format */
  | "unparseable"
  /** the output and the exit code contradict each other in a way that hides the state */
  | "inconsistent"
  /** a non-zero exit (or a signal) with no recognised message */
  | "unknown";

/** What a finished `pkg audit` run means. */
export type AuditOutcome =
  | { state: "clean"; report: AuditReport; warnings: string[] }
  | { state: "vulnerable"; report: AuditReport; warnings: string[] }
  | { state: "error"; kind: AuditErrorKind; message: string; report?: AuditReport; warnings: string[] };

/** A finished `pkg audit` process. */
export interface AuditRun {
  /** The exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const ERRORS: readonly [RegExp, AuditErrorKind][] = [
  [/vulnxml file .* does not exist/, "no-vulnxml"],
  [/cannot fetch vulnxml file/, "fetch-failed"],
  [/unable to open vulnxml file/, "vulnxml-unreadable"],
  [/cannot process vulnxml|vulnxml parsing error/, "vulnxml-invalid"],
  [/Insufficient privileges to read the package database/, "no-access"],
  [/Cannot get a read lock on a database/, "db-locked"],
  [/Error accessing the package database/, "db-error"],
  [/invalid argument .* for --raw option|^Usage: pkg audit/m, "usage"],
  [/cap_enter\(\) failed/, "sandbox"],
];

/** The first recognised error in `stderr`, with its line (without the `pkg: ` prefix). */
export function auditErrorFrom(stderr: string): { kind: AuditErrorKind; message: string } | undefined {
  for (const l of lines(stderr)) {
    for (const [re, kind] of ERRORS) if (re.test(l)) return { kind, message: l.replace(/^pkg: /, "").trim() };
  }
  return undefined;
}

/**
 * Decides what a finished `pkg audit` run means. The rules, in order:
 *
 * 1. stdout is parsed in `format`; if it cannot be read → error `unparseable`.
 * 2. Any vulnerable package in the output (or a summary with N > 0) → **vulnerable**, whatever
 *    the exit code: a finding is never thrown away. (Exit 0 with findings adds a warning.)
 * 3. A recognised error message on stderr → **error** of that kind.
 * 4. Exit 0 → **clean** (this includes pkg's silent exit 0 when there is no package database).
 * 5. A non-zero exit with a plain-output summary of `0 problem(s)` → error `inconsistent`;
 *    any other non-zero exit or a signal → error `unknown` with stderr as the message.
 *
 * Only exit code 0 is given a meaning, because it is the only one that meant the same thing in
 * every pkg release: 1 is both "vulnerable" and "failed" in pkg 1.x/2.x, and older releases
 * used sysexits codes for failures (see the module comment).
 */
export function classifyAudit(run: AuditRun, format: AuditFormat): AuditOutcome {
  const warnings: string[] = [];
  let report: AuditReport;
  try {
    report = parseAudit(run.stdout, format);
  } catch (e) {
    const err = auditErrorFrom(run.stderr);
    if (err) return { state: "error", kind: err.kind, message: err.message, warnings };
    return { state: "error", kind: "unparseable", message: (e as Error).message, warnings };
  }
  const stderrText = run.stderr.trim();
  const found = report.packages.length > 0 || (report.summary !== null && report.summary.problems > 0) || (format === "json" && report.packageCount > 0);
  if (found) {
    if (run.exitCode === 0) warnings.push("pkg audit reported vulnerable packages but exited 0");
    if (stderrText) warnings.push(stderrText);
    return { state: "vulnerable", report, warnings };
  }
  const err = auditErrorFrom(run.stderr);
  if (err) return { state: "error", kind: err.kind, message: err.message, report, warnings };
  if (run.exitCode === 0) {
    if (stderrText) warnings.push(stderrText);
    return { state: "clean", report, warnings };
  }
  const how = run.exitCode === null ? "was killed by a signal" : `exited ${run.exitCode}`;
  if (report.summary !== null) {
    return {
      state: "error",
      kind: "inconsistent",
      message: `pkg audit printed "${report.summary.line}" but ${how}${stderrText ? `: ${stderrText}` : ""}`,
      report,
      warnings,
    };
  }
  return {
    state: "error",
    kind: "unknown",
    message: `pkg audit ${how} without reporting a vulnerable package${stderrText ? `: ${stderrText}` : ""}`,
    report,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering (for the test host's simulated pkg audit)

/**
 * Prints packages as plain `pkg audit` output would, with the summary in the given wording
 * (`2.x` by default). Indented as pkg 1.x/2.x print it; the `legacy` wording also drops the
 * indentation. `Affected versions:` is printed only for bare-name packages (`version: null`),
 * as pkg does. The counts are computed from `packages`.
 */
export function formatAuditText(packages: readonly AuditPackage[], wording: AuditWording = "2.x"): string {
  const ind = wording === "legacy" ? "" : "  ";
  let out = "";
  let problems = 0;
  for (const p of packages) {
    out += `${p.version === null ? p.package : `${p.package}-${p.version}`} is vulnerable:\n`;
    for (const v of p.vulnerabilities) {
      problems++;
      if (p.version === null && v.affectedVersions !== undefined) {
        out += `${ind}Affected versions:\n`;
        for (const r of v.affectedVersions) out += `${ind}${r}\n`;
      }
      out += `${ind}${v.topic}\n`;
      for (const c of v.cves) out += `${ind}CVE: ${c}\n`;
      if (v.url !== null) out += `${ind}WWW: ${v.url}\n\n`;
    }
    if (p.reverseDependencies !== undefined) {
      out += `${ind}Packages that depend on ${p.package}: ${p.reverseDependencies.join(", ")}\n\n`;
    }
  }
  const n = packages.length;
  if (wording === "2.x") out += `${problems} problem(s) in ${n} package(s) found.\n`;
  else if (wording === "1.x") out += `${problems} problem(s) in ${n} installed package(s) found.\n`;
  else out += `${n} problem(s) in the installed packages found.\n`;
  return out;
}

/** Prints packages as `pkg audit -q` would: one `name-version` line each. */
export function formatAuditQuiet(packages: readonly AuditPackage[]): string {
  return packages.map((p) => `${p.version === null ? p.package : `${p.package}-${p.version}`}\n`).join("");
}

/** Prints packages as `pkg audit --raw=json-compact` would (see the module comment for the shape). */
export function formatAuditJson(packages: readonly AuditPackage[]): string {
  const obj: Record<string, unknown> = {};
  for (const p of packages) {
    const body: Record<string, unknown> = {};
    if (p.version !== null) body["version"] = p.version;
    body["issue_count"] = p.vulnerabilities.length;
    body["issues"] = p.vulnerabilities.map((v) => {
      const i: Record<string, unknown> = {};
      if (v.affectedVersions !== undefined) i["Affected versions"] = v.affectedVersions;
      i["description"] = v.topic;
      if (v.cves.length > 0) i["cve"] = v.cves;
      if (v.url !== null) i["url"] = v.url;
      return i;
    });
    if (p.reverseDependencies !== undefined) body["reverse dependencies"] = p.reverseDependencies;
    obj[p.package] = body;
  }
  return `${JSON.stringify({ pkg_count: packages.length, packages: obj })}\n`;
}

// ---------------------------------------------------------------------------------------------
// pkg ≥ 2.8 install/upgrade summaries

/** One `(vulnerable!)` item of a pkg ≥ 2.8 install/upgrade summary. */
export interface VulnerableJobItem {
  /** The package name, as far as the item line shows it. */
  package: string;
  /** The item line without the leading tab. */
  line: string;
}

/**
 * Reads the vulnerability markers pkg ≥ 2.8 adds to `pkg install` / `pkg upgrade` summaries
 * (commands.md §1.8): items that end in ` (vulnerable!)` (before an optional ` [repo]`) and the
 * closing `WARNING: N package(s) have known vulnerabilities`. This is **not** `pkg audit`
 * output; there is no verbatim upstream sample, so the item shapes follow §1.8's descriptions
 * (`name: ver`, `name: old -> new`, `name-ver (reason)`). Older pkg prints neither marker:
 * an empty result does not mean "not vulnerable".
 */
export function parseVulnerableJobMarkers(output: string): { items: VulnerableJobItem[]; warningCount: number | null } {
  const items: VulnerableJobItem[] = [];
  let warningCount: number | null = null;
  for (const l of lines(output)) {
    const w = /^WARNING: (\d+) package\(s\) have known vulnerabilities/.exec(l.trim());
    if (w) {
      warningCount = Number(w[1]);
      continue;
    }
    if (!l.startsWith("\t") || !/ \(vulnerable!\)(?: \[[^\]]*\])?$/.test(l)) continue;
    const line = l.slice(1);
    const colon = line.indexOf(": ");
    const head = colon > 0 ? line.slice(0, colon) : line.split(" ")[0]!;
    items.push({ package: colon > 0 ? head : splitHeader(head).package, line });
  }
  return { items, warningCount };
}
