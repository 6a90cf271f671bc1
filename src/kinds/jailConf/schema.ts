import { z } from "zod";
import { connectionSchema } from "../../transport";
import { nameProblem, valueProblem, type JailParamValue } from "./params";

/** A jail name JailConf manages: a bare jail.conf word that is also a safe file name. */
export const jailNameSchema = z
  .string({ error: "jail must be a string" })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/, {
    error: "jail must be a jail name of letters, digits, _ and - (no dots: hierarchical jails are not supported; no *)",
  });

const pathSchema = z
  .string({ error: "path must be a string" })
  .regex(/^\/[A-Za-z0-9._+@-]+(\/[A-Za-z0-9._+@-]+)*$/, {
    error: "path must be an absolute file path of letters, digits and . _ + @ - separated by single /",
  })
  .refine((p) => !p.split("/").some((part) => part === "." || part === ".."), { error: "path must not contain . or .. components" });

const valueSchema = z.union([z.boolean(), z.number().finite(), z.string(), z.array(z.string())], {
  error: "must be a boolean, a number, a string or a list of strings",
});

/** Inputs of {@link JailConf}. */
export const jailConfSchema = z.object({
  connection: connectionSchema,
  resourceName: z.string().optional(),
  jail: jailNameSchema,
  manage: z.enum(["parameters", "file"], { error: 'manage must be "parameters" or "file"' }).default("parameters"),
  path: pathSchema.optional(),
  parameters: z
    .record(z.string(), valueSchema, { error: "parameters must be an object of jail parameter names to values" })
    .superRefine((params, ctx) => {
      for (const [name, value] of Object.entries(params)) {
        const problem = nameProblem(name) ?? valueProblem(name, value as JailParamValue);
        if (problem !== undefined) ctx.addIssue({ code: "custom", path: [name], message: problem });
      }
    }),
  mode: z.string().regex(/^0?[0-7]{3}$/, { error: 'mode must be an octal file mode such as "0644"' }).default("0644"),
  owner: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: 'owner must be "user:group" or "uid:gid"' })
    .default("0:0"),
});

/** Validated inputs. */
export type JailConfInputs = z.infer<typeof jailConfSchema>;

/** The file a resource edits: `path`, else /etc/jail.conf or /etc/jail.conf.d/JAIL.conf by mode. */
export function pathOf(d: Pick<JailConfInputs, "path" | "manage" | "jail">): string {
  return d.path ?? (d.manage === "file" ? `/etc/jail.conf.d/${d.jail}.conf` : "/etc/jail.conf");
}
