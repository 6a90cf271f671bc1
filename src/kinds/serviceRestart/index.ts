/**
 * ServiceRestart: `service NAME restart` whenever `trigger` changes (typically a Package's
 * installedVersion), and on create unless `restartOnCreate` is false.
 *
 * Why a kind of its own: @pulumi/command's `remote.Command` would do, but its provider plugin
 * cannot be built offline here (the Go module proxy answers `403 This module version is not
 * available` for github.com/pulumi/pulumi-command and its provider module), and it would dial a
 * new SSH connection per command. This kind reuses the pooled connection and the host lock.
 *
 * Nothing is observed on the host (a restart leaves no state to compare); the last trigger a
 * restart ran for is kept in outputs. Delete does nothing.
 */
import { z } from "zod";
import type { Kind } from "../../engine/kind";
import { HostStateError } from "../../hostfs/errors";
import { connectionSchema } from "../../transport";

/** Inputs of {@link ServiceRestart}. */
export const serviceRestartSchema = z.object({
  connection: connectionSchema,
  resourceName: z.string().optional(),
  service: z
    .string({ error: "service must be a string" })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: "service must be an rc.d script name: letters, digits and _ . - (not starting with . or -)" }),
  trigger: z.string({ error: "trigger must be a string" }),
  restartOnCreate: z.boolean({ error: "restartOnCreate must be a boolean" }).default(true),
});

/** Validated inputs. */
export type ServiceRestartInputs = z.infer<typeof serviceRestartSchema>;

/** The trigger value the last restart ran for. */
export interface RestartMemory {
  trigger: string | null;
}

/** The one action. */
export interface RestartAction {
  kind: "restart";
  service: string;
  trigger: string;
}

const ANY = Array.from({ length: 256 }, (_, i) => i);

/** Pure: restart when the trigger differs from the one the last restart ran for. */
export function planRestart(d: ServiceRestartInputs, memory: RestartMemory): RestartAction[] {
  return memory.trigger === d.trigger ? [] : [{ kind: "restart", service: d.service, trigger: d.trigger }];
}

/** The ServiceRestart kind. */
export const serviceRestartKind: Kind<ServiceRestartInputs, Record<string, never>, RestartAction, RestartMemory> = {
  name: "ServiceRestart",
  schema: serviceRestartSchema,
  id: (d) => `${d.connection.host}:service:${d.service}`,
  replaceKeys: () => ({}),
  observe: async () => ({}),
  liveFromOutputs: () => ({}),
  memory: (_live, d, previous) => previous ?? { trigger: d.restartOnCreate ? null : d.trigger },
  memoryFromOutputs: (o) => ("lastTrigger" in o ? { trigger: typeof o.lastTrigger === "string" ? o.lastTrigger : null } : undefined),
  plan: (_live, d, memory) => planRestart(d, memory),
  planDelete: () => [],
  describe: (a) => `service ${a.service} restart (trigger ${JSON.stringify(a.trigger)})`,

  async apply(ctx, _d, _live, actions, memory) {
    for (const a of actions) {
      const r = await ctx.remote.exec(["service", a.service, "restart"], { okExitCodes: ANY, summary: `service ${a.service} restart` });
      if (r.exitCode !== 0) {
        const msg = `${r.stdoutText}\n${r.stderrText}`.trim().split("\n").slice(-4).join("\n");
        throw new HostStateError(`\`service ${a.service} restart\` exited ${r.exitCode}: ${msg}`,
          `check the service on the host (\`service ${a.service} status\`, its log); the restart is tried again on the next up`);
      }
      // rc.subr refuses a disabled service with exit 0 ("Cannot 'restart' NAME. Set NAME_enable…"):
      // read the message, not the code.
      const refused = /^Cannot '[a-z]+' \S+\. Set \S+ to YES/m.exec(r.stdoutText);
      if (refused) {
        throw new HostStateError(`\`service ${a.service} restart\` did not restart it: ${refused[0]}`,
          `enable the service (${a.service}_enable="YES" in rc.conf, e.g. with PeriodicConf path "/etc/rc.conf"), or drop the restart`);
      }
      memory.trigger = a.trigger;
    }
  },

  liveInputs: (_live, raw) => raw,
  outputs: (_live, _d, memory) => ({ lastTrigger: memory.trigger }),
};
