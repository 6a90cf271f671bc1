/**
 * Parser and canonical printer for the UCL subset that pkg repository files use
 * (`/etc/pkg/*.conf`, `/usr/local/etc/pkg/repos/*.conf`, read by pkg through libucl).
 *
 * Accepted, as libucl reads it:
 *
 * - objects `name: { … }`, `name = { … }` and `name { … }`, nested (for `env`); the whole file may
 *   also be wrapped in one `{ … }`;
 * - pairs `key: value`, `key = value` and `key value`, separated by `,`, `;` or a newline;
 * - keys bare (`[A-Za-z0-9_/][A-Za-z0-9_./-]*`) or double-quoted;
 * - values: double-quoted strings with JSON escapes, single-quoted strings (`\'` and
 *   `\`-newline are the only escapes), bare strings (up to `,` `;` `}` `]`, a newline or a
 *   comment, trailing blanks cut), booleans `yes/no/true/false/on/off` in any case, `null`, and
 *   plain decimal integers;
 * - comments `# …` and `/* … *\/` (nested, as libucl nests them).
 *
 * Refused with a {@link UclParseError} naming the line (never guessed): arrays, heredocs
 * (`<<EOD`), macros (`.include`, `.priority`…), `key1 key2 { … }` chains, numbers that libucl
 * would scale or read as floats (`10k`, `5min`, `0x1f`, `1.5`), and `//`, which is *not* a
 * comment in libucl (it would be read as a key).
 *
 * Variables (`${ABI}`) stay as written: pkg expands them when it loads the file, so comparing the
 * unexpanded text is what "the file says the same thing" means.
 *
 * Duplicate keys are kept in order in {@link UclObject.entries}; libucl turns them into an
 * implicit array that pkg walks in order, so the consumer decides (pkg: the last one wins).
 *
 * This module has no runtime dependencies and never touches the filesystem.
 */

/** A scalar value. `style` says how a string was written (it does not change its meaning). */
export type UclScalar =
  | { type: "string"; value: string; style: "double" | "single" | "bare" }
  | { type: "integer"; value: number }
  | { type: "boolean"; value: boolean }
  | { type: "null" };

/** An object: its entries in source order (duplicates kept) and the comments after the last one. */
export interface UclObject {
  type: "object";
  entries: UclEntry[];
  /** Comments after the last entry, before the closing brace (or the end of the file). */
  trailing: string[];
}

/** Any value. */
export type UclValue = UclScalar | UclObject;

/** One `key: value` pair with its comments. */
export interface UclEntry {
  key: string;
  value: UclValue;
  /** Comments on the lines before the entry, as written (`# …` or `/* … *\/`). */
  comments: string[];
  /** A comment on the entry's own last line, after the value. */
  lineComment?: string | undefined;
  /** 1-based line of the key. */
  line: number;
}

/** The text is outside the subset: where, and why. */
export class UclParseError extends Error {
  /**
   * @param line 1-based line of the problem
   * @param column 1-based column of the problem
   * @param reason what is wrong, in words
   */
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = "UclParseError";
  }
}

const KEY_START = /[A-Za-z0-9_/]/;
const KEY_CHAR = /[A-Za-z0-9_./-]/;
const MAX_DEPTH = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly t: string) {}

  fail(reason: string, at = this.i): never {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < this.t.length; k++) {
      if (this.t[k] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    throw new UclParseError(line, col, reason);
  }

  lineAt(at: number): number {
    let n = 1;
    for (let k = 0; k < at; k++) if (this.t[k] === "\n") n++;
    return n;
  }

  private peek(o = 0): string | undefined {
    return this.t[this.i + o];
  }

  /** Skips blanks (and newlines when `newlines`), collecting comments; stops at anything else. */
  skip(newlines: boolean, comments: string[]): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r") this.i++;
      else if (c === "\n" && newlines) this.i++;
      else if (c === "#") {
        const e = this.t.indexOf("\n", this.i);
        const end = e < 0 ? this.t.length : e;
        comments.push(this.t.slice(this.i, end).replace(/\r$/, ""));
        this.i = end;
      } else if (c === "/" && this.peek(1) === "*") comments.push(this.blockComment());
      else return;
    }
  }

  private blockComment(): string {
    const start = this.i;
    let level = 0;
    while (this.i < this.t.length) {
      if (this.t.startsWith("/*", this.i)) {
        level++;
        this.i += 2;
      } else if (this.t.startsWith("*/", this.i)) {
        level--;
        this.i += 2;
        if (level === 0) return this.t.slice(start, this.i);
      } else this.i++;
    }
    this.fail("unfinished multiline comment", start);
  }

  /** The whole text: top-level pairs, or one braced object (libucl accepts both shapes). */
  document(): UclObject {
    const lead: string[] = [];
    this.skip(true, lead);
    if (this.peek() !== "{") {
      this.i = 0;
      return this.objectBody(false);
    }
    this.i++;
    const obj = this.objectBody(true);
    const tail: string[] = [];
    this.skip(true, tail);
    if (this.i < this.t.length) this.fail("text after the closing brace of the file's object");
    obj.trailing.push(...tail);
    if (obj.entries[0]) obj.entries[0].comments.unshift(...lead);
    else obj.trailing.unshift(...lead);
    return obj;
  }

  /** The body of an object up to `}` (closed) or the end of the text (top level). */
  objectBody(closed: boolean): UclObject {
    if (++this.depth > MAX_DEPTH) this.fail("objects nested too deeply");
    const obj: UclObject = { type: "object", entries: [], trailing: [] };
    for (;;) {
      const comments: string[] = [];
      this.skip(true, comments);
      const c = this.peek();
      if (c === undefined) {
        if (closed) this.fail("unfinished object: a `}` is missing");
        obj.trailing = comments;
        break;
      }
      if (c === "}") {
        if (!closed) this.fail("unexpected `}`");
        this.i++;
        obj.trailing = comments;
        break;
      }
      if (c === "," || c === ";") {
        // libucl tolerates empty separators between entries.
        this.i++;
        obj.trailing.push(...comments);
        continue;
      }
      const entry = this.entry(comments);
      obj.entries.push(entry);
    }
    this.depth--;
    return obj;
  }

  private key(): string {
    const c = this.peek();
    if (c === ".") this.fail("macros (.include, .priority, …) are not supported in a repository file");
    if (c === "/" && this.peek(1) === "/") this.fail("`//` is not a comment in libucl (pkg would read it as a key); use # or /* */");
    if (c === '"') return this.doubleQuoted();
    if (c === "'") this.fail("a key must begin with a letter, a digit, _ or a double quote (libucl has no single-quoted keys)");
    if (c === undefined || !KEY_START.test(c)) this.fail("a key must begin with a letter, a digit, _ or a double quote");
    const start = this.i;
    while (this.i < this.t.length && KEY_CHAR.test(this.t[this.i]!)) this.i++;
    const n = this.peek();
    if (n !== undefined && !/[ \t\r\n=:{#]/.test(n) && !(n === "/" && this.peek(1) === "*")) {
      this.fail(`invalid character ${JSON.stringify(n)} in a key`);
    }
    return this.t.slice(start, this.i);
  }

  private entry(comments: string[]): UclEntry {
    const at = this.i;
    const key = this.key();
    if (key === "") this.fail("empty keys are not allowed", at);
    const line = this.lineAt(at);
    const between: string[] = [];
    this.skip(false, between);
    let sep = false;
    if (this.peek() === ":" || this.peek() === "=") {
      sep = true;
      this.i++;
    }
    this.skip(true, between);
    const v0 = this.peek();
    if (v0 === undefined || v0 === "}" || v0 === "," || v0 === ";") this.fail(`the key ${JSON.stringify(key)} has no value`);
    if (!sep && v0 !== "{" && /[A-Za-z0-9_/"]/.test(v0)) {
      // `key1 key2 … {` is libucl's nested-object shorthand; a plain `key value` is a pair.
      const rest = this.t.slice(this.i).match(/^[^\n,;{]*/)![0];
      if (this.t[this.i + rest.length] === "{") this.fail(`\`${key} … {\` chains of keys are not supported; write ${key}: { … }`);
    }
    const value = this.value();
    const entry: UclEntry = { key, value, comments: [...comments, ...between], line };
    // After a value: blanks and comments, then `,` `;` a newline, `}` or the end.
    const after: string[] = [];
    this.skip(false, after);
    const c = this.peek();
    if (c === "," || c === ";") {
      this.i++;
      this.skip(false, after);
    } else if (c !== undefined && c !== "\n" && c !== "}") {
      this.fail(`expected , ; a newline or } after the value of ${JSON.stringify(key)}`);
    }
    if (after.length > 0) entry.lineComment = after.join(" ");
    return entry;
  }

  private value(): UclValue {
    const c = this.peek()!;
    if (c === "{") {
      this.i++;
      return this.objectBody(true);
    }
    if (c === "[") this.fail("arrays are not supported in a repository file");
    if (c === '"') return { type: "string", value: this.doubleQuoted(), style: "double" };
    if (c === "'") return { type: "string", value: this.singleQuoted(), style: "single" };
    if (c === "<" && this.peek(1) === "<") this.fail("multiline (heredoc) strings are not supported in a repository file");
    return this.atom();
  }

  private doubleQuoted(): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.t[this.i];
      if (c === undefined || c === "\n") this.fail("unfinished double-quoted string", start);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "\\") {
        const e = this.t[this.i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(this.t.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(this.t.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else this.fail(`unknown escape \\${e ?? ""} in a double-quoted string`);
        continue;
      }
      if (c.charCodeAt(0) < 0x20 && c !== "\t") this.fail("control character in a double-quoted string");
      out += c;
      this.i++;
    }
  }

  private singleQuoted(): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.t[this.i];
      if (c === undefined) this.fail("unfinished single-quoted string", start);
      if (c === "'") {
        this.i++;
        return out;
      }
      if (c === "\\" && this.t[this.i + 1] === "'") {
        out += "'";
        this.i += 2;
      } else if (c === "\\" && this.t[this.i + 1] === "\n") {
        this.i += 2;
      } else {
        out += c;
        this.i++;
      }
    }
  }

  private atom(): UclScalar {
    const start = this.i;
    let braces = 0;
    while (this.i < this.t.length) {
      const c = this.t[this.i]!;
      if (c === "{") braces++;
      else if (c === "}") {
        if (braces === 0) break;
        braces--;
      } else if (c === "\\") {
        this.fail("backslashes in unquoted values are not supported; quote the value");
      }
      if (c === "\n" || c === "," || c === ";" || c === "]" || c === "#" || (c === "/" && this.t[this.i + 1] === "*")) break;
      this.i++;
    }
    const text = this.t.slice(start, this.i).replace(/[ \t\r]+$/, "");
    if (text === "") this.fail("string value must not be empty", start);
    if (text === "null") return { type: "null" };
    const b = parseBoolean(text);
    if (b !== undefined) return { type: "boolean", value: b };
    if (/^-?\d+$/.test(text)) {
      const n = Number(text);
      if (!Number.isSafeInteger(n)) this.fail(`the integer ${text} is too large`, start);
      return { type: "integer", value: n };
    }
    if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?([kKmMgG][bB]?|min|ms|s|h|d|w|y)?$/.test(text) || /^-?0[xX][0-9a-fA-F]+$/.test(text)) {
      this.fail(`the number ${text} is not a plain integer (libucl would scale it or read it as a float); write a plain integer or quote it`, start);
    }
    return { type: "string", value: text, style: "bare" };
  }
}

/** libucl's booleans: yes/no, true/false, on/off, any case. */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (t === "yes" || t === "true" || t === "on") return true;
  if (t === "no" || t === "false" || t === "off") return false;
  return undefined;
}

/** Parses a whole file. Throws {@link UclParseError} for anything outside the subset. */
export function parseUcl(text: string): UclObject {
  return new Parser(text.replace(/^\uFEFF/, "")).document();
}

/** The entries of `obj` whose key is `key` (pkg compares repository keys without case). */
export function entriesOf(obj: UclObject, key: string, caseInsensitive = false): UclEntry[] {
  const k = caseInsensitive ? key.toLowerCase() : key;
  return obj.entries.filter((e) => (caseInsensitive ? e.key.toLowerCase() : e.key) === k);
}

/** A plain JS view of a value (objects: the last of duplicate keys wins, as pkg reads them). */
export function toPlain(v: UclValue): unknown {
  switch (v.type) {
    case "object":
      return Object.fromEntries(v.entries.map((e) => [e.key, toPlain(e.value)]));
    case "null":
      return null;
    default:
      return v.value;
  }
}

/** A double-quoted UCL/JSON string. `$` is left alone: pkg expands `${ABI}` in quoted strings too. */
export function renderUclString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** A key as written: bare when libucl reads it back as the same key, else double-quoted. */
export function renderUclKey(k: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(k) ? k : renderUclString(k);
}

function renderValue(v: UclValue, indent: string): string {
  switch (v.type) {
    case "string":
      return renderUclString(v.value);
    case "integer":
      return String(v.value);
    case "boolean":
      return v.value ? "yes" : "no";
    case "null":
      return "null";
    case "object": {
      if (v.entries.length === 0 && v.trailing.length === 0) return "{ }";
      const inner = indent + "  ";
      const lines: string[] = [];
      v.entries.forEach((e, k) => {
        for (const c of e.comments) lines.push(inner + c);
        const comma = k < v.entries.length - 1 ? "," : "";
        lines.push(`${inner}${renderUclKey(e.key)}: ${renderValue(e.value, inner)}${comma}${e.lineComment ? ` ${e.lineComment}` : ""}`);
      });
      for (const c of v.trailing) lines.push(inner + c);
      return `{\n${lines.join("\n")}\n${indent}}`;
    }
  }
}

/**
 * Prints a top-level object canonically, in the stock FreeBSD.conf style: `name: {`, two-space
 * indent, `key: value` joined by commas, double-quoted strings, `yes`/`no`. Comments are kept on
 * their own lines (a line comment stays after its value). `parseUcl(printUcl(x))` reads the same
 * as `x`, and printing is idempotent.
 */
export function printUcl(doc: UclObject): string {
  const lines: string[] = [];
  for (const e of doc.entries) {
    lines.push(...e.comments);
    lines.push(`${renderUclKey(e.key)}: ${renderValue(e.value, "")}${e.lineComment ? ` ${e.lineComment}` : ""}`);
  }
  lines.push(...doc.trailing);
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Shorthands to build trees for {@link printUcl}. */
export const ucl = {
  /** A double-quoted string. */
  str: (value: string): UclScalar => ({ type: "string", value, style: "double" }),
  /** An integer. */
  int: (value: number): UclScalar => ({ type: "integer", value }),
  /** A boolean, printed yes/no. */
  bool: (value: boolean): UclScalar => ({ type: "boolean", value }),
  /** An object from [key, value] pairs. */
  obj: (pairs: ReadonlyArray<readonly [string, UclValue]>, comments: string[] = []): UclObject => ({
    type: "object",
    entries: pairs.map(([key, value], k) => ({ key, value, comments: k === 0 ? comments : [], line: 0 })),
    trailing: [],
  }),
};
