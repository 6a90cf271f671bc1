/**
 * mtree(8): the keywords this project accepts and a parser for the report `mtree -f spec -p dir`
 * prints when a tree does not match its specification.
 *
 * The report format is the one shared by FreeBSD's /usr/sbin/mtree (contrib/mtree, imported
 * from NetBSD) and Debian's `mtree-netbsd` (compare.c, verify.c):
 *
 * - changed: `path: ` then one item per differing keyword, `label (expected, found)`. A path of
 *   at most 6 bytes is padded to column 8 and its first item follows on the same line; a longer
 *   one ends its line and every item is on the next lines, each starting with a TAB. A type
 *   mismatch is always `\ttype (expected, found)`. `link ref (found, expected)` is the one item
 *   whose values are the other way round. A digest that could not be computed is
 *   `\tsha256: path: error`.
 * - extra: `extra: path` (the path relative to the root, without `./`; the contents of an extra
 *   directory are not listed).
 * - missing: `missing: ./path` (mtree-netbsd 20180822) or `./path missing` (FreeBSD's
 *   contrib/mtree, NetBSD verify.c 1.44); both are understood.
 *
 * Path names are printed as they are on disk (not vis(3)-encoded), so a name containing a newline
 * splits across lines; such lines end up in {@link MtreeReport.unparsed}, never silently dropped.
 */

/** Keywords accepted in `keywords` (the `-k` list), in mtree's own spelling. */
export const MTREE_KEYWORDS = [
  "cksum",
  "flags",
  "gid",
  "gname",
  "link",
  "md5digest",
  "mode",
  "nlink",
  "rmd160digest",
  "sha1digest",
  "sha256digest",
  "sha384digest",
  "sha512digest",
  "size",
  "time",
  "type",
  "uid",
  "uname",
] as const;

/** One of {@link MTREE_KEYWORDS}. */
export type MtreeKeyword = (typeof MTREE_KEYWORDS)[number];

// The short digest names are synonyms in both implementations (mtree(8) "Synonym for sha256").
const SYNONYMS: Record<string, MtreeKeyword> = {
  md5: "md5digest",
  rmd160: "rmd160digest",
  sha1: "sha1digest",
  sha256: "sha256digest",
  sha384: "sha384digest",
  sha512: "sha512digest",
};

/** The canonical spelling of a keyword (`sha256` → `sha256digest`), or undefined if not accepted. */
export function canonicalKeyword(k: string): MtreeKeyword | undefined {
  if ((MTREE_KEYWORDS as readonly string[]).includes(k)) return k as MtreeKeyword;
  return SYNONYMS[k];
}

/** A path whose attributes differ from the specification. */
export interface MtreeChange {
  /** Relative to the verified root; "." is the root itself. */
  path: string;
  /** The keywords that differ, canonical names, sorted. */
  keywords: string[];
  /** The report's items as printed, e.g. `size (2, 16)`. */
  details: string[];
}

/** A parsed verification report. */
export interface MtreeReport {
  changed: MtreeChange[];
  missing: string[];
  extra: string[];
  /** Lines that fit none of the forms above. */
  unparsed: string[];
}

// Item labels printed by compare.c, to the keyword each one checks.
const LABELS: [string, string][] = [
  ["modification time", "time"],
  ["link count", "nlink"],
  ["link ref", "link"],
  ["permissions", "mode"],
  ["type", "type"],
  ["user", "uid"],
  ["gid", "gid"],
  ["size", "size"],
  ["flags", "flags"],
  ["device", "device"],
  ["cksum", "cksum"],
  ["md5digest", "md5digest"],
  ["md5", "md5digest"],
  ["rmd160digest", "rmd160digest"],
  ["ripemd160digest", "rmd160digest"],
  ["rmd160", "rmd160digest"],
  ["sha1digest", "sha1digest"],
  ["sha1", "sha1digest"],
  ["sha256digest", "sha256digest"],
  ["sha256", "sha256digest"],
  ["sha384digest", "sha384digest"],
  ["sha384", "sha384digest"],
  ["sha512digest", "sha512digest"],
  ["sha512", "sha512digest"],
];

/** The keyword an item such as `size (2, 16)` or `sha256: ./a: Permission denied` reports. */
export function itemKeyword(item: string): string | undefined {
  for (const [label, keyword] of LABELS) {
    if (item.startsWith(`${label} (`) || item.startsWith(`${label}: `)) return keyword;
  }
  return undefined;
}

/** Parses the standard output of `mtree -f spec -p dir`. Pure. */
export function parseMtreeReport(text: string): MtreeReport {
  const report: MtreeReport = { changed: [], missing: [], extra: [], unparsed: [] };
  let current: MtreeChange | undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("\t") && current) {
      addItem(current, line.slice(1), report);
      continue;
    }
    current = undefined;
    if (line.startsWith("extra: ")) {
      report.extra.push(stripDot(line.slice(7)));
      continue;
    }
    if (line.startsWith("missing: ")) {
      report.missing.push(stripDot(line.slice(9)));
      continue;
    }
    if (line.startsWith("./") && line.endsWith(" missing")) {
      report.missing.push(stripDot(line.slice(0, -8)));
      continue;
    }
    // A long name: "path: " alone on its line, items on the next lines.
    if (line.endsWith(": ") && line.length > 2 && itemKeyword(line) === undefined) {
      current = { path: line.slice(0, -2), keywords: [], details: [] };
      report.changed.push(current);
      continue;
    }
    // A short name: "path:" padded to column 8, the first item on the same line.
    const inline = inlineChange(line);
    if (inline) {
      current = { path: inline.path, keywords: [], details: [] };
      report.changed.push(current);
      addItem(current, inline.item, report);
      continue;
    }
    report.unparsed.push(line);
  }
  for (const c of report.changed) c.keywords = [...new Set(c.keywords)].sort();
  return report;
}

function inlineChange(line: string): { path: string; item: string } | undefined {
  // Try every split point up to 6 bytes: a path may itself contain ": ".
  for (let n = 1; n <= 6 && n < line.length; n++) {
    if (line.slice(n, n + 2) !== ": ") continue;
    const item = line.slice(n + 2).replace(/^ *\t?/, "");
    if (itemKeyword(item) !== undefined) return { path: line.slice(0, n), item };
  }
  return undefined;
}

function addItem(change: MtreeChange, item: string, report: MtreeReport): void {
  const keyword = itemKeyword(item);
  if (keyword === undefined) {
    report.unparsed.push(`${change.path}: ${item}`);
    return;
  }
  change.keywords.push(keyword);
  change.details.push(item);
}

function stripDot(p: string): string {
  if (p === ".") return ".";
  return p.startsWith("./") ? p.slice(2) : p;
}
