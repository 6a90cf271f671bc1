import { normalizeRcValue, parseRc, printRc, rcValues, removeRcVar, setRcVar } from "../../formats/rcvars";
import type { RcInputValue } from "./schema";
import { renderValue, satisfies } from "./values";

/** The file as observed: its state and text ("" when it is not a regular file). */
export interface LiveFile {
  state: "absent" | "file" | "symlink" | "other";
  content: string;
  /** SHA-256 of the content, for the write's concurrent-edit check. */
  sha256?: string | undefined;
}

/** What the resource remembers between runs, to undo its changes on delete. */
export interface Memory {
  /** Whether the file existed before the resource first touched it. */
  priorExists: boolean;
  /** Each managed variable's value before the resource took it over; null = it was not set. */
  priorValues: Record<string, string | null>;
}

/** One step of a plan. */
export type Action =
  | { kind: "set"; name: string; value: string; from: string | null }
  | { kind: "remove"; name: string; from: string | null }
  | { kind: "deleteFile" };

/** The variables' values in the file (last assignment wins; non-literal values are undefined). */
export function liveValues(live: LiveFile): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [name, v] of rcValues(parseRc(live.content))) out.set(name, normalizeRcValue(v));
  return out;
}

/** Takes the prior values of newly managed variables from what the file has now. */
export function nextMemory(live: LiveFile, desired: Record<string, RcInputValue>, previous: Memory | undefined): Memory {
  const values = liveValues(live);
  const memory: Memory = previous
    ? { priorExists: previous.priorExists, priorValues: { ...previous.priorValues } }
    : { priorExists: live.state === "file", priorValues: {} };
  for (const name of Object.keys(desired)) {
    if (!(name in memory.priorValues)) memory.priorValues[name] = values.get(name) ?? null;
  }
  return memory;
}

/**
 * The edits that give every declared variable its value, and give back their prior values to
 * variables that are no longer declared. Empty when the file already agrees.
 */
export function plan(live: LiveFile, desired: Record<string, RcInputValue>, memory: Memory): Action[] {
  const values = liveValues(live);
  const actions: Action[] = [];
  // Sorted: the engine does not keep the program's key order, and appends must be stable.
  for (const [name, want] of Object.entries(desired).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cur = values.get(name);
    if (!satisfies(want, cur)) actions.push({ kind: "set", name, value: renderValue(want), from: cur ?? null });
  }
  for (const [name, prior] of Object.entries(memory.priorValues)) {
    if (name in desired) continue;
    actions.push(...restore(name, prior, values));
  }
  return actions;
}

/**
 * Delete semantics: every managed variable gets back the value it had before the resource took
 * it over (or is removed, if it was not set), and a file the resource created is removed again
 * when nothing else was added to it.
 */
export function planDelete(live: LiveFile, memory: Memory): Action[] {
  const values = liveValues(live);
  const actions: Action[] = [];
  for (const [name, prior] of Object.entries(memory.priorValues)) actions.push(...restore(name, prior, values));
  if (!memory.priorExists && live.state === "file" && editText(live.content, actions) === "") {
    actions.push({ kind: "deleteFile" });
  }
  return actions;
}

function restore(name: string, prior: string | null, values: Map<string, string | undefined>): Action[] {
  const cur = values.get(name);
  if (prior === null) return values.has(name) ? [{ kind: "remove", name, from: cur ?? null }] : [];
  return cur === prior ? [] : [{ kind: "set", name, value: prior, from: cur ?? null }];
}

/** The file text after the set/remove actions (deleteFile is not a text edit). */
export function editText(content: string, actions: readonly Action[]): string {
  let doc = parseRc(content);
  for (const a of actions) {
    if (a.kind === "set") doc = setRcVar(doc, a.name, a.value);
    else if (a.kind === "remove") doc = removeRcVar(doc, a.name);
  }
  return printRc(doc);
}

/** One line per action, for logs and errors. */
export function describe(a: Action): string {
  const show = (v: string | null) => (v === null ? "(unset)" : JSON.stringify(v));
  switch (a.kind) {
    case "set":
      return `set ${a.name}: ${show(a.from)} -> ${JSON.stringify(a.value)}`;
    case "remove":
      return `remove ${a.name} (was ${show(a.from)})`;
    case "deleteFile":
      return "remove the file (the resource created it and nothing else is in it)";
  }
}
