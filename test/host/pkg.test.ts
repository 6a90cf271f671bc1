// The simulated pkg (test/host/sim/tools/pkg.cjs): repository configuration, `pkg update` and
// `pkg -vv`, checked against facts copied from /work/shared/freebsd/commands.md §1.11, §1.16
// and §2 (the file itself is never read here).
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";

const FIX = path.resolve(__dirname, "../fixtures");
const STOCK = fs.readFileSync(path.join(FIX, "ucl/freebsd-14.1.conf"), "utf8");
const REACHABLE = fs.readFileSync(path.join(FIX, "pkg/reachable.json"), "utf8");
const STATE = "/var/run/freebsd-sim/state/pkg";

let fleet: TestFleet;
let h: TestHost;

beforeAll(async () => {
  fleet = await startHosts(1, { name: "pkgsim" });
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});
beforeEach(async () => {
  await h.run(`rm -rf /usr/local/etc/pkg/repos ${STATE} /root/repo; mkdir -p ${STATE}`);
  h.writeFile(`${STATE}/reachable.json`, REACHABLE);
});

const repo = (file: string, text: string) => h.run(`mkdir -p /usr/local/etc/pkg/repos && cat > /usr/local/etc/pkg/repos/${file}`, { stdin: text });
const STOCK_BLOCK =
  '  FreeBSD: { \n    url             : "pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/quarterly",\n    enabled         : yes,\n' +
  '    priority        : 0,\n    mirror_type     : "SRV",\n    signature_type  : "FINGERPRINTS",\n    fingerprints    : "/usr/share/keys/pkg"\n  }\n';

describe("pkg -vv repositories (commands.md §1.16, §2)", () => {
  it("the host ships the stock 14.x /etc/pkg/FreeBSD.conf (§2)", () => {
    expect(h.readFile("/etc/pkg/FreeBSD.conf")).toBe(STOCK);
  });

  it("prints the version lines and the stock repo block exactly, ${ABI} expanded (§1.16)", async () => {
    const r = await h.run("pkg -vv");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Version {17}: 2\.8\.4\nlibpkg {18}: 2\.8\.4\n/);
    expect(r.stdout.split("\nRepositories:\n")[1]).toBe(STOCK_BLOCK);
    expect((await h.run("pkg -v")).stdout).toBe("2.8.4\n");
  });

  it("`FreeBSD: { enabled: no }` in /usr/local/etc/pkg/repos overrides the stock repo, which is still listed (§2)", async () => {
    await repo("FreeBSD.conf", "FreeBSD: { enabled: no }\n");
    const r = await h.run("pkg -vv");
    expect(r.stdout.split("\nRepositories:\n")[1]).toBe(STOCK_BLOCK.replace("enabled         : yes", "enabled         : no"));
  });

  it("a later same-name entry merges (url changes, others kept) and resets priority to 0 unless given (§2)", async () => {
    await repo("a.conf", 'FreeBSD: { priority: 7 }\n');
    await repo("b.conf", 'FreeBSD: { url: "pkg+https://pkg.FreeBSD.org/${ABI}/latest" }\n');
    const block = (await h.run("pkg -vv")).stdout.split("\nRepositories:\n")[1]!;
    expect(block).toContain('url             : "pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/latest"');
    expect(block).toContain("priority        : 0,");
    expect(block).toContain('fingerprints    : "/usr/share/keys/pkg"');
    await repo("c.conf", "FreeBSD { priority = 3 }\n");
    expect((await h.run("pkg -vv")).stdout).toContain("priority        : 3,");
  });

  it("files are read alphabetically, only *.conf not starting with '.', and a new name without url is ignored (§2)", async () => {
    await repo("b.conf", 'zz: { url: "https://z/${ABI}", mirror_type: "http" }\n');
    await repo("a.conf", 'aa: { url: "file:///root/repo", signature_type: "none", ip_version: 6 }\nnourl: { enabled: yes }\n');
    await repo(".hidden.conf", 'hidden: { url: "https://h/" }\n');
    await repo("x.conf.bak", 'bak: { url: "https://b/" }\n');
    await repo(".conf", 'dot: { url: "https://d/" }\n');
    const out = (await h.run("pkg -vv")).stdout.split("\nRepositories:\n")[1]!;
    expect([...out.matchAll(/^ {2}(\S+): \{ $/gm)].map((m) => m[1])).toEqual(["FreeBSD", "aa", "zz"]);
    expect(out).toContain('  aa: { \n    url             : "file:///root/repo",\n    enabled         : yes,\n    priority        : 0,\n    signature_type  : "NONE",\n    ip_version      : 6\n  }\n');
    expect(out).toContain('    mirror_type     : "HTTP",');
  });

  it("a url with a scheme pkg rejects: `Cannot parse configuration file!`, exit 1 (§2)", async () => {
    await repo("bad.conf", 'bad: { url: "ftp://x/y" }\n');
    const r = await h.run("pkg -vv; echo rc=$?; pkg update; echo rc=$?");
    expect(r.stderr).toBe("pkg: invalid scheme ftp\npkg: Cannot parse configuration file!\n".repeat(2));
    expect(r.stdout).toBe("rc=1\nrc=1\n");
    await repo("bad.conf", 'bad: { url: "no-scheme" }\n');
    expect((await h.run("pkg -vv")).stderr).toBe("pkg: invalid url: no-scheme\npkg: Cannot parse configuration file!\n");
  });

  it("syntax errors, non-object entries, wrong value types and bad signature types are reported (§2)", async () => {
    await repo("a.conf", 'a: { url: "https://a/" \n');
    await repo("b.conf", 'b: "not an object"\n');
    await repo("c.conf", 'c: { url: 5 }\nd: { url: "https://d/", signature_type: "gpg" }\ne: { url: "https://e/", enabled: "yes" }\n');
    const r = await h.run("pkg -vv");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      "pkg: Error parsing: '/usr/local/etc/pkg/repos/a.conf': line: 2, column: 1 - 'unfinished object'\n" +
        "pkg: Ignoring bad configuration entry in /usr/local/etc/pkg/repos/b.conf: \"not an object\"\n" +
        "pkg: Expecting a string for the 'url' key of the 'c' repo\n" +
        "pkg: Invalid signature_type 'gpg' for the 'd' repo\n" +
        "pkg: Expecting a boolean for the 'enabled' key of the 'e' repo\n",
    );
  });

  it("-R DIR replaces the search path (§1.16, §2)", async () => {
    await h.run("mkdir -p /root/conf && printf 'only: { url: \"https://o/\" }\\n' > /root/conf/only.conf");
    const out = (await h.run("pkg -R /root/conf -vv")).stdout.split("\nRepositories:\n")[1]!;
    expect([...out.matchAll(/^ {2}(\S+): \{ $/gm)].map((m) => m[1])).toEqual(["only"]);
  });
});

describe("pkg update (commands.md §1.11, §1.0)", () => {
  it("updates the stock repo: the documented lines, one dot per 10 % step on a non-TTY, exit 0", async () => {
    const r = await h.run("pkg update");
    expect(r).toEqual({
      exitCode: 0,
      stderr: "",
      stdout:
        "Updating FreeBSD repository catalogue...\nFetching meta.conf: . done\nFetching data: .......... done\n" +
        "Processing entries: .......... done\nFreeBSD repository update completed. 35123 packages processed.\nAll repositories are up to date.\n",
    });
  });

  it("unchanged catalogue: `FreeBSD repository is up to date.`; -f forces the download; NO_TICK drops the dots", async () => {
    await h.run("pkg update -q");
    expect((await h.run("pkg update")).stdout).toBe("Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n");
    const f = await h.run("NO_TICK=yes pkg update -f");
    expect(f.stdout).toContain("Fetching meta.conf:  done\nFetching data:  done\nProcessing entries:  done\n");
  });

  it("-q prints nothing; -r X ends with `X is up to date.`; several: `A, B are up to date.`", async () => {
    expect(await h.run("pkg update -q")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await h.run("pkg update -f -r FreeBSD")).stdout).toMatch(/\nFreeBSD is up to date\.\n$/);
    h.writeFile("/root/repo/meta.conf", fs.readFileSync(path.join(FIX, "pkg/local-repo/meta.conf"), "utf8"));
    h.writeFile("/root/repo/packagesite.yaml", fs.readFileSync(path.join(FIX, "pkg/local-repo/packagesite.yaml"), "utf8"));
    await repo("local.conf", 'local: { url: "file:///root/repo", signature_type: "none" }\n');
    const r = await h.run("pkg update -r FreeBSD -r local");
    expect(r.stdout).toMatch(/local repository update completed\. 3 packages processed\.\nFreeBSD, local are up to date\.\n$/);
  });

  it("an unknown -r name warns; no enabled repos → `No repositories are enabled.`, exit 1", async () => {
    const r = await h.run("pkg update -r nosuch");
    expect([r.exitCode, r.stderr, r.stdout]).toEqual([1, "pkg: WARNING: repository 'nosuch' does not exist\n", "No repositories are enabled.\n"]);
    await repo("FreeBSD.conf", "FreeBSD: { enabled: no }\n");
    expect(await h.run("pkg update")).toEqual({ exitCode: 1, stdout: "No repositories are enabled.\n", stderr: "" });
  });

  it("a fetch failure: the reason on stderr, `Error updating repositories!`, exit 1 (strict)", async () => {
    await repo("mirror.conf", 'mirror: { url: "https://mirror.example.net/${ABI}/latest" }\nnowhere: { url: "pkg+https://nowhere.example/${ABI}" }\n');
    const r = await h.run("pkg update -r mirror");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("pkg: https://mirror.example.net/FreeBSD:14:amd64/latest/meta.conf: Connection refused\npkg: Unable to update repository mirror\n");
    expect(r.stdout).toBe("Updating mirror repository catalogue...\nError updating repositories!\n");
    const n = await h.run("pkg update -q -r nowhere");
    expect(n.stderr).toMatch(/nowhere\.example\/FreeBSD:14:amd64\/meta\.conf: No address record\n/);
    // A file:// repo without a catalogue folder fails too.
    await repo("local.conf", 'local: { url: "file:///root/missing" }\n');
    expect((await h.run("pkg update -r local")).stderr).toMatch(/^pkg: file:\/\/\/root\/missing\/meta\.conf: No such file or directory\n/);
  });

  it("unknown command and conflicting roots are refused (§1.16)", async () => {
    expect(await h.run("pkg frobnicate")).toEqual({ exitCode: 1, stdout: "", stderr: "pkg: unknown command: frobnicate\n" });
    const r = await h.run("pkg -j a -c /x update");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^pkg: -j, -c and\/or -r cannot be used at the same time!\nUsage: pkg /);
  });
});
