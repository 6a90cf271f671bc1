/** The mtree verification-report parser, on reports captured from the real tool (test/fixtures/mtree). */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { canonicalKeyword, itemKeyword, parseMtreeReport } from "../../../src/formats/mtree";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../../fixtures/mtree", name), "utf8");

describe("parseMtreeReport", () => {
  it("reads changed, missing and extra from mtree-netbsd's report", () => {
    const r = parseMtreeReport(fixture("netbsd-changed-missing-extra.out"));
    expect(r.unparsed).toEqual([]);
    expect(r.changed.map((c) => [c.path, c.keywords])).toEqual([
      ["c", ["mode"]],
      ["lnk", ["link"]],
      ["a", ["sha256digest", "size"]],
    ]);
    expect(r.changed[2]!.details[0]).toBe("size (2, 8)");
    expect(r.missing).toEqual(["sub/b", "sub2", "sub2/d"]);
    expect(r.extra).toEqual(["newdir", "sub/new"]);
  });

  it("reads long names (items on the next lines), owner and type changes, names with spaces and ': '", () => {
    const r = parseMtreeReport(fixture("netbsd-long-names-type-owner.out"));
    expect(r.unparsed).toEqual([]);
    expect(Object.fromEntries(r.changed.map((c) => [c.path, c.keywords]))).toEqual({
      "a-very-long-name.conf": ["mode", "sha256digest", "sha512digest", "size"],
      "sub/b": ["gid", "uid"],
      "ab: c": ["sha256digest", "sha512digest", "size"],
      a: ["type"],
    });
    expect(r.extra).toEqual(["sub/with space"]);
    expect(r.missing).toEqual([]);
  });

  it("reads FreeBSD contrib/mtree's forms: './path missing', *digest labels, flags, unreadable digests", () => {
    const r = parseMtreeReport(fixture("freebsd-contrib-format.out"));
    expect(r.unparsed).toEqual([]);
    expect(Object.fromEntries(r.changed.map((c) => [c.path, c.keywords]))).toEqual({
      "rc.conf": ["sha256digest", "size"],
      motd: ["mode"],
      fstab: ["flags"],
      hosts: ["rmd160digest"],
      "resolv.conf": ["sha256digest"],
    });
    expect(r.missing).toEqual(["ssh/moduli", "mail", "mail/aliases"]);
    expect(r.extra).toEqual(["evil.conf"]);
  });

  it("an empty report is a clean tree; unknown lines are kept, not dropped", () => {
    expect(parseMtreeReport("")).toEqual({ changed: [], missing: [], extra: [], unparsed: [] });
    const r = parseMtreeReport("something odd\n");
    expect(r.unparsed).toEqual(["something odd"]);
  });

  it("maps item labels and keyword synonyms", () => {
    expect(itemKeyword("modification time (Thu Dec  3, Fri Dec  4)")).toBe("time");
    expect(itemKeyword("link count (1, 2)")).toBe("nlink");
    expect(itemKeyword("sha512 (0x1, 0x2)")).toBe("sha512digest");
    expect(itemKeyword("cksum (1, 2)")).toBe("cksum");
    expect(itemKeyword("nonsense (1, 2)")).toBeUndefined();
    expect(canonicalKeyword("sha256")).toBe("sha256digest");
    expect(canonicalKeyword("sha256digest")).toBe("sha256digest");
    expect(canonicalKeyword("ignore")).toBeUndefined();
  });
});
