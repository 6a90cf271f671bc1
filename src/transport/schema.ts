/**
 * The connection settings, validated by zod. Field names follow @pulumi/command's
 * `remote.ConnectionArgs`, plus host key settings and `become`.
 */
import { z } from "zod";
import { NO_HOST_KEY_CONFIG } from "./errors";
import { parseHostKeySpec } from "./hostkeys";
import { commandLine } from "./quote";

// Host names, IPv4 and IPv6 literals: anything printable without whitespace.
const hostField = z
  .string({ error: "host must be a string" })
  .min(1, { error: "host must not be empty" })
  .max(253, { error: "host must be at most 253 characters" })
  .refine((h) => !/[\s\p{Cc}]/u.test(h), { error: "host must not contain whitespace or control characters" });

const portField = z
  .number({ error: "port must be a number" })
  .int({ error: "port must be an integer from 1 to 65535" })
  .min(1, { error: "port must be an integer from 1 to 65535" })
  .max(65535, { error: "port must be an integer from 1 to 65535" })
  .default(22);

const userField = z
  .string({ error: "user must be a string" })
  .min(1, { error: "user must not be empty" })
  .refine((u) => !/[\s\p{Cc}]/u.test(u), { error: "user must not contain whitespace or control characters" })
  .default("root");

const secretString = (name: string) =>
  z.string({ error: `${name} must be a string` }).min(1, { error: `${name} must not be empty when given` });

const hostKeyField = z.string({ error: "hostKey must be a string" }).superRefine((s, ctx) => {
  try {
    parseHostKeySpec(s);
  } catch (e) {
    ctx.addIssue({
      code: "custom",
      message:
        'hostKey must be an OpenSSH public key line ("ssh-ed25519 AAAA… [comment]") or a SHA256 fingerprint ' +
        `("SHA256:…" as \`ssh-keygen -l\` prints it): ${(e as Error).message}`,
    });
  }
});

const baseShape = {
  host: hostField,
  port: portField,
  user: userField,
  password: secretString("password").optional(),
  privateKey: secretString("privateKey").optional(),
  privateKeyPassword: secretString("privateKeyPassword").optional(),
  agentSocketPath: z
    .string({ error: "agentSocketPath must be a string" })
    .min(1, { error: "agentSocketPath must not be empty when given" })
    .optional(),
  dialErrorLimit: z
    .number({ error: "dialErrorLimit must be a number" })
    .int({ error: "dialErrorLimit must be a positive integer, or -1 for unlimited" })
    .refine((n) => n >= 1 || n === -1, { error: "dialErrorLimit must be a positive integer, or -1 for unlimited" })
    .default(10),
  perDialTimeout: z
    .number({ error: "perDialTimeout must be a number of seconds" })
    .positive({ error: "perDialTimeout must be a positive number of seconds" })
    .max(3600, { error: "perDialTimeout must be at most 3600 seconds" })
    .default(15),
  hostKey: hostKeyField.optional(),
  knownHostsFile: z
    .string({ error: "knownHostsFile must be a string (a path)" })
    .min(1, { error: "knownHostsFile must not be empty when given" })
    .optional(),
  insecureIgnoreHostKey: z.boolean({ error: "insecureIgnoreHostKey must be a boolean" }).optional(),
};

type Refinable = {
  password?: string | undefined;
  privateKey?: string | undefined;
  agentSocketPath?: string | undefined;
  privateKeyPassword?: string | undefined;
  hostKey?: string | undefined;
  knownHostsFile?: string | undefined;
  insecureIgnoreHostKey?: boolean | undefined;
};

function crossFieldRules(prefix: string) {
  return (v: Refinable, ctx: z.RefinementCtx) => {
    if (v.password === undefined && v.privateKey === undefined && v.agentSocketPath === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `${prefix}at least one authentication method is required: password, privateKey or agentSocketPath`,
      });
    }
    if (v.privateKeyPassword !== undefined && v.privateKey === undefined) {
      ctx.addIssue({ code: "custom", path: ["privateKeyPassword"], message: "privateKeyPassword requires privateKey" });
    }
    if (v.hostKey === undefined && v.knownHostsFile === undefined && v.insecureIgnoreHostKey !== true) {
      ctx.addIssue({ code: "custom", message: `${prefix}${NO_HOST_KEY_CONFIG}` });
    }
  };
}

/**
 * The jump host of {@link connectionSchema}: the same fields minus `proxy` and `become`.
 * Its host key is verified by its own hostKey / knownHostsFile / insecureIgnoreHostKey; when it has
 * none of them, the target's knownHostsFile is used.
 */
export const proxySchema = z
  .strictObject(baseShape, { error: (iss) => (iss.code === "unrecognized_keys" ? undefined : "proxy must be an object") })
  .superRefine((v, ctx) => {
    if (v.password === undefined && v.privateKey === undefined && v.agentSocketPath === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "proxy: at least one authentication method is required: password, privateKey or agentSocketPath",
      });
    }
    if (v.privateKeyPassword !== undefined && v.privateKey === undefined) {
      ctx.addIssue({ code: "custom", path: ["privateKeyPassword"], message: "privateKeyPassword requires privateKey" });
    }
  });

/**
 * Connection settings of a FreeBSD host. Strict: unknown keys are rejected. Requires one
 * authentication method (password, privateKey or agentSocketPath) and one way to verify the host
 * key (hostKey, knownHostsFile or insecureIgnoreHostKey: true).
 *
 * - `port` defaults to 22, `user` to "root", `dialErrorLimit` to 10 (-1: unlimited), `perDialTimeout`
 *   to 15 seconds.
 * - `hostKey`: an OpenSSH public key line, or a `SHA256:…` fingerprint.
 * - `become`: for a non-root user, run every command through `doas -n` or `sudo -n` (see
 *   {@link becomeArgv}); ignored for root.
 */
export const connectionSchema = z
  .strictObject(
    {
      ...baseShape,
      proxy: proxySchema.optional(),
      become: z.enum(["doas", "sudo"], { error: 'become must be "doas" or "sudo"' }).optional(),
    },
    { error: (iss) => (iss.code === "unrecognized_keys" ? undefined : "connection settings must be an object") },
  )
  .superRefine((v, ctx) => {
    crossFieldRules("")(v, ctx);
    if (v.proxy && v.proxy.hostKey === undefined && v.proxy.knownHostsFile === undefined && v.proxy.insecureIgnoreHostKey !== true) {
      if (v.knownHostsFile === undefined) {
        ctx.addIssue({ code: "custom", path: ["proxy"], message: `proxy: ${NO_HOST_KEY_CONFIG}` });
      }
    }
  });

/** Connection settings as a caller writes them (defaults optional). */
export type ConnectionArgs = z.input<typeof connectionSchema>;

/** Connection settings after validation, with defaults applied. */
export type ResolvedConnection = z.output<typeof connectionSchema>;

/** Proxy settings after validation. */
export type ResolvedProxy = z.output<typeof proxySchema>;

/**
 * Formats zod issues as one line per issue, `path: message`, never quoting the rejected value
 * (it might be a secret).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const path = i.path.map(String).join(".");
      return path && !i.message.startsWith(path) ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

/**
 * The argv that runs `argv` as root through doas or sudo, non-interactively:
 * `doas -n -- /bin/sh -c 'CMDLINE'` / `sudo -n -- /bin/sh -c 'CMDLINE'`, where CMDLINE is
 * `commandLine(argv)`. `-n` makes them fail instead of prompting for a password; `--` ends their
 * options; the inner sh re-parses the fully quoted line, so argv reaches the command unchanged.
 */
export function becomeArgv(become: "doas" | "sudo", argv: readonly string[]): string[] {
  return [become, "-n", "--", "/bin/sh", "-c", commandLine(argv)];
}
