import { describe, expect, it } from "vitest";
import { zodFailures } from "../../../src/engine/failures";
import { desiredContent, differences, liveFromContent, nextMemory, plan, planDelete, sha256 } from "../../../src/kinds/pkgRepository/plan";
import { declaredSettings, insecureFindings, pkgRepositorySchema } from "../../../src/kinds/pkgRepository/schema";
import { readRepoFile, renderRepoFile } from "../../../src/kinds/pkgRepository/settings";
import { freebsdPkgUrl, urlProblem, withPkgBranch } from "../../../src/kinds/pkgRepository/urls";

const connection = { host: "h", insecureIgnoreHostKey: true, password: "x" };
const parse = (raw: Record<string, unknown>) => pkgRepositorySchema.parse({ connection, ...raw });
const failures = (raw: Record<string, unknown>) => {
  const r = pkgRepositorySchema.safeParse({ connection, ...raw });
  return r.success ? [] : zodFailures(r.error).map((f) => f.reason);
};
const FULL = { name: "mirror", url: "pkg+https://m.example.org/${ABI}/latest", signatureType: "fingerprints", fingerprints: "/usr/share/keys/pkg" };
const file = (text: string, name: string) => liveFromContent("file", text, name, sha256(text));

describe("PkgRepository schema: bad input named at check time", () => {
  it.each([
    ["../etc/passwd", /not a valid repository name.*no path separators/],
    ["a/b", /not a valid repository name/],
    [".hidden", /must not start with \./],
    ["sp ace", /not a valid repository name/],
    ["", /not a valid repository name/],
  ])("name %j", (name, re) => {
    expect(failures({ ...FULL, name }).join("\n")).toMatch(re);
  });

  it.each([
    ["https://x/ y", /url: must not contain spaces or control characters/],
    ["https://x/\ty", /control characters/],
    ["ftp://x/y", /scheme "ftp" is not one pkg accepts/],
    ["pkg.FreeBSD.org/x", /not a URL pkg accepts/],
    ["https://", /nothing after the scheme/],
  ])("url %j", (url, re) => {
    expect(failures({ ...FULL, url }).join("\n")).toMatch(re);
  });

  it("enumerations, integers, ip versions, env names; each message names the property", () => {
    expect(failures({ ...FULL, mirrorType: "dns" })).toEqual([expect.stringMatching(/^mirrorType: must be "srv", "http" or "none"/)]);
    expect(failures({ ...FULL, signatureType: "gpg" })).toEqual([expect.stringMatching(/^signatureType: .*"none", "fingerprints" or "pubkey"/)]);
    expect(failures({ ...FULL, priority: 1.5 })).toEqual([expect.stringMatching(/^priority: must be an integer/)]);
    expect(failures({ ...FULL, priority: "10" })).toEqual([expect.stringMatching(/^priority: must be an integer/)]);
    expect(failures({ ...FULL, ipVersion: 5 })).toEqual([expect.stringMatching(/^ipVersion: must be 4 or 6/)]);
    expect(failures({ ...FULL, env: { "HTTP PROXY": "x" } }).join()).toMatch(/not an environment variable name/);
    expect(failures({ ...FULL, fingerprints: "keys" }).join()).toMatch(/^fingerprints: .*absolute path/);
  });

  it("a full definition needs a url (and the key its signature type uses); an override needs a setting", () => {
    expect(failures({ name: "r" }).join()).toMatch(/^url: required unless overrideOnly/);
    expect(failures({ ...FULL, fingerprints: undefined }).join()).toMatch(/^fingerprints: required .*with signatureType "fingerprints"/);
    expect(failures({ name: "FreeBSD", overrideOnly: true }).join()).toMatch(/^overrideOnly: an override must set at least one/);
    expect(failures({ name: "FreeBSD", overrideOnly: true, enabled: false })).toEqual([]);
  });

  it('insecure: "fail" turns the warnings into check failures; file:// is not a transport warning', () => {
    expect(insecureFindings(parse({ ...FULL, url: "http://m/x" })).map((f) => f.property)).toEqual(["url"]);
    expect(insecureFindings(parse({ name: "r", url: "https://m/x" })).map((f) => f.property)).toEqual(["signatureType"]);
    expect(insecureFindings(parse({ name: "r", url: "file:///repo", signatureType: "pubkey", pubkey: "/k" }))).toEqual([]);
    expect(insecureFindings(parse({ name: "FreeBSD", overrideOnly: true, enabled: false }))).toEqual([]);
    expect(failures({ ...FULL, url: "pkg+http://m/x", insecure: "fail" })).toEqual([expect.stringMatching(/^url: .*not https:\/\/ or pkg\+https:\/\/.*\(insecure is "fail"\)/)]);
    expect(failures({ name: "r", url: "https://m/x", signatureType: "none", insecure: "fail" }).join()).toMatch(/^signatureType: .*not signed/);
  });
});

describe("PkgRepository file rendering and reading", () => {
  it("renders the stock style, full definitions say enabled: yes, overrides only what is given", () => {
    expect(desiredContent(parse({ ...FULL, priority: 5, env: { B: "2", A: "1" } }))).toBe(
      "# Managed by pulumi-freebsd (PkgRepository): `pulumi up` reverts edits made here.\n" +
        'mirror: {\n  url: "pkg+https://m.example.org/${ABI}/latest",\n  signature_type: "fingerprints",\n' +
        '  fingerprints: "/usr/share/keys/pkg",\n  enabled: yes,\n  priority: 5,\n  env: {\n    A: "1",\n    B: "2"\n  }\n}\n',
    );
    expect(desiredContent(parse({ name: "FreeBSD", overrideOnly: true, enabled: false }))).toMatch(/\nFreeBSD: \{\n  enabled: no\n\}\n$/);
  });

  it("reads what pkg reads: keys without case, mirror/signature normalised, last duplicate wins", () => {
    const o = readRepoFile('FreeBSD { URL = "u1"; Mirror_Type: SRV, signature_type: PUBKEY, url: "u2", enabled: off }', "FreeBSD");
    expect(o.settings).toEqual({ url: "u2", mirrorType: "srv", signatureType: "pubkey", enabled: false });
    expect(o.problems).toEqual(["'url' is set more than once in the 'FreeBSD' repo"]);
    expect(readRepoFile("r: { mirror_type: dns }", "r").settings.mirrorType).toBe("none");
  });

  it("reports values pkg rejects in pkg's words, other repos and unmanaged keys", () => {
    const o = readRepoFile('r: { url: 5, enabled: "yes", priority: high, signature_type: gpg, ssh_args: "-v" }\nother: { url: "x" }', "r");
    expect(o.problems).toEqual([
      "Expecting a string for the 'url' key of the 'r' repo",
      "Expecting a boolean for the 'enabled' key of the 'r' repo",
      "Expecting an integer for the 'priority' key of the 'r' repo",
      "Invalid signature_type 'gpg' for the 'r' repo",
    ]);
    expect(o.otherRepos).toEqual(["other"]);
    expect(o.unmanaged).toEqual(["ssh_args"]);
  });

  it("merges repeated blocks like pkg: priority is reset unless given again", () => {
    const o = readRepoFile('r: { url: "a", priority: 5 }\nr: { enabled: no }', "r");
    expect(o.settings).toEqual({ url: "a", enabled: false });
  });

  it("quarterly ↔ latest is the url's last path component", () => {
    expect(freebsdPkgUrl("latest")).toBe("pkg+https://pkg.FreeBSD.org/${ABI}/latest");
    expect(withPkgBranch("pkg+https://pkg.FreeBSD.org/${ABI}/quarterly", "latest")).toBe("pkg+https://pkg.FreeBSD.org/${ABI}/latest");
    expect(withPkgBranch("https://m/FreeBSD:14:amd64/latest/", "quarterly")).toBe("https://m/FreeBSD:14:amd64/quarterly");
    expect(() => withPkgBranch("https://host", "latest")).toThrow(/no path/);
    expect(urlProblem(freebsdPkgUrl())).toBeUndefined();
  });
});

describe("PkgRepository plan", () => {
  const d = parse(FULL);
  const rendered = desiredContent(d);

  it("writes a missing file, then has nothing to do", () => {
    const absent = liveFromContent("absent", "", "mirror");
    const m = nextMemory(absent, undefined);
    expect(m).toEqual({ recorded: false, priorExists: false, priorContent: null, updatedFor: null });
    expect(plan(absent, d, m)).toEqual([{ kind: "write", content: rendered, changes: ["the file does not exist"] }]);
    expect(plan(file(rendered, "mirror"), d, m)).toEqual([]);
  });

  it("adopts a hand-written file that says the same thing (quoting, separators, comments are not drift)", () => {
    const text = `# ours\nmirror {\n  url = 'pkg+https://m.example.org/\${ABI}/latest'; signature_type = FINGERPRINTS\n  fingerprints = /usr/share/keys/pkg\n  enabled = true\n}\n`;
    expect(plan(file(text, "mirror"), d, nextMemory(file(text, "mirror"), undefined))).toEqual([]);
  });

  it("names each difference: a value, a missing key, an extra key, another repository", () => {
    const text = `mirror: { url: "pkg+https://m.example.org/\${ABI}/quarterly", signature_type: "fingerprints", fingerprints: "/usr/share/keys/pkg", priority: 3, ssh_args: "-4" }\nFreeBSD: { enabled: no }\n`;
    const [a] = plan(file(text, "mirror"), d, nextMemory(file(text, "mirror"), undefined));
    expect(a).toMatchObject({ kind: "write", content: rendered });
    expect(a!.kind === "write" && a!.changes).toEqual([
      'url: "pkg+https://m.example.org/${ABI}/quarterly" -> "pkg+https://m.example.org/${ABI}/latest"',
      "enabled: (unset) -> true",
      "priority: 3 -> (unset)",
      "other repositories in the file (removed): FreeBSD",
      "unmanaged keys (removed): ssh_args",
    ]);
  });

  it("a file outside the subset is a difference (apply refuses it)", () => {
    const live = file('mirror: { url: "x" }\n.include "/etc/other"\n', "mirror");
    expect(live.parseError).toMatch(/macros/);
    expect(differences(live, "mirror", declaredSettings(d))).toEqual([expect.stringMatching(/^the file cannot be read: line 2/)]);
  });

  it("updateAfterChange: updates after a write, and until an update succeeded for the declared file", () => {
    const du = parse({ ...FULL, updateAfterChange: true });
    const absent = liveFromContent("absent", "", "mirror");
    expect(plan(absent, du, nextMemory(absent, undefined)).map((a) => a.kind)).toEqual(["write", "update"]);
    const same = file(rendered, "mirror");
    // The file is right but no update succeeded for it yet (e.g. the last one failed): retry.
    expect(plan(same, du, { recorded: true, priorExists: false, priorContent: null, updatedFor: null })).toEqual([{ kind: "update", name: "mirror" }]);
    expect(plan(same, du, { recorded: true, priorExists: false, priorContent: null, updatedFor: sha256(rendered) })).toEqual([]);
    // A disabled repository's catalogue is not used: no update.
    const off = parse({ name: "FreeBSD", overrideOnly: true, enabled: false, updateAfterChange: true });
    expect(plan(absent, off, nextMemory(absent, undefined)).map((a) => a.kind)).toEqual(["write"]);
  });

  it("delete restores a prior file byte for byte, or removes a created one, and leaves a symlink alone", () => {
    const prior = "# mine\nmirror: { url: \"https://old/x\" }\n";
    const mem = nextMemory(file(prior, "mirror"), undefined);
    expect(mem).toMatchObject({ priorExists: true, priorContent: prior });
    expect(planDelete(file(rendered, "mirror"), mem)).toEqual([{ kind: "restore", content: prior }]);
    expect(planDelete(file(prior, "mirror"), mem)).toEqual([]);
    expect(planDelete(liveFromContent("absent", "", "mirror"), mem)).toEqual([{ kind: "restore", content: prior }]);
    const created = nextMemory(liveFromContent("absent", "", "mirror"), undefined);
    expect(planDelete(file(rendered, "mirror"), created)).toEqual([{ kind: "remove" }]);
    expect(planDelete(liveFromContent("symlink", "", "mirror"), created)).toEqual([]);
  });

  it("renderRepoFile output is read back as exactly the declared settings", () => {
    const s = declaredSettings(parse({ ...FULL, mirrorType: "srv", priority: -2, ipVersion: 6, env: { HTTP_PROXY: 'http://p:1/"x"' } }));
    expect(readRepoFile(renderRepoFile("mirror", s), "mirror")).toEqual({ settings: s, defined: true, otherRepos: [], unmanaged: [], problems: [] });
  });
});
