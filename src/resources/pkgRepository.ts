import * as pulumi from "@pulumi/pulumi";
import { insecureFindings } from "../kinds/pkgRepository/schema";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

export { freebsdPkgUrl, withPkgBranch } from "../kinds/pkgRepository/urls";

/** Inputs of {@link PkgRepository}. */
export interface PkgRepositoryArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /**
   * The repository name: the top-level key and the file `/usr/local/etc/pkg/repos/NAME.conf`.
   * Letters, digits and `_ . -`, not starting with `.`. Changing it replaces the resource.
   */
  name: pulumi.Input<string>;
  /**
   * Write only the settings given, to override a repository defined earlier (typically the stock
   * `FreeBSD` one in /etc/pkg/FreeBSD.conf): `{ name: "FreeBSD", overrideOnly: true, enabled: false }`
   * writes `FreeBSD: { enabled: no }`. Without it (the default) the file is a full definition:
   * `url` is required and `enabled: yes` is written unless `enabled` says otherwise.
   * Note that pkg resets an overridden repository's priority to 0 unless the override gives one.
   */
  overrideOnly?: pulumi.Input<boolean>;
  /** `url`: scheme pkg+http, pkg+https, https, http, file, ssh or tcp; `${ABI}` and friends are expanded by pkg. */
  url?: pulumi.Input<string>;
  /** `mirror_type`: "srv", "http" or "none". */
  mirrorType?: pulumi.Input<"srv" | "http" | "none">;
  /** `signature_type`: "none", "fingerprints" or "pubkey". A full definition without it is unsigned. */
  signatureType?: pulumi.Input<"none" | "fingerprints" | "pubkey">;
  /** `fingerprints`: a folder holding trusted/ and revoked/ (the stock one is /usr/share/keys/pkg). */
  fingerprints?: pulumi.Input<string>;
  /** `pubkey`: path of the repository's public key. */
  pubkey?: pulumi.Input<string>;
  /** `enabled` (written yes/no). */
  enabled?: pulumi.Input<boolean>;
  /** `priority`: an integer, higher is preferred. */
  priority?: pulumi.Input<number>;
  /** `ip_version`: 4 or 6. */
  ipVersion?: pulumi.Input<4 | 6>;
  /** `env`: environment variables for fetching (HTTP_PROXY…). */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Run `pkg update -f -r NAME` after the file changes (not for a disabled repository), default
   * false. A failure fails the resource with pkg's stderr; on an update the file stays and the
   * next `pulumi up` retries the update; on a create the file is put back as it was.
   */
  updateAfterChange?: pulumi.Input<boolean>;
  /** For an unsigned repository or a url that is not https/pkg+https/file: "warn" (default) or "fail" at check time. */
  insecure?: pulumi.Input<"warn" | "fail">;
  /** Mode of the file when the resource creates it, default "0644". */
  mode?: pulumi.Input<string>;
  /** Owner of the file when the resource creates it, default "0:0". */
  owner?: pulumi.Input<string>;
}

/** The settings pkg reads from the file, as observed (only the keys the file has). */
export interface PkgRepositorySettings {
  url?: string;
  mirrorType?: "srv" | "http" | "none";
  signatureType?: "none" | "fingerprints" | "pubkey";
  fingerprints?: string;
  pubkey?: string;
  enabled?: boolean;
  priority?: number;
  ipVersion?: number;
  env?: Record<string, string>;
}

/**
 * One pkg repository file, `/usr/local/etc/pkg/repos/NAME.conf`, owned whole by the resource and
 * written canonically in UCL. Drift is whatever pkg would read differently (a changed value,
 * another repository or an unmanaged key in the file); re-quoting or comments are not drift.
 * A file the resource cannot parse is refused, never overwritten. On delete the file that was
 * there before is put back byte for byte, or the file is removed if the resource created it.
 *
 * @example
 * // Switch the stock repository from quarterly to latest, keeping its other settings:
 * new PkgRepository("latest", { connection, name: "FreeBSD", overrideOnly: true, url: freebsdPkgUrl("latest") });
 * // Or turn it off in favour of a local mirror:
 * new PkgRepository("no-stock", { connection, name: "FreeBSD", overrideOnly: true, enabled: false });
 */
export class PkgRepository extends pulumi.dynamic.Resource {
  /** The file on the host. */
  declare readonly path: pulumi.Output<string>;
  /** The whole file as observed, so previews show a text diff. */
  declare readonly content: pulumi.Output<string>;
  /** "file", "absent", "symlink" or "other". */
  declare readonly fileState: pulumi.Output<string>;
  /** What pkg reads for this repository from the file; null when the file is absent or unreadable. */
  declare readonly observed: pulumi.Output<PkgRepositorySettings | null>;
  /** Other repositories defined in the file (drift: the next up removes them). */
  declare readonly otherRepos: pulumi.Output<string[]>;
  /** Values pkg would reject, duplicates and unmanaged keys found in the file. */
  declare readonly problems: pulumi.Output<string[]>;
  /** Why the file could not be parsed, or null. */
  declare readonly parseError: pulumi.Output<string | null>;
  /** Whether a file was there before the resource first wrote it. */
  declare readonly priorExists: pulumi.Output<boolean>;
  /** That file's exact text, put back byte for byte on delete (null: none, delete removes the file). */
  declare readonly priorContent: pulumi.Output<string | null>;
  /** SHA-256 of the file for which the last `pkg update -f` succeeded (updateAfterChange). */
  declare readonly updatedFor: pulumi.Output<string | null>;
  /** Insecure settings in use (unsigned, plain-text transport). */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: PkgRepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      name: args.name,
      overrideOnly: args.overrideOnly,
      url: args.url,
      mirrorType: args.mirrorType,
      signatureType: args.signatureType,
      fingerprints: args.fingerprints,
      pubkey: args.pubkey,
      enabled: args.enabled,
      priority: args.priority,
      ipVersion: args.ipVersion,
      env: args.env,
      updateAfterChange: args.updateAfterChange,
      insecure: args.insecure,
      mode: args.mode,
      owner: args.owner,
      path: undefined,
      content: undefined,
      fileState: undefined,
      observed: undefined,
      otherRepos: undefined,
      problems: undefined,
      parseError: undefined,
      priorExists: undefined,
      priorContent: undefined,
      updatedFor: undefined,
      warnings: undefined,
    };
    super(providerFor("PkgRepository") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "PkgRepository");
    pulumi.all([args.name, args.url, args.signatureType, args.overrideOnly, args.insecure]).apply(([n, url, sig, only, mode]) => {
      if (mode === "fail") return; // check fails instead
      for (const f of insecureFindings({ name: n, url, signatureType: sig, overrideOnly: only ?? false })) pulumi.log.warn(f.message, this);
    });
  }
}
