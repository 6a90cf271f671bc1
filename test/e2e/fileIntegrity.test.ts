/**
 * FileIntegrityBaseline end to end: the real Pulumi engine against a FreeBSD test host whose
 * mtree is Debian's mtree-netbsd (the real tool, inside the host's view).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHosts, type TestFleet, type TestHost } from "../host";
import { capture, changes, newProgramStack, up, type TestStack } from "./harness";

let fleet: TestFleet;
let host: TestHost;
const stacks: TestStack[] = [];

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { FileIntegrityBaseline } = require(PF);
const cfg = new pulumi.Config();
const b = new FileIntegrityBaseline("fim", {
  connection: { host: cfg.require("host"), port: cfg.requireNumber("port"), hostKey: cfg.require("hostKey"), privateKey: cfg.requireSecret("key") },
  name: "base",
  paths: cfg.requireObject("paths"),
  excludes: ["*.db"],
  generation: cfg.getNumber("generation") || 0,
});
module.exports = { clean: b.clean, changed: b.changed, missing: b.missing, extra: b.extra, problems: b.problems,
  generation: b.baselineGeneration, specSha256: b.specSha256 };
`;

async function stackFor(paths: string[]) {
  const t = await newProgramStack(PROGRAM, {
    config: { host: host.host, port: String(host.port), hostKey: host.hostKey, paths },
    secrets: { key: fleet.clientKey.privateKey },
  });
  stacks.push(t);
  return t;
}

/** The resource's outputs in the state (a refresh updates them; stack outputs change only on up). */
async function outputs(t: TestStack): Promise<Record<string, unknown>> {
  const state = await t.stack.exportStack();
  const res = (state.deployment.resources as { urn: string; outputs?: Record<string, unknown> }[]).find((r) => r.urn.endsWith("::fim"));
  const o = res?.outputs ?? {};
  return { ...o, generation: o.baselineGeneration };
}

const DIR = "/var/db/pulumi-freebsd/mtree/base";

beforeAll(async () => {
  fleet = await startHosts(1, [{ name: "fim" }]);
  host = fleet.hosts[0]!;
}, 120_000);

afterAll(async () => {
  for (const t of stacks) await t.dispose();
  await fleet?.stop();
});

describe("FileIntegrityBaseline with the real engine", { timeout: 600_000 }, () => {
  it("baselines /etc and /usr/local/etc, reports drift on refresh, accepts it on a generation bump", async () => {
    const t = await stackFor(["/etc", "/usr/local/etc"]);
    const first = await up(t);
    expect(changes(first.summary.resourceChanges)).toEqual({ create: 2 });
    expect((await host.run(`stat -c '%a %u' ${DIR} ${DIR}/etc.mtree ${DIR}/usr%local%etc.mtree`)).stdout).toBe("700 0\n600 0\n600 0\n");
    expect(host.readFile(`${DIR}/etc.mtree`)).toMatch(/^#pulumi-freebsd FileIntegrityBaseline name=base root=\/etc generation=0 /);
    expect(await outputs(t)).toMatchObject({ clean: true, changed: [], missing: [], extra: [], problems: [], generation: 0 });
    const sha0 = (await outputs(t)).specSha256 as Record<string, string>;

    // Second up, with and without refresh: nothing to do.
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});

    // Drift by hand: a changed file, an added one, a removed one.
    await host.run("echo 'sshd_flags=\"-o PermitRootLogin=yes\"' >> /etc/rc.conf && echo evil > /etc/evil.conf && rm /usr/local/etc/rc.d/nginx && echo x > /etc/ignored.db");
    const pv = await t.stack.preview({ refresh: true, diff: true, ...capture(t) });
    expect(pv.changeSummary.update).toBe(1);

    await t.stack.refresh({ ...capture(t) });
    const drift = await outputs(t);
    expect(drift).toMatchObject({
      clean: false,
      changed: [{ path: "/etc/rc.conf", keywords: ["sha256digest", "size"] }],
      missing: ["/usr/local/etc/rc.d/nginx"],
      extra: ["/etc/evil.conf"],
      problems: [],
    });

    // A plain up records the drift and keeps the baseline; then it is stable.
    const recorded = await up(t, { refresh: true });
    expect(changes(recorded.summary.resourceChanges)).toEqual({ update: 1 });
    expect((await outputs(t)).specSha256).toEqual(sha0);
    expect(JSON.parse(host.readFile(`${DIR}/last-report.json`))).toMatchObject({ extra: ["/etc/evil.conf"] });
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

    // Bumping generation accepts the trees as they are now.
    await t.stack.setConfig("generation", { value: "1" });
    const accepted = await up(t, { refresh: true });
    expect(changes(accepted.summary.resourceChanges)).toEqual({ update: 1 });
    const after = await outputs(t);
    expect(after).toMatchObject({ clean: true, changed: [], missing: [], extra: [], generation: 1 });
    expect(after.specSha256).not.toEqual(sha0);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});
    expect(changes((await up(t)).summary.resourceChanges)).toEqual({});

    // A tampered spec is itself reported, and never silently re-accepted by a plain up.
    await host.run(`sed -i '/evil.conf/d' ${DIR}/etc.mtree`);
    await t.stack.refresh({ ...capture(t) });
    const tampered = await outputs(t);
    expect(tampered.clean).toBe(false);
    expect(tampered.problems).toEqual([expect.stringMatching(/^\/etc: the spec etc\.mtree was modified since the baseline/)]);
    expect(tampered.extra).toEqual(["/etc/evil.conf"]);
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({ update: 1 });
    expect(changes((await up(t, { refresh: true })).summary.resourceChanges)).toEqual({});
    expect((await outputs(t)).problems).toHaveLength(1);

    // Destroy removes the specs, the report and the folder.
    await t.stack.destroy({ ...capture(t) });
    expect(host.exists(DIR)).toBe(false);
    await host.run("rm -f /etc/evil.conf /etc/ignored.db");
  });

  it("a path outside the allowed roots is rejected at check time, naming the property and the rule", async () => {
    const t = await stackFor(["/etc", "/var/log"]);
    const err = await up(t).then(() => undefined, (e: Error) => e);
    expect(String(err?.message)).toMatch(/paths\[1\]: "\/var\/log" is outside the allowed roots/);
    expect(host.exists(DIR)).toBe(false);
  });
});
