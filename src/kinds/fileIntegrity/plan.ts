/**
 * The pure part of FileIntegrityBaseline: what the host's state means (drift, tampering) and
 * what `pulumi up` does about it.
 *
 * - A tree is (re)baselined when it is new, when `generation` changes (the operator accepts the
 *   tree as it is now), or when `keywords`/`excludes` change — the last only while that tree is
 *   clean, since it would otherwise accept drift nobody reviewed.
 * - Drift is never re-baselined silently. `up` records it on the host (`last-report.json`) and in
 *   the outputs, so the next `up` with the same drift and generation changes nothing; with
 *   `failOnDrift` it fails instead, listing the drift, until the drift is undone or accepted.
 * - A spec whose SHA-256 is not the one recorded when it was made (or that is gone) is reported
 *   as a problem of its own: the baseline itself was tampered with.
 */
import { type SpecFile } from "./remote";
import { specFileName, type SpecHeader } from "./layout";
import { excludesFor, normalizedKeywords, within, type FileIntegrityInputs } from "./schema";

/** A path that differs from the baseline, and which keywords differ. */
export interface ChangedPath {
  path: string;
  keywords: string[];
}

/** One tree as observed. */
export interface RootLive {
  root: string;
  rootState: "dir" | "absent" | "symlink" | "other";
  specState: "file" | "absent" | "symlink" | "other";
  sha256: string | null;
  header: SpecHeader | null;
  /** Absolute paths; null when the tree could not be verified. */
  drift: { changed: ChangedPath[]; missing: string[]; extra: string[] } | null;
  /** mtree failed, or printed lines this resource could not read. */
  error: string | null;
}

/** The observed state. */
export interface Live {
  dirState: string;
  roots: RootLive[];
  /** Spec files of trees that are no longer in `paths`. */
  stale: SpecFile[];
  /** The report file: its content and SHA-256, or null when there is none. */
  report: { content: string; sha256: string } | null;
}

/** What the resource remembers between runs (kept in its outputs). */
export interface Memory {
  /** The generation of the accepted baseline; null before the first. */
  generation: number | null;
  /** Each tree's spec SHA-256 as this resource wrote it. */
  accepted: Record<string, string>;
  keywords: string[] | null;
  excludes: string[] | null;
  /** This run's id (random per run, never stored): marks the specs this run writes. */
  run: string;
}

/** One step of a plan. */
export type Action =
  | { kind: "refuse"; message: string; hint: string }
  | { kind: "baseline"; root: string; reason: Reason; expected: string }
  | { kind: "removeSpec"; root: string; file: string; sha256: string }
  | { kind: "record"; content: string; expected: string };

/** Why a tree gets a new baseline. */
export type Reason = "create" | "generation" | "params" | "new";

const sameList = (a: readonly string[] | null, b: readonly string[]) => a !== null && a.join("\n") === b.join("\n");

/** The trees this run (re)baselines, with the reason. Pure. */
export function pendingRoots(d: FileIntegrityInputs, m: Memory): Map<string, Reason> {
  const out = new Map<string, Reason>();
  let all: Reason | undefined;
  if (m.generation === null) all = "create";
  else if (m.generation !== d.generation) all = "generation";
  else if (!sameList(m.keywords, normalizedKeywords(d.keywords)) || !sameList(m.excludes, [...new Set(d.excludes)].sort())) all = "params";
  for (const root of d.paths) {
    if (all) out.set(root, all);
    else if (!(root in m.accepted)) out.set(root, "new");
  }
  return out;
}

/** Whether this run already wrote the tree's spec. */
function done(r: RootLive | undefined, m: Memory): boolean {
  return r !== undefined && r.specState === "file" && r.header !== null && r.header.run === m.run;
}

/** Drift and problems of the trees that keep their baseline this run, ready for the report. */
export interface Findings {
  changed: ChangedPath[];
  missing: string[];
  extra: string[];
  problems: string[];
}

/** What is wrong with one tree against its accepted baseline. */
export function rootProblems(r: RootLive, accepted: string | undefined): string[] {
  const out: string[] = [];
  const file = specFileName(r.root);
  if (r.rootState !== "dir") out.push(`${r.root}: the tree is ${r.rootState === "absent" ? "missing" : `a ${r.rootState === "symlink" ? "symbolic link" : "non-directory"}`}`);
  if (r.specState !== "file") {
    out.push(`${r.root}: the spec ${file} is ${r.specState === "absent" ? "missing" : "no longer a regular file"} (removed or replaced since the baseline)`);
  } else if (accepted !== undefined && r.sha256 !== accepted) {
    out.push(`${r.root}: the spec ${file} was modified since the baseline (sha256 ${accepted} -> ${r.sha256})`);
  }
  if (r.error) out.push(`${r.root}: ${r.error}`);
  return out;
}

/** Findings over the trees not being re-baselined this run. Pure. */
export function findings(live: Live, d: FileIntegrityInputs, m: Memory): Findings {
  const pending = pendingRoots(d, m);
  const f: Findings = { changed: [], missing: [], extra: [], problems: [] };
  for (const r of live.roots) {
    if (pending.has(r.root) || !d.paths.includes(r.root)) continue;
    f.problems.push(...rootProblems(r, m.accepted[r.root]));
    if (r.drift) {
      f.changed.push(...r.drift.changed);
      f.missing.push(...r.drift.missing);
      f.extra.push(...r.drift.extra);
    }
  }
  return sortFindings(f);
}

/** Sorted, so a report does not depend on the order mtree walked in. */
export function sortFindings(f: Findings): Findings {
  const by = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    changed: [...f.changed].sort((a, b) => by(a.path, b.path)),
    missing: [...f.missing].sort(by),
    extra: [...f.extra].sort(by),
    problems: [...f.problems].sort(by),
  };
}

/** Whether there is anything to report. */
export function isClean(f: Findings): boolean {
  return f.changed.length === 0 && f.missing.length === 0 && f.extra.length === 0 && f.problems.length === 0;
}

/** The report file's content for these findings (stable JSON). */
export function renderReport(f: Findings): string {
  // Keys rebuilt in a fixed order: objects that went through the engine come back key-sorted.
  const changed = f.changed.map((c) => ({ path: c.path, keywords: c.keywords }));
  return `${JSON.stringify({ changed, missing: f.missing, extra: f.extra, problems: f.problems }, null, 1)}\n`;
}

/** A readable listing of findings, at most `limit` lines. */
export function listing(f: Findings, limit = 40): string {
  const lines = [
    ...f.problems.map((p) => `problem: ${p}`),
    ...f.changed.map((c) => `changed: ${c.path} (${c.keywords.join(", ")})`),
    ...f.missing.map((p) => `missing: ${p}`),
    ...f.extra.map((p) => `extra:   ${p}`),
  ];
  if (lines.length <= limit) return lines.join("\n");
  return [...lines.slice(0, limit), `… and ${lines.length - limit} more (see the resource's outputs)`].join("\n");
}

/** The actions that take the host to the desired baseline; empty when converged. Pure. */
export function plan(live: Live, d: FileIntegrityInputs, m: Memory): Action[] {
  const pending = pendingRoots(d, m);
  const refusals: Action[] = [];
  const actions: Action[] = [];
  for (const root of d.paths) {
    const reason = pending.get(root);
    if (!reason) continue;
    const r = live.roots.find((x) => x.root === root);
    if (done(r, m)) continue;
    if (reason === "params" && r && !isClean(sortFindings({ problems: rootProblems(r, m.accepted[root]), ...(r.drift ?? { changed: [], missing: [], extra: [] }) }))) {
      refusals.push({
        kind: "refuse",
        message: `keywords or excludes changed while ${root} has drift against its baseline; a new baseline would accept that drift unreviewed`,
        hint: "review the drift in the outputs (pulumi preview --refresh), undo it or bump `generation` to accept it, together with the new keywords/excludes",
      });
      continue;
    }
    actions.push({ kind: "baseline", root, reason, expected: r?.specState === "file" && r.sha256 ? r.sha256 : "absent" });
  }
  for (const s of live.stale) {
    if (!d.paths.includes(s.root)) actions.push({ kind: "removeSpec", root: s.root, file: s.file, sha256: s.sha256 });
  }
  const f = findings(live, d, m);
  if (d.failOnDrift && !isClean(f)) {
    refusals.push({
      kind: "refuse",
      message: `the trees do not match their baseline (generation ${m.generation ?? d.generation}):\n${listing(f)}`,
      hint: "undo the changes on the host, or bump `generation` to accept the trees as they are now",
    });
  }
  const content = renderReport(f);
  const recorded = live.report?.content ?? (isClean(f) ? content : undefined);
  if (recorded !== content) actions.push({ kind: "record", content, expected: live.report?.sha256 ?? "absent" });
  return [...refusals, ...actions];
}

/** Delete semantics: every spec file and the report go; the folder too, when nothing else is in it. */
export function planDelete(live: Live): Action[] {
  const actions: Action[] = [];
  for (const r of live.roots) {
    if (r.specState === "file" && r.sha256) actions.push({ kind: "removeSpec", root: r.root, file: specFileName(r.root), sha256: r.sha256 });
  }
  for (const s of live.stale) actions.push({ kind: "removeSpec", root: s.root, file: s.file, sha256: s.sha256 });
  if (live.report) actions.push({ kind: "record", content: "", expected: live.report.sha256 });
  return actions;
}

/** What the resource remembers after this run: the accepted baseline. Pure. */
export function acceptedAfter(live: Live, d: FileIntegrityInputs, m: Memory): Omit<Memory, "run"> {
  const pending = pendingRoots(d, m);
  const accepted: Record<string, string> = {};
  let allDone = true;
  for (const root of d.paths) {
    const r = live.roots.find((x) => x.root === root);
    if (pending.has(root) && done(r, m)) accepted[root] = r!.sha256!;
    else {
      if (pending.has(root)) allDone = false;
      if (m.accepted[root] !== undefined) accepted[root] = m.accepted[root]!;
    }
  }
  const whole = [...pending.values()].some((r) => r !== "new");
  if (whole && allDone) {
    return { generation: d.generation, accepted, keywords: normalizedKeywords(d.keywords), excludes: [...new Set(d.excludes)].sort() };
  }
  return { generation: m.generation, accepted, keywords: m.keywords, excludes: m.excludes };
}

/** The -X patterns and keywords a new spec for `root` is made with. */
export function baselineParams(d: FileIntegrityInputs, root: string): { keywords: string[]; excludes: string[] } {
  return { keywords: normalizedKeywords(d.keywords), excludes: excludesFor(root, d.excludes) };
}

/** Assigns absolute paths to the tree they lie in (trees never overlap: the schema refuses it). */
export function rootOf(path: string, roots: readonly string[]): string | undefined {
  return roots.find((r) => within(path, r));
}

/** One line per action, for logs and errors. */
export function describe(a: Action): string {
  switch (a.kind) {
    case "refuse":
      return `refuse: ${a.message}`;
    case "baseline":
      return `baseline ${a.root} (${{ create: "first baseline", generation: "generation changed: accept the tree as it is now", params: "keywords or excludes changed", new: "new tree" }[a.reason]})`;
    case "removeSpec":
      return `remove the spec of ${a.root} (${a.file})`;
    case "record":
      return a.content === "" ? "remove the drift report" : "record the drift report on the host";
  }
}
