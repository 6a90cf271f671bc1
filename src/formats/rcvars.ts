/**
 * Lossless parser, printer and editor for rc.conf-style shell files: `/etc/rc.conf`,
 * `/etc/rc.conf.d/*`, `/etc/periodic.conf` and friends.
 *
 * Those files are sh scripts that are *sourced*. Tools such as sysrc(8) treat the simple lines,
 * `NAME=VALUE [# comment]`, as settings and leave everything else alone. This module does the
 * same with sysrc's write rules, and it keeps every byte it does not own:
 * `printRc(parseRc(text)) === text` for every string.
 *
 * A document is a list of nodes that cover the text end to end, each starting at the start of a
 * line:
 *
 * - `assignment`: one simple assignment (the value may continue over several lines through quotes
 *   or `\`-newline), optionally followed by blanks and a `#` comment;
 * - `comment` and `blank` lines;
 * - `opaque`: anything else (compound commands such as `if … fi` or functions, `. file`, `export`,
 *   several commands on one line, …), kept verbatim, together with the names it seems to assign.
 *
 * Values are analysed as sh would: quote removal is applied, and a value whose result depends on
 * expansions (`$…`, `` `…` ``, a leading `~`) is reported as non-literal rather than guessed.
 * Glob characters (`*`, `?`, `[`) are literal: sh does no pathname expansion in assignments.
 * A `\r` is ordinary content, as it is for sh (so in a CRLF file `A=x` reads as `"x\r"`).
 *
 * This module never touches the filesystem and has no runtime dependencies.
 */

/** One piece of an rc file. `raw` is its exact source text, including its trailing newline. */
export type RcNode =
  | {
      kind: "assignment";
      /** The variable name. */
      name: string;
      /** Exact source text of the node (all its lines), including the trailing newline if any. */
      raw: string;
      /** What sh would store in the variable, when that can be known without running sh. */
      value: RcValue;
      /** Offset in `raw` where the value's source text starts (just after `=`). */
      valueStart: number;
      /** Offset in `raw` just past the value's source text: `raw.slice(valueStart, valueEnd)`. */
      valueEnd: number;
      /** 1-based line number of the node's first line in the document. */
      line: number;
    }
  | { kind: "comment" | "blank"; raw: string; line: number }
  | {
      kind: "opaque";
      raw: string;
      line: number;
      /** Variable names that look assigned (or unset) somewhere in `raw`; conservative. */
      mentions: string[];
    };

/** The value of an assignment, after sh quote removal when it is a plain literal. */
export type RcValue =
  | {
      literal: true;
      /** The value after quote removal: exactly what sh would assign. */
      text: string;
      /** How the source wrote it: one `'…'` word, one `"…"` word, no quotes, or a mix. */
      quoting: "none" | "single" | "double" | "mixed";
    }
  | {
      literal: false;
      /** Why the value cannot be known without running sh (e.g. parameter expansion). */
      reason: string;
    };

/** A parsed rc file. `text` is the original text; `nodes` cover it exactly, in order. */
export interface RcDocument {
  readonly nodes: readonly RcNode[];
  readonly text: string;
}

type AssignmentNode = Extract<RcNode, { kind: "assignment" }>;

/** Thrown when an edit cannot be made safely. Nothing is ever half-applied. */
export class RcEditError extends Error {
  /** The variable the edit was about ("" when not known, e.g. from {@link renderRcValue}). */
  readonly variable: string;
  /** 1-based line of the document that blocks the edit, when there is one. */
  readonly line?: number;

  /**
   * @param variable the variable being edited
   * @param message the full, human-readable message
   * @param line the 1-based line that blocks the edit, if any
   */
  constructor(variable: string, message: string, line?: number) {
    super(message);
    this.name = "RcEditError";
    this.variable = variable;
    if (line !== undefined) this.line = line;
  }
}

/** True when `name` is a valid sh variable name: `[A-Za-z_][A-Za-z0-9_]*`. */
export function isValidRcName(name: string): boolean {
  return typeof name === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

// ---------------------------------------------------------------------------------------------
// Lexing helpers. They all take the text and an index and return the index just past the
// construct, or -1 when the text ends inside it (an unterminated quote, `$(`, here-document…).

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";

/** Characters that end an unquoted word (besides EOF). */
const isWordEnd = (c: string | undefined): boolean =>
  c === undefined ||
  c === " " ||
  c === "\t" ||
  c === "\n" ||
  c === ";" ||
  c === "&" ||
  c === "|" ||
  c === "<" ||
  c === ">" ||
  c === "(" ||
  c === ")";

/** `i` is at `'`. */
function skipSingle(t: string, i: number): number {
  const e = t.indexOf("'", i + 1);
  return e < 0 ? -1 : e + 1;
}

/** `i` is at `` ` ``. */
function skipBackquote(t: string, i: number): number {
  let j = i + 1;
  while (j < t.length) {
    const c = t[j];
    if (c === "\\") j += 2;
    else if (c === "`") return j + 1;
    else j++;
  }
  return -1;
}

/** `i` is at `"`. */
function skipDouble(t: string, i: number): number {
  let j = i + 1;
  while (j < t.length) {
    const c = t[j];
    if (c === "\\") j += 2;
    else if (c === '"') return j + 1;
    else if (c === "$") {
      j = skipDollar(t, j, true);
      if (j < 0) return -1;
    } else if (c === "`") {
      j = skipBackquote(t, j);
      if (j < 0) return -1;
    } else j++;
  }
  return -1;
}

/** Nesting of `$(`…`)` and `${`…`}` being scanned; past {@link MAX_DEPTH} we give up (opaque). */
let depth = 0;
const MAX_DEPTH = 200;

/** `i` is at `$`. `inDouble`: inside `"…"`, where `'` is an ordinary character. */
function skipDollar(t: string, i: number, inDouble: boolean): number {
  if (depth >= MAX_DEPTH) return -1;
  depth++;
  try {
    return skipDollarInner(t, i, inDouble);
  } finally {
    depth--;
  }
}

function skipDollarInner(t: string, i: number, inDouble: boolean): number {
  const n = t[i + 1];
  if (n === "(") return scanCommands(t, i + 2, true); // $(…) and $((…)) alike
  if (n !== "{") return i + 1;
  let j = i + 2;
  while (j < t.length) {
    const c = t[j];
    if (c === "\\") j += 2;
    else if (c === "}") return j + 1;
    else if (c === "'" && !inDouble) {
      j = skipSingle(t, j);
      if (j < 0) return -1;
    } else if (c === '"') {
      j = skipDouble(t, j);
      if (j < 0) return -1;
    } else if (c === "$") {
      j = skipDollar(t, j, inDouble);
      if (j < 0) return -1;
    } else if (c === "`") {
      j = skipBackquote(t, j);
      if (j < 0) return -1;
    } else j++;
  }
  return -1;
}

/** Skips one sh word starting at `i` (which must not be a word end). */
function skipWord(t: string, i: number): number {
  let j = i;
  while (j < t.length && !isWordEnd(t[j])) {
    const c = t[j];
    if (c === "\\") j = Math.min(j + 2, t.length);
    else if (c === "'") j = skipSingle(t, j);
    else if (c === '"') j = skipDouble(t, j);
    else if (c === "`") j = skipBackquote(t, j);
    else if (c === "$") j = skipDollar(t, j, false);
    else j++;
    if (j < 0) return -1;
  }
  return j;
}

/** Consumes here-document bodies starting at `j` (the start of the line after the operator). */
function skipHeredocs(t: string, j: number, docs: readonly { delim: string; strip: boolean }[]): number {
  for (const d of docs) {
    for (;;) {
      if (j >= t.length) return -1;
      const nl = t.indexOf("\n", j);
      const lineEnd = nl < 0 ? t.length : nl;
      let line = t.slice(j, lineEnd);
      if (d.strip) line = line.replace(/^\t+/, "");
      j = nl < 0 ? t.length : nl + 1;
      if (line === d.delim) break;
    }
  }
  return j;
}

const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * A small sh command scanner: finds where a complete command list ends. At top level
 * (`inSubst` false) that is just after the first newline at which no compound command (`if`,
 * `case`, loops, `{ }`, `( )`, a function body), here-document or `&&`/`||`/`|` continuation is
 * open; inside `$(` it is just after the matching `)`. Returns -1 when the text ends first.
 *
 * It only has to find extents, not to validate: mistakes affect grouping, never round-trips.
 */
function scanCommands(t: string, start: number, inSubst: boolean): number {
  const stack: string[] = inSubst ? [")"] : [];
  const heredocs: { delim: string; strip: boolean }[] = [];
  let cmdPos = true; // the next word is in command position (reserved words are recognised)
  let patternPos = false; // reading `case` patterns
  let cont = false; // the line ended with `&&`, `||` or `|`
  let funcHeader = false; // just read `name()`: the body may start on the next line
  let lastWasCmdWord = false;
  let expect: "none" | "caseWord" | "caseIn" | "forName" | "forAfterName" = "none";
  const top = (): string | undefined => stack[stack.length - 1];
  let j = start;
  while (j < t.length) {
    const c = t[j];
    if (isBlank(c)) {
      j++;
      continue;
    }
    if (c === "\n") {
      j++;
      if (heredocs.length > 0) {
        j = skipHeredocs(t, j, heredocs);
        heredocs.length = 0;
        if (j < 0) return -1;
      }
      if (!inSubst && stack.length === 0 && !cont && !funcHeader && expect === "none") return j;
      if (!patternPos) cmdPos = true;
      lastWasCmdWord = false;
      continue;
    }
    if (c === "#") {
      while (j < t.length && t[j] !== "\n") j++;
      continue;
    }
    cont = false;
    funcHeader = false;
    const wasCmdWord = lastWasCmdWord;
    lastWasCmdWord = false;
    if (c === ";") {
      if (t[j + 1] === ";" || t[j + 1] === "&") {
        j += 2;
        patternPos = top() === "esac";
        cmdPos = !patternPos;
      } else {
        j++;
        cmdPos = true;
      }
      continue;
    }
    if (c === "&") {
      if (t[j + 1] === "&") {
        j += 2;
        cont = true;
      } else j++;
      cmdPos = true;
      continue;
    }
    if (c === "|") {
      j += t[j + 1] === "|" ? 2 : 1;
      if (!patternPos) {
        cont = true;
        cmdPos = true;
      }
      continue;
    }
    if (c === "(") {
      j++;
      if (patternPos) continue;
      if (wasCmdWord) {
        let k = j;
        while (isBlank(t[k])) k++;
        if (t[k] === ")") {
          j = k + 1;
          funcHeader = true;
          cmdPos = true;
          continue;
        }
      }
      stack.push(")");
      cmdPos = true;
      continue;
    }
    if (c === ")") {
      j++;
      if (patternPos) patternPos = false;
      else if (top() === ")") {
        stack.pop();
        if (inSubst && stack.length === 0) return j;
      }
      cmdPos = true;
      continue;
    }
    if (c === "<" || c === ">") {
      let k = j + 1;
      let heredoc: { strip: boolean } | undefined;
      if (c === "<" && t[k] === "<") {
        k++;
        heredoc = { strip: t[k] === "-" };
        if (heredoc.strip) k++;
      } else if (t[k] === ">" || t[k] === "&" || t[k] === "|" || (c === "<" && t[k] === ">")) k++;
      while (isBlank(t[k])) k++;
      if (isWordEnd(t[k])) {
        j = k;
        continue;
      }
      const e = skipWord(t, k);
      if (e < 0) return -1;
      if (heredoc) heredocs.push({ delim: t.slice(k, e).replace(/["'\\]/g, ""), strip: heredoc.strip });
      j = e;
      continue;
    }
    // A word.
    const e = skipWord(t, j);
    if (e < 0) return -1;
    const w = t.slice(j, e);
    j = e;
    if (patternPos) {
      if (w === "esac" && top() === "esac") {
        stack.pop();
        patternPos = false;
        cmdPos = false;
      }
      continue;
    }
    if (expect === "caseWord") {
      expect = "caseIn";
      continue;
    }
    if (expect === "caseIn") {
      expect = "none";
      if (w === "in") patternPos = true;
      continue;
    }
    if (expect === "forName") {
      expect = "forAfterName";
      continue;
    }
    if (expect === "forAfterName") {
      expect = "none";
      cmdPos = w === "do";
      continue;
    }
    if (cmdPos) {
      switch (w) {
        case "if":
          stack.push("fi");
          continue;
        case "then":
        case "else":
        case "elif":
        case "do":
        case "!":
          continue;
        case "while":
        case "until":
          stack.push("done");
          continue;
        case "for":
          stack.push("done");
          expect = "forName";
          cmdPos = false;
          continue;
        case "case":
          stack.push("esac");
          expect = "caseWord";
          cmdPos = false;
          continue;
        case "{":
          stack.push("}");
          continue;
        case "fi":
        case "done":
        case "esac":
        case "}":
          if (top() === w) stack.pop();
          cmdPos = false;
          continue;
      }
      if (ASSIGNMENT_WORD.test(w)) continue; // prefix assignment: still in command position
      lastWasCmdWord = true;
    }
    cmdPos = false;
  }
  if (heredocs.length > 0 || stack.length > 0 || expect !== "none") return -1;
  return t.length;
}

// ---------------------------------------------------------------------------------------------
// Values

interface ValueScan {
  end: number;
  value: RcValue;
}

/**
 * Reads the value word of an assignment starting at `i` (just after `=`) and works out what sh
 * would assign. Returns undefined when the text ends inside a quote or substitution.
 */
function scanValue(t: string, i: number): ValueScan | undefined {
  let j = i;
  let text = "";
  let reason: string | undefined;
  let singles = 0;
  let doubles = 0;
  let unquoted = false;
  let afterColon = false; // the previous character was an unquoted `:` (tilde may follow)
  while (!isWordEnd(t[j])) {
    const c = t[j] as string;
    const tildeOk = j === i || afterColon;
    afterColon = false;
    if (c === "\\") {
      if (j + 1 >= t.length) {
        reason ??= "ends with a backslash at the end of the file";
        j++;
        continue;
      }
      const n = t[j + 1] as string;
      if (n !== "\n") {
        text += n;
        unquoted = true;
      }
      j += 2;
      continue;
    }
    if (c === "'") {
      const e = t.indexOf("'", j + 1);
      if (e < 0) return undefined;
      text += t.slice(j + 1, e);
      singles++;
      j = e + 1;
      continue;
    }
    if (c === '"') {
      let k = j + 1;
      for (;;) {
        if (k >= t.length) return undefined;
        const d = t[k] as string;
        if (d === '"') break;
        if (d === "\\") {
          const n = t[k + 1];
          if (n === undefined) return undefined;
          if (n === "$" || n === "`" || n === '"' || n === "\\") {
            text += n;
            k += 2;
          } else if (n === "\n") k += 2;
          else {
            text += "\\";
            k++;
          }
          continue;
        }
        if (d === "$") {
          reason ??= dollarReason(t, k);
          k = skipDollar(t, k, true);
          if (k < 0) return undefined;
          continue;
        }
        if (d === "`") {
          reason ??= "uses command substitution (`...`)";
          k = skipBackquote(t, k);
          if (k < 0) return undefined;
          continue;
        }
        text += d;
        k++;
      }
      doubles++;
      j = k + 1;
      continue;
    }
    unquoted = true;
    if (c === "$") {
      reason ??= dollarReason(t, j);
      j = skipDollar(t, j, false);
      if (j < 0) return undefined;
      continue;
    }
    if (c === "`") {
      reason ??= "uses command substitution (`...`)";
      j = skipBackquote(t, j);
      if (j < 0) return undefined;
      continue;
    }
    if (c === "~" && tildeOk) reason ??= "uses tilde expansion (~)";
    if (c === ":") afterColon = true;
    text += c;
    j++;
  }
  if (reason !== undefined) return { end: j, value: { literal: false, reason } };
  let quoting: "none" | "single" | "double" | "mixed";
  if (singles === 0 && doubles === 0) quoting = "none";
  else if (singles === 1 && doubles === 0 && !unquoted) quoting = "single";
  else if (doubles === 1 && singles === 0 && !unquoted) quoting = "double";
  else quoting = "mixed";
  return { end: j, value: { literal: true, text, quoting } };
}

function dollarReason(t: string, i: number): string {
  if (t[i + 1] === "(") {
    return t[i + 2] === "(" ? "uses arithmetic expansion ($((...)))" : "uses command substitution ($(...))";
  }
  return "uses parameter expansion ($)";
}

// ---------------------------------------------------------------------------------------------
// Mentions

const MENTION_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)\+?=/g, // NAME=… (also NAME+=…)
  /\$\{([A-Za-z_][A-Za-z0-9_]*):=/g, // ${NAME:=default}
];
/** Builtins whose operands are variable names they set or unset. */
const NAME_LIST_BUILTINS = /(?<![A-Za-z0-9_$-])(unset|readonly|read|for|getopts)(?![A-Za-z0-9_])((?:[ \t]+[^\s;&|()<>]+)*)/g;

/** Variable names that an opaque chunk of shell may assign or unset (a conservative guess). */
function findMentions(raw: string): { names: string[]; offsets: Map<string, number> } {
  // Whole-line comments cannot assign anything; blank them out (keeping offsets).
  const src = raw.replace(/^[ \t]*#.*$/gm, (m) => " ".repeat(m.length));
  const found: { name: string; at: number }[] = [];
  for (const re of MENTION_PATTERNS) {
    for (const m of src.matchAll(re)) found.push({ name: m[1] as string, at: m.index ?? 0 });
  }
  for (const m of src.matchAll(NAME_LIST_BUILTINS)) {
    const builtin = m[1] as string;
    const words = (m[2] as string).trim().split(/[ \t]+/).filter((w) => w.length > 0);
    const base = m.index ?? 0;
    let operands = words.filter((w) => !w.startsWith("-"));
    if (builtin === "for") operands = operands.slice(0, 1);
    if (builtin === "getopts") operands = operands.slice(1, 2);
    for (const w of operands) {
      if (isValidRcName(w)) found.push({ name: w, at: base });
      else if (builtin !== "unset" && builtin !== "readonly") break;
    }
  }
  found.sort((a, b) => a.at - b.at);
  const offsets = new Map<string, number>();
  for (const f of found) if (!offsets.has(f.name)) offsets.set(f.name, f.at);
  return { names: [...offsets.keys()], offsets };
}

// ---------------------------------------------------------------------------------------------
// Parsing and printing

function freezeDoc(text: string, nodes: RcNode[]): RcDocument {
  for (const n of nodes) {
    if (n.kind === "opaque") Object.freeze(n.mentions);
    else if (n.kind === "assignment") Object.freeze(n.value);
    Object.freeze(n);
  }
  return Object.freeze({ text, nodes: Object.freeze(nodes) });
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** Tries to read a simple assignment command starting at line start `p`. */
function tryAssignment(t: string, p: number, line: number): AssignmentNode | undefined {
  let j = p;
  while (isBlank(t[j])) j++;
  const m = /[A-Za-z_][A-Za-z0-9_]*=/y;
  m.lastIndex = j;
  if (!m.test(t)) return undefined;
  const valueStart = m.lastIndex;
  const name = t.slice(j, valueStart - 1);
  const v = scanValue(t, valueStart);
  if (v === undefined) return undefined;
  let k = v.end;
  while (isBlank(t[k])) k++;
  if (t[k] === "#") {
    const nl = t.indexOf("\n", k);
    k = nl < 0 ? t.length : nl;
  }
  let end: number;
  if (k >= t.length) end = t.length;
  else if (t[k] === "\n") end = k + 1;
  else return undefined;
  return {
    kind: "assignment",
    name,
    raw: t.slice(p, end),
    value: v.value,
    valueStart: valueStart - p,
    valueEnd: v.end - p,
    line,
  };
}

/**
 * Parses rc.conf-style text. Never throws: text that is not understood becomes opaque nodes,
 * and an unterminated quote or construct makes the rest of the file one opaque node.
 * `printRc(parseRc(text)) === text` for every string.
 */
export function parseRc(text: string): RcDocument {
  const t = String(text);
  try {
    return parseNodes(t);
  } catch {
    // Not expected; but a parser must never throw on input, so fall back to "all opaque".
    depth = 0;
    const nodes: RcNode[] = t === "" ? [] : [{ kind: "opaque", raw: t, line: 1, mentions: findMentions(t).names }];
    return freezeDoc(t, nodes);
  }
}

function parseNodes(t: string): RcDocument {
  const nodes: RcNode[] = [];
  let p = 0;
  let line = 1;
  while (p < t.length) {
    const nl = t.indexOf("\n", p);
    const lineEnd = nl < 0 ? t.length : nl + 1;
    const content = t.slice(p, nl < 0 ? t.length : nl);
    let node: RcNode;
    if (/^[ \t]*$/.test(content)) node = { kind: "blank", raw: t.slice(p, lineEnd), line };
    else if (/^[ \t]*#/.test(content)) node = { kind: "comment", raw: t.slice(p, lineEnd), line };
    else {
      const a = tryAssignment(t, p, line);
      if (a !== undefined) node = a;
      else {
        let end = scanCommands(t, p, false);
        if (end < 0 || end <= p) end = t.length;
        const raw = t.slice(p, end);
        node = { kind: "opaque", raw, line, mentions: findMentions(raw).names };
      }
    }
    nodes.push(node);
    p += node.raw.length;
    line += countNewlines(node.raw);
  }
  return freezeDoc(t, nodes);
}

/** Prints a document: the concatenation of its nodes' `raw` texts. */
export function printRc(doc: RcDocument): string {
  let out = "";
  for (const n of doc.nodes) out += n.raw;
  return out;
}

/**
 * The value of every variable assigned by a simple assignment, as sh would leave it after
 * sourcing the file: the last assignment wins (the order of the map is first appearance).
 * Opaque nodes are ignored; check their `mentions` before trusting a value.
 */
export function rcValues(doc: RcDocument): Map<string, RcValue> {
  const out = new Map<string, RcValue>();
  for (const n of doc.nodes) if (n.kind === "assignment") out.set(n.name, n.value);
  return out;
}

/** The last simple assignment of `name` (the one whose value wins), if any. */
export function lastAssignment(doc: RcDocument, name: string): Extract<RcNode, { kind: "assignment" }> | undefined {
  for (let i = doc.nodes.length - 1; i >= 0; i--) {
    const n = doc.nodes[i] as RcNode;
    if (n.kind === "assignment" && n.name === name) return n;
  }
  return undefined;
}

/** The literal text of a value, or undefined when it is not literal. */
export function normalizeRcValue(v: RcValue): string | undefined {
  return v.literal ? v.text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Editing

/** Why `value` cannot be written into an rc file, or undefined when it can. */
function unrenderable(value: unknown): string | undefined {
  if (typeof value !== "string") return `the value is a ${typeof value}, not a string`;
  const m = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.exec(value);
  if (m) {
    const code = (m[0] as string).charCodeAt(0);
    const what = code === 10 ? "a newline" : code === 0 ? "a NUL byte" : "a control character";
    return `the value contains ${what} (U+${code.toString(16).toUpperCase().padStart(4, "0")}), which cannot be written safely to an rc file`;
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
    return "the value contains an unpaired UTF-16 surrogate, which cannot be written as UTF-8";
  }
  return undefined;
}

/**
 * Renders a value as a sh word. Double quoting (the default, as sysrc writes) escapes
 * `\`, `"`, `$` and `` ` `` with a backslash; single quoting is used only when asked for and the
 * value contains no `'`. Throws {@link RcEditError} (with `variable` "") for values that cannot
 * be written safely: newlines, NUL and other control characters except tab, unpaired surrogates.
 */
export function renderRcValue(value: string, quoting: "single" | "double" = "double"): string {
  const bad = unrenderable(value);
  if (bad !== undefined) throw new RcEditError("", `cannot write value: ${bad}`);
  if (quoting === "single" && !value.includes("'")) return `'${value}'`;
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

function checkName(name: string): void {
  if (!isValidRcName(name)) {
    throw new RcEditError(String(name), `invalid variable name '${String(name)}': expected [A-Za-z_][A-Za-z0-9_]*`);
  }
}

/** Refuses when an opaque node may assign `name`: editing around it would not be reliable. */
function checkNotOpaque(doc: RcDocument, name: string): void {
  for (const n of doc.nodes) {
    if (n.kind !== "opaque" || !n.mentions.includes(name)) continue;
    const at = findMentions(n.raw).offsets.get(name) ?? 0;
    const line = n.line + countNewlines(n.raw.slice(0, at));
    throw new RcEditError(
      name,
      `cannot safely edit ${name}: it is assigned inside a shell construct on line ${line}; edit that line by hand`,
      line,
    );
  }
}

function sameNode(a: RcNode, b: RcNode): boolean {
  return a.kind === b.kind && a.raw === b.raw;
}

function postconditionFailed(name: string, what: string): RcEditError {
  return new RcEditError(name, `cannot safely edit ${name}: ${what}; edit the file by hand`);
}

/**
 * Sets `name` to `value` with sysrc's write algorithm (f_sysrc_set), escaping the value so that
 * sh reads back exactly `value`:
 *
 * - no assignment yet: `NAME="value"` and a newline are appended (after a newline, if the text
 *   is not empty and does not end with one);
 * - otherwise the value of the **last** assignment is replaced in place, keeping the rest of its
 *   line(s) (indentation, trailing blanks, comment) and its quoting style: single stays single
 *   unless the value contains `'`, everything else becomes double-quoted;
 * - when that last value is not literal, or its source starts with `` ` ``, `$` or `\`, it is
 *   left alone and a new `NAME="value"` line is appended instead;
 * - when the last assignment already holds exactly `value`, the same document is returned.
 *
 * Throws {@link RcEditError} for an invalid name or value, when an opaque node may assign
 * `name`, or when the edit would change any other part of the file's meaning.
 */
export function setRcVar(doc: RcDocument, name: string, value: string): RcDocument {
  checkName(name);
  const bad = unrenderable(value);
  if (bad !== undefined) throw new RcEditError(name, `cannot set ${name}: ${bad}`);
  checkNotOpaque(doc, name);
  const last = lastAssignment(doc, name);
  if (last !== undefined && last.value.literal && last.value.text === value) return doc;

  let text: string;
  let index: number; // index of the node that must hold the new value
  let editInPlace = false;
  if (last !== undefined && last.value.literal && !/^[`$\\]/.test(last.raw.slice(last.valueStart, last.valueEnd))) {
    editInPlace = true;
    index = doc.nodes.indexOf(last);
    const raw =
      last.raw.slice(0, last.valueStart) +
      renderRcValue(value, last.value.quoting === "single" ? "single" : "double") +
      last.raw.slice(last.valueEnd);
    text = doc.nodes.map((n) => (n === last ? raw : n.raw)).join("");
  } else {
    const base = printRc(doc);
    const sep = base.length > 0 && !base.endsWith("\n") ? "\n" : "";
    text = `${base}${sep}${name}=${renderRcValue(value, "double")}\n`;
    index = doc.nodes.length;
  }

  const next = parseRc(text);
  // Every other node must be exactly as before (a newline may have been added to the last one).
  const expectedCount = editInPlace ? doc.nodes.length : doc.nodes.length + 1;
  if (next.nodes.length !== expectedCount) throw postconditionFailed(name, "the edit would change how the rest of the file is read");
  for (let i = 0; i < doc.nodes.length; i++) {
    if (i === index) continue;
    const a = doc.nodes[i] as RcNode;
    const b = next.nodes[i] as RcNode;
    const ok = sameNode(a, b) || (!editInPlace && i === doc.nodes.length - 1 && a.kind === b.kind && b.raw === `${a.raw}\n`);
    if (!ok) throw postconditionFailed(name, "the edit would change how the rest of the file is read");
  }
  const set = next.nodes[index];
  if (
    set === undefined ||
    set.kind !== "assignment" ||
    set !== lastAssignment(next, name) ||
    normalizeRcValue(set.value) !== value
  ) {
    throw postconditionFailed(name, "the new value would not be read back exactly");
  }
  return next;
}

/**
 * Removes every simple assignment of `name` (each whole node, with its newline), like
 * `sysrc -x`. Nothing else changes; the same document is returned when there is none.
 * Throws {@link RcEditError} for an invalid name or when an opaque node may assign `name`.
 */
export function removeRcVar(doc: RcDocument, name: string): RcDocument {
  checkName(name);
  checkNotOpaque(doc, name);
  const kept = doc.nodes.filter((n) => !(n.kind === "assignment" && n.name === name));
  if (kept.length === doc.nodes.length) return doc;
  const next = parseRc(kept.map((n) => n.raw).join(""));
  if (next.nodes.length !== kept.length || kept.some((n, i) => !sameNode(n, next.nodes[i] as RcNode))) {
    throw postconditionFailed(name, "removing it would change how the rest of the file is read");
  }
  return next;
}
