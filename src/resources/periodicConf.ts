import * as pulumi from "@pulumi/pulumi";
import { obsoleteWarnings } from "../kinds/periodicConf/obsolete";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

/** Inputs of {@link PeriodicConf}. */
export interface PeriodicConfArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /** The rc-style file, default "/etc/periodic.conf"; e.g. "/etc/rc.conf.d/sshd". Changing it replaces the resource. */
  path?: pulumi.Input<string>;
  /** Variables to manage. Booleans are written YES/NO and match any spelling checkyesno accepts. */
  values: pulumi.Input<Record<string, pulumi.Input<string | boolean | number>>>;
  /** Mode of the file when the resource creates it, default "0644". An existing file keeps its own. */
  mode?: pulumi.Input<string>;
  /** Owner of the file when the resource creates it, default "0:0" (root:wheel). */
  owner?: pulumi.Input<string>;
}

/**
 * Variables in /etc/periodic.conf (or any rc.conf-style file) with sysrc's semantics: the last
 * assignment wins and quoting is not drift. Every other line survives byte for byte; writes are
 * atomic. On delete each variable gets back the value it had before (or is removed if it had
 * none), and a file the resource created is removed if nothing else was added to it.
 *
 * @example
 * new PeriodicConf("daily-audit", {
 *   connection: { host: "web1.example.org", privateKey, hostKey: "ssh-ed25519 AAAA…" },
 *   values: { security_status_pkgaudit_enable: true, security_status_pkgaudit_quiet: true },
 * });
 */
export class PeriodicConf extends pulumi.dynamic.Resource {
  /** The file's path on the host. */
  declare readonly path: pulumi.Output<string>;
  /** The managed variables as found on the host (the declared values after an up). */
  declare readonly values: pulumi.Output<Record<string, string | boolean | number>>;
  /** Each managed variable's value on the host (null: not set), as text. */
  declare readonly observed: pulumi.Output<Record<string, string | null>>;
  /** The whole file as observed, so previews show the change as a text diff. */
  declare readonly content: pulumi.Output<string>;
  /** "file", "absent", "symlink" or "other". */
  declare readonly fileState: pulumi.Output<string>;
  /** Each managed variable's value before this resource took it over (null: not set). */
  declare readonly priorValues: pulumi.Output<Record<string, string | null>>;
  /** Whether the file existed before this resource first wrote it. */
  declare readonly priorExists: pulumi.Output<boolean>;
  /** Obsolete knob names in use, with their replacements. */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: PeriodicConfArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      path: args.path,
      values: args.values,
      mode: args.mode,
      owner: args.owner,
      observed: undefined,
      content: undefined,
      fileState: undefined,
      priorValues: undefined,
      priorExists: undefined,
      warnings: undefined,
    };
    super(providerFor("PeriodicConf") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "PeriodicConf");
    pulumi.output(args.values).apply((values) => {
      for (const w of obsoleteWarnings(Object.keys(values ?? {}))) pulumi.log.warn(w, this);
    });
  }
}
