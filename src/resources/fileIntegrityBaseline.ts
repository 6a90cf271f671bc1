import * as pulumi from "@pulumi/pulumi";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

/** Inputs of {@link FileIntegrityBaseline}. */
export interface FileIntegrityBaselineArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /**
   * Names the baseline's folder on the host, `/var/db/pulumi-freebsd/mtree/<name>/`: 1-64
   * letters, digits and `. _ -`. Changing it replaces the resource.
   */
  name: pulumi.Input<string>;
  /**
   * The trees to baseline, absolute directory paths at or under an allowed root (/etc, /boot,
   * /bin, /sbin, /lib, /libexec, /root, /usr/{bin,sbin,lib,libexec},
   * /usr/local/{etc,bin,sbin,lib,libexec}); none inside another.
   */
  paths: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * mtree keywords (`-k`), default type, uid, gid, mode, size, link, sha256digest. `type` is
   * always included. Changing them takes a new baseline, refused while the trees have drift
   * unless `generation` is bumped too.
   */
  keywords?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * fnmatch(3) patterns to leave out (`-X`): without `/` a pattern matches file names anywhere
   * (`*.db`); with `/` it is an absolute path under one of `paths` (`/etc/ssh/ssh_host_*`).
   */
  excludes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Bump it (default 0) to accept the trees as they are now as the new baseline. */
  generation?: pulumi.Input<number>;
  /** When true, `pulumi up` fails with a listing while the trees do not match, instead of recording it. */
  failOnDrift?: pulumi.Input<boolean>;
}

/** A path that differs from the baseline. */
export interface ChangedPathOutput {
  path: string;
  /** The mtree keywords that differ (`sha256digest`, `mode`, `uid`…). */
  keywords: string[];
}

/**
 * An mtree(8) baseline of system trees, stored on the host (one spec per tree, mode 0600, under
 * /var/db/pulumi-freebsd/mtree/<name>/). Every refresh runs `mtree -f spec -p tree` and puts the
 * changed, missing and extra paths in the outputs, so `pulumi preview --refresh` is a drift
 * report. `up` never re-baselines by itself: it records the drift (a second `up` then changes
 * nothing) or, with `failOnDrift`, fails; bumping `generation` accepts the trees as they are.
 * A spec whose SHA-256 is not the one it was written with is reported under `problems`.
 * Delete removes the specs and the report.
 *
 * @example
 * new FileIntegrityBaseline("web1-etc", {
 *   connection: { host: "web1.example.org", privateKey, hostKey: "ssh-ed25519 AAAA…" },
 *   name: "etc",
 *   paths: ["/etc", "/usr/local/etc"],
 *   excludes: ["/etc/ssh/ssh_host_*", "*.db"],
 *   generation: 1,
 * });
 */
export class FileIntegrityBaseline extends pulumi.dynamic.Resource {
  /** The folder on the host that holds the specs. */
  declare readonly specDir: pulumi.Output<string>;
  /** True when every tree matches its baseline and no spec was tampered with. */
  declare readonly clean: pulumi.Output<boolean>;
  /** Paths whose attributes differ, with the differing keywords. */
  declare readonly changed: pulumi.Output<ChangedPathOutput[]>;
  /** Paths in the baseline that are gone (a missing directory's contents are listed too). */
  declare readonly missing: pulumi.Output<string[]>;
  /** Paths not in the baseline (an extra directory is listed, not its contents). */
  declare readonly extra: pulumi.Output<string[]>;
  /** A modified or missing spec, a missing tree, an mtree failure. */
  declare readonly problems: pulumi.Output<string[]>;
  /** Each tree's spec SHA-256 as observed (null: no spec). */
  declare readonly specSha256: pulumi.Output<Record<string, string | null>>;
  /** Each tree's spec SHA-256 as this resource wrote it. */
  declare readonly acceptedSpecSha256: pulumi.Output<Record<string, string>>;
  /** The generation of the accepted baseline. */
  declare readonly baselineGeneration: pulumi.Output<number>;
  /** Per tree: spec file, states, and the spec's header (generation, created, keywords, excludes). */
  declare readonly specs: pulumi.Output<Record<string, unknown>[]>;
  /** The drift report the last `up` recorded on the host (JSON), null when none. */
  declare readonly lastReport: pulumi.Output<string | null>;

  constructor(name: string, args: FileIntegrityBaselineArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      name: args.name,
      paths: args.paths,
      keywords: args.keywords,
      excludes: args.excludes,
      generation: args.generation,
      failOnDrift: args.failOnDrift,
      specDir: undefined,
      dirState: undefined,
      clean: undefined,
      changed: undefined,
      missing: undefined,
      extra: undefined,
      problems: undefined,
      specs: undefined,
      specSha256: undefined,
      acceptedSpecSha256: undefined,
      baselineGeneration: undefined,
      baselineKeywords: undefined,
      baselineExcludes: undefined,
      lastReport: undefined,
      lastReportSha256: undefined,
      staleSpecs: undefined,
    };
    super(providerFor("FileIntegrityBaseline") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "FileIntegrityBaseline");
  }
}
