// The simulated pkg's version ordering through `pkg version -t` (commands.md §1.14; the vectors
// are copied from that section, which computed them with upstream libpkg/pkg_version.c), plus
// `pkg version -T` and the installed-vs-remote listing (§1.6).
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "./index";
import { fixtureCatalogue, installPackages, resetPkg, setCatalogue } from "./pkgdb";

// §1.14 test vectors: [a, expected symbol, b]. Chains (a < b < c) are split into pairs.
const CHAINS = [
  "1 < 2", "2 > 1", "2 = 2", "2 < 1,1",
  "1.pl1 < 1.alpha1", "1.alpha1 < 1.beta1", "1.beta1 < 1.pre1", "1.pre1 < 1.rc1",
  "1.rc1 < 1", "1.pl1 < 1.snap1", "1.snap1 > 1.alpha1", "1.0snap1 > 1.0rc1", "1.0snap1 < 1.0",
  "1.0 < 1.0_1", "1.0_9 < 1.0_10", "1.0,1 > 2.0", "1.0_1,1 > 1.0,1", "1.0_1,2 > 1.0_2,1",
  "1.0 = 1.0.0", "1.0 = 1", "1.9 < 1.10", "1.2.3 < 1.2.10",
  "1.0a > 1.0", "1.0a < 1.0b", "1.0.a < 1.0", "10 < 10a", "10alpha < 10",
  "1.0rc1 < 1.0", "1.0alpha1 < 1.0", "1.0beta1 > 1.0alpha2", "1.0rc1 > 1.0pre1",
  "1.0pl1 < 1.0", "1.0pl1 < 1.0alpha1", "1.0p1 > 1.0", "1.0.p1 < 1.0",
  "1.0b1 > 1.0", "1.0beta1 < 1.0",
  "2.* < 2pl1 < 2alpha3 < 2.9f7 < 3.*",
  "1.0.1:2003.09.16 < 1.0:2003.09.16", "10..1 = 10.1", "10a1b2 = 10a1.b2",
  "1.d2 = 1.dev2 = 1.Development2", "1.0+1 > 1.0", "1.0+a < 1.0+b",
  "nginx-1.24.0_12,3 < nginx-1.26.2,3", "3.0.15,1 < 3.0.15_1,1", "5.36.0 < 5.36.0_1",
  "20231201 < 20240101", "2024.1 < 2024.10", "1.21.3 < 2.0.0",
];
const VECTORS: [string, string, string][] = CHAINS.flatMap((c) => {
  const parts = c.split(" ");
  const out: [string, string, string][] = [];
  for (let i = 0; i + 2 < parts.length; i += 2) out.push([parts[i]!, parts[i + 1]!, parts[i + 2]!]);
  return out;
});
const flip = (s: string) => (s === "<" ? ">" : s === ">" ? "<" : "=");

let fleet: TestFleet;
let h: TestHost;
beforeAll(async () => {
  fleet = await startHosts(1, { name: "pkgver" });
  h = fleet.hosts[0]!;
});
afterAll(async () => {
  await fleet?.stop();
});

describe("pkg version -t (commands.md §1.14)", () => {
  it(`all ${VECTORS.length} vectors print the symbol and exit 0`, async () => {
    const q = (s: string) => `'${s}'`;
    // a → b through pkg; b → a once per symbol kind here, and for every vector in the next test
    const rev = [VECTORS.find(([, x]) => x === "<")!, VECTORS.find(([, x]) => x === "=")!, VECTORS.find(([, x]) => x === ">")!];
    const script = [...VECTORS.map(([a, , b]) => `pkg version -t ${q(a)} ${q(b)}; echo "rc=$?"`), ...rev.map(([a, , b]) => `pkg version -t ${q(b)} ${q(a)}; echo "rc=$?"`)].join("\n");
    const r = await h.run(script);
    const expected = [...VECTORS.map(([, s]) => `${s}\nrc=0\n`), ...rev.map(([, s]) => `${flip(s)}\nrc=0\n`)].join("");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(expected);
  });

  it("the simulator's pkgversion.cjs agrees with the vectors directly (same table)", async () => {
    const v = createRequire(__filename)("./sim/lib/pkgversion.cjs") as { symbol(a: string, b: string): string };
    for (const [a, s, b] of VECTORS) {
      expect(`${a} ${v.symbol(a, b)} ${b}`).toBe(`${a} ${s} ${b}`);
      expect(`${b} ${v.symbol(b, a)} ${a}`).toBe(`${b} ${flip(s)} ${a}`);
    }
  });

  it("-t with a wrong argument count prints the usage (stderr, exit 1) (§1.6)", async () => {
    const r = await h.run("pkg version -t 1");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Usage: pkg version \[-IPR\] \[-hoqvU\] \[-l limchar\] \[-L limchar\] \[-Cegix pattern\]/);
  });

  it("-T NAME PATTERN returns the fnmatch result and prints nothing (§1.6)", async () => {
    const r = await h.run("pkg version -T nginx-1.2 'nginx-*'; echo rc=$?; pkg version -T curl 'nginx*'; echo rc=$?");
    expect(r.stdout).toBe("rc=0\nrc=1\n");
  });
});

describe("pkg version listing against the remote catalogue (commands.md §1.6)", () => {
  beforeAll(async () => {
    await resetPkg(h);
    installPackages(h, [
      { name: "nginx", version: "1.24.0_12,3", origin: "www/nginx" },
      { name: "curl", version: "8.6.0", origin: "ftp/curl" },
      { name: "sudo", version: "1.9.18", origin: "security/sudo" },
      { name: "localonly", version: "1.0", origin: "misc/localonly" },
    ]);
    setCatalogue(h, "FreeBSD", fixtureCatalogue("quarterly"));
  });

  it("-v: the status char at index 35 and the remote wording; the update lines first", async () => {
    const r = await h.run("pkg version -v");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      "Updating FreeBSD repository catalogue...\nFreeBSD repository is up to date.\nAll repositories are up to date.\n" +
        "curl-8.6.0                         =   up-to-date with remote\n" +
        "localonly-1.0                      ?   orphaned: misc/localonly\n" +
        // the §1.6 example line, byte for byte
        "nginx-1.24.0_12,3                  <   needs updating (remote has 1.26.2_11,3)\n" +
        "sudo-1.9.18                        >   succeeds remote (remote has 1.9.17p1)\n",
    );
    expect(r.stdout.split("\n")[3]![35]).toBe("=");
  });

  it("-l '<' shows only outdated packages, -L = hides the up-to-date ones; -q drops the update lines", async () => {
    expect((await h.run("pkg version -q -l '<'")).stdout).toBe("nginx-1.24.0_12,3                  <\n");
    const r = await h.run("pkg version -qvRL=");
    expect(r.stdout.split("\n").filter(Boolean).map((l) => l.slice(0, 36).trim())).toEqual([
      "localonly-1.0                      ?", "nginx-1.24.0_12,3                  <", "sudo-1.9.18                        >",
    ]);
  });

  it("-l with a character outside < > = ? ! is a usage error; -l filtering everything out still exits 0", async () => {
    expect((await h.run("pkg version -l x")).exitCode).toBe(1);
    const r = await h.run("pkg version -q -l '!'");
    expect([r.exitCode, r.stdout]).toEqual([0, ""]);
  });
});
