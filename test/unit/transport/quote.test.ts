import { execFileSync } from "child_process";
import { describe, expect, it } from "vitest";
import { commandLine, QuoteError, scriptArgv, shellQuote } from "../../../src/transport/quote";

/** Runs a command line through the real /bin/sh, as sshd does with the login shell. */
function sh(line: string, stdin?: string): Buffer {
  return execFileSync("/bin/sh", ["-c", line], { input: stdin ?? "", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent-home" } });
}

const corpus: [string, string][] = [
  ["semicolon", "a; touch /tmp/pwned-quote-test"],
  ["command substitution", "$(id)"],
  ["backticks", "`id`"],
  ["newline", "line1\nline2\n"],
  ["single quote", "it's"],
  ["double quote", 'say "hi"'],
  ["both quotes", `'"'"'"`],
  ["backslashes", "a\\b\\\\c\\"],
  ["leading dash", "-n"],
  ["double dash", "--"],
  ["star", "*"],
  ["tilde", "~"],
  ["tilde path", "~root/x"],
  ["$HOME", "$HOME"],
  ["${HOME}", "${HOME}"],
  ["assignment", "a=b"],
  ["leading =", "=x"],
  ["unicode", "héllo ☃ 日本"],
  ["empty", ""],
  ["spaces and tabs", "  a \t b  "],
  ["only tab", "\t"],
  ["bang", "!"],
  ["bang history", "!!"],
  ["hash", "#comment"],
  ["percent", "%s%d%%"],
  ["braces", "{}"],
  ["brace expansion", "{a,b}"],
  ["pipe and redirect", "x | cat > /tmp/pwned-quote-test"],
  ["ampersand", "a && b &"],
  ["glob class", "[a-z]?"],
  ["carriage return", "a\rb"],
  ["control chars", "\x01\x1b[31m\x7f"],
  ["trailing backslash", "x\\"],
  ["long", "x'y".repeat(5000)],
];

describe("commandLine through a real /bin/sh", () => {
  for (const [name, arg] of corpus) {
    it(`passes ${name} through exactly`, () => {
      const out = sh(commandLine(["printf", "%s\\0", arg]));
      expect(out.equals(Buffer.from(arg + "\0", "utf8"))).toBe(true);
    });
  }

  it("passes the whole corpus in one argv", () => {
    const args = corpus.map(([, a]) => a);
    const out = sh(commandLine(["printf", "%s\\0", ...args]));
    expect(out.toString("utf8").split("\0").slice(0, -1)).toEqual(args);
  });

  it("refuses NUL", () => {
    expect(() => commandLine(["printf", "a\0b"])).toThrow(QuoteError);
    expect(() => shellQuote("\0")).toThrow(/NUL/);
  });

  it("refuses an empty argv and non-strings", () => {
    expect(() => commandLine([])).toThrow(QuoteError);
    expect(() => commandLine([42 as unknown as string])).toThrow(QuoteError);
  });
});

describe("scriptArgv", () => {
  it("passes data as positional parameters that never execute", () => {
    const evil = ["$(touch /tmp/pwned-script-test)", "`id`", "; echo pwned", "'\"", "\n-rf\n", ""];
    const argv = scriptArgv('for a in "$@"; do printf "%s\\0" "$a"; done', evil);
    const out = sh(commandLine(argv));
    expect(out.toString("utf8").split("\0").slice(0, -1)).toEqual(evil);
    expect(() => execFileSync("test", ["-e", "/tmp/pwned-script-test"])).toThrow();
  });

  it("sets $0 to sh and keeps $# exact", () => {
    const out = sh(commandLine(scriptArgv('printf "%s %s" "$0" "$#"', ["a b", ""])));
    expect(out.toString()).toBe("sh 2");
  });

  it("reads data on stdin", () => {
    const out = sh(commandLine(scriptArgv("cat")), "$(id)\n`x`");
    expect(out.toString()).toBe("$(id)\n`x`");
  });
});
