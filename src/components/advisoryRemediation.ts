/**
 * AdvisoryRemediation: the runbook for one security advisory as one component —
 * boot environment snapshot → affected package(s) upgraded to the fixed version (locked if asked)
 * → optional service restart → the VulnerabilityAudit gate, ordered with dependsOn.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../resources/connection";
import { Package, type SnapshotBeforeChangeArgs } from "../resources/package";
import { ServiceRestart } from "../resources/serviceRestart";
import { VulnerabilityAudit } from "../resources/vulnerabilityAudit";

/** One affected package and the version that fixes it. */
export interface AffectedPackage {
  /** Package name or origin. */
  name: string;
  /** The fixed version (the advisory's `<lt>` bound): the package is upgraded to at least this. */
  fixedVersion: string;
}

/** Inputs of {@link AdvisoryRemediation}. */
export interface AdvisoryRemediationArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /** The affected packages. */
  packages: AffectedPackage[];
  /** Keep the upgraded packages locked afterwards, default false. */
  lock?: boolean;
  /** Boot environment before the upgrade; default `{}` (template "pre-<package>-<yyyymmdd>", warn without ZFS). `false`: none. */
  snapshot?: SnapshotBeforeChangeArgs | false;
  /** Install from this repository. */
  repository?: pulumi.Input<string>;
  /** rc.d services to restart after the upgrade (restarted again whenever the installed version changes). */
  restartServices?: string[];
  /** The audit gate: `failOn` (default: the affected packages' names) and the database. */
  audit?: { failOn?: "any" | "none" | string[]; vulnXml?: string; fetch?: boolean };
}

/**
 * The remediation steps for one advisory on one host.
 *
 * @example
 * new AdvisoryRemediation("web1-heartbeat", {
 *   connection, packages: [{ name: "heartbeat", fixedVersion: "3.0.6_4" }], lock: true,
 *   restartServices: ["heartbeat"],
 * });
 */
export class AdvisoryRemediation extends pulumi.ComponentResource {
  /** The Package resources, by package name. */
  readonly packages: Record<string, Package>;
  /** The service restarts. */
  readonly restarts: ServiceRestart[];
  /** The gate. */
  readonly audit: VulnerabilityAudit;
  /** The upgraded versions, by package name. */
  readonly installedVersions: pulumi.Output<Record<string, string | null>>;

  constructor(name: string, args: AdvisoryRemediationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("freebsd:index:AdvisoryRemediation", name, {}, opts);
    const parent = { parent: this };
    this.packages = {};
    for (const p of args.packages) {
      const slug = p.name.replace(/[^A-Za-z0-9_.-]/g, "-");
      this.packages[p.name] = new Package(`${name}-${slug}`, {
        connection: args.connection,
        name: p.name,
        minVersion: p.fixedVersion,
        ...(args.repository !== undefined ? { repository: args.repository } : {}),
        ...(args.lock ? { locked: true } : {}),
        ...(args.snapshot === false ? {} : { snapshotBeforeChange: args.snapshot ?? {} }),
      }, parent);
    }
    const pkgs = Object.values(this.packages);
    const trigger = pulumi.all(pkgs.map((p) => p.installedVersion)).apply((vs) => vs.map((v) => v ?? "").join(" "));
    this.restarts = (args.restartServices ?? []).map(
      (service) => new ServiceRestart(`${name}-restart-${service}`, { connection: args.connection, service, trigger }, { ...parent, dependsOn: pkgs }),
    );
    const a = args.audit ?? {};
    this.audit = new VulnerabilityAudit(`${name}-audit`, {
      connection: args.connection,
      failOn: a.failOn ?? args.packages.map((p) => p.name.split("/").pop()!.split("@")[0]!),
      ...(a.vulnXml !== undefined ? { vulnXml: a.vulnXml } : {}),
      ...(a.fetch !== undefined ? { fetch: a.fetch } : {}),
    }, { ...parent, dependsOn: [...pkgs, ...this.restarts] });
    this.installedVersions = pulumi.all(Object.entries(this.packages).map(([n, p]) => p.installedVersion.apply((v) => [n, v] as const)))
      .apply((e) => Object.fromEntries(e));
    this.registerOutputs({ installedVersions: this.installedVersions });
  }
}
