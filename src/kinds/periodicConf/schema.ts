import { z } from "zod";
import { isValidRcName, renderRcValue } from "../../formats/rcvars";
import { connectionSchema } from "../../transport";

/** A value as the user declares it: booleans are written YES/NO, numbers as decimal text. */
export type RcInputValue = string | boolean | number;

const valueSchema = z
  .union([z.string(), z.boolean(), z.number().finite()], {
    error: "must be a string, a boolean (written YES/NO) or a finite number",
  })
  .superRefine((v, ctx) => {
    if (typeof v !== "string") return;
    try {
      renderRcValue(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "must not contain newlines or control characters (it could not be written safely)" });
    }
  });

const nameSchema = z.string().refine(isValidRcName, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a valid variable name (a letter or _, then letters, digits or _)`,
});

/** An absolute path of an rc-style file, with no `..`, no doubled or trailing slash, no shell specials. */
export const rcPathSchema = z
  .string({ error: "path must be a string" })
  .regex(/^\/[A-Za-z0-9._+@-]+(\/[A-Za-z0-9._+@-]+)*$/, {
    error: "path must be an absolute file path of letters, digits and . _ + @ - separated by single /",
  })
  .refine((p) => !p.split("/").some((part) => part === "." || part === ".."), {
    error: "path must not contain . or .. components",
  });

/** Inputs of {@link PeriodicConf}: which file, which variables. */
export const periodicConfSchema = z.object({
  connection: connectionSchema,
  resourceName: z.string().optional(),
  path: rcPathSchema.default("/etc/periodic.conf"),
  values: z.record(nameSchema, valueSchema, {
    error: (iss) => {
      // A bad key's own message names the rule; zod would otherwise say "Invalid key in record".
      if (iss.code === "invalid_key") return iss.issues[0]?.message;
      return iss.code === "invalid_type" ? "values must be an object of variable names to values" : undefined;
    },
  }),
  mode: z
    .string()
    .regex(/^0?[0-7]{3}$/, { error: 'mode must be an octal file mode such as "0644"' })
    .default("0644"),
  owner: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: 'owner must be "user:group" or "uid:gid"' })
    .default("0:0"),
});

/** Validated inputs. */
export type PeriodicConfInputs = z.infer<typeof periodicConfSchema>;
