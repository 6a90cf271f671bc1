import { z } from "zod";
import { connectionSchema } from "../../transport";
import type { RepoSettings } from "./settings";
import { isSecureTransport, urlProblem } from "./urls";

/** The folder pkg reads local repository files from (after /etc/pkg/). */
export const REPOS_DIR = "/usr/local/etc/pkg/repos";

const pathSchema = () =>
  z
    .string({ error: `must be a string` })
    .regex(/^\/[^\s\x00-\x1f\x7f]*$/, { error: `must be an absolute path without spaces or control characters` });

const envKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: (iss) => `${JSON.stringify(iss.input)} is not an environment variable name (a letter or _, then letters, digits or _)`,
});

/** Inputs of {@link PkgRepository}. */
export const pkgRepositorySchema = z
  .object({
    connection: connectionSchema,
    resourceName: z.string().optional(),
    name: z
      .string({ error: "must be a string" })
      .regex(/^[A-Za-z0-9_.-]+$/, {
        error: (iss) =>
          `${JSON.stringify(iss.input)} is not a valid repository name (letters, digits and _ . - only, no path separators)`,
      })
      .refine((n) => !n.startsWith("."), { error: "a repository name must not start with . (pkg skips such files)" })
      .refine((n) => n.length <= 200, { error: "a repository name must be at most 200 characters" }),
    overrideOnly: z.boolean({ error: "must be a boolean" }).default(false),
    url: z.string({ error: "must be a string" }).superRefine((u, ctx) => {
      const p = urlProblem(u);
      if (p) ctx.addIssue({ code: "custom", message: p });
    }).optional(),
    mirrorType: z.enum(["srv", "http", "none"], { error: 'must be "srv", "http" or "none"' }).optional(),
    signatureType: z
      .enum(["none", "fingerprints", "pubkey"], { error: 'must be "none", "fingerprints" or "pubkey"' })
      .optional(),
    fingerprints: pathSchema().optional(),
    pubkey: pathSchema().optional(),
    enabled: z.boolean({ error: "must be a boolean" }).optional(),
    priority: z
      .number({ error: "must be an integer" })
      .int({ error: "must be an integer" })
      .min(-2147483648, { error: "must fit in 32 bits" })
      .max(2147483647, { error: "must fit in 32 bits" })
      .optional(),
    ipVersion: z.union([z.literal(4), z.literal(6)], { error: "must be 4 or 6" }).optional(),
    env: z
      .record(envKey, z.string().regex(/^[^\x00-\x1f\x7f]*$/, { error: "must not contain control characters" }), {
        error: (iss) => (iss.code === "invalid_key" ? iss.issues[0]?.message : "must be an object of variable names to strings"),
      })
      .optional(),
    updateAfterChange: z.boolean({ error: "must be a boolean" }).default(false),
    insecure: z.enum(["warn", "fail"], { error: 'must be "warn" or "fail"' }).default("warn"),
    mode: z.string().regex(/^0?[0-7]{3}$/, { error: 'must be an octal file mode such as "0644"' }).default("0644"),
    owner: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: 'must be "user:group" or "uid:gid"' })
      .default("0:0"),
  })
  .superRefine((d, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!d.overrideOnly) {
      if (d.url === undefined) issue("url", "required unless overrideOnly is true (pkg ignores a new repository without a url)");
      if (d.signatureType === "fingerprints" && d.fingerprints === undefined) {
        issue("fingerprints", 'required (a folder with trusted/ and revoked/) with signatureType "fingerprints"');
      }
      if (d.signatureType === "pubkey" && d.pubkey === undefined) issue("pubkey", 'required with signatureType "pubkey"');
    } else if (Object.keys(declaredSettings(d as PkgRepositoryInputs)).length === 0) {
      issue("overrideOnly", "an override must set at least one of url, mirrorType, signatureType, fingerprints, pubkey, enabled, priority, ipVersion, env");
    }
    if (d.insecure === "fail") {
      for (const f of insecureFindings(d as PkgRepositoryInputs)) issue(f.property, `${f.message} (insecure is "fail")`);
    }
  });

/** Validated inputs. */
export type PkgRepositoryInputs = z.infer<typeof pkgRepositorySchema>;

/** The settings the file must hold: exactly the declared ones; a full definition also says `enabled`. */
export function declaredSettings(d: PkgRepositoryInputs): RepoSettings {
  const s: RepoSettings = {};
  if (d.url !== undefined) s.url = d.url;
  if (d.mirrorType !== undefined) s.mirrorType = d.mirrorType;
  if (d.signatureType !== undefined) s.signatureType = d.signatureType;
  if (d.fingerprints !== undefined) s.fingerprints = d.fingerprints;
  if (d.pubkey !== undefined) s.pubkey = d.pubkey;
  if (d.enabled !== undefined) s.enabled = d.enabled;
  else if (!d.overrideOnly) s.enabled = true;
  if (d.priority !== undefined) s.priority = d.priority;
  if (d.ipVersion !== undefined) s.ipVersion = d.ipVersion;
  if (d.env !== undefined) s.env = { ...d.env };
  return s;
}

/** Insecure settings: an unsigned repository, a transport that does not protect the catalogue. */
export function insecureFindings(d: Pick<PkgRepositoryInputs, "name" | "url" | "signatureType" | "overrideOnly">): Array<{ property: string; message: string }> {
  const out: Array<{ property: string; message: string }> = [];
  if (d.signatureType === "none" || (!d.overrideOnly && d.signatureType === undefined)) {
    out.push({
      property: "signatureType",
      message: `repository '${d.name}' is not signed (signature_type none): pkg installs whatever the catalogue serves`,
    });
  }
  if (d.url !== undefined && !isSecureTransport(d.url)) {
    out.push({
      property: "url",
      message: `repository '${d.name}' url ${JSON.stringify(d.url)} is not https:// or pkg+https://: the catalogue travels unprotected`,
    });
  }
  return out;
}

/** The file the resource owns. */
export function repoPath(name: string): string {
  return `${REPOS_DIR}/${name}.conf`;
}
