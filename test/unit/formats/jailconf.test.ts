import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../corpus";
import {
  appendSeparator,
  appliedStatements,
  effectiveParam,
  includes,
  JailConfEditError,
  jailBlocks,
  negatedName,
  ownStatements,
  parseJailConf,
  printJailConf,
  removeEmptyJailBlock,
  renderStatement,
  renderWord,
  restoreJailParam,
  setJailParam,
  sourceOf,
  type JailConfDocument,
  type JcRenderValue,
} from "../../../src/formats/jailconf";

// ---------------------------------------------------------------------------------------------
// Helpers

const FIXTURES = join(__dirname, "../../fixtures/jailconf");
const { corpus, fixture } = loadCorpus(FIXTURES);
const BROKEN = ["broken-missing-semicolon.conf", "broken-nested.conf", "broken-unterminated-comment.conf", "broken-unterminated-string.conf", "crlf.conf"];

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

const set = (text: string, jail: string, name: string, v: JcRenderValue): string => printJailConf(setJailParam(parseJailConf(text), jail, name, v));
const restore = (text: string, jail: string, name: string, st: string[] | null): string =>
  printJailConf(restoreJailParam(parseJailConf(text), jail, name, st));
const eff = (text: string, jail: string, name: string) => effectiveParam(parseJailConf(text), jail, name);

function editError(fn: () => unknown): JailConfEditError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(JailConfEditError);
    return e as JailConfEditError;
  }
  throw new Error("expected a JailConfEditError");
}

/** Structural invariants every parse must satisfy. */
function checkInvariants(text: string, doc: JailConfDocument): void {
  expect(doc.text).toBe(text);
  expect(printJailConf(doc)).toBe(text);
  let at = 0;
  for (const l of doc.lexemes) {
    expect(l.start).toBe(at);
    expect(l.raw.length).toBeGreaterThan(0);
    at += l.raw.length;
  }
  expect(at).toBe(text.length);
  let prev = 0;
  for (const it of doc.items) {
    expect(it.start).toBeGreaterThanOrEqual(prev);
    expect(it.end).toBeGreaterThan(it.start);
    prev = it.end;
    if (it.kind === "jail") {
      expect(text[it.open]).toBe("{");
      expect(text[it.close]).toBe("}");
      for (const s of it.body) {
        expect(s.start).toBeGreaterThan(it.open);
        expect(s.end).toBeLessThanOrEqual(it.close);
        expect(text[s.end - 1]).toBe(";");
      }
    } else expect(text[it.end - 1]).toBe(";");
  }
}

// ---------------------------------------------------------------------------------------------

describe("corpus", () => {
  it("has at least 20 fixture files", () => {
    expect(corpus.size).toBeGreaterThanOrEqual(20);
  });

  for (const [name, text] of corpus) {
    it(`round-trips ${name}`, () => checkInvariants(text, parseJailConf(text)));
  }

  it("flags exactly the broken fixtures, with jail(8)'s wording and line", () => {
    for (const [name, text] of corpus) expect(parseJailConf(text).error !== undefined, name).toBe(BROKEN.includes(name));
    expect(parseJailConf(fixture("broken-unterminated-string.conf")).error).toEqual({ message: "unterminated string", line: 2 });
    expect(parseJailConf(fixture("broken-unterminated-comment.conf")).error).toEqual({ message: "unterminated comment", line: 2 });
    expect(parseJailConf(fixture("broken-missing-semicolon.conf")).error).toEqual({ message: "}: syntax error", line: 3 });
    expect(parseJailConf(fixture("broken-nested.conf")).error).toEqual({ message: "{: syntax error", line: 2 });
    expect(parseJailConf("www {\n\tpersist;\n").error).toEqual({ message: "unexpected EOF", line: 3 });
    expect(parseJailConf('p = "${x";\n').error?.message).toBe("unterminated variable");
  });
});

describe("parseJailConf never throws and always round-trips", () => {
  const TOKENS = [
    ..." \t\n\n;;,={}'\"\\$#/*+",
    "+=", "//", "/*", "*/", "${", "}", "$v", "${a.b}", "\\\n", "\\x41", "\\101",
    "www", "allow.raw_sockets", "allow.noraw_sockets", "path", ".include", "*", "é", "\r", "😀", "\ud800",
  ];
  it("on random token strings", () => {
    const r = rng(1);
    for (let n = 0; n < 3000; n++) {
      let s = "";
      const len = Math.floor(r() * 40);
      for (let i = 0; i < len; i++) s += pick(r, TOKENS);
      checkInvariants(s, parseJailConf(s));
    }
  });

  it("on random UTF-16 (lone surrogates included)", () => {
    const r = rng(2);
    for (let n = 0; n < 1000; n++) {
      let s = "";
      const len = Math.floor(r() * 60);
      for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(r() * (r() < 0.8 ? 128 : 0x10000)));
      checkInvariants(s, parseJailConf(s));
    }
  });

  it("on mutated corpus files", () => {
    const r = rng(3);
    const files = [...corpus.values()].filter((t) => t.length > 0);
    for (let n = 0; n < 1500; n++) {
      let s = pick(r, files);
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const i = Math.floor(r() * (s.length + 1));
        const op = r();
        if (op < 0.4) s = s.slice(0, i) + s.slice(i + 1 + Math.floor(r() * 5));
        else s = s.slice(0, i) + pick(r, TOKENS) + s.slice(i);
      }
      checkInvariants(s, parseJailConf(s));
    }
  });

  it("on pathological input", () => {
    for (const s of ["{".repeat(5000), "/*".repeat(3000), '"'.repeat(4001), "a".repeat(100000), "a=b,".repeat(5000), "\\".repeat(999)]) {
      checkInvariants(s, parseJailConf(s));
    }
  });

  it("edits on random documents either fail cleanly or change only the managed parameter", () => {
    const r = rng(4);
    const files = [...corpus.values()];
    for (let n = 0; n < 600; n++) {
      let s = pick(r, files);
      const i = Math.floor(r() * (s.length + 1));
      s = s.slice(0, i) + pick(r, TOKENS) + s.slice(i);
      const doc = parseJailConf(s);
      const jail = pick(r, ["www", "a", "classic", "mail", "q", "new1"]);
      const name = pick(r, ["allow.raw_sockets", "path", "enforce_statfs", "persist"]);
      const value: JcRenderValue = pick(r, [true, false, ["2"], ["/jails/x y"]] as JcRenderValue[]);
      let next: JailConfDocument;
      try {
        next = setJailParam(doc, jail, name, value);
      } catch (e) {
        expect(e).toBeInstanceOf(JailConfEditError);
        continue;
      }
      expect(next.error).toBeUndefined();
      const last = effectiveParam(next, jail, name)!.from.at(-1)!;
      expect(sourceOf(next, last.stmt)).toBe(renderStatement(name, value));
      // Every comment survives.
      const comments = (d: JailConfDocument) => d.lexemes.filter((l) => l.kind === "comment").map((l) => l.raw);
      expect(comments(next)).toEqual(comments(doc));
    }
  });
});

describe("semantics", () => {
  it("reads values as jail(8) does: quotes, escapes, variables", () => {
    const q = fixture("quoting.conf");
    expect(eff(q, "q", "path")?.values).toEqual(["/jails/$name"]);
    expect(eff(q, "q", "host.hostname")?.values).toEqual([undefined]);
    expect(eff(q, "q", "exec.start")?.values).toEqual(['/bin/echo "hello" $HOME']);
    expect(eff(q, "q", "exec.stop")?.values).toEqual(["/bin/sh /etc/rc.shutdown"]);
    expect(eff(q, "q", "exec.poststop")?.values).toEqual(["/bin/echo tab\there newline\nend octal A hex A"]);
    expect(eff(q, "q", "exec.prestop")?.values).toEqual(["line one continued"]);
    expect(eff(q, "q", "meta")?.values).toEqual(["key=value with spaces, and a comma"]);
    expect(eff(q, "q", "env")?.values).toEqual([""]);
    expect(eff(q, "q", "depend")?.values).toEqual(["db", "cache"]);
    expect(eff(q, "q", "mac.label")?.values).toEqual(["biba/high"]);
  });

  it("applies wildcards before the jail's block as defaults and after it as forced values", () => {
    const w = fixture("wildcards.conf");
    expect(eff(w, "a", "enforce_statfs")?.values).toEqual(["2"]);
    expect(eff(w, "b", "enforce_statfs")?.values).toEqual(["1"]);
    expect(eff(w, "a", "securelevel")?.values).toEqual(["3"]);
    expect(eff(w, "a", "allow.sysvipc")).toMatchObject({ negated: true, values: null });
    expect(eff(w, "a", "allow.raw_sockets")).toMatchObject({ negated: false, values: null });
    expect(appliedStatements(parseJailConf(w), "a", "enforce_statfs").map((x) => x.scope)).toEqual(["wildcard", "jail"]);
    // A jail with no block gets every wildcard.
    expect(eff(w, "zzz", "securelevel")?.values).toEqual(["3"]);
    expect(eff(fixture("handbook-classic.conf"), "classic", "allow.raw_sockets")).toMatchObject({ negated: false, values: null });
  });

  it("matches foo.* wildcards as wild_jail_match does", () => {
    const t = fixture("dotted-and-hierarchical.conf");
    expect(eff(t, "web.a", "path")?.values).toEqual([undefined]);
    expect(eff(t, "web", "path")).toBeUndefined();
    expect(eff(t, "other", "path")).toBeUndefined();
  });

  it("follows = and += and the no form, the last definition winning", () => {
    const t = fixture("lists-and-appends.conf");
    expect(eff(t, "ns", "ip4.addr")?.values).toEqual(["198.51.100.53", "198.51.100.54"]);
    expect(eff(t, "ns", "ip6.addr")?.values).toEqual(["2001:db8::53", "2001:db8::54"]);
    expect(eff(t, "ns", "exec.start")?.values).toEqual(["/bin/sh /etc/rc", "/usr/local/sbin/unbound-control reload"]);
    expect(eff(t, "ns", "allow.raw_sockets")).toMatchObject({ negated: true, values: null });
    expect(eff(t, "ns", "persist")).toMatchObject({ negated: false, values: ["true"] });
    expect(eff(t, "ns", "enforce_statfs")?.values).toEqual(["2"]);
    expect(ownStatements(parseJailConf(t), "ns", "allow.raw_sockets").map((s) => s.line)).toEqual([8, 9]);
  });

  it("lists includes and variable definitions", () => {
    const doc = parseJailConf(fixture("includes.conf"));
    expect(includes(doc).map((i) => [i.path, i.line])).toEqual([["/etc/jail.conf.d/*.conf", 10], ["/usr/local/etc/jail.local.conf", 11]]);
    expect(doc.items[0]).toMatchObject({ kind: "param", name: "$jroot" });
  });

  it("negatedName puts no after the last dot", () => {
    expect(negatedName("allow.raw_sockets")).toBe("allow.noraw_sockets");
    expect(negatedName("allow.mount.devfs")).toBe("allow.mount.nodevfs");
    expect(negatedName("persist")).toBe("nopersist");
  });
});

describe("rendering", () => {
  it("writes booleans the jail.conf(5) way and values bare when they can be", () => {
    expect(renderStatement("allow.raw_sockets", true)).toBe("allow.raw_sockets;");
    expect(renderStatement("allow.raw_sockets", false)).toBe("allow.noraw_sockets;");
    expect(renderStatement("enforce_statfs", ["2"])).toBe("enforce_statfs = 2;");
    expect(renderStatement("ip4.addr", ["10.0.0.1", "10.0.0.2"])).toBe("ip4.addr = 10.0.0.1, 10.0.0.2;");
    expect(renderStatement("exec.start", ["/bin/sh /etc/rc"])).toBe('exec.start = "/bin/sh /etc/rc";');
  });

  it("quotes and escapes what jail(8) would otherwise read differently", () => {
    expect(renderWord("")).toBe('""');
    expect(renderWord("a$b")).toBe('"a\\$b"');
    expect(renderWord('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(renderWord("a//b")).toBe('"a//b"');
    expect(renderWord("a/*b")).toBe('"a/*b"');
    expect(renderWord("x;y,z")).toBe('"x;y,z"');
    expect(renderWord("tab\there")).toBe('"tab\\there"');
    expect(renderWord("café")).toBe('"café"');
  });

  it("refuses what cannot be written", () => {
    expect(() => renderWord("a\nb")).toThrow(/newline/);
    expect(() => renderWord("a\u0000")).toThrow(/NUL/);
    expect(() => renderWord("\ud800")).toThrow(/surrogate/);
    expect(() => renderStatement("ip4.addr", [])).toThrow(/empty/);
    expect(() => renderStatement("a;b", true)).toThrow(/invalid parameter name/);
  });

  it("every rendered value reads back exactly (property test)", () => {
    const r = rng(5);
    const alphabet = [..."abcXYZ019 \t\"'$\\#;,={}/*+.:@-_!%&()<>?[]^`|~", "é", "😀", "${x}", "$name", "//", "/*", "\\n"];
    for (let n = 0; n < 2000; n++) {
      let s = "";
      for (let i = 0; i < Math.floor(r() * 16); i++) s += pick(r, alphabet);
      const text = set("", "j", "exec.start", [s, "second"]);
      expect(eff(text, "j", "exec.start")?.values).toEqual([s, "second"]);
    }
  });
});

describe("setJailParam", () => {
  const CONF = `# /etc/jail.conf
exec.clean;
mount.devfs;

www {
    path = /jails/www;
    allow.raw_sockets = 1;   # ping from inside
    host.hostname = www.example.org;
}

db {
\tpath = /jails/db;
}
`;

  it("replaces a changed statement in place, keeping its indentation and comment", () => {
    expect(set(CONF, "www", "allow.raw_sockets", false)).toBe(CONF.replace("allow.raw_sockets = 1;", "allow.noraw_sockets;"));
  });

  it("adds a new statement at the end of the block with the block's indentation", () => {
    expect(set(CONF, "www", "enforce_statfs", ["2"])).toBe(
      CONF.replace("    host.hostname = www.example.org;\n", "    host.hostname = www.example.org;\n    enforce_statfs = 2;\n"),
    );
    expect(set(CONF, "db", "persist", true)).toBe(CONF.replace("\tpath = /jails/db;\n", "\tpath = /jails/db;\n\tpersist;\n"));
  });

  it("appends a missing block after a blank line, indented like the other blocks", () => {
    expect(set(CONF, "mail", "securelevel", ["2"])).toBe(`${CONF}\nmail {\n    securelevel = 2;\n}\n`);
    expect(set("", "mail", "persist", true)).toBe("mail {\n\tpersist;\n}\n");
    expect(set("x;", "mail", "persist", true)).toBe("x;\n\nmail {\n\tpersist;\n}\n");
    expect(set("x;\n\n", "mail", "persist", true)).toBe("x;\n\nmail {\n\tpersist;\n}\n");
  });

  it("collapses several statements of the parameter into one, at the first one's place", () => {
    const t = fixture("lists-and-appends.conf");
    expect(set(t, "ns", "ip4.addr", ["198.51.100.53"])).toBe(t.replace("\tip4.addr += 198.51.100.54;\n", ""));
    expect(set(t, "ns", "allow.raw_sockets", false)).toBe(
      t.replace("\tallow.raw_sockets = 1;\n\tallow.noraw_sockets;\n", "\tallow.noraw_sockets;\n"),
    );
  });

  it("edits one-line blocks inside the braces", () => {
    const t = fixture("one-line.conf");
    expect(set(t, "a", "enforce_statfs", ["2"])).toBe(t.replace("a { path = /jails/a; persist; }", "a { path = /jails/a; persist; enforce_statfs = 2; }"));
    expect(set(t, "b", "persist", true)).toBe(t.replace("b {path=/jails/b;}", "b {path=/jails/b; persist; }"));
    expect(set(t, "d", "persist", true)).toBe(t.replace("d {}", "d { persist; }"));
    expect(set(t, "b", "path", ["/jails/bb"])).toBe(t.replace("path=/jails/b;", "path = /jails/bb;"));
  });

  it("returns the same document when the statement is already there", () => {
    const doc = parseJailConf("www {\n\tallow.noraw_sockets;\n}\n");
    expect(setJailParam(doc, "www", "allow.raw_sockets", false)).toBe(doc);
  });

  it("refuses when a wildcard after the jail's block would override the value, naming the line", () => {
    const e = editError(() => set(fixture("wildcards.conf"), "a", "securelevel", ["2"]));
    expect(e.message).toMatch(/line 19 \(securelevel = 3;\) comes after the jail's block and overrides it/);
    expect(e.line).toBe(19);
  });

  it("refuses files jail(8) cannot read, duplicated blocks and variable names", () => {
    for (const f of BROKEN) expect(() => set(fixture(f), "www", "persist", true), f).toThrow(JailConfEditError);
    expect(editError(() => set(fixture("broken-unterminated-string.conf"), "www", "persist", true)).message).toMatch(/^line 2: unterminated string/);
    expect(editError(() => set("www { persist; }\nwww { path = /x; }\n", "www", "persist", false)).message).toMatch(/defined more than once \(lines 1, 2\)/);
    expect(editError(() => set("www { ${n}x = 1; }\n", "www", "persist", false)).message).toMatch(/line 1: a parameter name that uses a variable/);
  });

  it("leaves other jails, comments and includes byte for byte", () => {
    const t = fixture("comments.conf");
    const out = set(t, "mail", "persist", true);
    expect(out).toBe(t.replace("\t/* persist; */\n}", "\t/* persist; */\n\tpersist;\n}"));
    const inc = fixture("includes.conf");
    expect(set(inc, "www", "persist", true)).toBe(`${inc}\nwww {\n\tpersist;\n}\n`);
  });
});

describe("restoreJailParam and removeEmptyJailBlock", () => {
  it("puts back the prior statements exactly, or removes the parameter", () => {
    const t = "www {\n\tpath = /jails/www;\n\tallow.raw_sockets = 1; // ping\n}\n";
    const changed = set(t, "www", "allow.raw_sockets", false);
    expect(restore(changed, "www", "allow.raw_sockets", ["allow.raw_sockets = 1;"])).toBe(t);
    const added = set(t, "www", "securelevel", ["2"]);
    expect(restore(added, "www", "securelevel", null)).toBe(t);
    expect(restore(t, "www", "securelevel", null)).toBe(t);
    // Statements removed by hand come back at the end of the block.
    expect(restore("www {\n\tpath = /x;\n}\n", "www", "persist", ["persist;"])).toBe("www {\n\tpath = /x;\n\tpersist;\n}\n");
  });

  it("removes a block it appended, with the separator, giving back the original text", () => {
    for (const base of ["", "x;", "x;\n", "x;\n\n", fixture("handbook-classic.conf"), fixture("no-final-newline.conf")]) {
      const sep = appendSeparator(base);
      let t = set(base, "new1", "persist", true);
      t = set(t, "new1", "enforce_statfs", ["2"]);
      t = restore(t, "new1", "persist", null);
      t = restore(t, "new1", "enforce_statfs", null);
      expect(printJailConf(removeEmptyJailBlock(parseJailConf(t), "new1", sep))).toBe(base);
    }
  });

  it("keeps a block that is not empty", () => {
    const doc = parseJailConf("www {\n\t# note\n}\n");
    expect(removeEmptyJailBlock(doc, "www", "")).toBe(doc);
  });
});

describe("edits per corpus file", () => {
  const valid = [...corpus.entries()].filter(([f]) => !BROKEN.includes(f));
  for (const [file, text] of valid) {
    const doc = parseJailConf(text);
    const jails = [...new Set(doc.items.flatMap((it) => (it.kind === "jail" && it.name && !it.name.includes("*") ? [it.name] : [])))];
    for (const jail of [...jails, "added"]) {
      it(`${file}: sets, changes and removes a parameter of ${jail}`, () => {
        const name = "allow.mount.tmpfs";
        const a = set(text, jail, name, false);
        expect(eff(a, jail, name)).toMatchObject({ negated: true, values: null });
        const b = set(a, jail, name, true);
        expect(eff(b, jail, name)).toMatchObject({ negated: false, values: null });
        const c = restore(b, jail, name, null);
        const sep = appendSeparator(text);
        const back = printJailConf(removeEmptyJailBlock(parseJailConf(c), jail, jailBlocks(doc, jail).length === 0 ? sep : ""));
        if (!/\{\}/.test(text) && ownStatements(doc, jail, name).length === 0) expect(back).toBe(text);
        // Only the jail's own statements of that name differ between the texts.
        const others = (t: string) => parseJailConf(t).items.map((it) => (it.kind === "jail" && it.name === jail ? it.body.filter((s) => s.kind !== "param" || s.name !== name && s.name !== negatedName(name)).map((s) => sourceOf(parseJailConf(t), s)).join("|") : sourceOf(parseJailConf(t), it)));
        expect(others(a).filter((x) => x !== "")).toEqual(others(text).filter((x) => x !== ""));
      });
    }
  }
});
