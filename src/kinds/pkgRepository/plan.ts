/**
 * PkgRepository's pure logic: what the file says, what differs from the inputs, the actions.
 * The resource owns the whole file; drift is a difference in what pkg reads (key by key, after
 * pkg's own normalisation), so re-quoting or a comment by hand is not drift, but another repo,
 * an unmanaged key or a value pkg would reject is.
 */
import { createHash } from "crypto";
import { UclParseError } from "../../formats/ucl";
import { declaredSettings, type PkgRepositoryInputs } from "./schema";
import { readRepoFile, renderRepoFile, SETTING_KEYS, type ObservedRepo, type RepoSettings } from "./settings";

/** The repository file as observed. */
export interface LiveRepo {
  state: "absent" | "file" | "symlink" | "other";
  /** The file's text ("" unless a regular file). */
  content: string;
  /** SHA-256 of the content, for the write's concurrent-edit check. */
  sha256?: string | undefined;
  /** What pkg reads from the file, when it could be parsed. */
  observed?: ObservedRepo | undefined;
  /** Why the file could not be parsed (the resource then refuses to overwrite it). */
  parseError?: string | undefined;
}

/** What the resource remembers between runs. */
export interface Memory {
  /** True when this memory came from the resource's stored outputs (false: first create). */
  recorded: boolean;
  /** Whether the file existed before the resource first wrote it. */
  priorExists: boolean;
  /** That file's exact text, which delete puts back. */
  priorContent: string | null;
  /** SHA-256 of the rendered file for which `pkg update -f` last succeeded (updateAfterChange). */
  updatedFor: string | null;
}

/** One step. */
export type Action =
  | { kind: "write"; content: string; changes: string[] }
  | { kind: "update"; name: string }
  | { kind: "restore"; content: string }
  | { kind: "remove" };

/** Builds the live state from a file's text (pure: also used on stored outputs). */
export function liveFromContent(state: LiveRepo["state"], content: string, name: string, sha256?: string): LiveRepo {
  if (state !== "file") return { state, content: "" };
  try {
    return { state, content, sha256, observed: readRepoFile(content, name) };
  } catch (err) {
    if (err instanceof UclParseError) return { state, content, sha256, parseError: err.message };
    throw err;
  }
}

/** SHA-256 hex. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Memory for this run: the stored one, or what the host has now (first create adopts). */
export function nextMemory(live: LiveRepo, previous: Memory | undefined): Memory {
  if (previous) return { ...previous };
  const exists = live.state === "file";
  return { recorded: false, priorExists: exists, priorContent: exists ? live.content : null, updatedFor: null };
}

const show = (v: unknown): string => (v === undefined ? "(unset)" : JSON.stringify(v));

function sameValue(a: unknown, b: unknown): boolean {
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
  }
  return a === b;
}

/** Every way the file differs from holding exactly `want` for `name`; empty when it agrees. */
export function differences(live: LiveRepo, name: string, want: RepoSettings): string[] {
  if (live.state === "absent") return ["the file does not exist"];
  if (live.state === "symlink") return ["the file is a symbolic link"];
  if (live.state === "other") return ["the path is not a regular file"];
  if (!live.observed) return [`the file cannot be read: ${live.parseError ?? "unknown error"}`];
  const o = live.observed;
  const out: string[] = [];
  if (!o.defined) out.push(`the file has no '${name}' repository`);
  for (const [prop, key] of SETTING_KEYS) {
    if (!sameValue(o.settings[prop], want[prop])) out.push(`${key}: ${show(o.settings[prop])} -> ${show(want[prop])}`);
  }
  if (o.otherRepos.length > 0) out.push(`other repositories in the file (removed): ${o.otherRepos.join(", ")}`);
  if (o.unmanaged.length > 0) out.push(`unmanaged keys (removed): ${o.unmanaged.join(", ")}`);
  out.push(...o.problems);
  return out;
}

/** The rendered file the inputs ask for. */
export function desiredContent(d: PkgRepositoryInputs): string {
  return renderRepoFile(d.name, declaredSettings(d));
}

/**
 * The actions that make the file hold exactly the declared settings, then (updateAfterChange,
 * repository enabled) refresh the catalogue when the file was written or the declared file
 * changed since the last successful update.
 */
export function plan(live: LiveRepo, d: PkgRepositoryInputs, memory: Memory): Action[] {
  const want = declaredSettings(d);
  const content = renderRepoFile(d.name, want);
  const changes = differences(live, d.name, want);
  const actions: Action[] = changes.length > 0 ? [{ kind: "write", content, changes }] : [];
  if (d.updateAfterChange && want.enabled !== false && (actions.length > 0 || memory.updatedFor !== sha256(content))) {
    actions.push({ kind: "update", name: d.name });
  }
  return actions;
}

/**
 * Delete semantics: a file that existed before the resource took it over is put back byte for
 * byte; a file the resource created is removed. A symlink or non-file found there is left alone.
 */
export function planDelete(live: LiveRepo, memory: Memory): Action[] {
  if (live.state === "symlink" || live.state === "other") return [];
  if (memory.priorExists && memory.priorContent !== null) {
    return live.state === "file" && live.content === memory.priorContent ? [] : [{ kind: "restore", content: memory.priorContent }];
  }
  return live.state === "file" ? [{ kind: "remove" }] : [];
}

/** One line per action. */
export function describe(a: Action): string {
  switch (a.kind) {
    case "write":
      return `write the repository file (${a.changes.join("; ")})`;
    case "update":
      return `pkg update -f -r ${a.name}`;
    case "restore":
      return "put back the file that was there before";
    case "remove":
      return "remove the repository file (the resource created it)";
  }
}
