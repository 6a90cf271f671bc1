/**
 * FileIntegrityBaseline: an mtree(8) baseline of system trees, kept on the host; a refresh
 * verifies the trees against it, so `pulumi preview --refresh` is a drift report.
 */
import { randomBytes } from "crypto";
import type { Kind } from "../../engine/kind";
import { parseMtreeReport } from "../../formats/mtree";
import { HostStateError, removeRemoteFile, writeRemoteFile } from "../../hostfs";
import { headerPrefix, REPORT_FILE, specDir, specFileName, type SpecHeader } from "./layout";
import {
  acceptedAfter,
  baselineParams,
  describe,
  plan,
  planDelete,
  rootOf,
  rootProblems,
  sortFindings,
  type Action,
  type ChangedPath,
  type Live,
  type Memory,
  type RootLive,
} from "./plan";
import { ensureDir, observeFolder, observeRoot, removeDirIfEmpty, writeBaseline, type RootObservation, type SpecFile } from "./remote";
import { fileIntegritySchema, type FileIntegrityInputs } from "./schema";

export { fileIntegritySchema, ALLOWED_ROOTS, DEFAULT_KEYWORDS, type FileIntegrityInputs } from "./schema";
export { BASE_DIR, specDir, specFileName } from "./layout";

/** Turns one tree's observation into live state: absolute paths, mtree failures as errors. */
export function rootLive(o: RootObservation): RootLive {
  const base: RootLive = {
    root: o.root,
    rootState: o.rootState,
    specState: o.spec.state,
    sha256: o.spec.state === "file" ? o.spec.sha256 : null,
    header: o.spec.state === "file" ? o.spec.header : null,
    drift: null,
    error: null,
  };
  if (!o.verify) return base;
  const errors: string[] = [];
  // 0: matches, 2: attributes differ. Extra and missing files alone exit 0 (verify.c never sets
  // the mismatch status for them), so the report is read, not the status.
  if (o.verify.exitCode !== 0 && o.verify.exitCode !== 2) errors.push(`mtree exited ${o.verify.exitCode}`);
  const stderr = o.verify.stderr.trim();
  if (stderr) errors.push(`mtree: ${stderr.split("\n").slice(-5).join("; ")}`);
  if (errors.length > 0 && o.verify.exitCode !== 0 && o.verify.exitCode !== 2) {
    return { ...base, error: errors.join("; ") };
  }
  const report = parseMtreeReport(o.verify.stdout);
  if (report.unparsed.length > 0) errors.push(`unrecognised mtree output: ${report.unparsed.slice(0, 5).map((l) => JSON.stringify(l)).join(", ")}`);
  const abs = (rel: string) => (rel === "." ? o.root : `${o.root}/${rel}`);
  return {
    ...base,
    drift: {
      changed: report.changed.map((c) => ({ path: abs(c.path), keywords: c.keywords })),
      missing: report.missing.map(abs),
      extra: report.extra.map(abs),
    },
    error: errors.length > 0 ? errors.join("; ") : null,
  };
}

function freshRun(): string {
  return randomBytes(8).toString("hex");
}

/** The FileIntegrityBaseline kind: schema, observe, plan, apply. */
export const fileIntegrityKind: Kind<FileIntegrityInputs, Live, Action, Memory> = {
  name: "FileIntegrityBaseline",
  schema: fileIntegritySchema,
  id: (d) => `${d.connection.host}:${specDir(d.name)}`,
  replaceKeys: (d) => ({ name: d.name }),

  async observe(ctx, d) {
    const folder = await observeFolder(ctx.remote, d.name);
    if (folder.dirState !== "dir" && folder.dirState !== "absent") {
      throw new HostStateError(`${specDir(d.name)} is a ${folder.dirState === "symlink" ? "symbolic link" : "non-directory"}; the baseline cannot be trusted`,
        "look at who replaced it, remove it by hand, then bump `generation` to take a new baseline");
    }
    const dir = specDir(d.name);
    const observed = await Promise.all(d.paths.map((root) => observeRoot(ctx.remote, root, `${dir}/${specFileName(root)}`)));
    const report = folder.report.state === "file"
      ? { content: folder.report.content, sha256: folder.report.sha256 }
      : folder.report.state === "absent" ? null : { content: "", sha256: folder.report.state };
    return {
      dirState: folder.dirState,
      roots: observed.map(rootLive),
      stale: folder.specs.filter((s) => !d.paths.includes(s.root)),
      report,
    };
  },

  liveFromOutputs(o) {
    if (typeof o.dirState !== "string" || !Array.isArray(o.specs)) return undefined;
    const specs = o.specs as OutputSpec[];
    const roots = specs.map((s) => s.root);
    const drift = new Map(roots.map((r) => [r, { changed: [] as ChangedPath[], missing: [] as string[], extra: [] as string[] }]));
    for (const c of (o.changed as ChangedPath[] | undefined) ?? []) drift.get(rootOf(c.path, roots) ?? "")?.changed.push(c);
    for (const p of (o.missing as string[] | undefined) ?? []) drift.get(rootOf(p, roots) ?? "")?.missing.push(p);
    for (const p of (o.extra as string[] | undefined) ?? []) drift.get(rootOf(p, roots) ?? "")?.extra.push(p);
    return {
      dirState: o.dirState,
      roots: specs.map((s) => ({
        root: s.root,
        rootState: s.rootState,
        specState: s.specState,
        sha256: s.sha256,
        header: s.run ? ({ name: "", root: s.root, generation: s.generation ?? 0, run: s.run, created: s.created ?? "", keywords: s.keywords ?? [], excludes: s.excludes ?? [] } satisfies SpecHeader) : null,
        drift: drift.get(s.root)!,
        error: s.error,
      })),
      stale: (o.staleSpecs as SpecFile[] | undefined) ?? [],
      report: typeof o.lastReport === "string" ? { content: o.lastReport, sha256: String(o.lastReportSha256) } : null,
    };
  },

  memory: (_live, _d, previous) => ({ ...(previous ?? { generation: null, accepted: {}, keywords: null, excludes: null }), run: freshRun() }),

  memoryFromOutputs(o) {
    if (!("baselineGeneration" in o) || o.acceptedSpecSha256 === null || typeof o.acceptedSpecSha256 !== "object") return undefined;
    return {
      generation: typeof o.baselineGeneration === "number" ? o.baselineGeneration : null,
      accepted: o.acceptedSpecSha256 as Record<string, string>,
      keywords: Array.isArray(o.baselineKeywords) ? (o.baselineKeywords as string[]) : null,
      excludes: Array.isArray(o.baselineExcludes) ? (o.baselineExcludes as string[]) : null,
      run: "",
    };
  },

  plan,
  planDelete: (live) => planDelete(live),
  describe,

  async apply(ctx, d, _live, actions, m) {
    const dir = specDir(d.name);
    let removed = false;
    for (const a of actions) {
      switch (a.kind) {
        case "refuse":
          throw new HostStateError(a.message, a.hint);
        case "baseline": {
          const { keywords, excludes } = baselineParams(d, a.root);
          await writeBaseline(ctx.remote, {
            dir,
            root: a.root,
            spec: `${dir}/${specFileName(a.root)}`,
            expected: a.expected,
            headerPrefix: headerPrefix({ name: d.name, root: a.root, generation: d.generation, run: m.run, keywords, excludes }),
            keywords,
            excludes,
          });
          break;
        }
        case "removeSpec":
          await removeRemoteFile(ctx.remote, `${dir}/${a.file}`, a.sha256);
          removed = true;
          break;
        case "record":
          if (a.content === "") {
            await removeRemoteFile(ctx.remote, `${dir}/${REPORT_FILE}`, a.expected);
            removed = true;
          } else {
            await ensureDir(ctx.remote, dir);
            await writeRemoteFile(ctx.remote, `${dir}/${REPORT_FILE}`, a.content, a.expected, { mode: "0600", owner: "0:0" });
          }
          break;
      }
    }
    // After a delete (or a dropped tree) the folder goes when nothing else is left in it.
    if (removed && !actions.some((a) => a.kind === "baseline" || (a.kind === "record" && a.content !== ""))) {
      await removeDirIfEmpty(ctx.remote, dir);
    }
  },

  liveInputs: (_live, raw) => raw,

  outputs(live, d, m) {
    const acc = acceptedAfter(live, d, m);
    const all = sortFindings({
      changed: live.roots.flatMap((r) => r.drift?.changed ?? []),
      missing: live.roots.flatMap((r) => r.drift?.missing ?? []),
      extra: live.roots.flatMap((r) => r.drift?.extra ?? []),
      problems: live.roots.flatMap((r) => rootProblems(r, acc.accepted[r.root])),
    });
    const clean = all.changed.length + all.missing.length + all.extra.length + all.problems.length === 0;
    return {
      specDir: specDir(d.name),
      dirState: live.dirState,
      clean,
      changed: all.changed,
      missing: all.missing,
      extra: all.extra,
      problems: all.problems,
      specs: live.roots.map((r): OutputSpec => ({
        root: r.root,
        file: `${specDir(d.name)}/${specFileName(r.root)}`,
        rootState: r.rootState,
        specState: r.specState,
        sha256: r.sha256,
        generation: r.header?.generation ?? null,
        created: r.header?.created ?? null,
        run: r.header?.run ?? null,
        keywords: r.header?.keywords ?? null,
        excludes: r.header?.excludes ?? null,
        error: r.error,
      })),
      specSha256: Object.fromEntries(live.roots.map((r) => [r.root, r.sha256])),
      acceptedSpecSha256: acc.accepted,
      baselineGeneration: acc.generation,
      baselineKeywords: acc.keywords,
      baselineExcludes: acc.excludes,
      lastReport: live.report?.content ?? null,
      lastReportSha256: live.report?.sha256 ?? null,
      staleSpecs: live.stale,
    };
  },
};

/** One tree's entry in the `specs` output. */
export interface OutputSpec {
  root: string;
  file: string;
  rootState: RootLive["rootState"];
  specState: RootLive["specState"];
  sha256: string | null;
  generation: number | null;
  created: string | null;
  run: string | null;
  keywords: string[] | null;
  excludes: string[] | null;
  error: string | null;
}
