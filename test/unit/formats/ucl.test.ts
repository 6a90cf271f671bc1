import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entriesOf, parseBoolean, parseUcl, printUcl, renderUclKey, renderUclString, toPlain, UclParseError } from "../../../src/formats/ucl";

const DIR = join(__dirname, "../../fixtures/ucl");
const good = readdirSync(DIR).filter((f) => f.endsWith(".conf")).sort();
const bad = readdirSync(join(DIR, "bad")).filter((f) => f.endsWith(".conf")).sort();
const read = (f: string) => readFileSync(join(DIR, f), "utf8");
const plain = (t: string) => toPlain(parseUcl(t)) as Record<string, Record<string, unknown>>;

describe("UCL corpus (test/fixtures/ucl)", () => {
  it("has the stock, hand-written, poudriere-style and commented files", () => {
    expect(good.length).toBeGreaterThanOrEqual(14);
    expect(bad.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of good) {
    it(`${f}: parses; the canonical print reads back the same and is stable`, () => {
      const text = read(f);
      const doc = parseUcl(text);
      const printed = printUcl(doc);
      expect(toPlain(parseUcl(printed))).toEqual(toPlain(doc));
      expect(printUcl(parseUcl(printed))).toBe(printed);
      // Comments survive the canonical print.
      const comments = text.match(/#[^\n]*|\/\*[\s\S]*?\*\//g)?.length ?? 0;
      if (comments > 0) expect(printed).toMatch(/#|\/\*/);
    });
  }

  for (const f of bad) {
    it(`bad/${f}: refused with a line number and a reason`, () => {
      const err = (() => {
        try {
          parseUcl(read(join("bad", f)));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(UclParseError);
      expect((err as UclParseError).line).toBeGreaterThanOrEqual(1);
      expect((err as UclParseError).message).toMatch(/^line \d+, column \d+: .+/);
    });
  }
});

describe("UCL values as libucl reads them", () => {
  it("reads the stock FreeBSD 14.1 file", () => {
    expect(plain(read("freebsd-14.1.conf"))).toEqual({
      FreeBSD: {
        url: "pkg+https://pkg.FreeBSD.org/${ABI}/quarterly",
        mirror_type: "srv",
        signature_type: "fingerprints",
        fingerprints: "/usr/share/keys/pkg",
        enabled: true,
      },
    });
  });

  it("reads the FreeBSD 15 file: three repositories, base disabled", () => {
    const p = plain(read("freebsd-15.conf"));
    expect(Object.keys(p)).toEqual(["FreeBSD-ports", "FreeBSD-ports-kmods", "FreeBSD-base"]);
    expect(p["FreeBSD-base"]!.enabled).toBe(false);
    expect(p["FreeBSD-base"]!.fingerprints).toBe("/usr/share/keys/pkgbase-${VERSION_MAJOR}");
  });

  it("reads = and ; separators, bare strings with ${VAR}, a section without a colon, upper-case booleans", () => {
    expect(plain(read("hand-written.conf"))).toEqual({
      myrepo: {
        url: "https://pkg.example.org/${ABI}/latest",
        mirror_type: "none",
        signature_type: "fingerprints",
        fingerprints: "/usr/local/etc/pkg/keys/example",
        ENABLED: true,
        priority: 10,
      },
    });
  });

  it("reads single quotes, # and nested /* */ comments, mixed separators", () => {
    const doc = parseUcl(read("comments.conf"));
    expect(toPlain(doc)).toEqual({
      mirror: {
        url: "pkg+https://mirror.example.net/${ABI}/quarterly",
        mirror_type: "SRV",
        signature_type: "FINGERPRINTS",
        fingerprints: "/usr/share/keys/pkg",
        enabled: true,
      },
    });
    expect(doc.entries[0]!.comments[0]).toMatch(/^\/\* A block comment[\s\S]*still inside \*\/$/);
    expect(doc.trailing).toEqual(["# trailing comment at the end"]);
    const inner = doc.entries[0]!.value;
    expect(inner.type === "object" && inner.entries[0]!.lineComment).toBe("# inline");
  });

  it("reads a nested env object with quoted keys, integers, CRLF and a braced top level", () => {
    expect(plain(read("env-proxy.conf")).FreeBSD!.env).toEqual({ HTTP_PROXY: "http://proxy.example.org:3128", NO_PROXY: "localhost,127.0.0.1" });
    expect(plain(read("env-proxy.conf")).FreeBSD!.ip_version).toBe(4);
    expect(plain(read("crlf.conf"))).toEqual({ FreeBSD: { url: "pkg+https://pkg.FreeBSD.org/${ABI}/latest", enabled: true } });
    expect(plain(read("braced-top.conf"))).toEqual({ custom: { url: "https://pkg.example.com/FreeBSD:14:amd64/latest", enabled: true, priority: -5 } });
  });

  it("reads the one-line override idiom and several one-line blocks", () => {
    expect(plain(read("disable-freebsd.conf"))).toEqual({ FreeBSD: { enabled: false } });
    expect(Object.keys(plain(read("two-repos-override.conf")))).toEqual(["FreeBSD", "FreeBSD-kmods", "mirror"]);
    expect(plain(read("empty.conf"))).toEqual({});
    expect(parseUcl(read("only-comments.conf")).trailing).toEqual(["# nothing configured here"]);
  });

  it("keeps duplicate keys in order (libucl's implicit array)", () => {
    const doc = parseUcl('r: { url: "a" }\nr: { priority: 2 }\n');
    expect(entriesOf(doc, "r")).toHaveLength(2);
    expect(entriesOf(doc, "R", true)).toHaveLength(2);
  });

  it("booleans: yes/no/true/false/on/off in any case; other words are strings", () => {
    for (const [w, v] of [["yes", true], ["NO", false], ["True", true], ["false", false], ["On", true], ["OFF", false]] as const) {
      expect(parseBoolean(w)).toBe(v);
      expect(plain(`r: { enabled: ${w} }`).r!.enabled).toBe(v);
    }
    expect(plain(`r: { enabled: "yes" }`).r!.enabled).toBe("yes");
    expect(plain(`r: { enabled: y }`).r!.enabled).toBe("y");
  });

  it("strings: JSON escapes in double quotes; \\' in single quotes; bare strings keep inner blanks", () => {
    expect(plain(String.raw`r: { a: "x\"y\\z\n\u0041" }`).r!.a).toBe('x"y\\z\nA');
    expect(plain(String.raw`r: { a: 'it\'s \n' }`).r!.a).toBe("it's \\n");
    expect(plain("r: { a = some words   ; b = 1 }").r).toEqual({ a: "some words", b: 1 });
    expect(() => parseUcl(String.raw`r: { a: "\q" }`)).toThrow(/unknown escape/);
  });

  it("refuses what it cannot represent, naming the construct", () => {
    expect(() => parseUcl(read("bad/array.conf"))).toThrow(/arrays are not supported/);
    expect(() => parseUcl(read("bad/include.conf"))).toThrow(/macros/);
    expect(() => parseUcl(read("bad/slashslash.conf"))).toThrow(/`\/\/` is not a comment in libucl/);
    expect(() => parseUcl(read("bad/heredoc.conf"))).toThrow(/heredoc/);
    expect(() => parseUcl(read("bad/number-suffix.conf"))).toThrow(/10k is not a plain integer/);
    expect(() => parseUcl(read("bad/unterminated-object.conf"))).toThrow(/a `}` is missing/);
    expect(() => parseUcl(read("bad/key-chain.conf"))).toThrow(/chains of keys/);
    expect(() => parseUcl(read("bad/unterminated-string.conf"))).toThrow(/^line 2, column 8: unfinished double-quoted string/);
  });
});

describe("UCL printing", () => {
  it("prints in the stock style", () => {
    expect(printUcl(parseUcl('# c\nFreeBSD { enabled = NO; priority = 3 }'))).toBe("# c\nFreeBSD: {\n  enabled: no,\n  priority: 3\n}\n");
  });

  it("quotes keys and strings only as needed, escaping control characters", () => {
    expect(renderUclKey("FreeBSD-kmods")).toBe("FreeBSD-kmods");
    expect(renderUclKey("-odd")).toBe('"-odd"');
    expect(renderUclString('a"b\\c\n\x01${ABI}')).toBe('"a\\"b\\\\c\\n\\u0001${ABI}"');
    expect(toPlain(parseUcl(`"-odd": { a: ${renderUclString('a"b\\c\n\x01')} }`))).toEqual({ "-odd": { a: 'a"b\\c\n\x01' } });
  });

  it("round-trips random trees (print → parse gives the same values)", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const chars = ['a', 'Z', '0', ' ', '"', "'", '\\', '\n', '$', '{', '}', '#', '/', '*', ',', ';', 'é'];
    const word = () => Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => chars[Math.floor(rnd() * chars.length)]).join("");
    for (let n = 0; n < 300; n++) {
      const entries: Record<string, unknown> = {};
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
        const r = rnd();
        entries[`k${k}`] = r < 0.4 ? word() : r < 0.6 ? Math.floor(rnd() * 1e6) - 5e5 : r < 0.8 ? rnd() < 0.5 : { E: word() };
      }
      const tree = { [`repo${n}`]: entries };
      const text = Object.entries(tree)
        .map(([name, e]) => `${name}: {\n${Object.entries(e).map(([k, v]) => `  ${k}: ${lit(v)}`).join(",\n")}\n}\n`)
        .join("");
      expect(toPlain(parseUcl(text))).toEqual(tree);
      expect(toPlain(parseUcl(printUcl(parseUcl(text))))).toEqual(tree);
    }
  });
});

function lit(v: unknown): string {
  if (typeof v === "string") return renderUclString(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return String(v);
  return `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${lit(x)}`).join(", ")} }`;
}
