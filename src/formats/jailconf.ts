/**
 * Lossless parser, printer and editor for jail.conf(5) files (`/etc/jail.conf`,
 * `/etc/jail.conf.d/*.conf`).
 *
 * The lexer follows jaillex.l as described in commands.md §6: blanks and newlines, the three
 * comment styles (`#`, `//`, `/* … *\/`), the punctuation `; , = += { }`, and string pieces:
 * bare runs of `[A-Za-z0-9_!%&()\-.:<>?@[]^`|~]`, the single characters `$ * + / \`,
 * backslash escapes, `'…'` (no expansion) and `"…"` (with `$var`/`${var}` expansion), and
 * `$var`/`${var}` references. Pieces written without blanks between them form one string.
 * The parser follows jailparse.y: top-level parameters, `NAME { … }` blocks (no nesting), the
 * `*` wildcard, `name;`, `name = a, b;`, `name += v;`, `name v;` and `.include "file";`.
 *
 * `printJailConf(parseJailConf(t)) === t` for every string: the lexemes cover the text end to end
 * and printing concatenates them. Parsing never throws; text jail(8) would reject (an
 * unterminated string, a syntax error…) is recorded in `error`, and every edit of such a document
 * is refused. Edits splice text at statement boundaries, re-parse, and check that nothing but the
 * managed statements changed; otherwise they throw {@link JailConfEditError} and change nothing.
 *
 * This module never touches the filesystem and has no runtime dependencies.
 */

/** One lexeme. Their `raw` texts, concatenated, are the document's text. */
export interface JcLexeme {
  kind: "space" | "comment" | "punct" | "piece" | "bad";
  raw: string;
  /** Offset of the lexeme in the text. */
  start: number;
  /** For pieces: the decoded text, or undefined when it expands a variable. */
  literal?: string | undefined;
}

/** A string: adjacent pieces with no blank or comment between them. */
export interface JcWord {
  start: number;
  end: number;
  /** The decoded text (quotes removed, escapes applied), or undefined if it expands a variable. */
  literal: string | undefined;
}

/** A parameter statement (`name;`, `name = a, b;`, `name += v;`, `name v;`). */
export interface JcParam {
  kind: "param";
  /** The decoded name (undefined when it is not a literal). */
  name: string | undefined;
  op: "bare" | "=" | "+=" | "implicit";
  values: JcWord[];
  /** Offset of the name's first character. */
  start: number;
  /** Offset just past the `;`. */
  end: number;
  /** 1-based line of the name. */
  line: number;
}

/** `.include "file";` */
export interface JcInclude {
  kind: "include";
  /** The included path or glob, when literal. */
  path: string | undefined;
  start: number;
  end: number;
  line: number;
}

/** `NAME { … }` */
export interface JcBlock {
  kind: "jail";
  name: string | undefined;
  start: number;
  /** Offset of `{`. */
  open: number;
  /** Offset of `}`. */
  close: number;
  /** Offset just past `}`. */
  end: number;
  line: number;
  body: (JcParam | JcInclude)[];
}

/** A top-level item. */
export type JcItem = JcParam | JcInclude | JcBlock;

/** A parsed jail.conf. */
export interface JailConfDocument {
  readonly text: string;
  readonly lexemes: readonly JcLexeme[];
  readonly items: readonly JcItem[];
  /** What jail(8) would reject, with the 1-based line; items after it are not parsed. */
  readonly error?: { message: string; line: number } | undefined;
}

/** Thrown when an edit cannot be made safely. Nothing is ever half-applied. */
export class JailConfEditError extends Error {
  /**
   * @param message the full, human-readable message
   * @param line the 1-based line that blocks the edit, if any
   */
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = "JailConfEditError";
  }
}

// ---------------------------------------------------------------------------------------------
// Lexer

const BARE = /[A-Za-z0-9_!%&()\-.:<>?@[\]^`|~]/;
const BARE_RUN = /[A-Za-z0-9_!%&()\-.:<>?@[\]^`|~]+/y;
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Decodes the escape at `t[i] === "\\"`; returns the text and the index past it. */
function escapeAt(t: string, i: number): { text: string; next: number } {
  const c = t[i + 1];
  if (c === undefined) return { text: "\\", next: i + 1 };
  if (c === "\n") return { text: "", next: i + 2 };
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, next: i + 2 };
  const oct = /[0-7]{1,3}/y;
  oct.lastIndex = i + 1;
  const o = oct.exec(t);
  if (o) return { text: String.fromCharCode(parseInt(o[0], 8) & 0xff), next: i + 1 + o[0].length };
  if (c === "x") {
    const hex = /[0-9A-Fa-f]{1,2}/y;
    hex.lastIndex = i + 2;
    const h = hex.exec(t);
    if (h) return { text: String.fromCharCode(parseInt(h[0], 16)), next: i + 2 + h[0].length };
  }
  // `\X` is X (a surrogate pair stays whole).
  const cp = t.codePointAt(i + 1) as number;
  const ch = String.fromCodePoint(cp);
  return { text: ch, next: i + 1 + ch.length };
}

/** `t[i] === "$"`: the variable's end, -1 when `${` is unterminated, or i+1 for a lone `$`. */
function variableEnd(t: string, i: number): number {
  if (t[i + 1] === "{") {
    for (let j = i + 2; j < t.length; j++) {
      const c = t[j];
      if (c === "}") return j + 1;
      if (c === "\n" || c === "{") return -1;
    }
    return -1;
  }
  const m = /[A-Za-z_][A-Za-z0-9_]*/y;
  m.lastIndex = i + 1;
  return m.exec(t) ? m.lastIndex : i + 1;
}

interface LexResult {
  lexemes: JcLexeme[];
  /** The first lexical error: offset and message. */
  error?: { at: number; message: string };
}

function lex(t: string): LexResult {
  const out: JcLexeme[] = [];
  let error: LexResult["error"];
  const bad = (start: number, end: number, message: string) => {
    out.push({ kind: "bad", raw: t.slice(start, end), start });
    error ??= { at: start, message };
    return end;
  };
  let i = 0;
  while (i < t.length) {
    const c = t[i] as string;
    const start = i;
    if (c === " " || c === "\t" || c === "\n") {
      while (i < t.length && (t[i] === " " || t[i] === "\t" || t[i] === "\n")) i++;
      out.push({ kind: "space", raw: t.slice(start, i), start });
      continue;
    }
    if (c === "#" || (c === "/" && t[i + 1] === "/")) {
      const nl = t.indexOf("\n", i);
      i = nl < 0 ? t.length : nl;
      out.push({ kind: "comment", raw: t.slice(start, i), start });
      continue;
    }
    if (c === "/" && t[i + 1] === "*") {
      const e = t.indexOf("*/", i + 2);
      if (e < 0) {
        i = bad(i, t.length, "unterminated comment");
        continue;
      }
      i = e + 2;
      out.push({ kind: "comment", raw: t.slice(start, i), start });
      continue;
    }
    if (c === "+" && t[i + 1] === "=") {
      i += 2;
      out.push({ kind: "punct", raw: "+=", start });
      continue;
    }
    if (c === ";" || c === "," || c === "=" || c === "{" || c === "}") {
      i++;
      out.push({ kind: "punct", raw: c, start });
      continue;
    }
    if (c === "'" || c === '"') {
      let text = "";
      let expands = false;
      let j = i + 1;
      let closed = false;
      while (j < t.length) {
        const d = t[j] as string;
        if (d === c) {
          closed = true;
          j++;
          break;
        }
        if (d === "\\") {
          const e = escapeAt(t, j);
          text += e.text;
          j = e.next;
          continue;
        }
        if (d === "$" && c === '"') {
          const e = variableEnd(t, j);
          if (e < 0) break;
          if (e > j + 1) expands = true;
          else text += "$";
          j = e;
          continue;
        }
        text += d;
        j++;
      }
      if (!closed) {
        const unterminatedVar = j < t.length;
        i = bad(i, t.length, unterminatedVar ? "unterminated variable" : "unterminated string");
        continue;
      }
      i = j;
      out.push({ kind: "piece", raw: t.slice(start, i), start, literal: expands ? undefined : text });
      continue;
    }
    if (c === "$") {
      const e = variableEnd(t, i);
      if (e < 0) {
        i = bad(i, t.length, "unterminated variable");
        continue;
      }
      i = e;
      out.push({ kind: "piece", raw: t.slice(start, i), start, literal: e === start + 1 ? "$" : undefined });
      continue;
    }
    if (c === "\\") {
      const e = escapeAt(t, i);
      i = e.next;
      out.push({ kind: "piece", raw: t.slice(start, i), start, literal: e.text });
      continue;
    }
    if (BARE.test(c)) {
      BARE_RUN.lastIndex = i;
      BARE_RUN.exec(t);
      i = BARE_RUN.lastIndex;
      out.push({ kind: "piece", raw: t.slice(start, i), start, literal: t.slice(start, i) });
      continue;
    }
    if (c === "*" || c === "+" || c === "/") {
      i++;
      out.push({ kind: "piece", raw: c, start, literal: c });
      continue;
    }
    const ch = String.fromCodePoint(t.codePointAt(i) as number);
    i = bad(i, i + ch.length, `unexpected character ${JSON.stringify(ch)}`);
  }
  return error ? { lexemes: out, error } : { lexemes: out };
}

// ---------------------------------------------------------------------------------------------
// Parser

type Tok = { kind: "word"; word: JcWord } | { kind: "punct"; raw: string; start: number } | { kind: "bad"; start: number };

/** Significant tokens: pieces grouped into words; blanks and comments dropped. */
function tokens(lexemes: readonly JcLexeme[]): Tok[] {
  const out: Tok[] = [];
  let word: { start: number; end: number; literal: string | undefined } | undefined;
  const flush = () => {
    if (word) out.push({ kind: "word", word });
    word = undefined;
  };
  for (const l of lexemes) {
    if (l.kind === "piece") {
      if (word) {
        word.end = l.start + l.raw.length;
        word.literal = word.literal === undefined || l.literal === undefined ? undefined : word.literal + l.literal;
      } else word = { start: l.start, end: l.start + l.raw.length, literal: l.literal };
      continue;
    }
    flush();
    if (l.kind === "punct") out.push({ kind: "punct", raw: l.raw, start: l.start });
    else if (l.kind === "bad") out.push({ kind: "bad", start: l.start });
  }
  flush();
  return out;
}

class ParseFailure extends Error {
  constructor(readonly at: number, message: string) {
    super(message);
  }
}

/** 1-based line numbers of offsets in `t` (newline offsets indexed once, then binary search). */
function lineIndex(t: string): (offset: number) => number {
  const nls: number[] = [];
  for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) nls.push(i);
  return (offset) => {
    let lo = 0;
    let hi = nls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((nls[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

function parseItems(t: string, toks: Tok[], items: JcItem[], lineAt: (offset: number) => number): void {
  let k = 0;
  const tokText = (x: Tok | undefined): string =>
    x === undefined ? "EOF" : x.kind === "word" ? t.slice(x.word.start, x.word.end) : x.kind === "punct" ? x.raw : t[x.start] ?? "";
  const fail = (x: Tok | undefined): never => {
    if (x === undefined) throw new ParseFailure(t.length, "unexpected EOF");
    throw new ParseFailure(x.kind === "word" ? x.word.start : x.start, `${tokText(x)}: syntax error`);
  };
  const isPunct = (x: Tok | undefined, p: string) => x !== undefined && x.kind === "punct" && x.raw === p;

  /** A statement starting with the name word at toks[k]; k ends past its `;`. */
  const statement = (): JcParam | JcInclude => {
    const nameTok = toks[k] as Extract<Tok, { kind: "word" }>;
    k++;
    let op: JcParam["op"];
    const values: JcWord[] = [];
    const next = toks[k];
    if (isPunct(next, ";")) op = "bare";
    else {
      if (isPunct(next, "=") || isPunct(next, "+=")) {
        op = (next as { raw: string }).raw as "=" | "+=";
        k++;
      } else if (next !== undefined && next.kind === "word") op = "implicit";
      else return fail(next);
      for (;;) {
        const w = toks[k];
        if (w === undefined || w.kind !== "word") return fail(w);
        values.push(w.word);
        k++;
        if (!isPunct(toks[k], ",")) break;
        k++;
      }
      if (!isPunct(toks[k], ";")) return fail(toks[k]);
    }
    const semi = toks[k] as { start: number };
    k++;
    const start = nameTok.word.start;
    const base = { start, end: semi.start + 1, line: lineAt(start) };
    // A variable definition (`$v = "x";`) is named by the variable, as jail(8) does.
    const varDef = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([^\n{}]*)\})$/.exec(t.slice(nameTok.word.start, nameTok.word.end));
    const name = nameTok.word.literal ?? (varDef ? `$${varDef[1] ?? varDef[2]}` : undefined);
    if (name === ".include") {
      return { kind: "include", path: values.length === 1 ? values[0]!.literal : undefined, ...base };
    }
    return { kind: "param", name, op, values, ...base };
  };

  while (k < toks.length) {
    const x = toks[k] as Tok;
    if (isPunct(x, ";")) {
      k++;
      continue;
    }
    if (x.kind !== "word") fail(x);
    const w = (x as Extract<Tok, { kind: "word" }>).word;
    if (isPunct(toks[k + 1], "{")) {
      const open = (toks[k + 1] as { start: number }).start;
      k += 2;
      const body: (JcParam | JcInclude)[] = [];
      for (;;) {
        const y = toks[k];
        if (y === undefined) fail(y);
        if (isPunct(y, "}")) break;
        if (isPunct(y, ";")) {
          k++;
          continue;
        }
        if (y!.kind !== "word") fail(y);
        body.push(statement());
      }
      const close = (toks[k] as { start: number }).start;
      k++;
      items.push({ kind: "jail", name: w.literal, start: w.start, open, close, end: close + 1, line: lineAt(w.start), body });
      continue;
    }
    items.push(statement());
  }
}

function freezeDoc(doc: JailConfDocument): JailConfDocument {
  for (const l of doc.lexemes) Object.freeze(l);
  for (const it of doc.items) {
    if (it.kind === "jail") {
      for (const s of it.body) Object.freeze(s);
      Object.freeze(it.body);
    }
    Object.freeze(it);
  }
  Object.freeze(doc.lexemes);
  Object.freeze(doc.items);
  return Object.freeze(doc);
}

/**
 * Parses jail.conf text. Never throws. `printJailConf(parseJailConf(t)) === t` for every string.
 * A document jail(8) would reject has `error` set (with jail(8)'s wording where known) and holds
 * the items before the error.
 */
export function parseJailConf(text: string): JailConfDocument {
  const t = String(text);
  try {
    const { lexemes, error: lexError } = lex(t);
    const items: JcItem[] = [];
    const lineAt = lineIndex(t);
    let error: JailConfDocument["error"];
    try {
      parseItems(t, tokens(lexemes), items, lineAt);
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      error = { message: e.message, line: lineAt(e.at) };
    }
    // A lexical error is what jail(8) reports first when it comes before the syntax error.
    if (lexError && (!error || lineAt(lexError.at) <= error.line)) error = { message: lexError.message, line: lineAt(lexError.at) };
    return freezeDoc({ text: t, lexemes, items, error });
  } catch {
    // Not expected; a parser must never throw on input, so fall back to one opaque lexeme.
    const lexemes: JcLexeme[] = t === "" ? [] : [{ kind: "bad", raw: t, start: 0 }];
    return freezeDoc({ text: t, lexemes, items: [], error: { message: "could not be parsed", line: 1 } });
  }
}

/** Prints a document: the concatenation of its lexemes. */
export function printJailConf(doc: JailConfDocument): string {
  let out = "";
  for (const l of doc.lexemes) out += l.raw;
  return out;
}

/** The exact source text of a statement or block. */
export function sourceOf(doc: JailConfDocument, x: { start: number; end: number }): string {
  return doc.text.slice(x.start, x.end);
}

// ---------------------------------------------------------------------------------------------
// Semantics

/**
 * The `no` form of a parameter name: `no` inserted after the last dot
 * (`allow.raw_sockets` → `allow.noraw_sockets`, `persist` → `nopersist`).
 */
export function negatedName(name: string): string {
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot + 1)}no${name.slice(dot + 1)}`;
}

/** Whether statement name `s` sets parameter `name` (directly, or negated), as equalopts does. */
function matches(s: string | undefined, name: string): "plain" | "negated" | undefined {
  if (s === name) return "plain";
  if (s === negatedName(name)) return "negated";
  return undefined;
}

/** True for the names that make a block (or top-level parameters) apply to jail `jail`. */
function wildcardMatches(block: string | undefined, jail: string): boolean {
  if (block === undefined) return false;
  if (block === "*") return true;
  // `foo.*` style wildcards (wild_jail_match): a final `*` matches one or more components.
  if (!block.includes("*")) return false;
  const b = block.split(".");
  const j = jail.split(".");
  for (let i = 0; i < b.length; i++) {
    if (b[i] === "*" && i === b.length - 1) return j.length >= b.length;
    if (i >= j.length || (b[i] !== "*" && b[i] !== j[i])) return false;
  }
  return j.length === b.length;
}

/** Where a statement sits relative to jail `jail`. */
export type JcScope = "jail" | "wildcard";

/** A parameter statement that applies to the jail, in the order jail(8) applies them. */
export interface JcApplied {
  stmt: JcParam;
  scope: JcScope;
  /** The statement used the `no` form of the name. */
  negated: boolean;
}

/**
 * The statements that set `name` for jail `jail`, in the order jail(8) applies them (config.c,
 * load_config): wildcard definitions (the `*` block, top-level parameters, matching `foo.*`
 * blocks) that come *before* the jail's block are applied first, then the jail's own block, then
 * wildcards that come *after* it. Each statement replaces the value, except `+=`, which appends.
 * So the jail's own block wins over `*`/top-level defaults placed before it (the usual layout),
 * and a wildcard placed after it forces its value. Included files are not followed.
 */
export function appliedStatements(doc: JailConfDocument, jail: string, name: string): JcApplied[] {
  const before: JcApplied[] = [];
  const own: JcApplied[] = [];
  const after: JcApplied[] = [];
  let seenSelf = false;
  const take = (s: JcParam | JcInclude, into: JcApplied[], scope: JcScope) => {
    if (s.kind !== "param") return;
    const m = matches(s.name, name);
    if (m) into.push({ stmt: s, scope, negated: m === "negated" });
  };
  for (const it of doc.items) {
    if (it.kind === "jail" && it.name === jail) {
      seenSelf = true;
      for (const s of it.body) take(s, own, "jail");
    } else if (it.kind === "jail") {
      if (wildcardMatches(it.name, jail)) for (const s of it.body) take(s, seenSelf ? after : before, "wildcard");
    } else take(it, seenSelf ? after : before, "wildcard");
  }
  return [...before, ...own, ...after];
}

/**
 * The effective value of `name` for `jail`: `bare` (`name;`, true unless negated), or the list of
 * values (each decoded, or undefined when it expands a variable); undefined when not set.
 */
export interface JcEffective {
  negated: boolean;
  /** null for the bare form `name;`. */
  values: (string | undefined)[] | null;
  /** The statements that contributed, in order (the last `=`/bare one and the `+=` after it). */
  from: JcApplied[];
}

/** The value jail(8) would give `name` for `jail` from this file alone (see {@link appliedStatements}). */
export function effectiveParam(doc: JailConfDocument, jail: string, name: string): JcEffective | undefined {
  let cur: JcEffective | undefined;
  for (const a of appliedStatements(doc, jail, name)) {
    const vals = a.stmt.values.map((w) => w.literal);
    if (a.stmt.op === "+=" && cur !== undefined) {
      cur = { negated: a.negated, values: [...(cur.values ?? []), ...vals], from: [...cur.from, a] };
    } else {
      cur = { negated: a.negated, values: a.stmt.op === "bare" ? null : vals, from: [a] };
    }
  }
  return cur;
}

/** The blocks named `jail`. */
export function jailBlocks(doc: JailConfDocument, jail: string): JcBlock[] {
  return doc.items.filter((it): it is JcBlock => it.kind === "jail" && it.name === jail);
}

/** The statements in the jail's own block that set `name` (plain or negated). */
export function ownStatements(doc: JailConfDocument, jail: string, name: string): JcParam[] {
  return jailBlocks(doc, jail).flatMap((b) =>
    b.body.filter((s): s is JcParam => s.kind === "param" && matches(s.name, name) !== undefined),
  );
}

/** The names of all parameter statements in the jail's own block, in order, without duplicates. */
export function ownParamNames(doc: JailConfDocument, jail: string): string[] {
  const names = new Set<string>();
  for (const b of jailBlocks(doc, jail)) for (const s of b.body) if (s.kind === "param" && s.name !== undefined) names.add(s.name);
  return [...names];
}

/** Every `.include` in the file. */
export function includes(doc: JailConfDocument): JcInclude[] {
  const out: JcInclude[] = [];
  for (const it of doc.items) {
    if (it.kind === "include") out.push(it);
    else if (it.kind === "jail") for (const s of it.body) if (s.kind === "include") out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Why `s` cannot be written as a jail.conf string, or undefined when it can. */
export function unrenderableString(s: unknown): string | undefined {
  if (typeof s !== "string") return `it is a ${typeof s}, not a string`;
  const m = /[\u0000-\u0008\u000a-\u001f\u007f]/.exec(s);
  if (m) {
    const code = (m[0] as string).charCodeAt(0);
    const what = code === 10 ? "a newline" : code === 0 ? "a NUL byte" : "a control character";
    return `it contains ${what} (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) return "it contains an unpaired UTF-16 surrogate";
  return undefined;
}

/**
 * Renders a string as one jail.conf word: bare when it is made only of plain characters
 * (letters, digits, `_ . : @ / -`, no `//` or `/*`), otherwise double-quoted with `\`, `"` and `$`
 * escaped (so no variable is expanded) and tab written `\t`. Throws for what cannot be written.
 */
export function renderWord(s: string): string {
  const bad = unrenderableString(s);
  if (bad !== undefined) throw new JailConfEditError(`cannot write ${JSON.stringify(s)}: ${bad}`);
  if (/^[A-Za-z0-9_.:@/-]+$/.test(s) && !s.includes("//") && !s.includes("/*")) return s;
  return `"${s.replace(/[\\"$]/g, (c) => `\\${c}`).replace(/\t/g, "\\t")}"`;
}

/** A value to write: a boolean (the `name;` / `no` form) or one or more strings. */
export type JcRenderValue = boolean | readonly string[];

/**
 * Renders a statement the canonical way (jail.conf(5), commands.md §6): `name;` for true,
 * `noname;` (the `no` after the last dot, e.g. `allow.noraw_sockets;`) for false, and
 * `name = a, b;` for values.
 */
export function renderStatement(name: string, value: JcRenderValue): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.]*$/.test(name)) throw new JailConfEditError(`invalid parameter name ${JSON.stringify(name)}`);
  if (value === true) return `${name};`;
  if (value === false) return `${negatedName(name)};`;
  if (value.length === 0) throw new JailConfEditError(`${name}: a value list cannot be empty`);
  return `${name} = ${value.map(renderWord).join(", ")};`;
}

// ---------------------------------------------------------------------------------------------
// Editing

/** Refuses to edit a document jail(8) would not read, or one where the jail's block is ambiguous. */
function checkEditable(doc: JailConfDocument, jail: string): void {
  if (doc.error) {
    throw new JailConfEditError(`line ${doc.error.line}: ${doc.error.message}; jail(8) cannot read this file either, so it is not edited`, doc.error.line);
  }
  const blocks = jailBlocks(doc, jail);
  if (blocks.length > 1) {
    throw new JailConfEditError(`jail ${jail} is defined more than once (lines ${blocks.map((b) => b.line).join(", ")}); merge the blocks by hand`, blocks[1]!.line);
  }
  const scoped: JcParam[] = [];
  for (const it of doc.items) {
    if (it.kind === "param") scoped.push(it);
    else if (it.kind === "jail" && (it.name === undefined || it.name === jail || wildcardMatches(it.name, jail))) {
      if (it.name === undefined) throw new JailConfEditError(`line ${it.line}: a jail name that uses a variable; edit the file by hand`, it.line);
      for (const s of it.body) if (s.kind === "param") scoped.push(s);
    }
  }
  const opaque = scoped.find((s) => s.name === undefined);
  if (opaque) throw new JailConfEditError(`line ${opaque.line}: a parameter name that uses a variable; edit the file by hand`, opaque.line);
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** The removal of a statement: its whole line when nothing else is on it, else just itself. */
function removalOf(t: string, s: { start: number; end: number }): Splice {
  const lineStart = t.lastIndexOf("\n", s.start - 1) + 1;
  const nl = t.indexOf("\n", s.end);
  const lineEnd = nl < 0 ? t.length : nl;
  const before = t.slice(lineStart, s.start);
  const after = t.slice(s.end, lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*$/.test(after)) return { start: lineStart, end: nl < 0 ? lineEnd : nl + 1, text: "" };
  if (/^[ \t]*$/.test(after)) return { start: s.start - (/[ \t]*$/.exec(before)?.[0].length ?? 0), end: s.end, text: "" };
  return { start: s.start, end: s.end + (/^[ \t]*/.exec(after)?.[0].length ?? 0), text: "" };
}

/** Indentation of statements that start a line in `block` (the last one), if any. */
function blockIndent(t: string, block: JcBlock): string | undefined {
  for (let i = block.body.length - 1; i >= 0; i--) {
    const s = block.body[i] as JcParam | JcInclude;
    const lineStart = t.lastIndexOf("\n", s.start - 1) + 1;
    const before = t.slice(lineStart, s.start);
    if (lineStart > block.open && /^[ \t]*$/.test(before)) return before;
  }
  return undefined;
}

function defaultIndent(doc: JailConfDocument): string {
  for (const it of doc.items) if (it.kind === "jail") {
    const i = blockIndent(doc.text, it);
    if (i !== undefined && i !== "") return i;
  }
  return "\t";
}

/** The separator {@link setJailParam} puts before a block it appends to `text`. */
export function appendSeparator(text: string): string {
  if (text === "") return "";
  if (text.endsWith("\n\n")) return "";
  return text.endsWith("\n") ? "\n" : "\n\n";
}

/** Inserting `stmt` at the end of `block`. */
function insertionInto(doc: JailConfDocument, block: JcBlock, stmt: string): Splice {
  const t = doc.text;
  const closeLineStart = t.lastIndexOf("\n", block.close - 1) + 1;
  if (closeLineStart > block.open && /^[ \t]*$/.test(t.slice(closeLineStart, block.close))) {
    const indent = blockIndent(t, block) ?? `${t.slice(closeLineStart, block.close)}${defaultIndent(doc)}`;
    return { start: closeLineStart, end: closeLineStart, text: `${indent}${stmt}\n` };
  }
  // A block closed on a line with other text (`www { persist; }`): insert before the `}`.
  const pad = /[ \t\n]$/.test(t.slice(0, block.close)) ? "" : " ";
  return { start: block.close, end: block.close, text: `${pad}${stmt} ` };
}

/** Shape of everything an edit must leave alone: every statement and comment outside `except`. */
function fingerprint(doc: JailConfDocument, jail: string, except: string | undefined): string[] {
  const out: string[] = [];
  for (const l of doc.lexemes) if (l.kind === "comment") out.push(`c:${l.raw}`);
  for (const it of doc.items) {
    if (it.kind !== "jail") {
      out.push(`t:${sourceOf(doc, it)}`);
      continue;
    }
    out.push(`b:${it.name}`);
    for (const s of it.body) {
      if (it.name === jail && except !== undefined && s.kind === "param" && matches(s.name, except)) continue;
      out.push(`s:${sourceOf(doc, s)}`);
    }
  }
  return out;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Re-parses `text` and checks that only `name` in the jail's block changed. */
function verified(before: JailConfDocument, text: string, jail: string, name: string | undefined): JailConfDocument {
  const next = parseJailConf(text);
  if (next.error) throw new JailConfEditError(`cannot safely edit ${name ?? jail}: the edit would make the file unreadable (${next.error.message})`);
  const a = fingerprint(before, jail, name);
  const b = fingerprint(next, jail, name);
  const blockAdded = jailBlocks(before, jail).length === 0 && jailBlocks(next, jail).length === 1;
  const ok = blockAdded ? sameList(a, b.filter((x) => x !== `b:${jail}`)) : sameList(a, b);
  if (!ok) throw new JailConfEditError(`cannot safely edit ${name ?? jail}: the edit would change other parts of the file; edit it by hand`);
  return next;
}

/**
 * Sets parameter `name` of jail `jail` to `value`, in the jail's own block:
 *
 * - the first statement of the block that sets it (plain or `no` form) is replaced by the
 *   canonical statement ({@link renderStatement}), keeping its indentation and anything after
 *   the `;` on its line (a comment); further statements of the block that set it are removed;
 * - otherwise the statement is added at the end of the block, on its own line with the block's
 *   indentation (`www { … }` on one line: before the `}`);
 * - a missing block is appended at the end of the file (after a blank line).
 *
 * The same document is returned when the block already holds exactly that one statement.
 * Throws {@link JailConfEditError} when the file has an error, the jail has several blocks,
 * a name in scope uses a variable, a wildcard after the jail's block would override the value
 * (named with its line), or the edit would change anything else.
 */
export function setJailParam(doc: JailConfDocument, jail: string, name: string, value: JcRenderValue): JailConfDocument {
  checkEditable(doc, jail);
  const stmt = renderStatement(name, value);
  const own = ownStatements(doc, jail, name);
  const t = doc.text;
  let text: string;
  if (own.length === 1 && sourceOf(doc, own[0]!) === stmt) text = t;
  else if (own.length > 0) {
    text = applySplices(t, [{ start: own[0]!.start, end: own[0]!.end, text: stmt }, ...own.slice(1).map((s) => removalOf(t, s))]);
  } else {
    const block = jailBlocks(doc, jail)[0];
    if (block) text = applySplices(t, [insertionInto(doc, block, stmt)]);
    else text = `${t}${appendSeparator(t)}${jail} {\n${defaultIndent(doc)}${stmt}\n}\n`;
  }
  if (text === t) return doc;
  const next = verified(doc, text, jail, name);
  const eff = effectiveParam(next, jail, name);
  const last = eff?.from[eff.from.length - 1];
  if (!last || last.scope !== "jail" || sourceOf(next, last.stmt) !== stmt) {
    const by = last && last.scope === "wildcard" ? last.stmt : undefined;
    throw new JailConfEditError(
      by
        ? `cannot set ${name} for jail ${jail}: line ${by.line} (${sourceOf(next, by)}) comes after the jail's block and overrides it for every jail; move or remove that line`
        : `cannot safely set ${name} for jail ${jail}: the new value would not be the one jail(8) uses`,
      by?.line,
    );
  }
  return next;
}

/**
 * Gives `name` back the statements it had in the jail's block before (`statements`, exact source
 * texts, written where the first current one is, or at the end of the block), or removes every
 * statement of the block that sets it when `statements` is null. Same document when nothing
 * changes. Throws {@link JailConfEditError} as {@link setJailParam} does.
 */
export function restoreJailParam(doc: JailConfDocument, jail: string, name: string, statements: readonly string[] | null): JailConfDocument {
  const own = ownStatements(doc, jail, name);
  if (statements === null || statements.length === 0) {
    if (own.length === 0) return doc;
    checkEditable(doc, jail);
    return verified(doc, applySplices(doc.text, own.map((s) => removalOf(doc.text, s))), jail, name);
  }
  if (own.length === statements.length && own.every((s, i) => sourceOf(doc, s) === statements[i])) return doc;
  checkEditable(doc, jail);
  const t = doc.text;
  const joined = statements.join(" ");
  let text: string;
  if (own.length > 0) text = applySplices(t, [{ start: own[0]!.start, end: own[0]!.end, text: joined }, ...own.slice(1).map((s) => removalOf(t, s))]);
  else {
    const block = jailBlocks(doc, jail)[0];
    text = block ? applySplices(t, [insertionInto(doc, block, joined)]) : `${t}${appendSeparator(t)}${jail} {\n${defaultIndent(doc)}${joined}\n}\n`;
  }
  return verified(doc, text, jail, name);
}

/**
 * Removes the jail's block if nothing but blanks is left in it, together with `separator` (what
 * was put before it when it was appended) when that text immediately precedes it. Same document
 * when the block is absent or not empty.
 */
export function removeEmptyJailBlock(doc: JailConfDocument, jail: string, separator = ""): JailConfDocument {
  const blocks = jailBlocks(doc, jail);
  if (blocks.length !== 1) return doc;
  const b = blocks[0]!;
  const t = doc.text;
  if (!/^[ \t\n]*$/.test(t.slice(b.open + 1, b.close))) return doc;
  checkEditable(doc, jail);
  const r = removalOf(t, b);
  if (separator !== "" && r.start >= separator.length && t.slice(r.start - separator.length, r.start) === separator && r.end === t.length) {
    r.start -= separator.length;
  }
  const next = parseJailConf(applySplices(t, [r]));
  const a = fingerprint(doc, jail, undefined).filter((x) => x !== `b:${jail}`);
  if (next.error || !sameList(a, fingerprint(next, jail, undefined))) {
    throw new JailConfEditError(`cannot safely remove the block of jail ${jail}; edit the file by hand`, b.line);
  }
  return next;
}
