import { z } from "zod";
import { connectionSchema } from "../../transport";
import { packageRefSchema } from "../package/schema";

/** Inputs of {@link PackageLock}. */
export const packageLockSchema = z
  .object({
    connection: connectionSchema,
    resourceName: z.string().optional(),
    packages: z.array(packageRefSchema, { error: "packages must be a list of package names or origins" }).min(1, { error: "packages must name at least one package" }),
    locked: z.boolean({ error: "locked must be a boolean" }).default(true),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.packages.forEach((p, i) => {
      if (seen.has(p)) ctx.addIssue({ code: "custom", path: ["packages", i], message: `${JSON.stringify(p)} is listed twice` });
      seen.add(p);
    });
  });

/** Validated inputs. */
export type PackageLockInputs = z.infer<typeof packageLockSchema>;
