// The simulated `pkg audit` (commands.md §1.15, wording §8). Vulnerable/fixed vectors: the
// table in test/fixtures/vuxml/README.md (computed there with pkg's rules); expected outputs:
// test/fixtures/pkg-audit/ (see its README for which are copied and which composed).
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";
import { installPackages, lockDatabase, resetPkg, setVulnXml, setVulnXmlSource } from "./pkgdb";

const FIX = path.resolve(__dirname, "../fixtures");
const SAMPLE = fs.readFileSync(path.join(FIX, "vuxml/vuln-sample.xml"), "utf8");
const HEARTBEAT = fs.readFileSync(path.join(FIX, "vuxml/synthetic-heartbeat.xml"), "utf8");
const out = (f: string) => fs.readFileSync(path.join(FIX, "pkg-audit", f), "utf8");

// test/fixtures/vuxml/README.md table: name-version → problems (0 = not flagged).
const TABLE: [string, number][] = [
  ["apache24-2.4.63", 1], ["apache24-2.4.64", 0], ["git-2.50.0", 1], ["git-gui-2.49.0_1", 1], ["git-2.50.1", 0],
  ["redis-8.0.2", 1], ["valkey-8.1.2", 1], ["redis-8.0.3", 0], ["redis-7.0.15", 0], ["valkey-8.1.3", 0],
  ["FreeBSD-14.2_3", 1], ["FreeBSD-14.2_4", 0], ["FreeBSD-14.3", 0],
  ["php83-8.3.22", 1], ["php84-8.4.9", 1], ["php83-8.3.23", 0], ["php84-8.4.10", 0],
  ["sudo-1.9.17", 1], ["sudo-1.9.16p2", 1], ["sudo-1.9.17p1", 0],
  ["unbound-1.19.1", 1], ["unbound-1.19.2", 0], ["unbound-1.18.0", 1],
  ["curl-8.5.0", 1], ["curl-7.15.0", 2], ["curl-8.6.0", 0], ["curl-8.6.0_1", 0],
  ["nginx-devel-1.25.3", 1], ["nginx-devel-1.25.4", 0], ["nginx-1.24.0", 0],
  ["FreeBSD-kernel-14.0_4", 1], ["FreeBSD-kernel-13.2_9", 1], ["FreeBSD-kernel-14.0_5", 0], ["FreeBSD-kernel-13.2_10", 0],
  ["FreeBSD-14.0_4", 1], ["FreeBSD-14.0_5", 0],
  ["bind918-9.18.23", 1], ["bind916-9.16.47", 1], ["dnsmasq-2.89_1", 1], ["bind918-9.18.24", 0], ["bind9-devel-9.19.21", 0], ["dnsmasq-2.90", 0],
  ["postgresql-server-15.5", 1], ["postgresql-server-14.11", 1], ["postgresql-server-15.6", 0], ["postgresql-server-16.2", 0],
  ["php83-composer-2.6.6", 1], ["php83-composer-2.7.0", 0],
  ["libgit2-1.7.1", 1], ["libgit2-1.6.4", 1], ["eza-0.18.1", 1], ["libgit2-1.7.2", 0], ["libgit2-1.6.5", 0], ["eza-0.18.2", 0],
  ["openssl-3.0.12,1", 1], ["openssl-3.0.12", 1], ["openssl32-3.2.0", 1], ["openssl-0.9.7g", 2], ["openssl-3.0.13,1", 0], ["openssl32-3.2.1", 0],
  ["powerdns-recursor-4.8.0", 2], ["powerdns-recursor-4.8.1", 1], ["powerdns-recursor-5.0.2", 0],
  ["rubygem-rack-3.0.4,3", 1], ["rubygem-rack-3.0.8", 1], ["rubygem-rack-3.0.4.1,3", 0], ["rubygem-rack-3.0.8,3", 0],
  ["apache24-2.4.54", 2], ["apache24-2.4.55", 1],
  ["emacs-28.2_1,3", 1], ["emacs-nox-28.2,3", 1], ["emacs-28.2_2,3", 0], ["emacs-29.1,3", 0],
  ["curl-7.12.0", 2], ["curl-7.11.1", 1],
  ["openssl-0.9.8_1", 2], ["FreeBSD-5.4_7", 1], ["openssl-0.9.8a", 1], ["FreeBSD-5.4_8", 0],
  ["bind9-9.3.0", 1], ["bind9-9.3.1", 0], ["fetchmail-6.2.5.1", 1], ["fetchmail-6.2.5", 0], ["fetchmail-6.2.5.2", 0],
  ["mysql-server-4.1.11", 1], ["mysql-server-4.1.12", 0], ["mysql-server-4.1", 0],
  ["pl-ekg-1.6r1,1", 1], ["pl-ekg-1.6", 1], ["pl-ekg-1.6r2,1", 0],
  ["sudo-1.6.8.8", 2], ["sudo-1.6.8.9", 1], ["sudo-1.6.8.3", 3], ["sudo-1.6.8.4", 2],
  ["heartbeat-1.2.3", 0],
];

let fleet: TestFleet;
let h: TestHost;
beforeAll(async () => {
  fleet = await startHosts(1, { name: "pkgaudit" });
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});
beforeEach(async () => {
  await resetPkg(h);
  h.setProfile({ pkgVersion: "2.8.4" });
});

describe("pkg audit -f FILE NAME-VERSION: the vuxml sample's table (§1.15)", () => {
  it(`all ${TABLE.length} rows in one call: issues per package, the summary, exit 1`, async () => {
    h.writeFile("/root/vuln-sample.xml", SAMPLE);
    expect(new Set(TABLE.map(([p]) => p)).size).toBe(TABLE.length);
    const r = await h.run(`pkg audit -f /root/vuln-sample.xml ${TABLE.map(([p]) => `'${p}'`).join(" ")}`);
    expect(r.exitCode).toBe(1);
    // one "X is vulnerable:" block per flagged argument (in argument order), one WWW line per issue
    const counts = new Map<string, number>();
    let cur = "";
    for (const line of r.stdout.split("\n")) {
      const m = /^(\S+) is vulnerable:$/.exec(line);
      if (m) counts.set((cur = m[1]!), 0);
      else if (line.startsWith("  WWW: ")) counts.set(cur, counts.get(cur)! + 1);
    }
    expect(TABLE.map(([p]) => [p, counts.get(p) ?? 0])).toEqual(TABLE);
    const flagged = TABLE.filter(([, n]) => n > 0);
    expect([...counts.keys()]).toEqual(flagged.map(([p]) => p));
    const total = flagged.reduce((a, [, n]) => a + n, 0);
    expect(r.stdout.endsWith(`\n${total} problem(s) in ${flagged.length} package(s) found.\n`)).toBe(true);
  });

  it("exit 0 for a fixed version, 1 for a vulnerable one (per row, a sample)", async () => {
    h.writeFile("/root/vuln-sample.xml", SAMPLE);
    const rows = TABLE.filter((_, i) => i % 6 === 0);
    const r = await h.run(rows.map(([p]) => `pkg audit -q -f /root/vuln-sample.xml '${p}' >/dev/null; echo $?`).join("\n"));
    expect(r.stdout.trim().split("\n").map(Number)).toEqual(rows.map(([, n]) => (n ? 1 : 0)));
  });

  it("the SYNTHETIC heartbeat entry: < 3.0.6_4 flagged, _4/_10/3.0.7 not (vuxml README)", async () => {
    h.writeFile("/root/hb.xml", HEARTBEAT);
    const r = await h.run("for v in 3.0.6_3 1.2.3 3.0.6_4 3.0.6_10 3.0.7; do pkg audit -q -f /root/hb.xml heartbeat-$v; echo rc=$?; done");
    expect(r.stdout).toBe("heartbeat-3.0.6_3\nrc=1\nheartbeat-1.2.3\nrc=1\nrc=0\nrc=0\nrc=0\n");
  });

  it("sudo-1.9.17: the README's expected output, byte for byte", async () => {
    h.writeFile("/root/v.xml", SAMPLE);
    const r = await h.run("pkg audit -f /root/v.xml sudo-1.9.17");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, out("copied-vuxml-readme-sudo-2x.txt"), ""]);
  });

  it("bare names print `Affected versions:`; an argument with a '-' is split at the last one (§1.15)", async () => {
    h.writeFile("/root/v.xml", SAMPLE);
    // §1.15: "py311-foo is split into name py311, version foo", so `nginx-devel` audits a package
    // "nginx" at version "devel" (freebsd/pkg src/audit.c: strrchr(name, '-')), which the sample
    // does not list. composed-2x-name-only.txt assumes otherwise for nginx-devel; its unbound part
    // is what pkg prints.
    const fixture = out("composed-2x-name-only.txt");
    const unbound = fixture.slice(0, fixture.indexOf("nginx-devel is vulnerable:"));
    const r = await h.run("pkg audit -f /root/v.xml unbound nginx-devel");
    expect([r.exitCode, r.stdout]).toEqual([1, `${unbound}2 problem(s) in 1 package(s) found.\n`]);
    const py = await h.run("pkg audit -f /root/v.xml py311-foo");
    expect([py.exitCode, py.stdout]).toEqual([0, "0 problem(s) in 0 package(s) found.\n"]);
  });
});

describe("pkg audit over the installed packages (§1.15, §8)", () => {
  beforeEach(() => {
    setVulnXml(h, SAMPLE);
    installPackages(h, [
      { name: "curl", version: "7.15.0", origin: "ftp/curl" },
      { name: "sudo", version: "1.6.8.3", origin: "security/sudo" },
      { name: "openssl", version: "3.0.12,1", origin: "security/openssl" },
    ]);
  });

  it("pkg 2.x: `N problem(s) in M package(s) found.`, exit 1", async () => {
    const r = await h.run("pkg audit");
    expect([r.exitCode, r.stdout]).toEqual([1, out("composed-2x-multi.txt")]);
  });

  it("pkg 1.x (1.19.2, 1.21.3): `… in M installed package(s) found.`", async () => {
    for (const v of ["1.19.2", "1.21.3"]) {
      h.setProfile({ pkgVersion: v });
      expect((await h.run("pkg audit")).stdout).toBe(out("composed-1x-multi.txt"));
    }
  });

  it("-q: one name-version line per vulnerable package, no summary", async () => {
    const r = await h.run("pkg audit -q");
    expect([r.exitCode, r.stdout]).toEqual([1, out("composed-quiet-multi.txt")]);
  });

  it("clean: `0 problem(s) in 0 package(s) found.` exit 0; 1.x wording", async () => {
    installPackages(h, [{ name: "curl", version: "8.6.0" }], { replace: true });
    expect(await h.run("pkg audit")).toEqual({ exitCode: 0, stdout: out("copied-commands-1.15-clean-2x.txt"), stderr: "" });
    h.setProfile({ pkgVersion: "1.19.2" });
    expect((await h.run("pkg audit")).stdout).toBe(out("composed-1x-clean.txt"));
  });

  it("-r adds `Packages that depend on NAME: …` (reverse dependencies, possibly empty)", async () => {
    installPackages(h, [
      { name: "curl", version: "8.5.0", origin: "ftp/curl" },
      { name: "libgit2", version: "1.7.1", origin: "devel/libgit2", deps: [{ name: "curl" }] },
      { name: "git", version: "2.50.1", deps: [{ name: "curl" }] },
      { name: "cmake-core", version: "3.31.0", deps: [{ name: "curl" }] },
    ], { replace: true });
    // the fixture's order: git, libgit2, cmake-core
    installPackages(h, [{ name: "git", version: "2.50.1", deps: [{ name: "curl" }] }, { name: "libgit2", version: "1.7.1", deps: [{ name: "curl" }] }], {});
    const local = JSON.parse(h.readFile("/var/run/freebsd-sim/state/pkg/local.json")) as { packages: { name: string }[] };
    const order = ["curl", "git", "libgit2", "cmake-core"];
    local.packages.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    h.writeFile("/var/run/freebsd-sim/state/pkg/local.json", JSON.stringify(local));
    const r = await h.run("pkg audit -r");
    // libgit2 "depends on curl" here but is itself audited second, as in the fixture
    const want = out("composed-2x-recursive.txt");
    expect(r.stdout).toBe(want.replace("curl-8.5.0 is vulnerable", "curl-8.5.0 is vulnerable"));
  });

  it("-R json / json-compact / ucl: raw output (format attached: `-Rjson`, `--raw=json-compact`)", async () => {
    installPackages(h, [{ name: "curl", version: "7.15.0" }, { name: "sudo", version: "1.9.17" }], { replace: true });
    const j = await h.run("pkg audit -Rjson");
    expect([j.exitCode, j.stdout]).toEqual([1, out("composed-2x.json").replace(/\n?$/, "\n")]);
    installPackages(h, [{ name: "rubygem-rack", version: "3.0.8" }, { name: "rubygem-rails70", version: "7.0.8", deps: [{ name: "rubygem-rack" }] }], { replace: true });
    expect((await h.run("pkg audit -r --raw=json-compact")).stdout).toBe(out("composed-2x-compact.json").replace(/\n?$/, "\n"));
    installPackages(h, [{ name: "curl", version: "8.6.0" }], { replace: true });
    expect((await h.run("pkg audit -Rjson-compact")).stdout).toBe(out("composed-2x-clean.json").replace(/\n?$/, "\n"));
    expect((await h.run("pkg audit -R")).stdout).toMatch(/^pkg_count = 0;\n/);
  });

  it("-R's format must be attached: `-R json` audits a package named json (getopt_long \"R::\", freebsd/pkg src/audit.c)", async () => {
    const r = await h.run("pkg audit -R json");
    expect([r.exitCode, r.stdout]).toEqual([0, "pkg_count = 0;\npackages {\n}\n"]);
    const bad = await h.run("pkg audit --raw=xml");
    expect([bad.exitCode, bad.stderr]).toEqual([1, "pkg: invalid argument xml for --raw option\n"]);
  });

  it("a DB lock held exclusively: read-lock notices, then the read-lock failure (§1.17)", async () => {
    lockDatabase(h, { attempts: 10, waitMs: 0 });
    const r = await h.run("pkg audit -q");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("pkg: Cannot get a read lock on a database, it is locked by another process\n");
  });
});

describe("the audit DB file and -F (§1.15)", () => {
  it("missing vuln.xml: the literal name, or the -f path; exit 1", async () => {
    const r = await h.run("pkg audit");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, "", out("copied-commands-1.15-missing-vulnxml.stderr")]);
    expect((await h.run("pkg audit -f /root/none.xml")).stderr).toBe("pkg: vulnxml file /root/none.xml does not exist. Try running 'pkg audit -F' first\n");
  });

  it("-F: `Fetching vuln.xml.xz: … done`, then the audit; unchanged → `vulnxml file up-to-date` (1.x summary)", async () => {
    setVulnXmlSource(h, SAMPLE);
    installPackages(h, [{ name: "apache24", version: "2.4.54" }, { name: "php83", version: "8.3.22" }]);
    const r = await h.run("pkg audit -F");
    expect([r.exitCode, r.stdout]).toEqual([1, out("composed-2x-fetch.txt")]);
    expect(h.readFile("/var/db/pkg/vuln.xml")).toBe(SAMPLE);
    installPackages(h, [{ name: "postgresql-server", version: "14.11" }], { replace: true });
    h.setProfile({ pkgVersion: "1.21.3" });
    expect((await h.run("pkg audit -F")).stdout).toBe(out("composed-1x-uptodate.txt"));
  });

  it("-F when the download fails: `pkg: cannot fetch vulnxml file`, exit 1", async () => {
    setVulnXmlSource(h, null);
    expect(await h.run("pkg audit -F")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: cannot fetch vulnxml file\n" });
  });

  it("-f FILE with -F downloads to FILE", async () => {
    setVulnXmlSource(h, HEARTBEAT);
    installPackages(h, [{ name: "heartbeat", version: "3.0.6_3" }]);
    const r = await h.run("pkg audit -F -f /root/hb.xml -q");
    expect([r.exitCode, r.stdout]).toEqual([1, "heartbeat-3.0.6_3\n"]);
    expect(h.readFile("/root/hb.xml")).toBe(HEARTBEAT);
  });
});
