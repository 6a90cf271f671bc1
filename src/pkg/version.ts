/**
 * FreeBSD package versions and names, the way pkg(8) reads them.
 *
 * {@link compareVersions} is a line-by-line port of `pkg_version_cmp()` in freebsd/pkg
 * `libpkg/pkg_version.c` (the routine behind `pkg version -t`, upgrades and `pkg audit` ranges).
 * A version is `PORTVERSION[_PORTREVISION][,PORTEPOCH]` and is compared in three steps:
 *
 * 1. the **epoch** (`,N`, missing = 0), numerically;
 * 2. the **port version**, component by component (see {@link versionComponents}):
 *    - components are separated by `.`; every character outside `[A-Za-z0-9+*]` is a separator
 *      too, and runs of separators collapse (`10..1 = 10.1`, `1.0:2003 = 1.0.2003`);
 *    - each component is a triple (number, letter, patch level), compared in that order;
 *    - a missing number sorts as −1 (`10.a < 10`), `*` as −2 (the smallest component);
 *    - a letter after a number sorts after the plain number (`10 < 10a < 10b`); only the first
 *      letter of a word counts, case-insensitively (`1.d2 = 1.dev2 = 1.Development2`);
 *    - the words `pl`, `alpha`, `beta`, `pre`, `rc` and `snap` get an implicit separator
 *      before them and sort as `pl < alpha(a) < beta(b) < pre(p) < rc(r) < snap(s)`, all below
 *      the release itself (`1.0rc1 = 1.0.rc1 < 1.0`);
 *    - missing components equal `0` (`1 = 1.0 = 1.0.0`);
 *    - `+` starts a new block; blocks are compared in order (`1.0+1 > 1.0`);
 * 3. the **port revision** (`_N`, missing = 0), numerically.
 *
 * Like pkg, the functions accept either a bare version or a whole package name: only the text
 * after the **last** `-` is used (`nginx-1.24.0_12,3` and `1.24.0_12,3` are the same version).
 * Numbers keep C's integer semantics (64-bit, saturating), so huge numbers compare exactly as
 * pkg compares them.
 *
 * The module also splits package names (`heartbeat-3.0.6_4,1` → `heartbeat` + `3.0.6_4,1`) and
 * validates package names, versions and origins with messages that name the broken rule.
 *
 * Pure: no I/O, no dependencies.
 */

/** The result of a comparison: `a < b`, `a = b` or `a > b`. */
export type Ordering = -1 | 0 | 1;

/** The three parts of a version string, as `split_version()` in pkg finds them. */
export interface VersionParts {
  /** The port version proper: the text before the revision and epoch (may be empty). */
  portVersion: string;
  /** `_N`: the port revision (0 when missing), a 64-bit unsigned value as `strtoul` reads it. */
  revision: bigint;
  /** `,N`: the port epoch (0 when missing), a 64-bit unsigned value as `strtoul` reads it. */
  epoch: bigint;
}

/**
 * One component of a port version: a (number, letter, patch level) triple.
 * `n` is −1 when the component starts with a letter and −2 for `*`; `a` is 0 for no letter,
 * 1–26 for a–z (0 for `pl`); `pl` is −1 when a letter is not followed by a number.
 */
export interface VersionComponent {
  n: bigint;
  a: number;
  pl: bigint;
}

/** A package name split at its last `-`. */
export interface PackageNameParts {
  name: string;
  version: string;
}

const LLONG_MAX = (1n << 63n) - 1n;
const ULONG_MAX = (1n << 64n) - 1n;

/** `isdigit()` in the C locale. */
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
/** `isalpha()` in the C locale (ASCII letters only). */
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
/** `isspace()` in the C locale. */
const isSpace = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";

/**
 * The special words and their letter values (`pkg_version.c: stage[]`). `snap` is listed
 * because pkg 2.8.4 gives `1.0snap1 < 1.0` (commands.md §1.14); older trees stop at `rc`.
 */
const STAGES: readonly { name: string; value: number }[] = [
  { name: "pl", value: 0 },
  { name: "alpha", value: 1 },
  { name: "beta", value: 2 },
  { name: "pre", value: 16 },
  { name: "rc", value: 18 },
  { name: "snap", value: 19 },
];

/** The text a version comparison uses: everything after the last `-` (all of it if none). */
export function versionOf(nameOrVersion: string): string {
  const i = nameOrVersion.lastIndexOf("-");
  return i < 0 ? nameOrVersion : nameOrVersion.slice(i + 1);
}

/** Reads a decimal run at `i` (which must be a digit) as `strtoll` would: saturating. */
function readSigned(s: string, i: number): { value: bigint; end: number } {
  let j = i;
  while (isDigit(s[j])) j++;
  const v = BigInt(s.slice(i, j));
  return { value: v > LLONG_MAX ? LLONG_MAX : v, end: j };
}

/** `strtoul(s + i, NULL, 10)`: optional blanks and `+`, digits, saturating; 0 if no digits. */
function strtoul(s: string, i: number): bigint {
  let j = i;
  while (isSpace(s[j])) j++;
  let negative = false;
  if (s[j] === "+" || s[j] === "-") {
    negative = s[j] === "-";
    j++;
  }
  const start = j;
  while (isDigit(s[j])) j++;
  if (j === start) return 0n;
  let v = BigInt(s.slice(start, j));
  if (v > ULONG_MAX) return ULONG_MAX;
  if (negative) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return v;
}

/**
 * Splits a version (or a whole package name) into port version, revision and epoch, exactly as
 * pkg's `split_version()`: the revision follows the last `_`, the epoch the last `,` after it.
 *
 * @example splitVersion("nginx-1.24.0_12,3") // { portVersion: "1.24.0", revision: 12n, epoch: 3n }
 */
export function splitVersion(nameOrVersion: string): VersionParts {
  const v = versionOf(nameOrVersion);
  return splitAt(v).parts;
}

/** {@link splitVersion} plus the end offset of the port version inside `v`. */
function splitAt(v: string): { parts: VersionParts; end: number } {
  const us = v.lastIndexOf("_");
  const revision = us >= 0 ? strtoul(v, us + 1) : 0n;
  const comma = v.lastIndexOf(",");
  const hasEpoch = comma >= 0 && comma > us;
  const epoch = hasEpoch ? strtoul(v, comma + 1) : 0n;
  const end = us >= 0 ? us : hasEpoch ? comma : v.length;
  return { parts: { portVersion: v.slice(0, end), revision, epoch }, end };
}

/**
 * `get_component()`: reads one component of `s` starting at `pos` and returns it with the
 * offset of the next component (after any separators). Never called at a `+`.
 */
function getComponent(s: string, pos: number): { c: VersionComponent; next: number } {
  let p = pos;
  let hasStage = false;
  let hasPatchLevel = false;
  let n: bigint;
  let a = 0;
  let pl = 0n;

  if (isDigit(s[p])) {
    const r = readSigned(s, p);
    n = r.value;
    p = r.end;
  } else if (s[p] === "*") {
    n = -2n;
    // pkg skips to the next `+` or the end of the *whole* string (revision and epoch included).
    do p++;
    while (p < s.length && s[p] !== "+");
  } else {
    n = -1n;
    hasStage = true;
  }

  if (isAlpha(s[p])) {
    let letter = s[p]!.toLowerCase();
    hasPatchLevel = true;
    if (isAlpha(s[p + 1])) {
      for (const st of STAGES) {
        const len = st.name.length;
        if (s.slice(p, p + len).toLowerCase() === st.name && !isAlpha(s[p + len])) {
          if (hasStage) {
            a = st.value; // the component *is* the stage word
            p += len;
          } else {
            a = 0; // a number then a stage word: insert a separator before the word
            hasPatchLevel = false;
          }
          letter = "";
          break;
        }
      }
    }
    if (letter !== "") {
      a = letter.charCodeAt(0) - 96; // a = 1 … z = 26; only the first letter of a word counts
      do p++;
      while (isAlpha(s[p]));
    }
  }

  if (hasPatchLevel) {
    if (isDigit(s[p])) {
      const r = readSigned(s, p);
      pl = r.value;
      p = r.end;
    } else pl = -1n;
  }

  while (p < s.length && !isDigit(s[p]) && !isAlpha(s[p]) && s[p] !== "+" && s[p] !== "*") p++;
  return { c: { n, a, pl }, next: p };
}

/**
 * The components of a version's port version, in order, as pkg compares them. A `+` block
 * boundary is reported as `"+"`. Handy for explaining a surprising comparison.
 *
 * @example versionComponents("1.0rc1") // [{n:1n,a:0,pl:0n}, {n:0n,a:0,pl:0n}, {n:-1n,a:18,pl:1n}]
 */
export function versionComponents(nameOrVersion: string): (VersionComponent | "+")[] {
  const v = versionOf(nameOrVersion);
  const { end } = splitAt(v);
  const out: (VersionComponent | "+")[] = [];
  let p = 0;
  while (p < end) {
    if (v[p] === "+") {
      out.push("+");
      p++;
    } else {
      const r = getComponent(v, p);
      out.push(r.c);
      p = r.next;
    }
  }
  return out;
}

const cmp = (x: bigint | number, y: bigint | number): Ordering => (x < y ? -1 : x > y ? 1 : 0);

/**
 * Compares two versions (or package names: the text after the last `-` is used) with pkg's
 * rules: epoch, then port version component by component, then revision. Total and
 * deterministic; never throws.
 *
 * @example compareVersions("1.0_9", "1.0_10") // -1
 * @example compareVersions("nginx-1.24.0_12,3", "nginx-1.26.2,3") // -1
 * @example compareVersions("1.0,1", "2.0") // 1: the epoch wins
 */
export function compareVersions(a: string, b: string): Ordering {
  const s1 = versionOf(a);
  const s2 = versionOf(b);
  const x = splitAt(s1);
  const y = splitAt(s2);

  let result: Ordering = cmp(x.parts.epoch, y.parts.epoch);

  const ve1 = x.end;
  const ve2 = y.end;
  if (result === 0 && (ve1 !== ve2 || s1.slice(0, ve1).toLowerCase() !== s2.slice(0, ve2).toLowerCase())) {
    let v1 = 0;
    let v2 = 0;
    while (result === 0 && (v1 < ve1 || v2 < ve2)) {
      let block1 = false;
      let block2 = false;
      let c1: VersionComponent = { n: 0n, a: 0, pl: 0n };
      let c2: VersionComponent = { n: 0n, a: 0, pl: 0n };
      if (v1 < ve1 && s1[v1] !== "+") {
        const r = getComponent(s1, v1);
        c1 = r.c;
        v1 = r.next;
      } else block1 = true;
      if (v2 < ve2 && s2[v2] !== "+") {
        const r = getComponent(s2, v2);
        c2 = r.c;
        v2 = r.next;
      } else block2 = true;
      if (block1 && block2) {
        if (v1 < ve1) v1++;
        if (v2 < ve2) v2++;
      } else if (c1.n !== c2.n) result = cmp(c1.n, c2.n);
      else if (c1.a !== c2.a) result = cmp(c1.a, c2.a);
      else if (c1.pl !== c2.pl) result = cmp(c1.pl, c2.pl);
    }
  }

  if (result === 0) result = cmp(x.parts.revision, y.parts.revision);
  return result;
}

/** The symbol `pkg version -t a b` prints for a comparison: `<`, `=` or `>`. */
export function versionSymbol(a: string, b: string): "<" | "=" | ">" {
  const r = compareVersions(a, b);
  return r < 0 ? "<" : r > 0 ? ">" : "=";
}

/** True when `installed` is at least `min` (`installed >= min` with pkg's ordering). */
export function satisfiesMin(installed: string, min: string): boolean {
  return compareVersions(installed, min) >= 0;
}

/** True when the two versions are equal with pkg's ordering (`1.0` equals `1.0.0` and `1`). */
export function versionsEqual(a: string, b: string): boolean {
  return compareVersions(a, b) === 0;
}

/**
 * Splits `name-version` at the **last** `-`, as pkg does (`pkg audit` arguments, `%n-%v`
 * output). Returns `undefined` when there is no `-`, or when the name or the version would be
 * empty. The parts are not validated; see {@link packageNameProblem}.
 *
 * Only safe on strings known to carry a version (pkg output such as `pkg query '%n-%v'`): a bare
 * name with a `-` is split too (`py311-foo` → `py311` + `foo`), exactly as pkg would.
 *
 * @example splitPackageName("heartbeat-3.0.6_4,1") // { name: "heartbeat", version: "3.0.6_4,1" }
 */
export function splitPackageName(pkgName: string): PackageNameParts | undefined {
  const i = pkgName.lastIndexOf("-");
  if (i <= 0 || i === pkgName.length - 1) return undefined;
  return { name: pkgName.slice(0, i), version: pkgName.slice(i + 1) };
}

// ---------------------------------------------------------------------------------------------
// Validation. Each `…Problem` function returns undefined when the value is fine, otherwise one
// message that names the broken rule (ready for a zod `superRefine`).

/** Longest package name, port name or category accepted (real ones stay well below 100). */
export const MAX_NAME_LENGTH = 200;

/** The rule for package names, in words (for documentation and messages). */
export const PACKAGE_NAME_RULE =
  "letters, digits and the characters + . _ -, starting with a letter or digit";

/** The rule for origins, in words. */
export const ORIGIN_RULE =
  "category/port or category/port@flavor: category in lowercase letters, digits, - and _; " +
  `port in ${PACKAGE_NAME_RULE}; flavor in lowercase letters, digits and _`;

/** The rule for versions a user may write (e.g. a minimum version), in words. */
export const VERSION_RULE =
  "PORTVERSION[_REVISION][,EPOCH]: PORTVERSION in letters, digits, . and +, starting with a " +
  "letter or digit; REVISION and EPOCH in digits";

const NAME_CHAR = /^[A-Za-z0-9+._-]$/;
const ALNUM = /^[A-Za-z0-9]$/;

/** Describes a character for a message: printable ones quoted, others as U+XXXX. */
function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x21 && code <= 0x7e) return `'${c}'`;
  if (c === " ") return "a space";
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Shared checks for a name-like word: non-empty, short enough, charset, first character. */
function wordProblem(
  what: string,
  value: string,
  allowed: RegExp,
  allowedWords: string,
  first: RegExp,
  firstWords: string,
): string | undefined {
  if (value.length === 0) return `${what} must not be empty`;
  if (value.length > MAX_NAME_LENGTH) return `${what} must be at most ${MAX_NAME_LENGTH} characters`;
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!allowed.test(c)) {
      return `${what} may contain only ${allowedWords}; found ${describeChar(c)} at position ${i + 1}`;
    }
  }
  if (!first.test(chars[0]!)) return `${what} must start with ${firstWords}, not ${describeChar(chars[0]!)}`;
  return undefined;
}

/**
 * Why `name` is not an acceptable FreeBSD package name (`undefined` when it is). The rule:
 * {@link PACKAGE_NAME_RULE}. This rejects every shell metacharacter, blanks, glob characters
 * (`* ? [`), `/` and `@` (origins), and a leading `-` that pkg would read as an option.
 *
 * @example packageNameProblem("p5-libwww") // undefined
 * @example packageNameProblem("nginx;reboot") // "package name may contain only …; found ';' at position 6"
 */
export function packageNameProblem(name: string): string | undefined {
  if (typeof name !== "string") return "package name must be a string";
  return wordProblem(
    "package name",
    name,
    NAME_CHAR,
    "letters, digits and + . _ -",
    ALNUM,
    "a letter or digit",
  );
}

/** True when `name` is an acceptable FreeBSD package name (see {@link packageNameProblem}). */
export function isValidPackageName(name: string): boolean {
  return packageNameProblem(name) === undefined;
}

/**
 * Why `origin` is not an acceptable port origin (`undefined` when it is). The rule:
 * {@link ORIGIN_RULE}. Flavors follow the ports framework (`[a-z0-9_]`, bsd.port.mk).
 *
 * @example originProblem("www/nginx") // undefined
 * @example originProblem("devel/py-pip@py311") // undefined
 * @example originProblem("nginx") // "origin must have the form category/port …"
 */
export function originProblem(origin: string): string | undefined {
  if (typeof origin !== "string") return "origin must be a string";
  if (origin.length === 0) return "origin must not be empty";
  const at = origin.indexOf("@");
  const path = at < 0 ? origin : origin.slice(0, at);
  const flavor = at < 0 ? undefined : origin.slice(at + 1);
  const slash = path.indexOf("/");
  if (slash < 0 || path.indexOf("/", slash + 1) >= 0) {
    return `origin must have the form category/port or category/port@flavor (exactly one '/'), got ${JSON.stringify(origin)}`;
  }
  const category = path.slice(0, slash);
  const port = path.slice(slash + 1);
  const cat = wordProblem(
    "origin category",
    category,
    /^[a-z0-9_-]$/,
    "lowercase letters, digits, - and _",
    /^[a-z0-9]$/,
    "a lowercase letter or digit",
  );
  if (cat) return cat;
  const p = wordProblem("origin port name", port, NAME_CHAR, "letters, digits and + . _ -", ALNUM, "a letter or digit");
  if (p) return p;
  if (flavor !== undefined) {
    const f = wordProblem(
      "origin flavor",
      flavor,
      /^[a-z0-9_]$/,
      "lowercase letters, digits and _",
      /^[a-z0-9_]$/,
      "a lowercase letter, digit or _",
    );
    if (f) return f;
  }
  return undefined;
}

/** True when `origin` is an acceptable port origin (see {@link originProblem}). */
export function isValidOrigin(origin: string): boolean {
  return originProblem(origin) === undefined;
}

/** Parses an origin that {@link isValidOrigin} accepts; `undefined` otherwise. */
export function parseOrigin(origin: string): { category: string; port: string; flavor?: string } | undefined {
  if (!isValidOrigin(origin)) return undefined;
  const at = origin.indexOf("@");
  const path = at < 0 ? origin : origin.slice(0, at);
  const [category, port] = path.split("/") as [string, string];
  return at < 0 ? { category, port } : { category, port, flavor: origin.slice(at + 1) };
}

/**
 * Why `version` is not an acceptable version for a user to write, e.g. a minimum version
 * (`undefined` when it is). The rule: {@link VERSION_RULE}. Stricter than what pkg can compare
 * (pkg compares anything): no `-`, no blanks, no shell metacharacters, no `*`.
 *
 * @example versionProblem("3.0.6_4,1") // undefined
 * @example versionProblem("1.0_x") // "version revision (after '_') must be digits …"
 */
export function versionProblem(version: string): string | undefined {
  if (typeof version !== "string") return "version must be a string";
  if (version.length === 0) return "version must not be empty";
  if (version.length > MAX_NAME_LENGTH) return `version must be at most ${MAX_NAME_LENGTH} characters`;
  const chars = Array.from(version);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!/^[A-Za-z0-9.+_,]$/.test(c)) {
      return `version may contain only letters, digits and . + _ , ; found ${describeChar(c)} at position ${i + 1}`;
    }
  }
  const comma = version.indexOf(",");
  if (comma >= 0 && version.indexOf(",", comma + 1) >= 0) return "version may contain at most one ',' (the epoch)";
  const us = version.indexOf("_");
  if (us >= 0 && version.indexOf("_", us + 1) >= 0) return "version may contain at most one '_' (the revision)";
  if (comma >= 0 && us > comma) return "version revision ('_N') must come before the epoch (',N')";
  const epoch = comma >= 0 ? version.slice(comma + 1) : undefined;
  const revision = us >= 0 ? version.slice(us + 1, comma >= 0 ? comma : undefined) : undefined;
  const proper = version.slice(0, us >= 0 ? us : comma >= 0 ? comma : undefined);
  if (epoch !== undefined && !/^[0-9]+$/.test(epoch)) return "version epoch (after ',') must be digits, e.g. 1.0,1";
  if (revision !== undefined && !/^[0-9]+$/.test(revision)) {
    return "version revision (after '_') must be digits, e.g. 1.0_2";
  }
  if (proper.length === 0) return "version must have a port version before '_' or ','";
  if (!ALNUM.test(proper[0]!)) return `version must start with a letter or digit, not ${describeChar(proper[0]!)}`;
  return undefined;
}

/** True when `version` is an acceptable user-written version (see {@link versionProblem}). */
export function isValidVersion(version: string): boolean {
  return versionProblem(version) === undefined;
}
