import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../resources/connection";
import { PeriodicConf } from "../resources/periodicConf";
import { securityAuditValues, type SecurityAuditSettings } from "./securityAudit";

/** Inputs of {@link DailySecurityAudit}. */
export interface DailySecurityAuditArgs {
  connection: pulumi.Input<ConnectionArgs>;
  /** Typed settings; see {@link SecurityAuditSettings}. */
  settings: SecurityAuditSettings;
  /** Knobs by name, e.g. from an old runbook; obsolete names are mapped with a warning. */
  legacy?: Record<string, string | boolean | number>;
  /** Default /etc/periodic.conf. */
  path?: pulumi.Input<string>;
}

/**
 * The daily security audit of one host as a component: a {@link PeriodicConf} holding the
 * preset's knobs. Same delete semantics (prior values come back).
 */
export class DailySecurityAudit extends pulumi.ComponentResource {
  /** The underlying PeriodicConf. */
  readonly conf: PeriodicConf;
  /** The file as observed. */
  readonly content: pulumi.Output<string>;

  constructor(name: string, args: DailySecurityAuditArgs, opts?: pulumi.ComponentResourceOptions) {
    super("freebsd:index:DailySecurityAudit", name, {}, opts);
    const { values, warnings } = securityAuditValues(args.settings, args.legacy);
    for (const w of warnings) pulumi.log.warn(w, this);
    this.conf = new PeriodicConf(`${name}-periodic`, { connection: args.connection, values, path: args.path }, { parent: this });
    this.content = this.conf.content;
    this.registerOutputs({ content: this.content });
  }
}
