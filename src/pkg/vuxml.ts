/**
 * A small, dependency-free reader for VuXML (`vuln.xml`, the FreeBSD vulnerability database
 * that `pkg audit` reads) and a matcher that applies pkg's rules to it.
 *
 * VuXML is regular: `<vuxml>` holds `<vuln vid="…">` entries, each with a `<topic>`, an
 * `<affects>` list of `<package>` (and, in old entries, `<system>`) blocks that pair `<name>`s
 * with `<range>`s of `<lt> <le> <gt> <ge> <eq>` bounds, a free-form XHTML `<description>`,
 * `<references>` (`<cvename>`, `<url>`, `<freebsdsa>`, `<bid>`, `<mlist>` …), `<dates>` and,
 * for withdrawn entries, `<cancelled superseded="…"/>`. A hand-written tokenizer is enough: it
 * understands elements, attributes, character and the five predefined entity references,
 * comments, CDATA, processing instructions and the DOCTYPE, and checks that tags nest. The
 * description is skipped (nesting is still checked).
 *
 * Matching ({@link affects}) follows `libpkg/pkg_audit.c` (commands.md §1.15):
 * - `<name>` is an fnmatch(3) glob against the package name (case-sensitive, no flags);
 * - a `<range>` matches when all of its bounds hold (pkg reads at most the first two; a range
 *   with no bound matches every version), compared with {@link compareVersions};
 * - any matching range of a `<package>` block whose names match makes the entry apply;
 * - with no version (a bare-name `pkg audit NAME`), every entry for the name applies;
 * - `<system>` blocks are ignored, as pkg ignores them, and an entry with no `<package>` (such
 *   as a cancelled one) never applies.
 *
 * Pure: no I/O.
 */

import { compareVersions } from "./version";

/** A bound operator, named after its VuXML element. */
export type RangeOp = "lt" | "le" | "gt" | "ge" | "eq";

/** One bound of a range, e.g. `<lt>2.4.64</lt>` → `{ op: "lt", version: "2.4.64" }`. */
export interface VersionBound {
  op: RangeOp;
  version: string;
}

/** One `<range>`: the version matches when every bound holds. */
export interface VersionRange {
  bounds: VersionBound[];
}

/** One `<package>` (or `<system>`) block: its names and its ranges. */
export interface AffectedPackage {
  /** fnmatch(3) globs against the package name, in document order. */
  names: string[];
  ranges: VersionRange[];
}

/** One reference, in document order: the element name and its text. */
export interface VuxmlReference {
  /** The element name: `cvename`, `url`, `freebsdsa`, `bid`, `mlist`, `certvu` … */
  kind: string;
  text: string;
}

/** One `<vuln>` entry. */
export interface VuxmlEntry {
  /** The `vid` attribute (a UUID), "" if missing. */
  vid: string;
  /** The `<topic>` text, trimmed, entities decoded. "" if missing. */
  topic: string;
  /** `<package>` blocks, in document order. */
  packages: AffectedPackage[];
  /** `<system>` blocks (old entries). Kept for completeness; pkg does not match them. */
  systems: AffectedPackage[];
  /** `<cvename>` texts, in document order. */
  cves: string[];
  /** `<url>` texts, in document order. */
  urls: string[];
  /** Every child of `<references>`, in document order (CVEs and URLs included). */
  references: VuxmlReference[];
  /** The `<dates>` children (ISO dates as written). */
  dates: { discovery?: string; entry?: string; modified?: string };
  /** Present when the entry is `<cancelled/>`; `superseded` is the replacing vid, if given. */
  cancelled?: { superseded?: string };
  /** 1-based line of the `<vuln` tag in the source. */
  line: number;
}

/** Thrown by {@link parseVuxml} when the text is not well-formed XML. */
export class VuxmlParseError extends Error {
  /** 1-based line where the problem was found. */
  readonly line: number;

  /**
   * @param message what is wrong
   * @param line the 1-based line
   */
  constructor(message: string, line: number) {
    super(`vuxml: line ${line}: ${message}`);
    this.name = "VuxmlParseError";
    this.line = line;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

/** A token of the XML text. Text tokens are already entity-decoded. */
export type XmlToken =
  | { kind: "open"; name: string; attrs: Record<string, string>; selfClosing: boolean; line: number }
  | { kind: "close"; name: string; line: number }
  | { kind: "text"; text: string; line: number };

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Decodes the predefined entities and character references. Unknown entities (e.g. XHTML's
 * `&nbsp;` in a description) are kept as written rather than rejected.
 */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (m, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return PREDEFINED[body] ?? m;
  });
}

const NAME_RE = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

/**
 * Splits XML text into open/close/text tokens. Comments, processing instructions and the
 * DOCTYPE are dropped; CDATA becomes text. Throws {@link VuxmlParseError} on malformed markup
 * (but does not check nesting; {@link parseVuxml} does).
 */
export function tokenizeXml(xml: string): XmlToken[] {
  const out: XmlToken[] = [];
  let i = 0;
  let line = 1;
  const advance = (to: number): void => {
    for (let k = i; k < to; k++) if (xml.charCodeAt(k) === 10) line++;
    i = to;
  };
  const need = (marker: string, from: number, what: string): number => {
    const e = xml.indexOf(marker, from);
    if (e < 0) throw new VuxmlParseError(`unterminated ${what}`, line);
    return e;
  };
  while (i < xml.length) {
    if (xml[i] !== "<") {
      const e = xml.indexOf("<", i);
      const end = e < 0 ? xml.length : e;
      out.push({ kind: "text", text: decodeEntities(xml.slice(i, end)), line });
      advance(end);
      continue;
    }
    if (xml.startsWith("<!--", i)) {
      advance(need("-->", i + 4, "comment") + 3);
    } else if (xml.startsWith("<![CDATA[", i)) {
      const e = need("]]>", i + 9, "CDATA section");
      out.push({ kind: "text", text: xml.slice(i + 9, e), line });
      advance(e + 3);
    } else if (xml.startsWith("<?", i)) {
      advance(need("?>", i + 2, "processing instruction") + 2);
    } else if (xml.startsWith("<!", i)) {
      // <!DOCTYPE …> possibly with an internal subset in [ ]; quoted strings may hold > or ].
      let j = i + 2;
      let bracket = 0;
      for (;;) {
        if (j >= xml.length) throw new VuxmlParseError("unterminated <!…> declaration", line);
        const c = xml[j];
        if (c === '"' || c === "'") j = need(c, j + 1, "quoted string in a declaration") + 1;
        else if (c === "[") {
          bracket++;
          j++;
        } else if (c === "]") {
          bracket--;
          j++;
        } else if (c === ">" && bracket <= 0) break;
        else j++;
      }
      advance(j + 1);
    } else if (xml[i + 1] === "/") {
      const m = NAME_RE.exec(xml.slice(i + 2, i + 2 + 256));
      if (!m) throw new VuxmlParseError("malformed end tag", line);
      let j = i + 2 + m[0].length;
      while (/\s/.test(xml[j] ?? "")) j++;
      if (xml[j] !== ">") throw new VuxmlParseError(`malformed end tag </${m[0]}`, line);
      out.push({ kind: "close", name: m[0], line });
      advance(j + 1);
    } else {
      const m = NAME_RE.exec(xml.slice(i + 1, i + 1 + 256));
      if (!m) throw new VuxmlParseError("malformed start tag (a '<' that does not start markup)", line);
      const name = m[0];
      const startLine = line;
      let j = i + 1 + name.length;
      const attrs: Record<string, string> = {};
      let selfClosing = false;
      for (;;) {
        const ws = j;
        while (/\s/.test(xml[j] ?? "")) j++;
        const c = xml[j];
        if (c === undefined) throw new VuxmlParseError(`unterminated start tag <${name}`, startLine);
        if (c === ">") break;
        if (c === "/" && xml[j + 1] === ">") {
          selfClosing = true;
          j++;
          break;
        }
        const an = NAME_RE.exec(xml.slice(j, j + 256));
        if (!an || j === ws) throw new VuxmlParseError(`malformed attribute in <${name}>`, startLine);
        j += an[0].length;
        while (/\s/.test(xml[j] ?? "")) j++;
        if (xml[j] !== "=") throw new VuxmlParseError(`attribute ${an[0]} of <${name}> has no value`, startLine);
        j++;
        while (/\s/.test(xml[j] ?? "")) j++;
        const q = xml[j];
        if (q !== '"' && q !== "'") throw new VuxmlParseError(`attribute ${an[0]} of <${name}> is not quoted`, startLine);
        const e = xml.indexOf(q, j + 1);
        if (e < 0) throw new VuxmlParseError(`unterminated value of attribute ${an[0]}`, startLine);
        attrs[an[0]] = decodeEntities(xml.slice(j + 1, e));
        j = e + 1;
      }
      out.push({ kind: "open", name, attrs, selfClosing, line: startLine });
      advance(j + 1);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser

const RANGE_OPS = new Set<string>(["lt", "le", "gt", "ge", "eq"]);
/** The local part of a (possibly prefixed) element name, lowercased (pkg uses strcasecmp). */
const local = (name: string): string => name.slice(name.indexOf(":") + 1).toLowerCase();

/**
 * Parses a VuXML document (a whole `vuln.xml`, a year file, or any text holding `<vuln>`
 * elements) into its entries, in document order. Cancelled entries are returned too (with
 * `cancelled` set and no packages). Throws {@link VuxmlParseError} on malformed XML.
 */
export function parseVuxml(xml: string): VuxmlEntry[] {
  const entries: VuxmlEntry[] = [];
  /** Open elements, outermost first (local names). */
  const stack: string[] = [];
  let entry: VuxmlEntry | undefined;
  /** Depth of the `<vuln>` element in `stack` (its index). */
  let vulnDepth = -1;
  let block: AffectedPackage | undefined;
  let range: VersionRange | undefined;
  /** Text being collected for the innermost interesting element. */
  let capture: { path: string[]; text: string } | undefined;

  const finish = (path: string[], raw: string): void => {
    if (!entry) return;
    const text = raw.trim();
    const [a, b, c, d] = path;
    if (path.length === 1 && a === "topic") entry.topic = text;
    else if (a === "affects" && (b === "package" || b === "system") && block) {
      if (path.length === 3 && c === "name") block.names.push(text);
      else if (path.length === 4 && c === "range" && d !== undefined && RANGE_OPS.has(d) && range) {
        range.bounds.push({ op: d as RangeOp, version: text });
      }
    } else if (path.length === 2 && a === "references" && b !== undefined) {
      entry.references.push({ kind: b, text });
      if (b === "cvename") entry.cves.push(text);
      else if (b === "url") entry.urls.push(text);
    } else if (path.length === 2 && a === "dates" && (b === "discovery" || b === "entry" || b === "modified")) {
      entry.dates[b] = text;
    }
  };

  /** Whether the element at `path` (relative to `<vuln>`) has text we keep. */
  const interesting = (path: string[]): boolean => {
    const [a, b, c, d] = path;
    if (path.length === 1) return a === "topic";
    if (path.length === 2) return a === "references" || (a === "dates" && b !== undefined);
    if (a !== "affects" || (b !== "package" && b !== "system")) return false;
    if (path.length === 3) return c === "name";
    return path.length === 4 && c === "range" && d !== undefined && RANGE_OPS.has(d);
  };

  const open = (name: string, attrs: Record<string, string>, line: number): void => {
    stack.push(name);
    if (!entry) {
      if (name === "vuln") {
        entry = { vid: attrs["vid"] ?? "", topic: "", packages: [], systems: [], cves: [], urls: [], references: [], dates: {}, line };
        vulnDepth = stack.length - 1;
      }
      return;
    }
    const path = stack.slice(vulnDepth + 1);
    if (path.length === 1 && name === "cancelled") {
      entry.cancelled = attrs["superseded"] !== undefined ? { superseded: attrs["superseded"] } : {};
    } else if (path.length === 2 && path[0] === "affects" && (name === "package" || name === "system")) {
      block = { names: [], ranges: [] };
      (name === "package" ? entry.packages : entry.systems).push(block);
    } else if (path.length === 3 && path[0] === "affects" && name === "range" && block) {
      range = { bounds: [] };
      block.ranges.push(range);
    }
    if (!capture && interesting(path)) capture = { path, text: "" };
  };

  const close = (name: string, line: number): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) throw new VuxmlParseError(`unexpected end tag </${name}>`, line);
    if (top !== name) throw new VuxmlParseError(`end tag </${name}> does not match <${top}>`, line);
    if (entry) {
      const path = stack.slice(vulnDepth + 1);
      if (capture && capture.path.length === path.length) {
        finish(capture.path, capture.text);
        capture = undefined;
      }
      if (path.length === 0) {
        entries.push(entry);
        entry = undefined;
        vulnDepth = -1;
      } else if (path.length === 2 && path[0] === "affects") block = undefined;
      else if (path.length === 3 && path[2] === "range") range = undefined;
    }
    stack.pop();
  };

  for (const t of tokenizeXml(xml)) {
    if (t.kind === "text") {
      if (capture) capture.text += t.text;
    } else if (t.kind === "open") {
      open(local(t.name), t.attrs, t.line);
      if (t.selfClosing) close(local(t.name), t.line);
    } else close(local(t.name), t.line);
  }
  if (stack.length > 0) {
    throw new VuxmlParseError(`unexpected end of text: <${stack[stack.length - 1]}> is not closed`, xml.split("\n").length);
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * fnmatch(3) with no flags, as pkg calls it for `<name>` globs: `*` matches any run (including
 * `/`), `?` one character, `[…]` a set (`!` or `^` negates, `a-z` ranges, `]` first is
 * literal), `\` quotes the next character. An unterminated `[` is a literal `[`.
 */
export function fnmatch(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const s = Array.from(text);
  const memo = new Map<number, boolean>();
  const go = (pi: number, si: number): boolean => {
    const key = pi * (s.length + 1) + si;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (pi === p.length) r = si === s.length;
    else {
      const c = p[pi]!;
      if (c === "*") {
        r = false;
        for (let k = si; k <= s.length && !r; k++) r = go(pi + 1, k);
      } else if (c === "?") r = si < s.length && go(pi + 1, si + 1);
      else if (c === "[") {
        const m = matchBracket(p, pi, s[si]);
        if (m === undefined) r = si < s.length && s[si] === "[" && go(pi + 1, si + 1);
        else r = si < s.length && m.matched && go(m.next, si + 1);
      } else if (c === "\\" && pi + 1 < p.length) r = si < s.length && s[si] === p[pi + 1] && go(pi + 2, si + 1);
      else r = si < s.length && s[si] === c && go(pi + 1, si + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** Reads the bracket expression at `p[pi]` (`[`); undefined when it is not terminated. */
function matchBracket(p: string[], pi: number, ch: string | undefined): { matched: boolean; next: number } | undefined {
  let i = pi + 1;
  const negate = p[i] === "!" || p[i] === "^";
  if (negate) i++;
  let matched = false;
  let first = true;
  for (;;) {
    if (i >= p.length) return undefined;
    let c = p[i]!;
    if (c === "]" && !first) break;
    first = false;
    if (c === "\\" && i + 1 < p.length) c = p[++i]!;
    if (p[i + 1] === "-" && i + 2 < p.length && p[i + 2] !== "]") {
      let hi = p[i + 2]!;
      let skip = 3;
      if (hi === "\\" && i + 3 < p.length) {
        hi = p[i + 3]!;
        skip = 4;
      }
      if (ch !== undefined && ch >= c && ch <= hi) matched = true;
      i += skip;
    } else {
      if (ch === c) matched = true;
      i++;
    }
  }
  return { matched: negate ? !matched : matched, next: i + 1 };
}

/** True when `version` satisfies one bound (`version op bound.version` with pkg's ordering). */
export function boundHolds(version: string, bound: VersionBound): boolean {
  const c = compareVersions(version, bound.version);
  switch (bound.op) {
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
    case "eq":
      return c === 0;
  }
}

/**
 * True when `version` is in `range`: every bound holds. Like pkg, only the first two bounds
 * are read (VuXML never has more) and a range with no bound matches every version.
 */
export function inRange(version: string, range: VersionRange): boolean {
  return range.bounds.slice(0, 2).every((b) => boundHolds(version, b));
}

/**
 * The `<package>` blocks of `entry` whose names match `name`, with the ranges that contain
 * `version` (all ranges when `version` is undefined). Blocks with no matching range are left
 * out when a version is given.
 */
export function matchingBlocks(entry: VuxmlEntry, name: string, version?: string): AffectedPackage[] {
  const out: AffectedPackage[] = [];
  for (const pkg of entry.packages) {
    if (!pkg.names.some((g) => fnmatch(g, name))) continue;
    if (version === undefined) out.push(pkg);
    else {
      const ranges = pkg.ranges.filter((r) => inRange(version, r));
      if (ranges.length > 0) out.push({ names: pkg.names, ranges });
    }
  }
  return out;
}

/**
 * True when `entry` applies to package `name` at `version`, with pkg audit's rules (see the
 * module comment). Without a version, true for every entry that names the package (what
 * `pkg audit NAME` reports).
 *
 * @example
 * // entry: <package><name>apache24</name><range><lt>2.4.64</lt></range></package>
 * affects(entry, "apache24", "2.4.63") // true
 * affects(entry, "apache24", "2.4.64") // false
 */
export function affects(entry: VuxmlEntry, name: string, version?: string): boolean {
  return matchingBlocks(entry, name, version).length > 0;
}

/** The entries of `entries` that apply to `name` at `version`, in document order. */
export function vulnerabilitiesFor(entries: readonly VuxmlEntry[], name: string, version?: string): VuxmlEntry[] {
  return entries.filter((e) => affects(e, name, version));
}

const OP_SYMBOL: Record<RangeOp, string> = { lt: "<", le: "<=", gt: ">", ge: ">=", eq: "=" };

/**
 * A range as pkg prints it under `Affected versions:`: `>= 1.0 : < 2.0` or `< 1.0`
 * (`vop_names` in pkg_audit.c).
 */
export function formatRange(range: VersionRange): string {
  return range.bounds
    .slice(0, 2)
    .map((b) => `${OP_SYMBOL[b.op]} ${b.version}`)
    .join(" : ");
}

/** The vuxml.FreeBSD.org page of an entry, as `pkg audit` prints it in its `WWW:` line. */
export function vuxmlUrl(vid: string): string {
  return `https://vuxml.FreeBSD.org/freebsd/${vid}.html`;
}
