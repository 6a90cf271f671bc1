import * as pulumi from "@pulumi/pulumi";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

/** Inputs of {@link PackageLock}. */
export interface PackageLockArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /** Package names or origins. Each must be installed. */
  packages: pulumi.Input<pulumi.Input<string>[]>;
  /** true (default): keep them locked; false: keep them unlocked. */
  locked?: pulumi.Input<boolean>;
}

/**
 * `pkg lock` on named packages without managing their versions; a refresh shows drift when
 * someone unlocks one by hand. Delete gives each package back the lock state it had before.
 */
export class PackageLock extends pulumi.dynamic.Resource {
  /** Each package as found: `{ name, locked }`, or null when not installed. */
  declare readonly states: pulumi.Output<Record<string, { name: string; locked: boolean } | null>>;
  /** The declared packages that are locked on the host. */
  declare readonly lockedPackages: pulumi.Output<string[]>;

  constructor(name: string, args: PackageLockArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      packages: args.packages,
      locked: args.locked,
      states: undefined,
      lockedPackages: undefined,
      priorLocked: undefined,
    };
    super(providerFor("PackageLock") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "PackageLock");
  }
}
