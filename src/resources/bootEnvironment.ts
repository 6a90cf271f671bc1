import * as pulumi from "@pulumi/pulumi";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

export { bootEnvironmentName, BootEnvironmentNameError, type BootEnvironmentNameValues } from "../kinds/bootEnvironment/name";

/** Inputs of {@link BootEnvironment}. */
export interface BootEnvironmentArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /**
   * The boot environment's name: letters, digits and . _ - (no spaces, `/` or `@`; not starting
   * with `-`), at most 244 characters. Changing it replaces the resource. See
   * {@link bootEnvironmentName} for names such as "pre-nginx-20241001".
   */
  name: pulumi.Input<string>;
  /**
   * "none" (default: activation is left alone), "permanent" (`bectl activate`: booted on every
   * reboot from now on) or "nextBoot" (`bectl activate -t`: booted once, on the next reboot).
   * "nextBoot" counts as done once the host runs the boot environment. A permanent activation
   * can only be undone by activating another boot environment.
   */
  activate?: pulumi.Input<"none" | "permanent" | "nextBoot">;
  /**
   * What to clone when the boot environment is created (`bectl create -e`): another boot
   * environment, or "beName@snapshot". Default: the running one. Used only at creation.
   */
  source?: pulumi.Input<string>;
  /** On delete, also destroy the origin snapshot (`bectl destroy -o`). Default false. */
  destroyOrigin?: pulumi.Input<boolean>;
  /**
   * On a host without a ZFS root: "fail" (default) with an error naming host and resource, or
   * "warn": the resource succeeds, records that nothing was created and warns on every up.
   */
  onMissingZfs?: pulumi.Input<"fail" | "warn">;
}

/**
 * A ZFS boot environment, managed with bectl(8): created from the running system (or `source`)
 * unless one of that name exists already, which is adopted; activated as declared. Refresh
 * shows a boot environment destroyed by hand as gone, and a changed activation as an update of
 * `activate`.
 *
 * **Delete destroys it** (`bectl destroy`, with `-o` when `destroyOrigin`), adopted ones too,
 * after removing a one-time activation pointing at it. The running (N) or next-reboot (R) boot
 * environment is never destroyed: delete fails, naming it and what to do. Use Pulumi's
 * `retainOnDelete` to keep it instead.
 *
 * @example
 * new BootEnvironment("web1-pre-nginx", {
 *   connection: { host: "web1.example.org", privateKey, hostKey: "ssh-ed25519 AAAA…" },
 *   name: bootEnvironmentName("pre-<package>-<yyyymmdd>", { package: "nginx" }),
 *   activate: "nextBoot",
 * });
 */
export class BootEnvironment extends pulumi.dynamic.Resource {
  /** The boot environment's name. */
  declare readonly name: pulumi.Output<string>;
  /** The declared activation ("none", "permanent", "nextBoot"). */
  declare readonly activate: pulumi.Output<string>;
  /** Whether the host has a ZFS root (false only with onMissingZfs "warn"). */
  declare readonly zfsRoot: pulumi.Output<boolean>;
  /** Whether the boot environment exists on the host. */
  declare readonly exists: pulumi.Output<boolean>;
  /** bectl's Active letters: N (running now), R (on reboot), T (next boot only); "" for none. */
  declare readonly active: pulumi.Output<string>;
  /** Running now (N). */
  declare readonly activeNow: pulumi.Output<boolean>;
  /** Booted on reboot (R). */
  declare readonly activeOnReboot: pulumi.Output<boolean>;
  /** Booted on the next boot only (T). */
  declare readonly activeNextBoot: pulumi.Output<boolean>;
  /** Where it is mounted, or null. */
  declare readonly mountpoint: pulumi.Output<string | null>;
  /** Space as bectl shows it ("8.80M"), or null. */
  declare readonly space: pulumi.Output<string | null>;
  /** Creation time as bectl shows it ("YYYY-MM-DD HH:MM", host local time), or null. */
  declare readonly created: pulumi.Output<string | null>;
  /** The boot environment the host runs now. */
  declare readonly runningBootEnvironment: pulumi.Output<string | null>;
  /** Whether it existed before this resource (it was adopted, not created). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Warnings, e.g. that nothing was created on a host without ZFS. */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: BootEnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      name: args.name,
      activate: args.activate,
      source: args.source,
      destroyOrigin: args.destroyOrigin,
      onMissingZfs: args.onMissingZfs,
      zfsRoot: undefined,
      exists: undefined,
      active: undefined,
      activeNow: undefined,
      activeOnReboot: undefined,
      activeNextBoot: undefined,
      mountpoint: undefined,
      space: undefined,
      created: undefined,
      runningBootEnvironment: undefined,
      adopted: undefined,
      warnings: undefined,
    };
    super(providerFor("BootEnvironment") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "BootEnvironment");
    // Only the provider can tell a host has no ZFS; its outputs carry that, warned here as a real warning.
    this.warnings.apply((ws) => {
      for (const w of ws ?? []) pulumi.log.warn(w, this);
    });
  }
}
