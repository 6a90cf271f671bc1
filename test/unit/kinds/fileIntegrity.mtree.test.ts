/**
 * The mtree(8) facts FileIntegrityBaseline relies on, each with its source, checked against the
 * local /usr/bin/mtree (Debian's mtree-netbsd, which the test hosts use). FreeBSD's /usr/sbin/mtree
 * is built from contrib/mtree, NetBSD's mtree (usr.sbin/nmtree/Makefile: .PATH contrib/mtree,
 * LINKS nmtree -> mtree), so both share compare.c/verify.c/excludes.c.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MTREE_KEYWORDS, parseMtreeReport } from "../../../src/formats/mtree";

const MTREE = "/usr/bin/mtree";
let dir: string;
let tree: string;

// Input goes through a shell pipe, as on the host: Node's own stdin pipes are socket pairs, which
// Linux cannot open again through /dev/stdin.
function mtree(args: string[], input = "") {
  const r = spawnSync("/bin/sh", ["-c", 'in=$1; shift; printf "%s" "$in" | "$0" "$@"', MTREE, input, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fresh(): string {
  const t = fs.mkdtempSync(path.join(dir, "tree-"));
  fs.mkdirSync(path.join(t, "sub"));
  fs.writeFileSync(path.join(t, "a.conf"), "a\n");
  fs.writeFileSync(path.join(t, "sub", "b.conf"), "b\n");
  fs.writeFileSync(path.join(t, "sub", "cache.db"), "x\n");
  return t;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pf-mtree-"));
  tree = fresh();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// mtree comes from Debian's mtree-netbsd, which .ci/run installs: missing it is a failure, not a skip.
it("has mtree to run (apt-get install mtree-netbsd)", () => {
  expect(fs.existsSync(MTREE)).toBe(true);
});

describe("mtree as FileIntegrityBaseline uses it", () => {
  it("-c -k KEYWORDS -p DIR prints a spec; sha256digest is the keyword (mtree(8): 'sha256digest: Synonym for sha256'; misc.c keylist)", () => {
    const r = mtree(["-c", "-x", "-k", "type,uid,gid,mode,size,link,sha256digest", "-p", tree]);
    expect(r.status).toBe(0);
    // mtree-netbsd writes the short name into the spec; FreeBSD writes sha256digest (KEY_DIGEST).
    expect(r.stdout).toMatch(/sha256=[0-9a-f]{64}/);
    expect(r.stdout).toContain("a.conf");
  });

  it("accepts every keyword this resource allows in -k (contrib/mtree/misc.c keylist)", () => {
    for (const k of MTREE_KEYWORDS) expect(mtree(["-c", "-k", k, "-p", tree]).status, k).toBe(0);
    expect(mtree(["-c", "-k", "sha265", "-p", tree]).stderr).toMatch(/unknown keyword/);
  });

  it("-n is FreeBSD-only (contrib/mtree/mtree.8 '-n Do not emit pathname comments'): mtree-netbsd refuses it, so it is not used", () => {
    expect(mtree(["-c", "-n", "-k", "type", "-p", tree]).status).toBe(1);
  });

  it("-f SPEC -p DIR verifies: exit 0 on a match, 2 when attributes differ (mtree(8) EXIT STATUS, mtree.h MISMATCHEXIT)", () => {
    const t = fresh();
    const spec = path.join(dir, "s1");
    fs.writeFileSync(spec, execFileSync(MTREE, ["-c", "-x", "-k", "type,size,sha256digest", "-p", t]));
    expect(mtree(["-x", "-f", spec, "-p", t])).toMatchObject({ status: 0, stdout: "" });
    fs.writeFileSync(path.join(t, "a.conf"), "changed\n");
    const r = mtree(["-x", "-f", spec, "-p", t]);
    expect(r.status).toBe(2);
    expect(parseMtreeReport(r.stdout).changed).toEqual([
      { path: "a.conf", keywords: ["sha256digest", "size"], details: expect.any(Array) },
    ]);
  });

  it("extra or missing files alone exit 0 (verify.c: only compare() mismatches set MISMATCHEXIT), so the report is parsed, not the status", () => {
    const t = fresh();
    const spec = path.join(dir, "s2");
    fs.writeFileSync(spec, execFileSync(MTREE, ["-c", "-k", "type,sha256digest", "-p", t]));
    fs.writeFileSync(path.join(t, "new.conf"), "n\n");
    fs.rmSync(path.join(t, "sub", "b.conf"));
    const r = mtree(["-f", spec, "-p", t]);
    expect(r.status).toBe(0);
    const report = parseMtreeReport(r.stdout);
    expect(report.extra).toEqual(["new.conf"]);
    expect(report.missing).toEqual(["sub/b.conf"]);
  });

  it("exit 1 on errors: a missing tree, a missing or unparsable spec (mtree_err exits 1)", () => {
    const spec = path.join(dir, "s3");
    fs.writeFileSync(spec, execFileSync(MTREE, ["-c", "-k", "type", "-p", tree]));
    expect(mtree(["-f", spec, "-p", path.join(dir, "nope")]).status).toBe(1);
    expect(mtree(["-f", path.join(dir, "nope.spec"), "-p", tree]).status).toBe(1);
    fs.writeFileSync(path.join(dir, "bad.spec"), "bogus line = =\n");
    expect(mtree(["-f", path.join(dir, "bad.spec"), "-p", tree]).status).toBe(1);
  });

  it("-X reads fnmatch patterns from /dev/stdin: no '/' matches base names, with '/' the './relative' fts path (excludes.c, FNM_PATHNAME)", () => {
    const withEx = (pattern: string) => mtree(["-c", "-k", "type", "-p", tree, "-X", "/dev/stdin"], `${pattern}\n`).stdout;
    expect(withEx("*.db")).not.toContain("cache.db");
    expect(withEx("./sub/cache.db")).not.toContain("cache.db");
    expect(withEx("sub/cache.db")).toContain("cache.db"); // without ./ it does not match
    expect(withEx("")).toContain("cache.db"); // an empty line is no pattern
  });

  it("verification needs the same -X patterns, or excluded files show as extra", () => {
    const spec = path.join(dir, "s4");
    fs.writeFileSync(spec, mtree(["-c", "-k", "type", "-p", tree, "-X", "/dev/stdin"], "*.db\n").stdout);
    expect(parseMtreeReport(mtree(["-f", spec, "-p", tree]).stdout).extra).toEqual(["sub/cache.db"]);
    expect(mtree(["-X", "/dev/stdin", "-f", spec, "-p", tree], "*.db\n").stdout).toBe("");
  });

  it("-X /dev/stdin must come before -f: mtree-netbsd's -f reopens stdin as the spec, so a later -X reads the spec", () => {
    const spec = path.join(dir, "s6");
    fs.writeFileSync(spec, mtree(["-c", "-k", "type", "-p", tree, "-X", "/dev/stdin"], "*.db\n").stdout);
    expect(mtree(["-f", spec, "-p", tree, "-X", "/dev/stdin"], "*.db\n").stdout).toBe("extra: sub/cache.db\n");
    expect(mtree(["-X", "/dev/stdin", "-f", spec, "-p", tree], "*.db\n").stdout).toBe("");
  });

  it("a spec may start with a comment line of ours (mtree(8): lines whose first non-blank is '#' are ignored)", () => {
    const spec = path.join(dir, "s5");
    fs.writeFileSync(spec, `#pulumi-freebsd FileIntegrityBaseline name=x root=/etc generation=0 run=ab keywords=type excludes= created=now\n${execFileSync(MTREE, ["-c", "-k", "type", "-p", tree], { encoding: "utf8" })}`);
    expect(mtree(["-f", spec, "-p", tree])).toMatchObject({ status: 0, stdout: "" });
  });
});
