import * as pulumi from "@pulumi/pulumi";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

/** A boot environment created before an upgrade, downgrade or removal. */
export interface SnapshotBeforeChangeArgs {
  /** Name template, default "pre-<package>-<yyyymmdd>" (placeholders: <package> <version> <yyyymmdd> <yyyy> <mm> <dd>). */
  template?: pulumi.Input<string>;
  /** On a host whose root is not ZFS: "warn" (default: change without a snapshot) or "fail". */
  onMissingZfs?: pulumi.Input<"warn" | "fail">;
}

/** Inputs of {@link Package}. */
export interface PackageArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /** A package name ("nginx") or origin ("www/nginx"). Changing it replaces the resource. */
  name: pulumi.Input<string>;
  /** "present" (default), "latest" (the newest the catalogue offers) or "absent". */
  ensure?: pulumi.Input<"present" | "latest" | "absent">;
  /** Exactly this version: upgrades or downgrades (from the repository or a cached .pkg in /var/cache/pkg). */
  version?: pulumi.Input<string>;
  /** At least this version, the usual form of a security fix. Not with `version`. */
  minVersion?: pulumi.Input<string>;
  /** Install from this repository (`pkg install -r`). */
  repository?: pulumi.Input<string>;
  /** true: keep it locked (unlocked for a change, then locked again); false: keep it unlocked; unset: leave as is. */
  locked?: pulumi.Input<boolean>;
  /** Reinstall (`-f`) when `pkg check -s` finds altered files. */
  reinstallOnIntegrityFailure?: pulumi.Input<boolean>;
  /** Create a boot environment (bectl create) before any upgrade, downgrade or removal. */
  snapshotBeforeChange?: pulumi.Input<SnapshotBeforeChangeArgs>;
}

/** One vulnerability `pkg audit` reports for the installed version. */
export interface PackageVulnerabilityOutput {
  topic: string;
  cves: string[];
  vuxmlId: string | null;
  url: string | null;
}

/**
 * One FreeBSD package: present, at an exact version, at least a version, the newest, or absent;
 * optionally locked. State is queried (`pkg query`, `pkg rquery`), never guessed from exit codes;
 * every Package and PackageLock on a host share one installed-set query per run. Delete leaves the
 * package installed (use `ensure: "absent"` to remove it).
 *
 * @example
 * new Package("web1-heartbeat", { connection, name: "heartbeat", minVersion: "3.0.6_4", locked: true,
 *   snapshotBeforeChange: {} });
 */
export class Package extends pulumi.dynamic.Resource {
  /** The installed version, null when not installed. */
  declare readonly installedVersion: pulumi.Output<string | null>;
  /** The installed package's name (useful when `name` is an origin). */
  declare readonly installedName: pulumi.Output<string | null>;
  /** The port origin, e.g. "www/nginx". */
  declare readonly origin: pulumi.Output<string | null>;
  /** The repository the installed package came from ("unknown-repository" for local files). */
  declare readonly repository: pulumi.Output<string | null>;
  /** Whether the package is locked. */
  declare readonly locked: pulumi.Output<boolean>;
  /** The version before the last change this resource made. */
  declare readonly previousVersion: pulumi.Output<string | null>;
  /** The newest version the catalogue offers, when it was asked (ensure "latest", an unmet minVersion). */
  declare readonly availableVersion: pulumi.Output<string | null>;
  /** `pkg audit` findings for the installed version, from pkg's own database (null: the audit could not run). */
  declare readonly vulnerabilities: pulumi.Output<PackageVulnerabilityOutput[] | null>;
  /** The boot environment created before the last change. */
  declare readonly bootEnvironment: pulumi.Output<string | null>;
  /** "ok" or "altered" (only with reinstallOnIntegrityFailure). */
  declare readonly integrity: pulumi.Output<string | null>;

  constructor(name: string, args: PackageArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      name: args.name,
      ensure: args.ensure,
      version: args.version,
      minVersion: args.minVersion,
      repository: args.repository,
      locked: args.locked,
      reinstallOnIntegrityFailure: args.reinstallOnIntegrityFailure,
      snapshotBeforeChange: args.snapshotBeforeChange,
      installedVersion: undefined,
      installedName: undefined,
      origin: undefined,
      previousVersion: undefined,
      availableVersion: undefined,
      vulnerabilities: undefined,
      bootEnvironment: undefined,
      integrity: undefined,
    };
    super(providerFor("Package") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "Package");
  }
}
