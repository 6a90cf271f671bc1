import * as pulumi from "@pulumi/pulumi";
import type { JailParamValue } from "../kinds/jailConf/params";
import { secretConnection, type ConnectionArgs } from "./connection";
import { providerFor } from "./provider";

export { hardened, hardenedWith } from "../kinds/jailConf/preset";
export type { JailParamValue } from "../kinds/jailConf/params";

/** Inputs of {@link JailConf}. */
export interface JailConfArgs {
  /** How to reach the host. */
  connection: pulumi.Input<ConnectionArgs>;
  /** The jail's name (letters, digits, `_`, `-`). Changing it replaces the resource. */
  jail: pulumi.Input<string>;
  /**
   * `"parameters"` (default): manage only the declared parameters of the jail's block in a shared
   * file (default /etc/jail.conf). `"file"`: own a whole file (default /etc/jail.conf.d/JAIL.conf)
   * holding only this jail's block, rendered from `parameters`. Changing it replaces the resource.
   */
  manage?: pulumi.Input<"parameters" | "file">;
  /** The file, overriding the mode's default. Changing it replaces the resource. */
  path?: pulumi.Input<string>;
  /**
   * Jail parameters (jail.conf(5)/jail(8) names; unknown names fail the check with the closest
   * known one). Booleans are written `name;` / `allow.noname;`; a list is written `a, b`.
   * See {@link hardened} for a preset.
   */
  parameters: pulumi.Input<Record<string, pulumi.Input<JailParamValue>>>;
  /** Mode of the file when the resource creates it, default "0644". An existing file keeps its own. */
  mode?: pulumi.Input<string>;
  /** Owner of the file when the resource creates it, default "0:0" (root:wheel). */
  owner?: pulumi.Input<string>;
}

/**
 * Parameters of a named jail in /etc/jail.conf, or a whole /etc/jail.conf.d/JAIL.conf.
 *
 * Values are compared the way jail(8) reads them: the effective value is the last definition
 * jail(8) applies (a `*` block or top-level parameter placed before the jail's block is a default
 * the block overrides; one placed after it forces its value, and an edit that it would override is
 * refused with its line), and `allow.raw_sockets = 0;` equals `allow.noraw_sockets;`. A
 * parameter that already has the declared value (even from `*`) is not written. A changed one is
 * rewritten in place in the jail's block in the canonical form; a new one is added at the end of
 * the block with the block's indentation; a missing block is appended. Comments, other jails and
 * `.include` lines survive byte for byte; included files are not read (see `warnings`).
 *
 * On delete each parameter gets back the statements it had in the jail's block (or they are
 * removed), a block the resource appended is removed once empty, and a file it created is
 * removed; in `file` mode the file gets back its earlier text, or is removed.
 *
 * @example
 * new JailConf("www-hardening", {
 *   connection: { host: "web1.example.org", privateKey, hostKey: "ssh-ed25519 AAAA…" },
 *   jail: "www",
 *   parameters: { ...hardened, "allow.raw_sockets": true },
 * });
 */
export class JailConf extends pulumi.dynamic.Resource {
  /** The jail's name. */
  declare readonly jail: pulumi.Output<string>;
  /** The managed parameters as found on the host (the declared values after an up). */
  declare readonly parameters: pulumi.Output<Record<string, JailParamValue>>;
  /** Each managed parameter's effective value on the host (null: unset, or not literal). */
  declare readonly observed: pulumi.Output<Record<string, JailParamValue | null>>;
  /** Each managed parameter's statements that give it its value, as text (null: unset). */
  declare readonly observedText: pulumi.Output<Record<string, string | null>>;
  /** The file the resource edits. */
  declare readonly filePath: pulumi.Output<string>;
  /** The whole file as observed, so previews show the change as a text diff. */
  declare readonly content: pulumi.Output<string>;
  /** "file", "absent", "symlink" or "other". */
  declare readonly fileState: pulumi.Output<string>;
  /** Whether the file existed before this resource first wrote it. */
  declare readonly priorExists: pulumi.Output<boolean>;
  /** `parameters` mode: each parameter's statements in the jail's block before (null: none). */
  declare readonly priorStatements: pulumi.Output<Record<string, string[] | null>>;
  /** `file` mode: the file's text before (null: there was none). */
  declare readonly priorContent: pulumi.Output<string | null>;
  /** Included files this resource does not read, and parse errors. */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: JailConfArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      connection: secretConnection(args.connection),
      resourceName: name,
      jail: args.jail,
      manage: args.manage,
      path: args.path,
      parameters: args.parameters,
      mode: args.mode,
      owner: args.owner,
      observed: undefined,
      observedText: undefined,
      filePath: undefined,
      content: undefined,
      fileState: undefined,
      priorExists: undefined,
      priorStatements: undefined,
      blockSeparator: undefined,
      priorContent: undefined,
      warnings: undefined,
    };
    super(providerFor("JailConf") as pulumi.dynamic.ResourceProvider, name, inputs, opts, "freebsd", "JailConf");
  }
}
