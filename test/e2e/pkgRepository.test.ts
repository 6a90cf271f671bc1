/**
 * PkgRepository end to end: the real Pulumi engine (an inline program using this checkout's
 * dist/) against a FreeBSD test host whose simulated pkg reads the repository files.
 */
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { capture, changes, newProgramStack, up, type TestStack } from "./harness";

const FIX = path.resolve(__dirname, "../fixtures");
const STATE = "/var/run/freebsd-sim/state/pkg";
const REPOS = "/usr/local/etc/pkg/repos";
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { PkgRepository, freebsdPkgUrl } = require(PF);
const cfg = new pulumi.Config();
const connection = { host: cfg.require("host"), port: cfg.requireNumber("port"), hostKey: cfg.require("hostKey"), privateKey: cfg.requireSecret("key") };
const out = {};
for (const [res, args] of Object.entries(cfg.requireObject("repos"))) {
  const a = { ...args };
  if (a.branch) { a.url = freebsdPkgUrl(a.branch); delete a.branch; }
  const r = new PkgRepository(res, { connection, ...a });
  out[res] = { content: r.content, observed: r.observed, warnings: r.warnings, path: r.path };
}
exports.repos = out;
`;

let fleet: TestFleet;
let h: TestHost;
const stacks: TestStack[] = [];

async function stack(repos: Record<string, unknown>): Promise<TestStack> {
  const t = await newProgramStack(PROGRAM, {
    config: { host: h.host, port: String(h.port), hostKey: h.hostKey, repos },
    secrets: { key: fleet.clientKey.privateKey },
  });
  stacks.push(t);
  return t;
}
const setRepos = (t: TestStack, repos: Record<string, unknown>) => t.stack.setConfig("repos", { value: JSON.stringify(repos) });
const repoBlock = async (name: string) => {
  const r = await h.run("pkg -vv");
  expect(r.exitCode).toBe(0);
  const m = new RegExp(`^  ${name}: \\{ \\n([\\s\\S]*?)\\n  \\}$`, "m").exec(r.stdout.split("\nRepositories:\n")[1]!);
  return m ? Object.fromEntries(m[1]!.split(",\n").map((l) => l.trim().split(/\s+:\s+/) as [string, string])) : undefined;
};
const noChanges = async (t: TestStack, refresh = false) => expect(changes((await up(t, { refresh })).summary.resourceChanges)).toEqual({});

beforeAll(async () => {
  fleet = await startHosts(1, { name: "pkgrepo" });
  h = fleet.hosts[0]!;
  await h.run(`mkdir -p ${STATE}`);
  h.writeFile(`${STATE}/reachable.json`, fs.readFileSync(path.join(FIX, "pkg/reachable.json"), "utf8"));
}, 120_000);

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("PkgRepository with the real engine", { timeout: 600_000 }, () => {
  it("switches the stock repository from quarterly to latest and back; destroy removes the override", async () => {
    expect(h.exists(REPOS)).toBe(false); // as on a fresh install
    const t = await stack({ "freebsd-latest": { name: "FreeBSD", overrideOnly: true, branch: "latest" } });
    const r = await up(t);
    expect(changes(r.summary.resourceChanges)).toEqual({ create: 2 });
    const text = h.readFile(`${REPOS}/FreeBSD.conf`);
    expect(text).toMatch(/\nFreeBSD: \{\n  url: "pkg\+https:\/\/pkg\.FreeBSD\.org\/\$\{ABI\}\/latest"\n\}\n$/);
    const out = r.outputs.repos!.value as Record<string, { content: string; observed: unknown; path: string }>;
    expect(out["freebsd-latest"]).toMatchObject({ content: text, path: `${REPOS}/FreeBSD.conf`, observed: { url: "pkg+https://pkg.FreeBSD.org/${ABI}/latest" } });
    // pkg agrees: the override merged into the stock repo, keeping its mirror and keys.
    expect(await repoBlock("FreeBSD")).toEqual({
      url: '"pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/latest"', enabled: "yes", priority: "0",
      mirror_type: '"SRV"', signature_type: '"FINGERPRINTS"', fingerprints: '"/usr/share/keys/pkg"',
    });
    await noChanges(t);

    await setRepos(t, { "freebsd-latest": { name: "FreeBSD", overrideOnly: true, branch: "quarterly" } });
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({ update: 1 });
    expect((await repoBlock("FreeBSD"))!.url).toBe('"pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/quarterly"');
    await noChanges(t);

    await t.stack.destroy({ ...capture(t) });
    expect(h.exists(`${REPOS}/FreeBSD.conf`)).toBe(false);
    expect((await repoBlock("FreeBSD"))!.url).toBe('"pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/quarterly"');
  });

  it("disables the stock repository; a hand edit is drift in preview --refresh, up --refresh repairs it; destroy restores the prior file", async () => {
    const prior = "# my own override, kept by hand\nFreeBSD: { enabled: yes; priority: 2 }\n";
    await h.run(`mkdir -p ${REPOS}`);
    h.writeFile(`${REPOS}/FreeBSD.conf`, prior);
    const t = await stack({ "no-stock": { name: "FreeBSD", overrideOnly: true, enabled: false } });
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({ create: 2 });
    expect(h.readFile(`${REPOS}/FreeBSD.conf`)).toMatch(/\nFreeBSD: \{\n  enabled: no\n\}\n$/);
    expect((await repoBlock("FreeBSD"))!.enabled).toBe("no");
    expect(await h.run("pkg update")).toMatchObject({ exitCode: 1, stdout: "No repositories are enabled.\n" });
    await noChanges(t);

    // Re-quoting by hand is not drift: pkg reads the same thing.
    h.writeFile(`${REPOS}/FreeBSD.conf`, "FreeBSD {\n  ENABLED = off\n}\n");
    await noChanges(t, true);

    // A hand edit that changes what pkg reads is.
    h.writeFile(`${REPOS}/FreeBSD.conf`, "FreeBSD: { enabled: yes }\n");
    const pv = await t.stack.preview({ refresh: true, diff: true, ...capture(t) });
    expect(pv.changeSummary.update).toBe(1);
    expect(pv.stdout).toMatch(/enabled\s*:\s*true\s*=>\s*false/);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({ update: 1 });
    expect((await repoBlock("FreeBSD"))!.enabled).toBe("no");
    await noChanges(t, true);

    await t.stack.destroy({ ...capture(t) });
    expect(h.readFile(`${REPOS}/FreeBSD.conf`)).toBe(prior);
    await h.run(`rm -f ${REPOS}/FreeBSD.conf`);
  });

  it("updateAfterChange runs pkg update; a failing update names the resource, host and pkg's error, and the next up retries it", async () => {
    const mirror = { name: "mirror", url: "pkg+https://pkg.FreeBSD.org/${ABI}/latest", mirrorType: "srv", signatureType: "fingerprints", fingerprints: "/usr/share/keys/pkg", priority: 10, updateAfterChange: true };
    const t = await stack({ "mirror-repo": mirror });
    h.resetLogs();
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({ create: 2 });
    expect(h.tools().filter((x) => x.tool === "pkg").map((x) => x.argv)).toEqual([["update", "-f", "-r", "mirror"]]);
    const cat = JSON.parse(h.readFile(`${STATE}/catalogues.json`)) as Record<string, { url: string }>;
    expect(cat.mirror!.url).toBe("pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/latest");
    expect(await repoBlock("mirror")).toMatchObject({ priority: "10", mirror_type: '"SRV"' });
    h.resetLogs();
    await noChanges(t);
    expect(h.tools().filter((x) => x.tool === "pkg")).toEqual([]);

    // An unreachable url: the file change stays, the resource fails with pkg's stderr.
    const bad = { ...mirror, url: "https://mirror.example.net/${ABI}/latest" };
    await setRepos(t, { "mirror-repo": bad });
    const err = await up(t).then(() => undefined, (e: Error) => e);
    const msg = String(err?.message);
    expect(msg).toMatch(new RegExp(`PkgRepository 'mirror-repo' on root@127\\.0\\.0\\.1:${h.port}: update failed: pkg update -f -r mirror failed \\(exit 1\\)`));
    expect(msg).toContain("https://mirror.example.net/FreeBSD:14:amd64/latest/meta.conf: Connection refused");
    expect(msg).toMatch(/What to do: the repository file is written and stays/);
    expect(h.readFile(`${REPOS}/mirror.conf`)).toContain('url: "https://mirror.example.net/${ABI}/latest"');

    // Once the mirror answers, the next up only retries the update.
    const reach = JSON.parse(h.readFile(`${STATE}/reachable.json`)) as Record<string, unknown>;
    reach["https://mirror.example.net/FreeBSD:14:amd64/latest"] = { packages: 120, serial: 1 };
    h.writeFile(`${STATE}/reachable.json`, JSON.stringify(reach));
    h.resetLogs();
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({ update: 1 });
    expect(h.tools().filter((x) => x.tool === "pkg").map((x) => x.argv)).toEqual([["update", "-f", "-r", "mirror"]]);
    await noChanges(t);
    await t.stack.destroy({ ...capture(t) });
    expect(h.exists(`${REPOS}/mirror.conf`)).toBe(false);
  });

  it("a failed update on create leaves nothing behind; bad input is refused at check time naming the property", async () => {
    const t = await stack({ unreachable: { name: "nowhere", url: "pkg+https://nowhere.example/${ABI}/latest", signatureType: "fingerprints", fingerprints: "/usr/share/keys/pkg", updateAfterChange: true } });
    const err = await up(t).then(() => undefined, (e: Error) => e);
    expect(String(err?.message)).toMatch(/No address record[\s\S]*What to do: the repository file was put back as it was and the resource was not created/);
    expect(h.exists(`${REPOS}/nowhere.conf`)).toBe(false);

    const t2 = await stack({ bad: { name: "../etc/x", url: "ftp://x/y", ipVersion: 5, insecure: "fail" } });
    const e2 = String(await up(t2).then(() => undefined, (e: Error) => e.message));
    expect(e2).toMatch(/name: "\.\.\/etc\/x" is not a valid repository name/);
    expect(e2).toMatch(/url: scheme "ftp" is not one pkg accepts/);
    expect(e2).toMatch(/ipVersion: must be 4 or 6/);
    // insecure: "fail" turns the transport warning into a check failure.
    const t3 = await stack({ plain: { name: "plain", url: "http://m.example/x", signatureType: "fingerprints", fingerprints: "/usr/share/keys/pkg", insecure: "fail" } });
    const e3 = String(await up(t3).then(() => undefined, (e: Error) => e.message));
    expect(e3).toMatch(/url: repository 'plain' url "http:\/\/m\.example\/x" is not https:\/\/ or pkg\+https:\/\/.*\(insecure is "fail"\)/);
    expect(h.exists(`${REPOS}/plain.conf`)).toBe(false);
  });
});
