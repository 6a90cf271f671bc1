import * as pulumi from "@pulumi/pulumi";

/**
 * How to reach a host. Field names follow @pulumi/command's `remote.ConnectionArgs`, so one
 * object serves both; `hostKey`, `knownHostsFile`, `insecureIgnoreHostKey` and `become` are ours.
 */
export interface ConnectionArgs {
  /** Host name or address. */
  host: pulumi.Input<string>;
  /** SSH port, default 22. */
  port?: pulumi.Input<number>;
  /** Login user, default "root". */
  user?: pulumi.Input<string>;
  /** Password authentication (kept secret in state). */
  password?: pulumi.Input<string>;
  /** An OpenSSH or PEM private key (kept secret in state). */
  privateKey?: pulumi.Input<string>;
  /** The private key's passphrase (kept secret in state). */
  privateKeyPassword?: pulumi.Input<string>;
  /** Path of an ssh-agent socket (SSH_AUTH_SOCK). */
  agentSocketPath?: pulumi.Input<string>;
  /** Dial attempts for retryable failures (refused, timeout), default 10; -1 = unlimited. */
  dialErrorLimit?: pulumi.Input<number>;
  /** Seconds per dial attempt, default 15. */
  perDialTimeout?: pulumi.Input<number>;
  /** A jump host, with the same fields (no nested proxy). */
  proxy?: pulumi.Input<Omit<ConnectionArgs, "proxy" | "become">>;
  /** The host's public key line ("ssh-ed25519 AAAA…") or its "SHA256:…" fingerprint. */
  hostKey?: pulumi.Input<string>;
  /** An OpenSSH known_hosts file to verify the host key against. */
  knownHostsFile?: pulumi.Input<string>;
  /** Skip host key verification. Explicit and loud: never the default. */
  insecureIgnoreHostKey?: pulumi.Input<boolean>;
  /** For a non-root user: run commands through doas or sudo (non-interactively). */
  become?: pulumi.Input<"doas" | "sudo">;
}

const SECRET_FIELDS = ["password", "privateKey", "privateKeyPassword"] as const;

/**
 * Marks the credential fields secret, whether or not the caller did, so they are encrypted in
 * state (inputs and outputs: the engine re-applies secretness to outputs by key).
 */
export function secretConnection(c: pulumi.Input<ConnectionArgs>): pulumi.Output<ConnectionArgs> {
  return pulumi.output(c).apply((conn) => {
    const out: Record<string, unknown> = { ...conn };
    for (const f of SECRET_FIELDS) if (out[f] !== undefined) out[f] = pulumi.secret(out[f] as string);
    if (conn.proxy) {
      const p: Record<string, unknown> = { ...conn.proxy };
      for (const f of SECRET_FIELDS) if (p[f] !== undefined) p[f] = pulumi.secret(p[f] as string);
      out.proxy = p;
    }
    return out as unknown as ConnectionArgs;
  }) as pulumi.Output<ConnectionArgs>;
}
