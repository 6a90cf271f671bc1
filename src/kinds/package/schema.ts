import { z } from "zod";
import { BootEnvironmentNameError, bootEnvironmentName } from "../bootEnvironment/name";
import { originProblem, packageNameProblem, versionProblem } from "../../pkg/version";
import { connectionSchema } from "../../transport";
import { DEFAULT_SNAPSHOT_TEMPLATE } from "../pkgcommon/snapshot";

/** Why `v` is not a package name or origin, or undefined. */
export function nameOrOriginProblem(v: string): string | undefined {
  return v.includes("/") ? originProblem(v) : packageNameProblem(v);
}

/** A FreeBSD package name (`nginx`) or origin (`www/nginx`), validated before anything runs. */
export const packageRefSchema = z.string({ error: "must be a string" }).superRefine((v, ctx) => {
  const p = nameOrOriginProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)} is not a valid FreeBSD package name or origin: ${p}` });
});

const versionSchema = (what: string) =>
  z.string({ error: `${what} must be a string` }).superRefine((v, ctx) => {
    const p = versionProblem(v);
    if (p) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)} is not a possible pkg version: ${p}` });
  });

/** A pkg repository name as pkg.conf(5) repository files declare them. */
export const repositorySchema = z
  .string({ error: "repository must be a string" })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: "repository must be a repository name: letters, digits and _ . - (not starting with . or -)" });

/** Inputs of the boot-environment snapshot taken before a change. */
export const snapshotSchema = z.object({
  template: z
    .string({ error: "template must be a string" })
    .default(DEFAULT_SNAPSHOT_TEMPLATE)
    .superRefine((t, ctx) => {
      try {
        bootEnvironmentName(t, { package: "pkg", version: "1.0", date: "2024-01-01" });
      } catch (e) {
        ctx.addIssue({ code: "custom", message: e instanceof BootEnvironmentNameError ? e.message : String(e) });
      }
    }),
  onMissingZfs: z.enum(["warn", "fail"], { error: 'onMissingZfs must be "warn" or "fail"' }).default("warn"),
});

/** Inputs of {@link Package}. */
export const packageSchema = z
  .object({
    connection: connectionSchema,
    resourceName: z.string().optional(),
    name: packageRefSchema,
    ensure: z.enum(["present", "latest", "absent"], { error: 'ensure must be "present", "latest" or "absent"' }).default("present"),
    version: versionSchema("version").optional(),
    minVersion: versionSchema("minVersion").optional(),
    // null is "not set": the `repository` output (null when nothing is installed) comes back as an input on diff and refresh.
    repository: z.preprocess((v) => (v === null ? undefined : v), repositorySchema.optional()),
    locked: z.boolean({ error: "locked must be a boolean" }).optional(),
    reinstallOnIntegrityFailure: z.boolean({ error: "reinstallOnIntegrityFailure must be a boolean" }).default(false),
    snapshotBeforeChange: snapshotSchema.optional(),
  })
  .superRefine((d, ctx) => {
    const bad = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (d.version !== undefined && d.minVersion !== undefined) {
      bad("minVersion", "set either version (exactly this) or minVersion (at least this), not both");
    }
    if (d.ensure === "absent") {
      if (d.version !== undefined) bad("version", 'version cannot be combined with ensure "absent"');
      if (d.minVersion !== undefined) bad("minVersion", 'minVersion cannot be combined with ensure "absent"');
      if (d.locked === true) bad("locked", 'locked: true cannot be combined with ensure "absent" (a removed package cannot stay locked)');
      if (d.reinstallOnIntegrityFailure) bad("reinstallOnIntegrityFailure", 'reinstallOnIntegrityFailure cannot be combined with ensure "absent"');
    }
    if (d.ensure === "latest" && d.version !== undefined) {
      bad("version", 'version (an exact version) cannot be combined with ensure "latest"; use minVersion for "at least"');
    }
  });

/** Validated inputs. */
export type PackageInputs = z.infer<typeof packageSchema>;
