/**
 * JailConf's pure logic: what the file says, what to change, and what delete gives back.
 *
 * Two modes. `parameters`: the declared parameters of one jail in a shared file (/etc/jail.conf);
 * only their statements in the jail's own block are ever written. `file`: the resource owns a
 * whole file (/etc/jail.conf.d/JAIL.conf) holding just that jail's block, rendered from the inputs.
 */
import {
  appendSeparator,
  effectiveParam,
  jailBlocks,
  JailConfEditError,
  negatedName,
  ownStatements,
  parseJailConf,
  printJailConf,
  removeEmptyJailBlock,
  renderStatement,
  restoreJailParam,
  setJailParam,
  sourceOf,
  type JailConfDocument,
  type JcEffective,
} from "../../formats/jailconf";
import { PARAMS, renderValue, satisfies, showValue, type JailParamValue } from "./params";
import type { JailConfInputs } from "./schema";

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
  /** `parameters` mode: each managed parameter's statements in the jail's block before; null = none. */
  priorStatements: Record<string, string[] | null>;
  /** `parameters` mode: not null when the jail had no block, so a block the resource appends is its own (the text put before it). */
  blockSeparator: string | null;
  /** `file` mode: the file's text before the resource took it over (null: there was no file). */
  priorContent: string | null;
}

/** One step of a plan. */
export type Action =
  | { kind: "set"; name: string; value: JailParamValue; from: string | null }
  | { kind: "restore"; name: string; statements: string[] | null; from: string | null }
  | { kind: "removeBlock" }
  | { kind: "writeFile"; content: string; reason: string }
  | { kind: "deleteFile" };

/** What a plan needs of the inputs. */
export type Desired = Pick<JailConfInputs, "jail" | "manage" | "parameters">;

const sorted = <T>(xs: [string, T][]): [string, T][] => xs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The parsed file. */
export function docOf(live: LiveFile): JailConfDocument {
  return parseJailConf(live.content);
}

/** The value jail(8) would use; undefined when unset or when the file cannot be read by jail(8). */
export function effectiveOf(doc: JailConfDocument, jail: string, name: string): JcEffective | undefined {
  return doc.error ? undefined : effectiveParam(doc, jail, name);
}

/** The text of the statements that give `name` its value (`allow.raw_sockets = 0;`), or null. */
export function observedText(doc: JailConfDocument, jail: string, name: string): string | null {
  const eff = effectiveOf(doc, jail, name);
  return eff ? eff.from.map((a) => sourceOf(doc, a.stmt)).join(" ") : null;
}

/** Adds what was there before to the memory, for names (and a block, a file) seen the first time. */
export function nextMemory(live: LiveFile, d: Desired, previous: Memory | undefined): Memory {
  const doc = docOf(live);
  const m: Memory = previous
    ? { ...previous, priorStatements: { ...previous.priorStatements } }
    : {
        priorExists: live.state === "file",
        priorStatements: {},
        blockSeparator: null,
        priorContent: d.manage === "file" && live.state === "file" ? live.content : null,
      };
  if (d.manage === "file") return m;
  for (const name of Object.keys(d.parameters)) {
    if (name in m.priorStatements) continue;
    const own = ownStatements(doc, d.jail, name);
    m.priorStatements[name] = own.length > 0 ? own.map((s) => sourceOf(doc, s)) : null;
  }
  if (m.blockSeparator === null && jailBlocks(doc, d.jail).length === 0) m.blockSeparator = appendSeparator(live.content);
  return m;
}

/** The whole file of `file` mode: a header and the jail's block, parameters sorted by name. */
export function renderFile(d: Desired): string {
  const lines = sorted(Object.entries(d.parameters)).map(([name, v]) => `\t${renderStatement(name, renderValue(v))}\n`);
  return `# Managed by Pulumi (pulumi-freebsd JailConf): changes made here are reverted.\n${d.jail} {\n${lines.join("")}}\n`;
}

/** The parameter a statement name sets (`allow.noraw_sockets` → `allow.raw_sockets`), if known. */
export function canonicalName(s: string): string | undefined {
  if (PARAMS.has(s)) return s;
  for (const [k, t] of PARAMS) if (t.t === "bool" && negatedName(k) === s) return k;
  return undefined;
}

/**
 * Whether an owned file says what the inputs say: it parses, holds only the jail's block (comments
 * aside), and that block sets exactly the declared parameters to the declared values.
 */
export function fileConverged(live: LiveFile, d: Desired): boolean {
  if (live.state !== "file") return false;
  const doc = docOf(live);
  if (doc.error || doc.items.length !== 1 || doc.items[0]!.kind !== "jail" || doc.items[0]!.name !== d.jail) return false;
  const block = doc.items[0]!;
  const names = new Set<string>();
  for (const s of block.body) {
    const n = s.kind === "param" && s.name !== undefined ? canonicalName(s.name) : undefined;
    if (n === undefined || !(n in d.parameters)) return false;
    names.add(n);
  }
  return names.size === Object.keys(d.parameters).length &&
    Object.entries(d.parameters).every(([n, v]) => satisfies(n, v, effectiveOf(doc, d.jail, n)));
}

/** The edits that give every declared parameter its value and give back those no longer declared. */
export function plan(live: LiveFile, d: Desired, memory: Memory): Action[] {
  if (d.manage === "file") {
    return fileConverged(live, d) ? [] : [{ kind: "writeFile", content: renderFile(d), reason: live.state === "file" ? "rewrite" : "create" }];
  }
  const doc = docOf(live);
  const actions: Action[] = [];
  // Sorted: the engine does not keep the program's key order, and insertions must be stable.
  for (const [name, want] of sorted(Object.entries(d.parameters))) {
    if (!satisfies(name, want, effectiveOf(doc, d.jail, name))) actions.push({ kind: "set", name, value: want, from: observedText(doc, d.jail, name) });
  }
  for (const [name, prior] of sorted(Object.entries(memory.priorStatements))) {
    if (!(name in d.parameters)) actions.push(...restore(doc, d.jail, name, prior));
  }
  return actions;
}

function restore(doc: JailConfDocument, jail: string, name: string, prior: string[] | null): Action[] {
  const own = ownStatements(doc, jail, name).map((s) => sourceOf(doc, s));
  const same = prior === null ? own.length === 0 : own.length === prior.length && own.every((s, i) => s === prior[i]);
  return same ? [] : [{ kind: "restore", name, statements: prior, from: own.length > 0 ? own.join(" ") : null }];
}

/**
 * Delete semantics. `parameters`: each managed parameter gets back the statements it had in the
 * jail's block (or they are removed, when it had none); a block the resource appended is removed
 * once empty; a file the resource created is removed when nothing else is in it. `file`: the file
 * gets back the text it had before, or is removed when there was none.
 */
export function planDelete(live: LiveFile, d: Desired, memory: Memory): Action[] {
  if (d.manage === "file") {
    if (memory.priorContent !== null) return live.state === "file" && live.content === memory.priorContent ? [] : [{ kind: "writeFile", content: memory.priorContent, reason: "restore" }];
    return live.state === "file" ? [{ kind: "deleteFile" }] : [];
  }
  if (live.state !== "file") return [];
  const doc = docOf(live);
  const actions: Action[] = [];
  for (const [name, prior] of sorted(Object.entries(memory.priorStatements))) actions.push(...restore(doc, d.jail, name, prior));
  if (memory.blockSeparator !== null && jailBlocks(doc, d.jail).length === 1) {
    const text = safeEdit(live.content, d.jail, actions, memory);
    const after = text === undefined ? undefined : parseJailConf(text);
    if (after && removeEmptyJailBlock(after, d.jail, memory.blockSeparator) !== after) actions.push({ kind: "removeBlock" });
  }
  if (!memory.priorExists) {
    const text = safeEdit(live.content, d.jail, actions, memory);
    if (text !== undefined && text === "") actions.push({ kind: "deleteFile" });
  }
  return actions;
}

function safeEdit(content: string, jail: string, actions: readonly Action[], memory: Memory): string | undefined {
  try {
    return editText(content, jail, actions, memory);
  } catch (e) {
    if (e instanceof JailConfEditError) return undefined;
    throw e;
  }
}

/** The file text after the actions (`parameters` mode edits; writeFile replaces; deleteFile is not a text edit). */
export function editText(content: string, jail: string, actions: readonly Action[], memory: Pick<Memory, "blockSeparator">): string {
  let doc = parseJailConf(content);
  let text: string | undefined;
  for (const a of actions) {
    if (a.kind === "set") doc = setJailParam(doc, jail, a.name, renderValue(a.value));
    else if (a.kind === "restore") doc = restoreJailParam(doc, jail, a.name, a.statements);
    else if (a.kind === "removeBlock") doc = removeEmptyJailBlock(doc, jail, memory.blockSeparator ?? "");
    else if (a.kind === "writeFile") text = a.content;
  }
  return text ?? printJailConf(doc);
}

/** One line per action, for logs and errors. */
export function describe(a: Action): string {
  const show = (v: string | null) => (v === null ? "(unset)" : v);
  switch (a.kind) {
    case "set":
      return `set ${a.name} = ${showValue(a.value)} (was ${show(a.from)})`;
    case "restore":
      return a.statements === null ? `remove ${a.name} (was ${show(a.from)})` : `restore ${a.statements.join(" ")} (was ${show(a.from)})`;
    case "removeBlock":
      return "remove the jail's block (the resource added it and it is empty)";
    case "writeFile":
      return a.reason === "restore" ? "restore the file as it was before" : `${a.reason} the file from the declared parameters`;
    case "deleteFile":
      return "remove the file (the resource created it)";
  }
}
