// The simulated pkg's changing commands: install (commands.md §1.8), upgrade (§1.9), delete
// (§1.10), add (§1.12), lock/unlock (§1.7), check (§1.13), DB lock contention (§1.17),
// -j/-c/-r (§1.16), and the wording that differs between pkg 1.19 / 1.21 / 2.x (§8).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";
import {
  cachePackage, copyCatalogue, fixtureCatalogue, fixtureInstalled, installPackages, lockDatabase, readPackages,
  resetPkg, setCatalogue, setVulnXml, updatePackage, writeRepoConf,
} from "./pkgdb";
import * as fs from "node:fs";
import { ssh } from "./ssh";
import * as path from "node:path";

const UPDATE = "Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n";
const SAMPLE = fs.readFileSync(path.resolve(__dirname, "../fixtures/vuxml/vuln-sample.xml"), "utf8");

let fleet: TestFleet;
let h: TestHost;
beforeAll(async () => {
  fleet = await startHosts(1, { name: "pkgjobs" });
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});
beforeEach(async () => {
  await resetPkg(h);
  h.setProfile({ pkgVersion: "2.8.4" });
  setCatalogue(h, "FreeBSD", fixtureCatalogue("quarterly"));
});
const ver = (name: string) => readPackages(h)?.find((p) => p.name === name)?.version;

describe("pkg install (§1.8)", () => {
  it("a new package with its dependency: the summary, fetch, integrity and apply lines; DB and files updated", async () => {
    const r = await h.run("pkg install -y nginx");
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      UPDATE +
        "The following 2 package(s) will be affected (of 0 checked):\n\nNew packages to be INSTALLED:\n\tnginx: 1.26.2_11,3\n\tpcre2: 10.43\n\n" +
        "Number of packages to be installed: 2\n\nThe process will require 7.8 MiB more space.\n2.6 MiB to be downloaded.\n" +
        "[1/2] Fetching pcre2-10.43: .......... done\n[2/2] Fetching nginx-1.26.2_11,3: .......... done\nChecking integrity... done (0 conflicting)\n" +
        "[1/2] Installing pcre2-10.43...\n[1/2] Extracting pcre2-10.43: .......... done\n" +
        "[2/2] Installing nginx-1.26.2_11,3...\n[2/2] Extracting nginx-1.26.2_11,3: .......... done\n",
    );
    expect(h.readFile("/usr/local/sbin/nginx")).toBe("nginx 1.26.2_11,3 (simulated file)\n");
    expect((await h.run("pkg query '%n %a %R' nginx pcre2")).stdout).toBe("nginx 0 FreeBSD\npcre2 1 FreeBSD\n");
    expect(h.exists("/var/cache/pkg/nginx-1.26.2_11,3.pkg")).toBe(true);
  });

  it("not in any repo: the exact error, exit 1", async () => {
    const r = await h.run("pkg install -y nosuch");
    expect([r.exitCode, r.stderr]).toEqual([1, "pkg: No packages available to install matching 'nosuch' have been found in the repositories\n"]);
  });

  it("name-version: only a repo carrying exactly that version; the repo lacking it gives the same error (§1.8)", async () => {
    const r = await h.run("pkg install -y nginx-1.28.0,3");
    expect([r.exitCode, r.stderr]).toEqual([1, "pkg: No packages available to install matching 'nginx-1.28.0,3' have been found in the repositories\n"]);
    const dir = copyCatalogue(h, "latest");
    writeRepoConf(h, "latest.conf", `latest: { url: "file://${dir}", signature_type: "none" }\n`);
    const ok = await h.run("pkg install -y -r latest nginx-1.28.0,3");
    expect(ok.exitCode).toBe(0);
    expect(ver("nginx")).toBe("1.28.0,3");
    expect((await h.run("pkg query %R nginx")).stdout).toBe("latest\n");
  });

  it("-r REPO picks that repo; several repos add ` [repo]` to items; file:// repos check integrity before the summary", async () => {
    const dir = copyCatalogue(h, "latest");
    writeRepoConf(h, "latest.conf", `latest: { url: "file://${dir}", signature_type: "none" }\n`);
    const r = await h.run("pkg install -n -r latest curl");
    expect(r.stdout).toBe(
      "Updating latest repository catalogue...\nFetching meta.conf: . done\nFetching data: .......... done\nProcessing entries: .......... done\n" +
        "latest repository update completed. 7 packages processed.\nlatest is up to date.\n" +
        "The following 1 package(s) will be affected (of 0 checked):\n\nNew packages to be INSTALLED:\n\tcurl: 8.11.1 [latest]\n\n" +
        // a file:// repo's packages are local: nothing to download, no fetch lines (upstream upgrade.sh shows none)
        "Number of packages to be installed: 1\n\nThe process will require 4.3 MiB more space.\n",
    );
    expect(r.exitCode).toBe(0);
    expect(readPackages(h)).toBeNull();
  });

  it("already current → `The most recent versions of packages are already installed`; -f reinstalls", async () => {
    installPackages(h, [{ ...fixtureCatalogue("quarterly").find((p) => p.name === "curl")!, files: {} }]);
    expect((await h.run("pkg install -y curl")).stdout).toBe(`${UPDATE}The most recent versions of packages are already installed\n`);
    const f = await h.run("pkg install -fy curl");
    expect(f.stdout).toContain("Installed packages to be REINSTALLED:\n\tcurl-8.6.0\n\nNumber of packages to be reinstalled: 1\n");
    expect(f.stdout).toContain("[1/1] Reinstalling curl-8.6.0...\n");
  });

  it("pkg 2.8: an automatic package is offered to be marked non-automatic (no `most recent` line); 2.7 prints the line (§8)", async () => {
    installPackages(h, [{ name: "pcre2", version: "10.43", automatic: true }]);
    expect((await h.run("pkg install -y pcre2")).stdout).toBe(UPDATE);
    expect((await h.run("pkg query %a pcre2")).stdout).toBe("0\n");
    updatePackage(h, "pcre2", { automatic: true });
    expect((await h.run("pkg install pcre2 </dev/null")).stdout).toBe(`${UPDATE}pcre2-10.43 is already installed as automatic. Mark as non-automatic? [y/N]: `);
    h.setProfile({ pkgVersion: "2.7.2" });
    expect((await h.run("pkg install -y pcre2")).stdout).toBe(`${UPDATE}The most recent versions of packages are already installed\n`);
  });

  it("pkg 2.8 marks vulnerable items ` (vulnerable!)` and warns; pkg 2.7 does not (§1.8, §8)", async () => {
    setVulnXml(h, SAMPLE);
    // quarterly's sudo 1.9.17p1 is fixed, but put a vulnerable one in the catalogue
    setCatalogue(h, "FreeBSD", fixtureCatalogue("quarterly").map((p) => (p.name === "sudo" ? { ...p, version: "1.9.17" } : p)));
    const r = await h.run("pkg install -n sudo curl");
    expect(r.stdout).toContain("\tcurl: 8.6.0\n\tsudo: 1.9.17 (vulnerable!)\n");
    expect(r.stdout).toMatch(/\nWARNING: 1 package\(s\) have known vulnerabilities\n$/);
    h.setProfile({ pkgVersion: "2.7.2" });
    expect((await h.run("pkg install -n sudo")).stdout).not.toContain("vulnerable");
  });

  it("without -y: `Proceed with this action? [y/N]: `, EOF answers no (nothing installed)", async () => {
    const r = await h.run("pkg install curl </dev/null");
    expect(r.stdout).toMatch(/\n\nProceed with this action\? \[y\/N\]: $/);
    expect(readPackages(h)).toBeNull();
    expect((await h.run("echo y | pkg install curl")).exitCode).toBe(0);
    expect(ver("curl")).toBe("8.6.0");
  });

  it("non-root: `Insufficient privileges to install packages` (§1.18)", async () => {
    const r = await h.run("setpriv --reuid=65534 --regid=65534 --clear-groups pkg install -y curl");
    expect([r.exitCode, r.stderr]).toEqual([1, "pkg: Insufficient privileges to install packages\n"]);
  });
});

describe("locked packages (§1.7)", () => {
  beforeEach(() => {
    installPackages(h, fixtureInstalled());
    updatePackage(h, "nginx", { locked: true });
  });

  it("install/upgrade NAME of a locked package: the locked notice on stdout, exit 1; -f does not help", async () => {
    for (const c of ["pkg install -y nginx", "pkg install -fy nginx", "pkg upgrade -y nginx"]) {
      const r = await h.run(c);
      expect([c, r.exitCode, r.stdout.endsWith("\nnginx-1.24.0_12,3 is locked and may not be modified\n")]).toEqual([c, 1, true]);
    }
    expect(ver("nginx")).toBe("1.24.0_12,3");
  });

  it("a full upgrade skips it with the notice; the rest proceeds", async () => {
    const r = await h.run("pkg upgrade -y");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Processing candidates (7 candidates): .......... done\n\nnginx-1.24.0_12,3 is locked and may not be modified\n");
    expect(r.stdout).toContain("Installed packages to be UPGRADED:\n\tcurl: 8.5.0 -> 8.6.0\n\theartbeat: 3.0.6_3 -> 3.0.6_4\n\topenssl: 3.0.12,1 -> 3.0.13,1\n\tpcre2: 10.42 -> 10.43\n\tsudo: 1.9.17 -> 1.9.17p1\n");
    expect([ver("nginx"), ver("curl")]).toEqual(["1.24.0_12,3", "8.6.0"]);
  });

  it("only the locked package pending: notice, then `Your packages are up to date.`, exit 0", async () => {
    installPackages(h, [{ name: "nginx", version: "1.24.0_12,3", origin: "www/nginx", locked: true }], { replace: true });
    const r = await h.run("pkg upgrade -y");
    expect([r.exitCode, r.stdout]).toEqual([0, `${UPDATE}Checking for upgrades (1 candidates): .......... done\nProcessing candidates (1 candidates): .......... done\n\nnginx-1.24.0_12,3 is locked and may not be modified\nYour packages are up to date.\n`]);
  });

  it("delete of a locked package: exit 7; labels by version (2.5+: `(locked)`, 2.0–2.4: none, 1.x: the old header)", async () => {
    const want = (hdr: string, item: string) => `The following package(s) are ${hdr} and may not be removed:\n\n\t${item}\n\n1 packages requested for removal: 1 locked, 0 missing\n`;
    const r = await h.run("pkg delete -y nginx");
    expect([r.exitCode, r.stdout]).toEqual([7, want("locked or vital", "nginx (locked)")]);
    h.setProfile({ pkgVersion: "2.4.2" });
    expect((await h.run("pkg delete -y nginx")).stdout).toBe(want("locked or vital", "nginx"));
    for (const v of ["1.19.2", "1.21.3"]) {
      h.setProfile({ pkgVersion: v });
      expect((await h.run("pkg delete -y nginx")).stdout).toBe(want("locked", "nginx"));
    }
    expect(ver("nginx")).toBe("1.24.0_12,3");
  });

  it("vital: `(vital)`, -q drops the summary (upstream vital.sh); `(vital and locked)`", async () => {
    updatePackage(h, "curl", { vital: true });
    expect(await h.run("pkg delete -qy curl")).toEqual({ exitCode: 7, stderr: "", stdout: "The following package(s) are locked or vital and may not be removed:\n\n\tcurl (vital)\n\n" });
    updatePackage(h, "curl", { vital: true, locked: true });
    expect((await h.run("pkg delete -qy curl")).stdout).toContain("\tcurl (vital and locked)\n");
  });

  it("pkg add over a locked package: the notice, counted as failed, exit 1 (§1.7, §1.12)", async () => {
    const file = cachePackage(h, fixtureCatalogue("quarterly").find((p) => p.name === "nginx")!);
    const r = await h.run(`pkg add ${file}`);
    expect([r.exitCode, r.stdout]).toEqual([1, `\nnginx-1.24.0_12,3 is locked and may not be modified\n\nFailed to install the following 1 package(s): ${file}\n`]);
  });
});

describe("pkg lock / unlock (§1.7, §8)", () => {
  beforeEach(() => installPackages(h, fixtureInstalled()));

  it("lock -y, already locked, unlock -y, already unlocked, not installed (exit 1, silent)", async () => {
    const r = await h.run("pkg lock -y nginx; echo rc=$?; pkg lock -y nginx; echo rc=$?; pkg unlock -y nginx; echo rc=$?; pkg unlock -y nginx; echo rc=$?; pkg lock -y nosuch; echo rc=$?");
    expect(r.stdout).toBe("Locking nginx-1.24.0_12,3\nrc=0\nnginx-1.24.0_12,3: already locked\nrc=0\nUnlocking nginx-1.24.0_12,3\nrc=0\nnginx-1.24.0_12,3: already unlocked\nrc=0\nrc=1\n");
    expect((await h.run("pkg lock -y nginx nosuch; echo rc=$?; pkg lock -y nosuch curl; echo rc=$?")).stdout).toBe("Locking nginx-1.24.0_12,3\nrc=1\nLocking curl-8.5.0\nrc=0\n");
  });

  it("without -y the question is asked (`lock this package? [y/N]: `)", async () => {
    expect((await h.run("echo n | pkg lock sudo")).stdout).toBe("sudo-1.9.17: lock this package? [y/N]: ");
    expect((await h.run("echo y | pkg lock sudo")).stdout).toBe("sudo-1.9.17: lock this package? [y/N]: Locking sudo-1.9.17\n");
  });

  it("lock -l: pkg >= 1.21 (1.21.3, 2.8.4) `No locked packages were found` exit 1; 1.19.2 the header, exit 0", async () => {
    for (const v of ["2.8.4", "1.21.3"]) {
      h.setProfile({ pkgVersion: v });
      expect(await h.run("pkg lock -l")).toEqual({ exitCode: 1, stdout: "No locked packages were found\n", stderr: "" });
    }
    h.setProfile({ pkgVersion: "1.19.2" });
    expect(await h.run("pkg lock -l")).toEqual({ exitCode: 0, stdout: "Currently locked packages:\n", stderr: "" });
    await h.run("pkg lock -qy curl sudo");
    for (const v of ["1.19.2", "2.8.4"]) {
      h.setProfile({ pkgVersion: v });
      expect(await h.run("pkg lock -l")).toEqual({ exitCode: 0, stdout: "Currently locked packages:\ncurl-8.5.0\nsudo-1.9.17\n", stderr: "" });
    }
    expect((await h.run("pkg lock --has-locked-packages; echo $?; pkg unlock -qya; pkg lock --has-locked-packages; echo $?")).stdout).toBe("0\n1\n");
  });

  it("no DB: `pkg: No packages installed.  Nothing to do!`, exit 0", async () => {
    await resetPkg(h);
    expect(await h.run("pkg lock -y nginx")).toEqual({ exitCode: 0, stdout: "", stderr: "pkg: No packages installed.  Nothing to do!\n" });
  });
});

describe("pkg upgrade (§1.9, §8)", () => {
  beforeEach(() => installPackages(h, fixtureInstalled()));

  it("-n with pending upgrades: exit 0 on pkg >= 2.4, exit 1 on 2.3 and 1.x; nothing changes", async () => {
    expect((await h.run("pkg upgrade -n")).exitCode).toBe(0);
    for (const v of ["2.3.1", "1.21.3", "1.19.2"]) {
      h.setProfile({ pkgVersion: v });
      expect([v, (await h.run("pkg upgrade -qn")).exitCode]).toEqual([v, 1]);
    }
    expect(ver("curl")).toBe("8.5.0");
  });

  it("NAME not installed: the error, then `Your packages are up to date.` exit 0 (§8: read from the code)", async () => {
    installPackages(h, [{ name: "curl", version: "8.6.0" }], { replace: true });
    const r = await h.run("pkg upgrade -y sudo");
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, `${UPDATE}Your packages are up to date.\n`, "pkg: sudo is not installed, therefore upgrade is impossible\n"]);
    const n = await h.run("pkg upgrade -y nosuch");
    expect([n.exitCode, n.stderr]).toEqual([1, "pkg: No packages available to upgrade matching 'nosuch' have been found in the repositories\n"]);
  });

  it("a named upgrade from a file:// repo: the upstream upgrade.sh layout", async () => {
    const dir = copyCatalogue(h, "latest");
    writeRepoConf(h, "FreeBSD.conf", "FreeBSD: { enabled: no }\n");
    writeRepoConf(h, "local.conf", `local: { url: "file://${dir}", signature_type: "none" }\n`);
    await h.run("pkg update -q");
    const r = await h.run("NO_TICK=yes pkg upgrade -y curl sudo");
    expect(r.stdout).toBe(
      "Updating local repository catalogue...\nlocal repository is up to date.\nAll repositories are up to date.\n" +
        "Checking for upgrades (2 candidates):  done\nProcessing candidates (2 candidates):  done\nChecking integrity... done (0 conflicting)\n" +
        "The following 2 package(s) will be affected (of 0 checked):\n\nInstalled packages to be UPGRADED:\n\tcurl: 8.5.0 -> 8.11.1\n\tsudo: 1.9.17 -> 1.9.17p2\n\n" +
        "Number of packages to be upgraded: 2\n[1/2] Upgrading curl from 8.5.0 to 8.11.1...\n[1/2] Extracting curl-8.11.1:  done\n" +
        "[2/2] Upgrading sudo from 1.9.17 to 1.9.17p2...\n[2/2] Extracting sudo-1.9.17p2:  done\n",
    );
  });

  it("pkg 2.8 upgrade -n: ` (vulnerable!)` markers, an options-changed reinstall, the WARNING line (fixture composed-2.8-upgrade-vulnerable.txt)", async () => {
    setVulnXml(h, SAMPLE);
    installPackages(h, [
      { name: "curl", version: "8.4.0" }, { name: "sudo", version: "1.9.16p2" },
      { name: "unbound", version: "1.19.1", options: { DNSTAP: "off" } },
    ], { replace: true });
    setCatalogue(h, "FreeBSD", [
      { name: "curl", version: "8.5.0", origin: "ftp/curl" }, { name: "sudo", version: "1.9.17p1", origin: "security/sudo" },
      { name: "unbound", version: "1.19.1", origin: "dns/unbound", options: { DNSTAP: "on" } },
    ]);
    const want = fs.readFileSync(path.resolve(__dirname, "../fixtures/pkg-audit/composed-2.8-upgrade-vulnerable.txt"), "utf8");
    const r = await h.run("pkg upgrade -n");
    expect([r.exitCode, r.stdout]).toEqual([0, want]);
    h.setProfile({ pkgVersion: "2.7.2" });
    expect((await h.run("pkg upgrade -n")).stdout).toBe(want.replace(/ \(vulnerable!\)/g, "").replace(/\nWARNING: .*\n$/, ""));
  });

  it("a newer pkg in the repo is upgraded first and alone (§1.18)", async () => {
    setCatalogue(h, "FreeBSD", fixtureCatalogue("quarterly").map((p) => (p.name === "pkg" ? { ...p, version: "2.8.5" } : p)));
    const r = await h.run("pkg upgrade -y");
    expect(r.stdout).toContain("done\nNew version of pkg detected; it needs to be installed first.\nThe following 1 package(s) will be affected (of 0 checked):\n\nInstalled packages to be UPGRADED:\n\tpkg: 2.8.4 -> 2.8.5\n");
    expect([ver("pkg"), ver("curl")]).toEqual(["2.8.5", "8.5.0"]);
  });

  it("everything current: `Your packages are up to date.`", async () => {
    await resetPkg(h);
    setCatalogue(h, "FreeBSD", fixtureCatalogue("quarterly"));
    installPackages(h, fixtureCatalogue("quarterly").map((p) => ({ ...p, files: {} })));
    expect((await h.run("pkg upgrade -qy; echo rc=$?")).stdout).toBe("rc=0\n");
    expect((await h.run("pkg upgrade -y")).stdout).toMatch(/done\nYour packages are up to date\.\n$/);
  });
});

describe("downgrades from the cache (§1.8, §1.12)", () => {
  it("pkg install of an older version only in /var/cache/pkg fails; `pkg add -f` of the cache file downgrades", async () => {
    installPackages(h, [{ name: "pcre2", version: "10.43" }]);
    await h.run("pkg install -qy nginx");
    const latest = fixtureCatalogue("latest");
    setCatalogue(h, "FreeBSD", latest);
    await h.run("pkg upgrade -qy nginx");
    expect(ver("nginx")).toBe("1.28.0,3");
    expect(h.exists("/var/cache/pkg/nginx-1.26.2_11,3.pkg")).toBe(true);
    const i = await h.run("pkg install -y nginx-1.26.2_11,3");
    expect([i.exitCode, i.stderr]).toEqual([1, "pkg: No packages available to install matching 'nginx-1.26.2_11,3' have been found in the repositories\n"]);
    // without -f: the installed version is newer, nothing happens, exit 0
    const a = await h.run("pkg add /var/cache/pkg/nginx-1.26.2_11,3.pkg");
    expect([a.exitCode, a.stdout]).toEqual([0, "the most recent version of nginx-1.26.2_11,3 is already installed\n"]);
    const f = await h.run("pkg add -f /var/cache/pkg/nginx-1.26.2_11,3.pkg");
    expect([f.exitCode, f.stdout]).toEqual([0, "package nginx is already installed, forced install\nInstalling nginx-1.26.2_11,3...\nExtracting nginx-1.26.2_11,3: .......... done\n"]);
    expect(ver("nginx")).toBe("1.26.2_11,3");
    expect(h.readFile("/usr/local/sbin/nginx")).toBe("nginx 1.26.2_11,3 (simulated file)\n");
  });

  it("`pkg install ./file.pkg` installs a local file like pkg add (§1.8)", async () => {
    cachePackage(h, fixtureCatalogue("latest").find((p) => p.name === "heartbeat")!, "/root");
    const r = await h.run("cd /root && pkg install -y ./heartbeat-3.0.6_10.pkg");
    expect([r.exitCode, r.stdout]).toEqual([0, "Installing heartbeat-3.0.6_10...\nExtracting heartbeat-3.0.6_10: .......... done\n"]);
    expect(ver("heartbeat")).toBe("3.0.6_10");
  });

  it("pkg add of a missing file: both errors and the failed list, exit 1", async () => {
    const r = await h.run("pkg add /var/cache/pkg/none-1.pkg");
    expect(r).toEqual({
      exitCode: 1,
      stderr: "pkg: /var/cache/pkg/none-1.pkg: No such file or directory\npkg: Was 'pkg install /var/cache/pkg/none-1.pkg' meant?\n",
      stdout: "\nFailed to install the following 1 package(s): /var/cache/pkg/none-1.pkg\n",
    });
  });

  it("an explicit older version present in a repo is a DOWNGRADE", async () => {
    installPackages(h, [{ name: "curl", version: "8.11.1", origin: "ftp/curl" }]);
    const r = await h.run("pkg install -y curl-8.6.0");
    expect(r.stdout).toContain("Installed packages to be DOWNGRADED:\n\tcurl: 8.11.1 -> 8.6.0\n\nNumber of packages to be downgraded: 1\n");
    expect(r.stdout).toContain("[1/1] Downgrading curl from 8.11.1 to 8.6.0...\n");
    expect(ver("curl")).toBe("8.6.0");
    expect((await h.run("pkg install -y curl")).stdout).toMatch(/The most recent versions of packages are already installed\n$/);
  });
});

describe("pkg delete (§1.10)", () => {
  beforeEach(() => installPackages(h, fixtureInstalled()));

  it("removes the package and its reverse dependencies (unless -f), with the summary and apply lines", async () => {
    const r = await h.run("pkg delete -y pcre2");
    expect(r.stdout).toBe(
      "Deinstallation has been requested for the following 2 packages (of 7 packages in the universe):\n\n" +
        "Installed packages to be REMOVED:\n\tnginx: 1.24.0_12,3\n\tpcre2: 10.42\n\nNumber of packages to be removed: 2\n\nThe operation will free 7.8 MiB.\n" +
        "[1/2] Deinstalling nginx-1.24.0_12,3...\n[1/2] Deleting files for nginx-1.24.0_12,3: .......... done\n" +
        "[2/2] Deinstalling pcre2-10.42...\n[2/2] Deleting files for pcre2-10.42: .......... done\n",
    );
    expect(h.exists("/usr/local/sbin/nginx")).toBe(false);
    expect(await h.run("pkg delete -fqy curl")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(ver("curl")).toBeUndefined();
  });

  it("not installed: the upstream delete_nonexistent output, exit 1", async () => {
    expect(await h.run("pkg delete -y nosuchpkg")).toEqual({ exitCode: 1, stderr: "", stdout: "No packages matched for pattern 'nosuchpkg'\n\n1 packages requested for removal: 0 locked, 1 missing\n" });
  });

  it("pkg itself needs -f (exit 3); a `*` switches to glob; no DB → Nothing to do", async () => {
    updatePackage(h, "pkg", { vital: false });
    expect(await h.run("pkg delete -y pkg")).toEqual({ exitCode: 3, stdout: "", stderr: "pkg: Cannot delete pkg itself without force flag\n" });
    expect((await h.run("pkg delete -ny 'open*'")).stdout).toContain("\topenssl: 3.0.12,1\n");
    await resetPkg(h);
    expect(await h.run("pkg delete -y x")).toEqual({ exitCode: 0, stdout: "", stderr: "pkg: No packages installed.  Nothing to do!\n" });
  });
});

describe("pkg check (§1.13)", () => {
  beforeEach(() => installPackages(h, fixtureInstalled()));

  it("-s: checksums against the recorded sha256; a changed file and a missing file (stderr), exit 1", async () => {
    expect(await h.run("pkg check -s -a")).toEqual({ exitCode: 0, stdout: "Checking all packages: .......... done\n", stderr: "" });
    await h.run("echo tampered > /usr/local/bin/sudo; rm /usr/local/bin/curl");
    const r = await h.run("pkg check -sq");
    expect([r.exitCode, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe("pkg: curl-8.5.0: missing file /usr/local/bin/curl\npkg: sudo-1.9.17: checksum mismatch for /usr/local/bin/sudo\n");
    expect((await h.run("pkg check -B")).exitCode).toBe(1); // -B alone: the default -s check in 2.x
  });

  it("-d -n: missing dependencies reported, exit 1; -q gives the tab form", async () => {
    installPackages(h, [{ name: "nginx", version: "1.24.0_12,3", deps: [{ name: "pcre2" }, { name: "libgd" }] }]);
    await h.run("rm -rf /var/run/freebsd-sim/state/pkg/dblock.json");
    const local = readPackages(h)!.filter((p) => p.name !== "pcre2");
    h.writeFile("/var/run/freebsd-sim/state/pkg/local.json", JSON.stringify({ packages: local }));
    const r = await h.run("pkg check -dn");
    expect([r.exitCode, r.stdout]).toEqual([1,
      "Checking all packages: .......... done\nnginx has a missing dependency: pcre2\nnginx has a missing dependency: libgd\n\n>>> Missing package dependencies were detected.\n>>> Found 2 issue(s) in the package database.\n\n"]);
    expect((await h.run("pkg check -dnq")).stdout).toBe("nginx\tpcre2\nnginx\tlibgd\n");
  });
});

describe("more install/check paths", () => {
  beforeEach(() => installPackages(h, fixtureInstalled()));

  it("check -d without -n: `-y` fixes the missing dependency from the repo (installed as automatic)", async () => {
    const local = readPackages(h)!.filter((p) => p.name !== "pcre2");
    h.writeFile("/var/run/freebsd-sim/state/pkg/local.json", JSON.stringify({ packages: local }));
    const r = await h.run("pkg check -d -y");
    expect(r.stdout).toContain(">>> Found 1 issue(s) in the package database.\n\n");
    expect(r.stdout).toContain("[1/1] Installing pcre2-10.43...\n");
    expect(r.exitCode).toBe(0);
    expect((await h.run("pkg query %a pcre2")).stdout).toBe("1\n");
  });

  it("`-o ASSUME_ALWAYS_YES=yes` answers the prompt without printing it; -U skips the auto-update", async () => {
    const r = await h.run("pkg -o ASSUME_ALWAYS_YES=yes install -U heartbeat");
    expect(r.stdout).toMatch(/^The following 1 package\(s\) will be affected \(of 0 checked\):\n/);
    expect(r.stdout).not.toContain("Proceed");
    expect(ver("heartbeat")).toBe("3.0.6_4");
  });

  it("over ssh every pkg call is in the tool log with its exit code (host.run() is not logged)", async () => {
    h.resetLogs();
    await h.run("pkg info -e nosuch");
    const r = await ssh(fleet, h, "pkg info -e nosuch; pkg lock -qy curl");
    expect(r.code).toBe(0);
    expect(h.tools().filter((e) => e.tool === "pkg").map((e) => [e.argv.join(" "), e.exitCode])).toEqual([["info -e nosuch", 1], ["lock -qy curl", 0]]);
  });
});

describe("database lock contention (§1.17)", () => {
  beforeEach(() => installPackages(h, fixtureInstalled()));

  it("held for 2 attempts: two notices, then the command runs", async () => {
    lockDatabase(h, { attempts: 2, waitMs: 50, pid: 1234 });
    const r = await h.run("pkg lock -y curl");
    expect([r.exitCode, r.stdout]).toEqual([0, "process with pid 1234 still holds the lock\nprocess with pid 1234 still holds the lock\nLocking curl-8.5.0\n"]);
    expect((await h.run("pkg lock -y sudo")).stdout).toBe("Locking sudo-1.9.17\n");
  });

  it("held longer than LOCK_RETRIES+1 = 6 attempts: 6 notices and the advisory-lock failure, exit 1; -q hides the notices", async () => {
    lockDatabase(h, { attempts: 20, waitMs: 0 });
    const r = await h.run("pkg delete -y curl");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("process with pid 4242 still holds the lock\n".repeat(6));
    expect(r.stderr).toBe("pkg: Cannot get an advisory lock on a database, it is locked by another process\n");
    const q = await h.run("pkg install -qy curl");
    expect([q.exitCode, q.stdout, q.stderr]).toEqual([1, "", "pkg: Cannot get an advisory lock on a database, it is locked by another process\n"]);
  });

  it("LOCK_WAIT: the default 1 s between attempts (held for 1 attempt ≈ 1 s); a time-based hold", async () => {
    lockDatabase(h, { attempts: 1 });
    const t0 = Date.now();
    expect((await h.run("pkg info -e curl")).exitCode).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    lockDatabase(h, { forMs: 1000, waitMs: 250 });
    const r = await h.run("pkg query %v curl");
    expect(r.stdout).toMatch(/^(process with pid 4242 still holds the lock\n){1,5}8\.5\.0\n$/);
  });

  it("an advisory hold does not block read locks (query, audit); a stale holder is cleaned up silently", async () => {
    lockDatabase(h, { attempts: 20, waitMs: 0, mode: "advisory" });
    expect((await h.run("pkg query %v curl")).stdout).toBe("8.5.0\n");
    expect((await h.run("pkg info -e curl; echo $?")).stdout).toBe("process with pid 4242 still holds the lock\n".repeat(6) + "1\n");
    lockDatabase(h, { attempts: 20, stale: true });
    expect(await h.run("pkg lock -qy curl")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(h.exists("/var/run/freebsd-sim/state/pkg/dblock.json")).toBe(false);
  });
});

describe("-j / -c / -r (§1.16)", () => {
  it("an unknown jail, a missing chroot, an invalid rootdir", async () => {
    expect(await h.run("pkg -j nosuch info")).toEqual({ exitCode: 1, stdout: "", stderr: 'pkg: jail "nosuch" not found\n' });
    expect(await h.run("pkg -c /nonexistent info")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: chroot failed: No such file or directory\n" });
    expect(await h.run("pkg -r /nonexistent info")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: Invalid rootdir: /nonexistent\n" });
    const r = await h.run("pkg -r /tmp -c /tmp info");
    expect(r.stderr).toMatch(/^pkg: -j, -c and\/or -r cannot be used at the same time!\nUsage: pkg /);
  });
});
