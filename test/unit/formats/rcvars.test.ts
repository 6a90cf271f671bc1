import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../corpus";
import {
  isValidRcName,
  lastAssignment,
  normalizeRcValue,
  parseRc,
  printRc,
  RcEditError,
  rcValues,
  removeRcVar,
  renderRcValue,
  setRcVar,
  type RcDocument,
  type RcNode,
} from "../../../src/formats/rcvars";

// ---------------------------------------------------------------------------------------------
// Helpers

const FIXTURES = join(__dirname, "../../fixtures/rcvars");
const { corpus, fixture } = loadCorpus(FIXTURES);

/** mulberry32: a small deterministic PRNG, so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Replaces the last occurrence of `from` (which must occur) by `to`. */
function replaceLast(text: string, from: string, to: string): string {
  const i = text.lastIndexOf(from);
  if (i < 0) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}
/** Removes every occurrence of each of `lines` (which must occur). */
function removeAll(text: string, ...lines: string[]): string {
  let out = text;
  for (const l of lines) {
    if (!out.includes(l)) throw new Error(`fixture does not contain ${JSON.stringify(l)}`);
    out = out.split(l).join("");
  }
  return out;
}
const appended = (text: string, line: string): string =>
  `${text}${text.length > 0 && !text.endsWith("\n") ? "\n" : ""}${line}\n`;

const set = (text: string, name: string, value: string): string => printRc(setRcVar(parseRc(text), name, value));
const remove = (text: string, name: string): string => printRc(removeRcVar(parseRc(text), name));

function editError(fn: () => unknown): RcEditError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RcEditError);
    return e as RcEditError;
  }
  throw new Error("expected an RcEditError");
}

/** Structural invariants every parse must satisfy. */
function checkInvariants(text: string, doc: RcDocument): void {
  expect(doc.text).toBe(text);
  expect(printRc(doc)).toBe(text);
  let line = 1;
  doc.nodes.forEach((n, i) => {
    expect(n.raw.length).toBeGreaterThan(0);
    if (i < doc.nodes.length - 1) expect(n.raw.endsWith("\n")).toBe(true);
    expect(n.line).toBe(line);
    line += n.raw.split("\n").length - 1;
    if (n.kind === "assignment") {
      expect(n.raw.slice(0, n.valueStart)).toBe(`${/^[ \t]*/.exec(n.raw)?.[0] ?? ""}${n.name}=`);
      expect(n.valueEnd).toBeGreaterThanOrEqual(n.valueStart);
      expect(n.valueEnd).toBeLessThanOrEqual(n.raw.length);
    }
    if (n.kind === "blank") expect(n.raw).toMatch(/^[ \t]*\n?$/);
    if (n.kind === "comment") expect(n.raw).toMatch(/^[ \t]*#[^\n]*\n?$/);
  });
}

/** Names assigned by simple literal assignments that no opaque node may also assign. */
function plainNames(doc: RcDocument): string[] {
  const mentioned = new Set(doc.nodes.flatMap((n) => (n.kind === "opaque" ? n.mentions : [])));
  return [...rcValues(doc)].filter(([k, v]) => v.literal && !mentioned.has(k)).map(([k]) => k);
}

// Real /bin/sh ------------------------------------------------------------------------------

const haveSh = existsSync("/bin/sh");
const work = mkdtempSync(join(tmpdir(), "rcvars-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let fileNo = 0;
function writeTemp(text: string): string {
  const f = join(work, `f${fileNo++}.conf`);
  writeFileSync(f, text, "utf8");
  return f;
}

/** `sh -n`: true when the text is syntactically valid sh. */
function shSyntaxOk(text: string): boolean {
  try {
    execFileSync("/bin/sh", ["-n", writeTemp(text)], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/** Sources the text with real sh and returns each variable's value (undefined = unset). */
function shValues(text: string, names: readonly string[]): Map<string, string | undefined> {
  const script =
    '. "$1" >/dev/null 2>&1 </dev/null; shift; ' +
    'for __rc_n do eval "__rc_v=\\${$__rc_n-}; __rc_s=\\${$__rc_n+S}"; printf "%s%s\\0" "${__rc_s:-U}" "$__rc_v"; done';
  const out = execFileSync("/bin/sh", ["-c", script, "sh", writeTemp(text), ...names], {
    cwd: work,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    stdio: ["ignore", "pipe", "ignore"],
  }).toString("utf8");
  const parts = out.split("\0");
  expect(parts.length).toBe(names.length + 1);
  return new Map(names.map((n, i) => [n, parts[i]?.startsWith("S") ? (parts[i] as string).slice(1) : undefined]));
}

/** Fixtures that real sh can source (a bare `. missing-file` makes sh exit). */
const SOURCEABLE = [...corpus.keys()].filter((f) => f !== "include-bare.conf");

// Random values for property tests ------------------------------------------------------------

const VALUE_ALPHABET = [
  ..."\"'$`\\#;&|<>*?[]~{}()=:!%^,.-_/+@ \t",
  ..."abcXYZ019",
  "é",
  "ü",
  "✓",
  "日本",
  "😀",
  "\u2028",
  "\u00a0",
  "$(",
  "${x}",
  "`id`",
  "\\\\",
  "'\\''",
  '\\"',
  " # ",
];
function randomValue(r: () => number): string {
  const len = Math.floor(r() * 24);
  let s = "";
  for (let i = 0; i < len; i++) s += pick(r, VALUE_ALPHABET);
  return s;
}

// ---------------------------------------------------------------------------------------------

describe("corpus", () => {
  it("has at least 12 fixture files", () => {
    expect(corpus.size).toBeGreaterThanOrEqual(12);
  });

  for (const [name, text] of corpus) {
    it(`round-trips ${name}`, () => {
      const doc = parseRc(text);
      checkInvariants(text, doc);
    });
  }

  it("fixtures are valid sh", () => {
    if (!haveSh) return;
    for (const [name, text] of corpus) expect(shSyntaxOk(text), name).toBe(true);
  });
});

describe("parseRc never throws and always round-trips", () => {
  const TOKENS = [
    ..."\n\n\n\t  '\"\\$`#;&|(){}<>=\r*?[]~:",
    ..."abAZ_09",
    "if ",
    "then ",
    "fi",
    "else",
    "case ",
    " in ",
    "esac",
    "for ",
    "do ",
    "done",
    "while ",
    "<<EOF\n",
    "<<-'EOF'\n",
    "\nEOF\n",
    "$(",
    "${",
    "$((",
    "))",
    ";;",
    "FOO=",
    "bar=",
    "\\\n",
    "# c",
    "f() {",
    "}",
    ". /etc/rc.conf.local\n",
  ];

  it("on random shell-ish token strings", () => {
    const r = rng(1);
    for (let k = 0; k < 3000; k++) {
      let s = "";
      const len = Math.floor(r() * 40);
      for (let i = 0; i < len; i++) s += pick(r, TOKENS);
      checkInvariants(s, parseRc(s));
    }
  });

  it("on random byte strings and random UTF-16 (lone surrogates included)", () => {
    const r = rng(2);
    for (let k = 0; k < 2000; k++) {
      const len = Math.floor(r() * 60);
      let s = "";
      for (let i = 0; i < len; i++) {
        s += String.fromCharCode(k % 2 === 0 ? Math.floor(r() * 256) : Math.floor(r() * 0x10000));
      }
      checkInvariants(s, parseRc(s));
    }
  });

  it("on mutated corpus files", () => {
    const r = rng(3);
    const texts = [...corpus.values()].filter((t) => t.length > 0);
    for (let k = 0; k < 600; k++) {
      let s = pick(r, texts);
      for (let m = 0; m < 3; m++) {
        const at = Math.floor(r() * (s.length + 1));
        const cut = Math.floor(r() * 4);
        s = s.slice(0, at) + (r() < 0.7 ? pick(r, TOKENS) : "") + s.slice(at + cut);
      }
      checkInvariants(s, parseRc(s));
    }
  });

  it("on pathological nesting", () => {
    for (const s of ["$(".repeat(50_000), "${".repeat(50_000), 'x="$('.repeat(20_000), "(".repeat(50_000), "if ".repeat(20_000)]) {
      checkInvariants(s, parseRc(s));
    }
  });

  it("edits on random documents either fail cleanly or keep every other node", () => {
    const r = rng(4);
    let edited = 0;
    for (let k = 0; k < 1500; k++) {
      let s = "";
      const len = Math.floor(r() * 30);
      for (let i = 0; i < len; i++) s += pick(r, TOKENS);
      const doc = parseRc(s);
      const name = pick(r, ["FOO", "bar", "x"]);
      const value = randomValue(r);
      for (const op of ["set", "remove"] as const) {
        let out: RcDocument;
        try {
          out = op === "set" ? setRcVar(doc, name, value) : removeRcVar(doc, name);
        } catch (e) {
          expect(e).toBeInstanceOf(RcEditError);
          continue;
        }
        edited++;
        checkInvariants(printRc(out), out);
        if (op === "set") expect(normalizeRcValue(lastAssignment(parseRc(printRc(out)), name)?.value ?? { literal: false, reason: "" })).toBe(value);
        else expect(lastAssignment(out, name)).toBeUndefined();
      }
    }
    expect(edited).toBeGreaterThan(1000);
  });
});

describe("node classification", () => {
  const kinds = (t: string): string[] => parseRc(t).nodes.map((n) => n.kind);

  it("recognises assignments, comments and blank lines", () => {
    const doc = parseRc('# hi\n\n  \t\nFOO="bar" # c\n  BAR=baz\t\n');
    expect(doc.nodes.map((n) => n.kind)).toEqual(["comment", "blank", "blank", "assignment", "assignment"]);
    const foo = doc.nodes[3] as Extract<RcNode, { kind: "assignment" }>;
    expect(foo).toMatchObject({ name: "FOO", raw: 'FOO="bar" # c\n', line: 4, value: { literal: true, text: "bar", quoting: "double" } });
    expect(foo.raw.slice(foo.valueStart, foo.valueEnd)).toBe('"bar"');
    const bar = doc.nodes[4] as Extract<RcNode, { kind: "assignment" }>;
    expect(bar.raw.slice(bar.valueStart, bar.valueEnd)).toBe("baz");
  });

  it("reads values as sh does (quote removal)", () => {
    const v = (t: string) => lastAssignment(parseRc(t), "A")?.value;
    expect(v("A=")).toEqual({ literal: true, text: "", quoting: "none" });
    expect(v("A=''")).toEqual({ literal: true, text: "", quoting: "single" });
    expect(v('A=""')).toEqual({ literal: true, text: "", quoting: "double" });
    expect(v("A='a\\b'")).toEqual({ literal: true, text: "a\\b", quoting: "single" });
    expect(v('A="\\"\\\\\\$\\`\\x"')).toEqual({ literal: true, text: '"\\$`\\x', quoting: "double" });
    expect(v('A="a\\\nb"')).toEqual({ literal: true, text: "ab", quoting: "double" });
    expect(v("A=a\\ b\\\\c")).toEqual({ literal: true, text: "a b\\c", quoting: "none" });
    expect(v("A=\"x\"'y'z")).toEqual({ literal: true, text: "xyz", quoting: "mixed" });
    expect(v("A='x''y'")).toEqual({ literal: true, text: "xy", quoting: "mixed" });
    expect(v("A=a#b")).toEqual({ literal: true, text: "a#b", quoting: "none" });
    expect(v("A=b # c")).toEqual({ literal: true, text: "b", quoting: "none" });
    // Pathname expansion does not apply to assignments (POSIX 2.9.1), so these are literal.
    expect(v("A=*.c")).toEqual({ literal: true, text: "*.c", quoting: "none" });
    expect(v("A=[ab]?")).toEqual({ literal: true, text: "[ab]?", quoting: "none" });
    expect(v("A=a~b")).toEqual({ literal: true, text: "a~b", quoting: "none" });
    expect(v('A="~"')).toEqual({ literal: true, text: "~", quoting: "double" });
    expect(v("A=x\r\n")).toEqual({ literal: true, text: "x\r", quoting: "none" });
  });

  it("marks expansions as non-literal", () => {
    for (const t of ["A=$x", 'A="$x"', "A=${x:-y}", "A=$(date)", "A=`date`", 'A="`date`"', "A=$((1+2))", "A=~", "A=~/x", "A=a:~/x", "A=\\"]) {
      const a = lastAssignment(parseRc(t), "A");
      expect(a?.value.literal, t).toBe(false);
      expect(normalizeRcValue(a?.value ?? { literal: true, text: "", quoting: "none" }), t).toBeUndefined();
    }
    expect(lastAssignment(parseRc("A=$(echo 'a b' | tr a b) # c"), "A")?.value).toEqual({
      literal: false,
      reason: "uses command substitution ($(...))",
    });
    // Escaped or single-quoted `$` is literal.
    expect(lastAssignment(parseRc("A='$x'\\$y"), "A")?.value).toEqual({ literal: true, text: "$x$y", quoting: "mixed" });
  });

  it("spans multi-line values", () => {
    const doc = parseRc('A="1\n2" # c\nB=\'x\ny\'\nC=a\\\nb\nD=d\n');
    expect(doc.nodes.map((n) => [n.kind, n.line])).toEqual([
      ["assignment", 1],
      ["assignment", 3],
      ["assignment", 5],
      ["assignment", 7],
    ]);
    expect([...rcValues(doc)].map(([k, v]) => [k, normalizeRcValue(v)])).toEqual([
      ["A", "1\n2"],
      ["B", "x\ny"],
      ["C", "ab"],
      ["D", "d"],
    ]);
  });

  it("keeps anything that is not a simple assignment opaque, with the names it assigns", () => {
    const cases: [string, string[]][] = [
      ["export FOO=bar\n", ["FOO"]],
      ["FOO=bar; BAR=baz\n", ["FOO", "BAR"]],
      ["a=1 && b=2\n", ["a", "b"]],
      ["a=1 b=2\n", ["a", "b"]],
      ["FOO=bar cmd\n", ["FOO"]],
      ["y=2;\n", ["y"]],
      ["a=(x)\n", ["a"]],
      [". /etc/rc.conf.local\n", []],
      ["[ -r /x ] && . /x\n", []],
      [": ${ntpd_flags:=-g}\n", ["ntpd_flags"]],
      ["unset a b\n", ["a", "b"]],
      ["read -r line\n", ["line"]],
      ["for i in 1 2; do :; done\n", ["i"]],
      ["readonly x\n", ["x"]],
      ["FOO+=bar\n", ["FOO"]],
    ];
    for (const [t, mentions] of cases) {
      expect(parseRc(t).nodes, t).toEqual([{ kind: "opaque", raw: t, line: 1, mentions }]);
    }
  });

  it("groups compound commands into one opaque node", () => {
    expect(kinds('if [ -n "$x" ]; then\n\tA=1\nelse\n\tA=2\nfi\nB=3\n')).toEqual(["opaque", "assignment"]);
    expect(kinds("case $x in\na|b) A=1 ;;\n(c) A=2;;\n*)\n\tA=3\n\t;;\nesac\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("f() {\n\tlocal A=1\n}\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("f()\n{\n\tA=1\n}\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("while read l; do\n\tA=$l\ndone < /x\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("for i in a \\\n b; do\n\tA=1\ndone\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("(\nA=1\n)\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("{ A=1\n}\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("true &&\nA=1\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("x=$(case a in a) echo;; esac)\nB=3\n")).toEqual(["assignment", "assignment"]);
    expect(kinds("cat <<EOF\nA=1\nEOF\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("cat <<-EOF; echo\n\tA=1\n\tEOF\nB=3\n")).toEqual(["opaque", "assignment"]);
    expect(kinds("if x; then\n  if y; then A=1; fi\n  case z in *) ;; esac\nfi\nB=3\n")).toEqual(["opaque", "assignment"]);
  });

  it("makes the rest of the file opaque after an unterminated quote", () => {
    for (const t of ['A=1\nB="oops\nC=3\n', "A=1\nB='x\n", "A=1\nB=$(x\nC=3", "A=1\nif x; then\nB=2\n"]) {
      const doc = parseRc(t);
      expect(doc.nodes.map((n) => n.kind), t).toEqual(["assignment", "opaque"]);
      expect(doc.nodes[1]?.raw).toBe(t.slice(4));
    }
  });

  it("keeps CR bytes as content", () => {
    const t = 'A="x"\r\nB=y # c\r\n\r\n';
    const doc = parseRc(t);
    expect(printRc(doc)).toBe(t);
    expect(normalizeRcValue(rcValues(doc).get("A") ?? { literal: false, reason: "" })).toBe("x\r");
    expect(normalizeRcValue(rcValues(doc).get("B") ?? { literal: false, reason: "" })).toBe("y");
  });
});

describe("rcValues and lastAssignment", () => {
  it("last assignment wins, as sh", () => {
    const doc = parseRc(fixture("periodic.conf"));
    expect(normalizeRcValue(rcValues(doc).get("daily_show_success") ?? { literal: false, reason: "" })).toBe("YES");
    expect(lastAssignment(doc, "daily_show_success")?.line).toBe(24);
    expect(lastAssignment(doc, "nope")).toBeUndefined();
  });

  it("a later non-literal assignment hides an earlier literal one", () => {
    const doc = parseRc(fixture("duplicates.conf"));
    expect(rcValues(doc).get("ntpd_flags")).toEqual({ literal: false, reason: "uses parameter expansion ($)" });
  });

  it("ignores opaque nodes but reports their mentions", () => {
    const doc = parseRc(fixture("if-fi.conf"));
    expect(rcValues(doc).has("kld_list")).toBe(false);
    const mentions = doc.nodes.flatMap((n) => (n.kind === "opaque" ? n.mentions : []));
    expect(mentions).toEqual(expect.arrayContaining(["kld_list", "nginx_enable", "sshd_flags", "ntpd_flags"]));
  });

  it("agrees with real sh for every plain literal assignment in the corpus", () => {
    if (!haveSh) return;
    let checked = 0;
    for (const f of SOURCEABLE) {
      const doc = parseRc(fixture(f));
      const names = plainNames(doc);
      if (names.length === 0) continue;
      const sh = shValues(fixture(f), names);
      const values = rcValues(doc);
      for (const n of names) {
        expect(sh.get(n), `${f}: ${n}`).toBe(normalizeRcValue(values.get(n) ?? { literal: false, reason: "" }));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describe("renderRcValue", () => {
  it("double-quotes by default, escaping \\ \" $ `", () => {
    expect(renderRcValue("YES")).toBe('"YES"');
    expect(renderRcValue("")).toBe('""');
    expect(renderRcValue('a"b\\c$d`e')).toBe('"a\\"b\\\\c\\$d\\`e"');
    expect(renderRcValue("it's # ; & | * ~")).toBe("\"it's # ; & | * ~\"");
    expect(renderRcValue("tab\there")).toBe('"tab\there"');
  });

  it("single-quotes only on request and when there is no '", () => {
    expect(renderRcValue("a $b \\c", "single")).toBe("'a $b \\c'");
    expect(renderRcValue("it's", "single")).toBe('"it\'s"');
    expect(renderRcValue("x", "double")).toBe('"x"');
  });

  it("refuses values that cannot be written safely", () => {
    for (const v of ["a\nb", "a\0b", "a\rb", "\x1b[0m", "\x7f", "\u0085", "\ud800", "x\udc00y"]) {
      const e = editError(() => renderRcValue(v));
      expect(e.variable).toBe("");
    }
    expect(renderRcValue("😀")).toBe('"😀"');
  });
});

describe("setRcVar", () => {
  it("appends NAME=\"value\" when the variable is not assigned", () => {
    expect(set("", "A", "1")).toBe('A="1"\n');
    expect(set("B=2\n", "A", "1")).toBe('B=2\nA="1"\n');
    expect(set("B=2", "A", "1")).toBe('B=2\nA="1"\n');
    expect(set("# x", "A", "1")).toBe('# x\nA="1"\n');
    expect(set("#A=0\n", "A", "1")).toBe('#A=0\nA="1"\n');
  });

  it("replaces only the last assignment, keeping the rest of its line", () => {
    expect(set('A="0"\nA="1" # c\nB=2\n', "A", "x")).toBe('A="0"\nA="x" # c\nB=2\n');
    expect(set("  A=1\t\t# c\n", "A", "x")).toBe('  A="x"\t\t# c\n');
    expect(set("A=1", "A", "x")).toBe('A="x"');
  });

  it("keeps the quoting style", () => {
    expect(set("A='1'\n", "A", "x y")).toBe("A='x y'\n");
    expect(set("A='1'\n", "A", "it's")).toBe("A=\"it's\"\n");
    expect(set("A='1'\n", "A", "$x")).toBe("A='$x'\n");
    expect(set('A="1"\n', "A", "$x")).toBe('A="\\$x"\n');
    expect(set("A=1\n", "A", "x")).toBe('A="x"\n');
    expect(set("A=\n", "A", "x")).toBe('A="x"\n');
    expect(set("A= # c\n", "A", "x")).toBe('A="x" # c\n');
    expect(set("A=\"x\"'y'\n", "A", "z")).toBe('A="z"\n');
  });

  it("appends instead of editing values sysrc does not touch", () => {
    expect(set("A=$B\n", "A", "x")).toBe('A=$B\nA="x"\n');
    expect(set('A="${B}c"\n', "A", "x")).toBe('A="${B}c"\nA="x"\n');
    expect(set("A=`b`\n", "A", "x")).toBe('A=`b`\nA="x"\n');
    expect(set("A=\\b\n", "A", "x")).toBe('A=\\b\nA="x"\n');
    expect(set("A=~/b", "A", "x")).toBe('A=~/b\nA="x"\n');
  });

  it("returns the same document when the value is already set", () => {
    for (const [t, v] of [
      ["A=1\n", "1"],
      ["A='it'\\''s'\n", "it's"],
      ['A="x" # c', "x"],
      ["A=$B\nA=x\n", "x"],
    ] as const) {
      const doc = parseRc(t);
      expect(setRcVar(doc, "A", v), t).toBe(doc);
    }
  });

  it("refuses to edit a variable assigned inside an opaque construct", () => {
    const e = editError(() => set('A=1\nif x; then\n\t# note\n\tA=2\nfi\n', "A", "3"));
    expect(e.message).toBe("cannot safely edit A: it is assigned inside a shell construct on line 4; edit that line by hand");
    expect(e.variable).toBe("A");
    expect(e.line).toBe(4);
    expect(editError(() => set("export A=1\n", "A", "3")).line).toBe(1);
  });

  it("refuses invalid names and values", () => {
    for (const n of ["", "1a", "a-b", "a b", "a=b", "é"]) expect(editError(() => set("", n, "x")).variable).toBe(n);
    expect(editError(() => set("A=1\n", "A", "a\nb")).variable).toBe("A");
    expect(editError(() => set("A=1\n", "A", "\0")).message).toMatch(/NUL/);
  });

  it("refuses an edit that would be swallowed by an unterminated construct", () => {
    for (const t of ['A="unterminated\n', "A=1\\", "true &&", "if x; then\n"]) editError(() => set(t, "B", "x"));
  });

  it("reads back every value it writes (property test)", () => {
    const r = rng(5);
    const bases = ["", "A=1\n", "A='1'\n", 'A="1" # c\n', "A=\n", "A=$x\n", "A=1", "\tA=x\"y\" # c\n"];
    for (let k = 0; k < 5000; k++) {
      const v = randomValue(r);
      const doc = setRcVar(parseRc(pick(r, bases)), "A", v);
      const back = lastAssignment(parseRc(printRc(doc)), "A");
      expect(back?.value.literal, JSON.stringify(v)).toBe(true);
      expect(normalizeRcValue(back?.value ?? { literal: false, reason: "" }), JSON.stringify(v)).toBe(v);
    }
  });
});

describe("removeRcVar", () => {
  it("removes every assignment of the name and nothing else", () => {
    expect(remove('A=1\nB=2\n  A="x" # c\nC=\'y\nz\'\nA=$q', "A")).toBe("B=2\nC='y\nz'\n");
    expect(remove("A='m\nl'\nB=2\n", "A")).toBe("B=2\n");
    expect(remove("#A=1\nAA=2\n", "A")).toBe("#A=1\nAA=2\n");
  });

  it("returns the same document when there is nothing to remove", () => {
    const doc = parseRc("B=2\n");
    expect(removeRcVar(doc, "A")).toBe(doc);
  });

  it("refuses when an opaque node may assign the name", () => {
    const e = editError(() => remove("A=1\nA=2; B=3\n", "A"));
    expect(e.line).toBe(2);
    expect(editError(() => remove("", "no-such")).variable).toBe("no-such");
  });
});

describe("isValidRcName", () => {
  it("accepts sh names only", () => {
    for (const n of ["a", "_", "A_1", "sshd_enable", "_x9"]) expect(isValidRcName(n)).toBe(true);
    for (const n of ["", "1a", "a-b", "a.b", "a b", "é", "a=", "$a"]) expect(isValidRcName(n)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Edits per corpus file, with the exact expected text.

interface FileEdits {
  /** [name, value, exact text of the last assignment's node, exact replacement] */
  set?: [string, string, string, string][];
  /** variables that are appended (not assigned, or sysrc would not edit the last assignment) */
  append?: [string, string][];
  /** [name, every node that must disappear] */
  remove?: [string, string[]][];
  /** [name, line that blocks the edit] */
  refuse?: [string, number][];
}

const EDITS: Record<string, FileEdits> = {
  "defaults-periodic.conf": {
    set: [
      ["daily_clean_tmps_days", "7", 'daily_clean_tmps_days="3"\t\t\t\t# If not accessed for\n', 'daily_clean_tmps_days="7"\t\t\t\t# If not accessed for\n'],
      ["daily_accounting_flags", "-q -s", "daily_accounting_flags=-q\t\t\t\t# Flags", 'daily_accounting_flags="-q -s"\t\t\t\t# Flags'],
      ["daily_clean_msgs_days", "30", "daily_clean_msgs_days=\t", 'daily_clean_msgs_days="30"\t'],
      ["security_status_loginfail_period", "weekly", 'security_status_loginfail_period="daily"\n', 'security_status_loginfail_period="weekly"\n'],
    ],
    append: [
      ["security_status_pkgaudit_enable", "YES"],
      ["daily_clean_tmps_ignore", ".X*-lock"], // the last assignment uses $daily_clean_tmps_ignore
      ["periodic_conf_files", "/etc/periodic.conf"],
    ],
    remove: [
      [
        "daily_clean_tmps_ignore",
        [
          'daily_clean_tmps_ignore=".X*-lock .X11-unix .ICE-unix .font-unix .XIM-unix"\n',
          'daily_clean_tmps_ignore="$daily_clean_tmps_ignore quota.user quota.group .snap"\n',
          'daily_clean_tmps_ignore="$daily_clean_tmps_ignore .sujournal"\n',
        ],
      ],
      ["anticongestion_sleeptime", ["anticongestion_sleeptime=3600\n"]],
    ],
    refuse: [
      ["daily_backup_gpart_enable", 56],
      ["source_periodic_confs_defined", 168],
      ["sourced_files", 246],
    ],
  },
  "defaults-rc.conf": {
    set: [
      ["sshd_enable", "YES", 'sshd_enable="NO"\t\t# Enable sshd\n', 'sshd_enable="YES"\t\t# Enable sshd\n'],
      ["rc_conf_files", "/etc/rc.conf", 'rc_conf_files="/etc/rc.conf /etc/rc.conf.local"\n', 'rc_conf_files="/etc/rc.conf"\n'],
    ],
    append: [["pf_enable", "NO"]],
    remove: [["jail_list", ['jail_list=""\t\t# Space separated list of names of jails\n']]],
    refuse: [["source_rc_confs_defined", 86]],
  },
  "rc.conf": {
    set: [
      ["postgresql_enable", "NO", "postgresql_enable=YES\n", 'postgresql_enable="NO"\n'],
      ["cron_flags", "-J 30", "cron_flags='-J 15'\n", "cron_flags='-J 30'\n"],
      ["hostname", 'we"b', 'hostname="web01.example.org"\n', 'hostname="we\\"b"\n'],
    ],
    append: [["sshd_flags", "-o 'UseDNS no'"]],
    remove: [["moused_nondefault_enable", ['moused_nondefault_enable="NO"\n']]],
  },
  "periodic.conf": {
    set: [
      ["daily_show_success", "NO", 'daily_show_success="YES"\n', 'daily_show_success="NO"\n'],
      ["security_status_pkgaudit_quiet", "NO", "security_status_pkgaudit_quiet=YES # pass -q\n", 'security_status_pkgaudit_quiet="NO" # pass -q\n'],
      ["daily_status_security_pkg_checksum_enable", "YES", 'checksum_enable="NO"  # too slow', 'checksum_enable="YES"  # too slow'],
    ],
    append: [["security_status_pkg_checksum_enable", "YES"]],
    remove: [["daily_show_success", ['daily_show_success="NO"\n', 'daily_show_success="YES"\n']]],
  },
  "quoting.conf": {
    set: [
      ["single", "it's", "single='single quoted'\n", "single=\"it's\"\n"],
      ["with_tab_comment", "z", "with_tab_comment='y'\t#", "with_tab_comment='z'\t#"],
      ["empty_with_comment", "v", "empty_with_comment= # nothing\n", 'empty_with_comment="v" # nothing\n'],
      ["escapes", "a\"b", 'escapes="say \\"hi\\" to C:\\\\dir and \\$HOME and \\`x\\`"\n', 'escapes="a\\"b"\n'],
      ["empty_single", "x", "empty_single=''\n", "empty_single='x'\n"],
      ["escaped_space", "a b", "escaped_space=a\\ b\\ c\n", 'escaped_space="a b"\n'],
      ["glob_chars", "*.h", "glob_chars=*.c\n", 'glob_chars="*.h"\n'],
    ],
    append: [["new_one", "1"]],
    remove: [["plain", ["plain=word\n"]]],
  },
  "mixed-quoting.conf": {
    set: [
      ["mixed_a", "z", "mixed_a=\"x\"'y'\n", 'mixed_a="z"\n'],
      ["mixed_c", "it is", "mixed_c='it'\\''s'\n", 'mixed_c="it is"\n'],
    ],
    append: [["mixed_nonliteral", "/x"]],
    remove: [["mixed_c", ["mixed_c='it'\\''s'\n"]]],
  },
  "multiline.conf": {
    set: [
      ["ifconfig_list", "lo0", 'ifconfig_list="lo0\nem0\nem1"\n', 'ifconfig_list="lo0"\n'],
      ["single_ml", "one", "single_ml='first\nsecond'   #", "single_ml='one'   #"],
    ],
    append: [["new_one", "1"]],
    remove: [["indented_ml", ['indented_ml="  a\n  b\n"\n']]],
  },
  "continuation.conf": {
    set: [
      ["long_flags", "-c", "long_flags=-a\\\n-b\n", 'long_flags="-c"\n'],
      ["dq_flags", "-z", 'dq_flags="-x \\\n-y"\n', 'dq_flags="-z"\n'],
    ],
    append: [["new_one", "1"]],
    remove: [["final", ["final=done\n"]]],
    refuse: [
      ["also", 9],
      ["two_on_one", 8],
    ],
  },
  "crlf.conf": {
    set: [
      // The CR is part of the value as sh sees it ("YES\r"), so it is replaced with the value.
      ["sshd_enable", "NO", 'sshd_enable="YES"\r\n', 'sshd_enable="NO"\n'],
      ["hostname", "h", 'hostname="crlf.example.org" # comment\r\n', 'hostname="h" # comment\r\n'],
    ],
    append: [["new_one", "1"]],
    remove: [["ntpd_enable", ["ntpd_enable=YES\r\n"]]],
  },
  "no-final-newline.conf": {
    set: [["hostname", "x", 'hostname="nonl"', 'hostname="x"']],
    append: [["new_one", "1"]],
    remove: [["hostname", ['hostname="nonl"']]],
  },
  "empty.conf": { append: [["sshd_enable", "YES"]] },
  "only-comments.conf": { append: [["sshd_enable", "YES"]] },
  "tabs.conf": {
    set: [
      ["sshd_enable", "NO", '\tsshd_enable="YES"\t\t#', '\tsshd_enable="NO"\t\t#'],
      ["ntpd_enable", "NO", "  ntpd_enable=YES\t\n", '  ntpd_enable="NO"\t\n'],
    ],
    append: [["new_one", "1"]],
    remove: [["moused_enable", ['\tmoused_enable="NO"\t# trailing\n']]],
  },
  "export.conf": {
    set: [["LC_ALL", "C", "LC_ALL=C.UTF-8\n", 'LC_ALL="C"\n']],
    append: [["LANG", "C.UTF-8"]],
    remove: [["LC_ALL", ["LC_ALL=C.UTF-8\n"]]],
    refuse: [
      ["PATH", 2],
      ["locked", 6],
    ],
  },
  "semicolons.conf": {
    set: [
      ["x", "9", "x=1 # single, fine\n", 'x="9" # single, fine\n'],
      ["z", "9", "z=3\n", 'z="9"\n'],
    ],
    append: [["new_one", "1"]],
    remove: [["z", ["z=3\n"]]],
    refuse: [
      ["FOO", 2],
      ["BAR", 2],
      ["two", 3],
      ["y", 5],
    ],
  },
  "if-fi.conf": {
    set: [
      ["sshd_enable", "NO", 'sshd_enable="YES"\n', 'sshd_enable="NO"\n'],
      ["tail_var", "t", 'tail_var="after heredoc"\n', 'tail_var="t"\n'],
    ],
    append: [["new_one", "1"]],
    remove: [["sshd_enable", ['sshd_enable="YES"\n']]],
    refuse: [
      ["kld_list", 3],
      ["nginx_enable", 11],
      ["sshd_flags", 14],
      ["counter", 16],
      ["grouped", 18],
      ["sub", 19],
      ["ntpd_flags", 21],
      ["heredoc_var", 23], // conservative: a here-document body cannot assign, but looks like it
    ],
  },
  "sourcing.conf": {
    set: [["sshd_enable", "NO", 'sshd_enable="YES"\n', 'sshd_enable="NO"\n']],
    append: [["new_one", "1"]],
    remove: [["sshd_enable", ['sshd_enable="YES"\n']]],
    refuse: [["f", 6]],
  },
  "include-bare.conf": {
    set: [["sshd_enable", "NO", 'sshd_enable="YES"\n', 'sshd_enable="NO"\n']],
    append: [["new_one", "1"]],
    remove: [["sshd_enable", ['sshd_enable="YES"\n']]],
  },
  "rc.conf.d-sshd": {
    set: [["sshd_flags", "-o UseDNS=yes", 'sshd_flags="-o UseDNS=no"\n', 'sshd_flags="-o UseDNS=yes"\n']],
    append: [["sshd_program", "/usr/local/sbin/sshd"]],
    remove: [["sshd_enable", ['sshd_enable="YES"\n']]],
  },
  "duplicates.conf": {
    set: [
      ["sshd_enable", "NO", "sshd_enable='YES'\n", "sshd_enable='NO'\n"],
      ["hostname", "three", "  hostname=two  #", '  hostname="three"  #'],
    ],
    append: [
      ["ntpd_flags", "-x"], // last one is "$ntpd_flags -N"
      ["dumpdev", "NO"], // starts with a backslash
      ["ifconfig_em0", "DHCP"], // command substitution
    ],
    remove: [["hostname", ['hostname="one"\n', "  hostname=two  # indented, unquoted\n"]]],
  },
};

describe("edits per corpus file", () => {
  it("covers every fixture", () => {
    expect(Object.keys(EDITS).sort()).toEqual([...corpus.keys()].sort());
  });

  for (const [file, edits] of Object.entries(EDITS)) {
    describe(file, () => {
      const text = fixture(file);
      for (const [name, value, from, to] of edits.set ?? []) {
        it(`sets existing ${name}`, () => {
          const out = set(text, name, value);
          expect(out).toBe(replaceLast(text, from, to));
          expect(normalizeRcValue(lastAssignment(parseRc(out), name)?.value ?? { literal: false, reason: "" })).toBe(value);
          // Setting it again is a no-op.
          const again = parseRc(out);
          expect(setRcVar(again, name, value)).toBe(again);
        });
      }
      for (const [name, value] of edits.append ?? []) {
        it(`appends ${name}`, () => {
          expect(set(text, name, value)).toBe(appended(text, `${name}=${renderRcValue(value)}`));
        });
      }
      for (const [name, nodes] of edits.remove ?? []) {
        it(`removes ${name}`, () => {
          const out = remove(text, name);
          expect(out).toBe(removeAll(text, ...nodes));
          expect(lastAssignment(parseRc(out), name)).toBeUndefined();
        });
      }
      it("removing an unknown variable changes nothing", () => {
        const doc = parseRc(text);
        expect(removeRcVar(doc, "no_such_variable_here")).toBe(doc);
      });
      for (const [name, line] of edits.refuse ?? []) {
        it(`refuses to edit ${name} (line ${line})`, () => {
          const doc = parseRc(text);
          for (const op of [() => setRcVar(doc, name, "x"), () => removeRcVar(doc, name)]) {
            const e = editError(op);
            expect(e.line).toBe(line);
            expect(e.variable).toBe(name);
            expect(e.message).toBe(`cannot safely edit ${name}: it is assigned inside a shell construct on line ${line}; edit that line by hand`);
          }
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Real sh: edited files stay valid and read back exactly what was set.

describe.skipIf(!haveSh)("edited corpus files under real /bin/sh", () => {
  it("every edit of every corpus file passes sh -n", () => {
    const r = rng(6);
    let checked = 0;
    for (const [file, text] of corpus) {
      const doc = parseRc(text);
      const names = [...new Set(doc.nodes.flatMap((n) => (n.kind === "assignment" ? [n.name] : [])))];
      const outputs: string[] = [];
      for (const n of [...names, "brand_new_var"]) {
        for (const op of ["set", "remove"] as const) {
          try {
            const out = op === "set" ? setRcVar(doc, n, randomValue(r)) : removeRcVar(doc, n);
            outputs.push(printRc(out));
          } catch (e) {
            expect(e).toBeInstanceOf(RcEditError);
          }
        }
      }
      for (const out of outputs) expect(shSyntaxOk(out), `${file}: ${JSON.stringify(out.slice(0, 200))}`).toBe(true);
      checked += outputs.length;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("sourcing an edited file gives exactly the values set (and leaves the others)", () => {
    const r = rng(7);
    let checked = 0;
    for (const file of SOURCEABLE) {
      const original = parseRc(fixture(file));
      for (let round = 0; round < 3; round++) {
        let doc = original;
        const expected = new Map<string, string | undefined>();
        for (const n of plainNames(original)) expected.set(n, normalizeRcValue(rcValues(original).get(n) ?? { literal: false, reason: "" }));
        for (const n of plainNames(original)) {
          if (r() < 0.5) continue;
          if (r() < 0.2) {
            doc = removeRcVar(doc, n);
            expected.set(n, undefined);
          } else {
            const v = randomValue(r);
            doc = setRcVar(doc, n, v);
            expected.set(n, v);
          }
        }
        for (let i = 0; i < 15; i++) {
          const v = randomValue(r);
          doc = setRcVar(doc, `new_var_${i}`, v);
          expected.set(`new_var_${i}`, v);
        }
        const text = printRc(doc);
        const sh = shValues(text, [...expected.keys()]);
        for (const [n, v] of expected) {
          expect(sh.get(n), `${file} round ${round}: ${n}`).toBe(v);
          checked++;
        }
        // And the parser agrees with sh on the edited file too.
        for (const n of plainNames(doc)) expect(normalizeRcValue(rcValues(doc).get(n) ?? { literal: false, reason: "" })).toBe(sh.get(n));
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("random values survive a set and a real sh round trip", () => {
    const r = rng(8);
    for (let round = 0; round < 20; round++) {
      let doc = parseRc(fixture("quoting.conf"));
      const expected = new Map<string, string>();
      for (const n of plainNames(doc)) {
        const v = randomValue(r);
        doc = setRcVar(doc, n, v);
        expected.set(n, v);
      }
      for (let i = 0; i < 40; i++) {
        const v = randomValue(r);
        doc = setRcVar(doc, `v${i}`, v);
        expected.set(`v${i}`, v);
      }
      const sh = shValues(printRc(doc), [...expected.keys()]);
      for (const [n, v] of expected) expect(sh.get(n), n).toBe(v);
    }
  });
});
