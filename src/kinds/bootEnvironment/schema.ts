import { z } from "zod";
import { connectionSchema } from "../../transport";
import { bootEnvironmentNameProblem, bootEnvironmentSourceProblem } from "./name";

/** How the boot environment should be activated: not at all, always (`bectl activate`), or once (`-t`). */
export type Activation = "none" | "permanent" | "nextBoot";

/** Inputs of {@link BootEnvironment}. */
export const bootEnvironmentSchema = z.object({
  connection: connectionSchema,
  resourceName: z.string().optional(),
  name: z.string({ error: "name must be a string" }).superRefine((v, ctx) => {
    const p = bootEnvironmentNameProblem(v);
    if (p) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)} is not a valid boot environment name: it ${p}` });
  }),
  activate: z
    .enum(["none", "permanent", "nextBoot"], {
      error: 'activate must be "none", "permanent" (bectl activate) or "nextBoot" (bectl activate -t)',
    })
    .default("none"),
  source: z
    .string({ error: "source must be a string" })
    .superRefine((v, ctx) => {
      const p = bootEnvironmentSourceProblem(v);
      if (p) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)} is not a valid source (a boot environment or beName@snapshot): ${p}` });
    })
    .optional(),
  destroyOrigin: z.boolean({ error: "destroyOrigin must be a boolean" }).default(false),
  onMissingZfs: z.enum(["fail", "warn"], { error: 'onMissingZfs must be "fail" or "warn"' }).default("fail"),
}).superRefine((d, ctx) => {
  if (d.source !== undefined && d.source.split("@")[0] === d.name) {
    ctx.addIssue({ code: "custom", path: ["source"], message: `source must not be the boot environment itself (${JSON.stringify(d.name)})` });
  }
});

/** Validated inputs. */
export type BootEnvironmentInputs = z.infer<typeof bootEnvironmentSchema>;
