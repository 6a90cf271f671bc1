// The simulated pkg's read-only commands: query (commands.md §1.2), matching (§1.1), info
// (§1.3), rquery (§1.4), search (§1.5), -N (§1.16).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";
import { clearPackages, fixtureCatalogue, fixtureInstalled, installPackages, resetPkg, setCatalogue, writeRepoConf, copyCatalogue } from "./pkgdb";

let fleet: TestFleet;
let h: TestHost;
beforeAll(async () => {
  fleet = await startHosts(1, { name: "pkgquery" });
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});
beforeEach(async () => {
  await resetPkg(h);
  h.setProfile({ pkgVersion: "2.8.4" });
  installPackages(h, fixtureInstalled());
});

describe("pkg query formats (§1.2)", () => {
  it("single-value placeholders", async () => {
    const r = await h.run("pkg query '%n|%v|%o|%p|%c|%a|%k|%V|%sb|%sh|%R|%q|%Q|%l|%#C|%?d' nginx");
    expect(r).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: "nginx|1.24.0_12,3|www/nginx|/usr/local|Robust and small WWW server|0|0|0|1350000|1.35MB|FreeBSD|FreeBSD:14:amd64|freebsd:14:x86:64|single|1|1\n",
    });
  });

  it("%sh: SI divisor 1000 (`512B`, `123kB`, `12.3MB`)", async () => {
    installPackages(h, [{ name: "a", version: "1", flatsize: 512 }, { name: "b", version: "1", flatsize: 123000 }, { name: "c", version: "1", flatsize: 12300000 }]);
    expect((await h.run("pkg query '%sh' a b c")).stdout).toBe("512B\n123kB\n12.3MB\n");
  });

  it("multi-value codes print one line per item; escapes and %%", async () => {
    expect((await h.run("pkg query '%n\\t%dn-%dv %do' nginx")).stdout).toBe("nginx\tpcre2-10.42 devel/pcre2\n");
    expect((await h.run("pkg query '%C' curl")).stdout).toBe("ftp\nnet\nwww\n");
    // %C takes no sub-code in query's own syntax (freebsd/pkg src/query.c q_flags: 'C' has none)
    expect((await h.run("pkg query '%Cn' curl")).stdout).toBe("ftpn\nnetn\nwwwn\n");
    expect((await h.run("pkg query '%n: %rn' pcre2")).stdout).toBe("pcre2: nginx\n");
    expect((await h.run("pkg query '%At=%Av 100%%' sudo")).stdout).toBe("repository=FreeBSD 100%\n");
    expect((await h.run("pkg query '%Fp' curl")).stdout).toBe("/usr/local/bin/curl\n");
  });

  it("pkg >= 2.7: a mixed format prints one line for an empty list (upstream: `nodeps -`); a list-only format prints nothing", async () => {
    installPackages(h, [{ name: "hasdeps", version: "1", deps: [{ name: "nodeps", version: "1" }] }, { name: "nodeps", version: "1" }], { replace: true });
    expect((await h.run("pkg query '%n %dn-%dv'")).stdout).toBe("hasdeps nodeps-1\nnodeps -\n");
    expect((await h.run("pkg query '%dn-%dv'")).stdout).toBe("nodeps-1\n");
  });

  it("pkg <= 2.6 (1.19.2, 1.21.3): packages with an empty list print nothing (§8)", async () => {
    installPackages(h, [{ name: "hasdeps", version: "1", deps: [{ name: "nodeps", version: "1" }] }, { name: "nodeps", version: "1" }], { replace: true });
    for (const v of ["1.19.2", "1.21.3"]) {
      h.setProfile({ pkgVersion: v });
      expect((await h.run("pkg query '%n %dn-%dv'")).stdout).toBe("hasdeps nodeps-1\n");
    }
  });

  it("%{…%} inline iteration joins a list (pkg >= 2.7); older pkg rejects the key (§8)", async () => {
    const r = await h.run("pkg query '%n %C%{%Cn%| %}' curl");
    expect(r.stdout).toBe("curl ftp net www\n");
    h.setProfile({ pkgVersion: "2.6.2" });
    const old = await h.run("pkg query '%n %C%{%Cn%| %}' curl");
    expect([old.exitCode, old.stdout, old.stderr]).toEqual([1, "", "Unknown query format key: '%{'\n"]);
  });

  it("format errors: stderr without the `pkg:` prefix (fprintf in freebsd/pkg src/query.c), exit 1", async () => {
    const cases: [string, string][] = [
      ["'%z'", "Unknown query format key: '%z'\n"],
      ["'%dn %rn'", "Invalid query: '%d' and '%r' cannot be queried at the same time\n"],
      ["'%d'", "Invalid query: '%d' should be followed by: n, o, v\n"],
      ["'just text'", "Invalid query: query should contain a format string\n"],
    ];
    for (const [f, err] of cases) {
      const r = await h.run(`pkg query ${f}`);
      expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, "", err]);
    }
  });

  it("-F FILE queries a package file (the /var/cache/pkg JSON stand-in) instead of the DB", async () => {
    h.writeFile("/root/x.pkg", JSON.stringify(fixtureCatalogue("latest").find((p) => p.name === "sudo")));
    expect((await h.run("pkg query -F /root/x.pkg '%n-%v %o'")).stdout).toBe("sudo-1.9.17p2 security/sudo\n");
  });

  it("usage without a format: the §1.2 text on stderr, exit 1", async () => {
    const r = await h.run("pkg query");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      "Usage: pkg query <query-format> <pkg-name>\n       pkg query [-a] <query-format>\n       pkg query -F <pkg-name> <query-format>\n" +
        "       pkg query -e <evaluation> <query-format>\n       pkg query [-Cgix] <query-format> <pattern> <...>\n\nFor more information see 'pkg help query.'\n",
    );
  });
});

describe("matching and exit codes (§1.1, §1.2)", () => {
  it("exact: name or name-version or origin; -a all; no match → exit 1, no message", async () => {
    expect((await h.run("pkg query %n-%v nginx-1.24.0_12,3 security/sudo")).stdout).toBe("nginx-1.24.0_12,3\nsudo-1.9.17\n");
    expect((await h.run("pkg query -a %n")).stdout.split("\n").filter(Boolean)).toHaveLength(7);
    expect(await h.run("pkg query %n nginx-1.24")).toEqual({ exitCode: 1, stdout: "", stderr: "" });
    expect((await h.run("pkg query %n NGINX")).exitCode).toBe(1);
  });

  it("-g glob (whole string), -x regex (unanchored), -i case-insensitive, -C case-sensitive", async () => {
    expect((await h.run("pkg query -g %n 'open*'")).stdout).toBe("openssl\n");
    expect((await h.run("pkg query -g %n 'pen*'")).exitCode).toBe(1);
    expect((await h.run("pkg query -x %n 'ss'")).stdout).toBe("openssl\n");
    expect((await h.run("pkg query -x %n '^p'")).stdout).toBe("pcre2\npkg\n");
    expect((await h.run("pkg query -i %n NGINX")).stdout).toBe("nginx\n");
    expect((await h.run("pkg query -i -C %n NGINX")).exitCode).toBe(1);
    expect((await h.run("CASE_SENSITIVE_MATCH=no pkg query %n Sudo")).stdout).toBe("sudo\n");
  });

  it("-e: no names → over all packages, no match is exit 0; with names no match is exit 1 (upstream query.sh)", async () => {
    expect((await h.run("pkg query -e '%a == 1' %n")).stdout).toBe("pcre2\n");
    expect(await h.run("pkg query -e '%#O == 1' %n")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await h.run("pkg query -e '%#r>0' %n pcre2")).stdout).toBe("pcre2\n");
    expect((await h.run("pkg query -e '%#r>0' %n curl")).exitCode).toBe(1);
    expect((await h.run("pkg query -e '%n ~ s* && %V = 0' %n")).stdout).toBe("sudo\n");
    expect((await h.run("pkg query -e '%dn = pcre2 || %n =~ CURL' %n")).stdout).toBe("curl\nnginx\n");
    expect((await h.run("pkg query -e '%dn != pcre2 && (%k = 0)' %n")).stdout.split("\n")).not.toContain("nginx");
    expect((await h.run("pkg query -e '%s > 10000000' %n")).stdout).toBe("openssl\npkg\n");
  });

  it("-e parse errors (stderr, exit 1)", async () => {
    for (const [c, e] of [["%n ! x", "expecting = or ~ after !"], ["%n", "unexpected end of expression"], ["%a ~ 1", "~ expected only for string testing"],
      ["%n > 1", "> expected only for integers"], ["%a = x", "a number is expected, got: x"], ["(%a = 1", "unexpected end of expression (too many open brackets)"],
      ["%a = 1)", "too many closing brackets."], ["%n x 1", "an operator is expected, got x"]] as const) {
      const r = await h.run(`pkg query -e '${c}' %n`);
      expect([r.exitCode, r.stderr]).toEqual([1, `${e}\n`]);
    }
  });

  it("no local DB: `No packages installed`, exit 0 (silent with -q)", async () => {
    clearPackages(h, { exists: false });
    expect(await h.run("pkg query %n")).toEqual({ exitCode: 0, stdout: "", stderr: "pkg: No packages installed\n" });
    expect((await h.run("pkg query -q %n")).stderr).toBe("");
  });
});

describe("pkg info (§1.3)", () => {
  it("no args: name-version padded to 31, the comment in column 32; -q bare", async () => {
    const r = await h.run("pkg info");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("curl-8.5.0                     Command line tool and library for transferring data with URLs");
    expect(lines[0]!.indexOf("Command")).toBe(31);
    expect((await h.run("pkg info -q")).stdout.split("\n")[2]).toBe("nginx-1.24.0_12,3");
  });

  it("-e: silent; 0 if installed (glob, name-version too), else 1", async () => {
    const r = await h.run("pkg info -e nginx; echo $?; pkg info -e 'ngi*'; echo $?; pkg info -e nginx-1.24.0_12,3; echo $?; pkg info -e nosuch; echo $?");
    expect([r.stdout, r.stderr]).toEqual(["0\n0\n0\n1\n", ""]);
  });

  it("a pattern that matches nothing: `pkg: No package(s) matching X`, exit 1; one match: the full block", async () => {
    expect(await h.run("pkg info nosuch")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: No package(s) matching nosuch\n" });
    const r = await h.run("pkg info nginx");
    expect(r.stdout).toMatch(/^Name           : nginx\nVersion        : 1\.24\.0_12,3\nInstalled on   : .*\nOrigin         : www\/nginx\n/);
  });

  it("no DB: `-a` exit 0 silently, otherwise `No packages installed`, exit 1", async () => {
    clearPackages(h, { exists: false });
    expect(await h.run("pkg info -a")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await h.run("pkg info nginx")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: No packages installed\n" });
  });
});

describe("pkg rquery and pkg search against catalogues (§1.4, §1.5)", () => {
  beforeEach(() => {
    setCatalogue(h, "FreeBSD", fixtureCatalogue("quarterly"));
  });

  it("rquery: %R is the repo name; one line per repo carrying the package", async () => {
    expect((await h.run("pkg rquery '%n-%v %R' nginx")).stdout).toBe("nginx-1.26.2_11,3 FreeBSD\n");
    const dir = copyCatalogue(h, "latest");
    writeRepoConf(h, "latest.conf", `latest: { url: "file://${dir}", signature_type: "none" }\n`);
    const r = await h.run("pkg rquery '%n-%v %R' nginx");
    expect([r.exitCode, r.stdout]).toEqual([0, "nginx-1.26.2_11,3 FreeBSD\nnginx-1.28.0,3 latest\n"]);
    expect((await h.run("pkg rquery -r latest '%v' curl")).stdout).toBe("8.11.1\n");
  });

  it("rquery -e with no pattern runs over the whole catalogue; %?d / %#d / %dn", async () => {
    expect((await h.run("pkg rquery -e '%#d > 0' '%n %?d %#d %dn'")).stdout).toBe("nginx 1 1 pcre2\n");
    expect(await h.run("pkg rquery -e '%n = nosuch' %n")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("rquery: no match with a pattern → exit 1; codes outside its subset are unknown (%a)", async () => {
    expect((await h.run("pkg rquery %n nosuch")).exitCode).toBe(1);
    const r = await h.run("pkg rquery %a nginx");
    expect([r.exitCode, r.stderr]).toEqual([1, "Unknown query format key: '%a'\n"]);
  });

  it("search: regex on name-version, unanchored; -e needs the full name-version; -o labels with the origin", async () => {
    expect((await h.run("pkg search ssl")).stdout).toBe("openssl-3.0.13,1               TLSv1.3 capable SSL and crypto library\n");
    expect((await h.run("pkg search -e nginx")).exitCode).toBe(1);
    expect((await h.run("pkg search -q -e nginx-1.26.2_11,3")).stdout).toBe("nginx-1.26.2_11,3\n");
    expect((await h.run("pkg search -o sudo")).stdout).toBe("security/sudo                  Allow others to run commands as root\n");
    expect((await h.run("pkg search -q www/")).stdout).toBe("nginx-1.26.2_11,3\n");
    expect((await h.run("pkg search -q -S name -e pcre2")).stdout).toBe("pcre2-10.43\n");
  });

  it("search: empty pattern, no repositories, catalogue missing with -U", async () => {
    expect(await h.run("pkg search ''")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: Pattern must not be empty.\n" });
    await h.run("rm -f /var/run/freebsd-sim/state/pkg/repos/FreeBSD.json");
    expect(await h.run("pkg search -U nginx")).toEqual({
      exitCode: 1, stdout: "", stderr: "pkg: Unable to open remote repository catalogues. Try running 'pkg update' first.\n",
    });
    writeRepoConf(h, "FreeBSD.conf", "FreeBSD: { enabled: no }\n");
    expect(await h.run("pkg search nginx")).toEqual({ exitCode: 3, stdout: "", stderr: "pkg: No active remote repositories configured.\n" });
  });

  it("a failing auto-update returns 3 (§1.0)", async () => {
    h.writeFile("/var/run/freebsd-sim/state/pkg/reachable.json", "{}\n");
    const r = await h.run("pkg rquery %n nginx");
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/No address record\npkg: Unable to update repository FreeBSD\n$/);
  });

  it("`pkg update` installs the catalogue that rquery reads (reachable.json \"catalogue\", file:// packagesite.yaml)", async () => {
    const dir = copyCatalogue(h, "latest");
    h.writeFile("/var/run/freebsd-sim/state/pkg/reachable.json", JSON.stringify({
      "pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/quarterly": { catalogue: `${dir}/packagesite.yaml`, serial: 2 },
    }));
    const u = await h.run("pkg update");
    expect(u.stdout).toContain("FreeBSD repository update completed. 7 packages processed.\n");
    expect((await h.run("pkg rquery -U %v nginx")).stdout).toBe("1.28.0,3\n");
  });
});

describe("pkg -N (§1.16)", () => {
  it("packages installed → `pkg: N packages installed` exit 0; empty DB / no DB → exit 1", async () => {
    expect(await h.run("pkg -N")).toEqual({ exitCode: 0, stdout: "", stderr: "pkg: 7 packages installed\n" });
    expect((await h.run("pkg -N info -e nginx; echo $?")).stdout).toBe("0\n");
    clearPackages(h);
    expect(await h.run("pkg -N")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: no packages registered\n" });
    clearPackages(h, { exists: false });
    expect(await h.run("pkg -N info")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: package database non-existent\n" });
  });
});
