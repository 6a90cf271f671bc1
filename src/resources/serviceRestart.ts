import * as pulumi from "@pulumi/pulumi";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

/** Inputs of {@link ServiceRestart}. */
export interface ServiceRestartArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /** The rc.d service, e.g. "nginx". */
  service: pulumi.Input<string>;
  /** A value whose change restarts the service, typically a Package's installedVersion. */
  trigger: pulumi.Input<string>;
  /** Restart when the resource is created, default true. */
  restartOnCreate?: pulumi.Input<boolean>;
}

/**
 * `service NAME restart` when `trigger` changes. A small dynamic kind instead of @pulumi/command's
 * `remote.Command`, whose provider plugin cannot be built offline here (the Go module proxy
 * refuses github.com/pulumi/pulumi-command with 403); it also reuses the pooled SSH connection.
 */
export class ServiceRestart extends pulumi.dynamic.Resource {
  /** The trigger value the last restart ran for. */
  declare readonly lastTrigger: pulumi.Output<string | null>;

  constructor(name: string, args: ServiceRestartArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      service: args.service,
      trigger: args.trigger,
      restartOnCreate: args.restartOnCreate,
      lastTrigger: undefined,
    };
    super(providerFor("ServiceRestart") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "ServiceRestart");
  }
}
