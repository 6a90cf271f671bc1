/**
 * The setup the package e2e files share: one inline program that declares Package,
 * VulnerabilityAudit, ServiceRestart, AdvisoryRemediation and PackageLock resources from the
 * stack config (`hosts`, `resources`), and helpers to make stacks of it and preview them.
 */
import type { TestFleet } from "../host";
import { capture, newProgramStack, type TestStack } from "./harness";

export const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const F = require(PF);
const cfg = new pulumi.Config();
const hosts = cfg.requireObject("hosts");
const key = cfg.requireSecret("key");
const made = {};
for (const r of cfg.requireObject("resources")) {
  const h = hosts[r.host];
  const args = { connection: { host: h.host, port: h.port, hostKey: h.hostKey, privateKey: key }, ...r.args };
  const opts = r.dependsOn ? { dependsOn: r.dependsOn.map((n) => made[n]) } : {};
  let x;
  if (r.type === "Package") {
    x = new F.Package(r.name, args, opts);
    exports[r.name] = { installedVersion: x.installedVersion, locked: x.locked, previousVersion: x.previousVersion,
      bootEnvironment: x.bootEnvironment, vulnerabilities: x.vulnerabilities, origin: x.origin, repository: x.repository };
  } else if (r.type === "VulnerabilityAudit") {
    x = new F.VulnerabilityAudit(r.name, args, opts);
    exports[r.name] = { vulnerableCount: x.vulnerableCount, blockingPackages: x.blockingPackages, vulnerablePackages: x.vulnerablePackages };
  } else if (r.type === "ServiceRestart") {
    x = new F.ServiceRestart(r.name, { ...args, trigger: made[r.triggerFrom].installedVersion.apply((v) => v || "") }, opts);
    exports[r.name] = { lastTrigger: x.lastTrigger };
  } else if (r.type === "AdvisoryRemediation") {
    x = new F.AdvisoryRemediation(r.name, args, opts);
    exports[r.name] = { installedVersions: x.installedVersions, vulnerableCount: x.audit.vulnerableCount };
  } else if (r.type === "PackageLock") {
    x = new F.PackageLock(r.name, args, opts);
    exports[r.name] = { lockedPackages: x.lockedPackages };
  }
  made[r.name] = x;
}
`;

/** One resource of the program, by type, on host number `host`. */
export interface Decl {
  type: string;
  name: string;
  host: number;
  args: Record<string, unknown>;
  dependsOn?: string[];
  triggerFrom?: string;
}

/** A stack of {@link PROGRAM} over the fleet's hosts; it is added to `stacks` for disposal. */
export async function stackFor(fleet: TestFleet, stacks: TestStack[], resources: Decl[]): Promise<TestStack> {
  const hosts = fleet.hosts.map((h) => ({ host: h.host, port: h.port, hostKey: h.hostKey }));
  const t = await newProgramStack(PROGRAM, { config: { hosts, resources }, secrets: { key: fleet.clientKey.privateKey } });
  stacks.push(t);
  return t;
}

/** Replaces the declared resources of a stack. */
export const setResources = (t: TestStack, r: Decl[]) => t.stack.setConfig("resources", { value: JSON.stringify(r) });

/** The planned ops of one preview (refresh steps left out), sorted, and its output. */
export async function previewOps(t: TestStack, refresh: boolean): Promise<{ ops: string[]; stdout: string }> {
  const ops: string[] = [];
  const pv = await t.stack.preview({
    refresh,
    diff: true,
    ...capture(t),
    onEvent: (e) => {
      t.events.push(e);
      const m = e.resourcePreEvent?.metadata;
      if (m && m.type.includes("dynamic") && m.op !== "refresh" && m.op !== "same") ops.push(`${m.op} ${m.urn.split("::").pop()}`);
    },
  });
  return { ops: ops.sort(), stdout: pv.stdout };
}

