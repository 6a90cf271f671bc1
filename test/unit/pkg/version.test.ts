import { describe, expect, it } from "vitest";
import {
  compareVersions,
  isValidOrigin,
  isValidPackageName,
  isValidVersion,
  MAX_NAME_LENGTH,
  originProblem,
  packageNameProblem,
  parseOrigin,
  satisfiesMin,
  splitPackageName,
  splitVersion,
  versionComponents,
  versionOf,
  versionProblem,
  versionsEqual,
  versionSymbol,
  type Ordering,
} from "../../../src/pkg/version";

// ---------------------------------------------------------------------------------------------
// The §1.14 test vectors of commands.md ("computed with the upstream routine"), copied verbatim.
// Each line holds one or more chains `A op B [op C …]`; a parenthesised remark is not a vector.

const SECTION_1_14 = String.raw`
1 < 2            2 > 1             2 = 2            2 < 1,1
1.pl1 < 1.alpha1 1.alpha1 < 1.beta1 1.beta1 < 1.pre1 1.pre1 < 1.rc1
1.rc1 < 1        1.pl1 < 1.snap1   1.snap1 > 1.alpha1  1.0snap1 > 1.0rc1  1.0snap1 < 1.0
1.0 < 1.0_1      1.0_9 < 1.0_10    1.0,1 > 2.0      1.0_1,1 > 1.0,1   1.0_1,2 > 1.0_2,1
1.0 = 1.0.0      1.0 = 1           1.9 < 1.10       1.2.3 < 1.2.10
1.0a > 1.0       1.0a < 1.0b       1.0.a < 1.0      10 < 10a          10alpha < 10
1.0rc1 < 1.0     1.0alpha1 < 1.0   1.0beta1 > 1.0alpha2   1.0rc1 > 1.0pre1
1.0pl1 < 1.0     1.0pl1 < 1.0alpha1   1.0p1 > 1.0   1.0.p1 < 1.0
1.0b1 > 1.0      (single letter "b" is NOT "beta")  1.0beta1 < 1.0
2.* < 2pl1 < 2alpha3 < 2.9f7 < 3.*
1.0.1:2003.09.16 < 1.0:2003.09.16     10..1 = 10.1      10a1b2 = 10a1.b2
1.d2 = 1.dev2 = 1.Development2        1.0+1 > 1.0        1.0+a < 1.0+b
nginx-1.24.0_12,3 < nginx-1.26.2,3     3.0.15,1 < 3.0.15_1,1    5.36.0 < 5.36.0_1
20231201 < 20240101   2024.1 < 2024.10   1.21.3 < 2.0.0
`;

type Op = "<" | "=" | ">";
const OPS = new Set<string>(["<", "=", ">"]);
const ORD: Record<Op, Ordering> = { "<": -1, "=": 0, ">": 1 };
/** Negation without producing -0. */
const neg = (o: Ordering): Ordering => (o === 0 ? 0 : o === 1 ? -1 : 1);

/** The chains of one line, e.g. `[["2.*","<","2pl1","<","2alpha3"], …]`. */
function chainsOf(line: string): string[][] {
  const tokens = line.replace(/\([^)]*\)/g, " ").trim().split(/\s+/).filter(Boolean);
  const chains: string[][] = [];
  let i = 0;
  while (i < tokens.length) {
    const chain = [tokens[i]!];
    i++;
    while (i + 1 < tokens.length && OPS.has(tokens[i]!)) {
      chain.push(tokens[i]!, tokens[i + 1]!);
      i += 2;
    }
    chains.push(chain);
  }
  return chains;
}

const chains = SECTION_1_14.split("\n").filter((l) => l.trim()).flatMap(chainsOf);
/** Adjacent pairs: exactly the comparisons written in §1.14. */
const vectors: [string, Op, string][] = chains.flatMap((c) => {
  const out: [string, Op, string][] = [];
  for (let i = 0; i + 2 < c.length; i += 2) out.push([c[i]!, c[i + 1] as Op, c[i + 2]!]);
  return out;
});
/** Non-adjacent pairs of the chains (`2.* < 3.*` follows from the chain above). */
const implied: [string, Op, string][] = chains.flatMap((c) => {
  const out: [string, Op, string][] = [];
  const ops = c.filter((_, i) => i % 2 === 1) as Op[];
  const vs = c.filter((_, i) => i % 2 === 0);
  for (let i = 0; i < vs.length; i++) {
    for (let j = i + 2; j < vs.length; j++) {
      const seg = ops.slice(i, j);
      const op: Op = seg.every((o) => o === "=") ? "=" : seg.includes("<") ? "<" : ">";
      out.push([vs[i]!, op, vs[j]!]);
    }
  }
  return out;
});

describe("§1.14 vectors (verbatim)", () => {
  it("the block parses into the expected number of comparisons", () => {
    // Counted by hand from the block: 4+4+5+5+4+5+4+4+2+4+3+4+3+3 = 54.
    expect(vectors).toHaveLength(54);
    expect(chains.every((c) => c.length >= 3 && c.length % 2 === 1)).toBe(true);
  });

  it.each(vectors)("%s %s %s", (a, op, b) => {
    expect(compareVersions(a, b)).toBe(ORD[op]);
    expect(versionSymbol(a, b)).toBe(op);
    // …and the mirror image, so each vector also checks antisymmetry.
    expect(compareVersions(b, a)).toBe(neg(ORD[op]));
  });

  it.each(implied)("implied by a chain: %s %s %s", (a, op, b) => {
    expect(compareVersions(a, b)).toBe(ORD[op]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("compareVersions: well-known cases", () => {
  it("the classic Salt bug: revision _15 is newer than _9 (numeric, not lexical)", () => {
    expect(compareVersions("1.0_15", "1.0_9")).toBe(1);
    expect(compareVersions("heartbeat-3.0.6_15", "heartbeat-3.0.6_9")).toBe(1);
    expect(compareVersions("2.4.1_9,1", "2.4.1_15,1")).toBe(-1);
    // Components are numeric too.
    expect(compareVersions("1.15", "1.9")).toBe(1);
    expect(compareVersions("9.18.9", "9.18.24")).toBe(-1);
  });

  it("the epoch beats everything else", () => {
    expect(compareVersions("0.0.1,1", "999999.99.99_99")).toBe(1);
    expect(compareVersions("1.0,2", "9999_9999,1")).toBe(1);
    expect(compareVersions("zzz,1", "1.0")).toBe(1);
    expect(compareVersions("3.0.8", "3.0.4.1,3")).toBe(-1); // rubygem-rack case from the vuxml README
    expect(compareVersions("1.6", "1.6r2,1")).toBe(-1); // pl-ekg case
  });

  it("the revision only breaks ties", () => {
    expect(compareVersions("1.1", "1.0_99")).toBe(1);
    expect(compareVersions("1.0_1", "1.0")).toBe(1);
    expect(compareVersions("1.0_0", "1.0")).toBe(0);
    expect(compareVersions("1.0,0", "1.0")).toBe(0);
  });

  it("uses only the text after the last '-'", () => {
    expect(compareVersions("py311-foo-1.0", "1.0")).toBe(0);
    expect(compareVersions("a-b-c-2", "x-1")).toBe(1);
    expect(compareVersions("nodash", "nodash")).toBe(0);
    expect(versionOf("FreeBSD-kernel-14.0_4")).toBe("14.0_4");
  });

  it("is case-insensitive for letters and stage words", () => {
    expect(compareVersions("1.0A", "1.0a")).toBe(0);
    expect(compareVersions("1.0RC1", "1.0rc1")).toBe(0);
    expect(compareVersions("1.0Beta2", "1.0beta2")).toBe(0);
  });

  it("handles stage words only as whole words", () => {
    // "prerelease" is not "pre": only its first letter counts, after the number.
    expect(compareVersions("1.0prerelease", "1.0p")).toBe(0);
    expect(compareVersions("1.0prerelease", "1.0")).toBe(1);
    expect(compareVersions("1.0pre", "1.0")).toBe(-1);
    expect(compareVersions("1.0rcx", "1.0r")).toBe(0);
  });

  it("'*' is the smallest component and swallows the rest of the string (pkg quirk)", () => {
    expect(compareVersions("0.9.*", "0.9.0")).toBe(-1);
    expect(compareVersions("0.9.*", "0.9.a")).toBe(-1);
    // "0.9.*_20050325": the '*' also skips the revision text, but split_version still reads it.
    expect(compareVersions("0.9.8", "0.9.*_20050325")).toBe(1);
    expect(compareVersions("0.9.*_20050325", "0.9.*_20051011")).toBe(-1);
  });

  it("a version with nothing but separators equals 0 with a missing number", () => {
    expect(compareVersions("", "0")).toBe(0);
    expect(compareVersions("foo-", "1")).toBe(-1);
    expect(compareVersions(".5", "0.5")).toBe(-1); // leading separator: n = -1 first
    expect(compareVersions("1..", "1")).toBe(0);
  });

  it("saturates huge numbers like strtoll/strtoul (no float rounding)", () => {
    expect(compareVersions("9007199254740993", "9007199254740992")).toBe(1);
    // Both above LLONG_MAX: pkg sees them as equal.
    expect(compareVersions("99999999999999999999", "99999999999999999998")).toBe(0);
    expect(compareVersions("1_99999999999999999999", "1_18446744073709551615")).toBe(0);
    expect(compareVersions("1,18446744073709551616", "1,18446744073709551615")).toBe(0);
  });

  it("handles '+' blocks like pkg", () => {
    expect(compareVersions("1.0+2", "1.0+10")).toBe(-1);
    expect(compareVersions("1.0+1", "1.0.5")).toBe(-1); // the block boundary counts as 0 against 5
    expect(compareVersions("1+", "1")).toBe(0);
    expect(compareVersions("+1", "0")).toBe(1);
  });

  it("splitVersion follows split_version()", () => {
    expect(splitVersion("nginx-1.24.0_12,3")).toEqual({ portVersion: "1.24.0", revision: 12n, epoch: 3n });
    expect(splitVersion("1.0,1")).toEqual({ portVersion: "1.0", revision: 0n, epoch: 1n });
    expect(splitVersion("1.0_1")).toEqual({ portVersion: "1.0", revision: 1n, epoch: 0n });
    // The epoch is searched only after the last '_'.
    expect(splitVersion("1.0,1_2")).toEqual({ portVersion: "1.0,1", revision: 2n, epoch: 0n });
    expect(splitVersion("1.0")).toEqual({ portVersion: "1.0", revision: 0n, epoch: 0n });
    expect(splitVersion("1.0_x")).toEqual({ portVersion: "1.0", revision: 0n, epoch: 0n });
  });

  it("versionComponents explains the comparison", () => {
    expect(versionComponents("1.0rc1")).toEqual([
      { n: 1n, a: 0, pl: 0n },
      { n: 0n, a: 0, pl: 0n },
      { n: -1n, a: 18, pl: 1n },
    ]);
    expect(versionComponents("10a1b2")).toEqual([
      { n: 10n, a: 1, pl: 1n },
      { n: -1n, a: 2, pl: 2n },
    ]);
    expect(versionComponents("2.*")).toEqual([
      { n: 2n, a: 0, pl: 0n },
      { n: -2n, a: 0, pl: 0n },
    ]);
    expect(versionComponents("1.0+a")).toEqual([{ n: 1n, a: 0, pl: 0n }, { n: 0n, a: 0, pl: 0n }, "+", { n: -1n, a: 1, pl: -1n }]);
    expect(versionComponents("1.pl1_3")).toEqual([
      { n: 1n, a: 0, pl: 0n },
      { n: -1n, a: 0, pl: 1n },
    ]);
  });

  it("satisfiesMin and versionsEqual", () => {
    expect(satisfiesMin("3.0.6_4,1", "3.0.6_4,1")).toBe(true);
    expect(satisfiesMin("3.0.6_10", "3.0.6_9")).toBe(true);
    expect(satisfiesMin("3.0.6_3", "3.0.6_4")).toBe(false);
    expect(satisfiesMin("1.0", "1.0.0")).toBe(true);
    expect(satisfiesMin("1.0rc1", "1.0")).toBe(false);
    expect(satisfiesMin("0.1,1", "9.9")).toBe(true);
    expect(satisfiesMin("heartbeat-3.0.6_4", "3.0.6_4")).toBe(true);
    expect(versionsEqual("1", "1.0.0")).toBe(true);
    expect(versionsEqual("1.0", "1.0_1")).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties on random samples (deterministic PRNG, so failures reproduce).

/** mulberry32. */
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

const PIECES = ["0", "1", "2", "9", "10", "15", "100", "a", "b", "p", "z", "pl", "alpha", "beta", "pre", "rc", "snap", "dev", "*", "+", ".", "..", ":", "-", "A", "Rc"];

/** A random version-ish string, biased towards realistic shapes. */
function randomVersion(r: () => number): string {
  let s = "";
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    if (i > 0 && r() < 0.6) s += ".";
    s += pick(r, PIECES);
  }
  if (r() < 0.4) s += "_" + Math.floor(r() * 20);
  if (r() < 0.25) s += "," + Math.floor(r() * 3);
  return s;
}

describe("compareVersions properties", () => {
  const r = rng(0x5eed);
  const sample = Array.from({ length: 160 }, () => randomVersion(r));
  sample.push(...vectors.flatMap(([a, , b]) => [a, b]));

  it("is reflexive and antisymmetric", () => {
    for (const a of sample) {
      expect(compareVersions(a, a)).toBe(0);
      for (const b of sample) expect(compareVersions(a, b)).toBe(neg(compareVersions(b, a)));
    }
  });

  it("is transitive (checked on every triple of a 60-element subset)", () => {
    const sub = sample.slice(0, 60);
    for (const a of sub) {
      for (const b of sub) {
        const ab = compareVersions(a, b);
        if (ab > 0) continue;
        for (const c of sub) {
          const bc = compareVersions(b, c);
          if (bc > 0) continue;
          // a <= b <= c  =>  a <= c, and strict if either step is strict
          const ac = compareVersions(a, c);
          expect(ac).toBeLessThanOrEqual(0);
          if (ab < 0 || bc < 0) expect(ac).toBe(-1);
        }
      }
    }
  });

  it("sorting with it is stable under shuffling", () => {
    const sorted = [...sample].sort(compareVersions);
    for (let k = 0; k < 5; k++) {
      const shuffled = [...sample].sort(() => r() - 0.5).sort(compareVersions);
      for (let i = 0; i < sorted.length; i++) expect(compareVersions(shuffled[i]!, sorted[i]!)).toBe(0);
    }
  });

  it("ignores the package name prefix", () => {
    for (const a of sample.slice(0, 40)) {
      if (a.includes("-")) continue;
      for (const b of sample.slice(0, 40)) {
        if (b.includes("-")) continue;
        expect(compareVersions(`foo-${a}`, `bar-baz-${b}`)).toBe(compareVersions(a, b));
      }
    }
  });

  it("never throws on random strings", () => {
    const rr = rng(7);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rr() * 12);
      let s = "";
      for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(rr() * 128));
      expect([-1, 0, 1]).toContain(compareVersions(s, randomVersion(rr)));
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("splitPackageName", () => {
  it("splits at the last '-'", () => {
    expect(splitPackageName("heartbeat-3.0.6_4,1")).toEqual({ name: "heartbeat", version: "3.0.6_4,1" });
    expect(splitPackageName("FreeBSD-kernel-14.0_4")).toEqual({ name: "FreeBSD-kernel", version: "14.0_4" });
    expect(splitPackageName("p5-libwww-6.77")).toEqual({ name: "p5-libwww", version: "6.77" });
    expect(splitPackageName("nginx-1.24.0_12,3")).toEqual({ name: "nginx", version: "1.24.0_12,3" });
    // A bare name with a '-' is split too, exactly as pkg audit does (commands.md §1.15).
    expect(splitPackageName("py311-foo")).toEqual({ name: "py311", version: "foo" });
  });

  it("rejects strings without a name or a version", () => {
    expect(splitPackageName("nginx")).toBeUndefined();
    expect(splitPackageName("-1.0")).toBeUndefined();
    expect(splitPackageName("nginx-")).toBeUndefined();
    expect(splitPackageName("")).toBeUndefined();
  });
});

describe("validation", () => {
  it("accepts real package names", () => {
    for (const n of ["nginx", "p5-libwww", "py311-pip", "gtk+", "libstdc++", "FreeBSD-kernel", "R-cran-x", "3proxy", "php83", "openssl-quictls", "rubygem-rack22", "font.bdf", "a_b"]) {
      expect(packageNameProblem(n), n).toBeUndefined();
      expect(isValidPackageName(n)).toBe(true);
    }
  });

  it("rejects shell metacharacters, blanks, globs and option-like names, naming the rule", () => {
    const bad: [string, RegExp][] = [
      ["", /must not be empty/],
      ["-rf", /must start with a letter or digit, not '-'/],
      [".hidden", /must start with a letter or digit/],
      ["+x", /must start with a letter or digit/],
      ["nginx;reboot", /may contain only letters, digits and \+ \. _ -; found ';' at position 6/],
      ["a b", /found a space at position 2/],
      ["a\tb", /found U\+0009 at position 2/],
      ["a\nb", /found U\+000A/],
      ["ngin*", /found '\*'/],
      ["ngin?", /found '\?'/],
      ["a[b]", /found '\['/],
      ["www/nginx", /found '\/'/],
      ["nginx@py", /found '@'/],
      ["$(id)", /found '\$'/],
      ["`id`", /found '`'/],
      ["a|b", /found '\|'/],
      ["a&b", /found '&'/],
      ["a>b", /found '>'/],
      ["a'b", /found '''/],
      ['a"b', /found '"'/],
      ["a\\b", /found '\\'/],
      ["né", /found U\+00E9 at position 2/],
      ["x".repeat(MAX_NAME_LENGTH + 1), /at most 200 characters/],
    ];
    for (const [n, re] of bad) {
      const p = packageNameProblem(n);
      expect(p, JSON.stringify(n)).toMatch(re);
      expect(p).toMatch(/^package name /);
      expect(isValidPackageName(n)).toBe(false);
    }
    expect(packageNameProblem(42 as unknown as string)).toBe("package name must be a string");
  });

  it("accepts origins with and without flavors", () => {
    for (const o of ["www/nginx", "devel/py-pip@py311", "x11-toolkits/gtk30", "net-mgmt/net-snmp", "lang/perl5.36", "security/openssl@default", "www/p5-Mojolicious", "editors/emacs@nox"]) {
      expect(originProblem(o), o).toBeUndefined();
      expect(isValidOrigin(o)).toBe(true);
    }
    expect(parseOrigin("devel/py-pip@py311")).toEqual({ category: "devel", port: "py-pip", flavor: "py311" });
    expect(parseOrigin("www/nginx")).toEqual({ category: "www", port: "nginx" });
    expect(parseOrigin("nginx")).toBeUndefined();
  });

  it("rejects malformed origins, naming the rule", () => {
    const bad: [string, RegExp][] = [
      ["", /origin must not be empty/],
      ["nginx", /exactly one '\/'/],
      ["www/nginx/extra", /exactly one '\/'/],
      ["/nginx", /origin category must not be empty/],
      ["www/", /origin port name must not be empty/],
      ["WWW/nginx", /origin category may contain only lowercase letters, digits, - and _; found 'W'/],
      ["-x/nginx", /origin category must start with a lowercase letter or digit/],
      ["www/-nginx", /origin port name must start with a letter or digit/],
      ["www/ng;inx", /origin port name may contain only .*found ';'/],
      ["www/nginx@", /origin flavor must not be empty/],
      ["www/nginx@Py311", /origin flavor may contain only lowercase letters, digits and _; found 'P'/],
      ["www/nginx@py-311", /origin flavor .*found '-'/],
      ["www/nginx@a@b", /origin flavor .*found '@'/],
      ["www/nginx $(id)", /found a space/],
    ];
    for (const [o, re] of bad) {
      expect(originProblem(o), JSON.stringify(o)).toMatch(re);
      expect(isValidOrigin(o)).toBe(false);
    }
  });

  it("accepts user-written versions and rejects the rest, naming the rule", () => {
    for (const v of ["1", "1.0", "3.0.6_4,1", "1.9.17p1", "2.4.64", "1.0_1", "1.0,1", "30.0.50.202211128,2", "1.0+git20240101", "a1"]) {
      expect(versionProblem(v), v).toBeUndefined();
      expect(isValidVersion(v)).toBe(true);
    }
    const bad: [string, RegExp][] = [
      ["", /must not be empty/],
      ["1.0-1", /found '-'/],
      ["1.0 ", /found a space/],
      ["1.*", /found '\*'/],
      ["1;id", /found ';'/],
      ["1,1,1", /at most one ','/],
      ["1_1_1", /at most one '_'/],
      ["1,1_1", /revision \('_N'\) must come before the epoch/],
      ["1.0,x", /epoch \(after ','\) must be digits/],
      ["1.0_", /revision \(after '_'\) must be digits/],
      ["1.0_x", /revision \(after '_'\) must be digits/],
      ["_1", /must have a port version/],
      [".1", /must start with a letter or digit, not '\.'/],
      ["x".repeat(MAX_NAME_LENGTH + 1), /at most 200/],
    ];
    for (const [v, re] of bad) {
      expect(versionProblem(v), JSON.stringify(v)).toMatch(re);
      expect(isValidVersion(v)).toBe(false);
    }
  });
});
