import * as fs from "fs";
import * as path from "path";
import { z } from "zod";

/** One host of the fleet, as the inventory file or the stack config lists it. */
export const hostEntrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "name must be letters, digits and . _ - (it names resources)" }),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1).optional(),
  hostKey: z.string().optional(),
  knownHostsFile: z.string().optional(),
  insecureIgnoreHostKey: z.boolean().optional(),
  privateKeyPath: z.string().optional(),
  become: z.enum(["doas", "sudo"]).optional(),
  /** Per-host additions to, or overrides of, the fleet's periodic.conf values. */
  periodic: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])).optional(),
});

/** The fleet's periodic.conf settings. */
export const periodicSchema = z.strictObject({
  path: z.string().optional(),
  values: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])),
});

/** The stack config of this project (namespace = the project name). */
export const fleetConfigSchema = z.strictObject({
  /** Hosts listed in the stack config. */
  hosts: z.array(hostEntrySchema).default([]),
  /** A JSON file listing more hosts (an array of host entries), relative to the project. */
  inventory: z.string().optional(),
  periodic: periodicSchema,
});

export type HostEntry = z.infer<typeof hostEntrySchema>;
export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/** Validates the config, naming the key and the rule on failure. */
export function parseFleetConfig(raw: unknown): FleetConfig {
  const r = fleetConfigSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".") || "(config)"}: ${i.message}`);
    throw new Error(`invalid stack configuration:\n${lines.join("\n")}`);
  }
  return r.data;
}

/** All hosts: the config's, then the inventory file's. Names must be unique. */
export function fleetHosts(cfg: FleetConfig, projectDir: string): HostEntry[] {
  const hosts = [...cfg.hosts];
  if (cfg.inventory) {
    const file = path.resolve(projectDir, cfg.inventory);
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`cannot read the inventory ${file}: ${(err as Error).message}`);
    }
    const r = z.array(hostEntrySchema).safeParse(data);
    if (!r.success) {
      const lines = r.error.issues.map((i) => `  [${i.path.join(".")}]: ${i.message}`);
      throw new Error(`invalid inventory ${file}:\n${lines.join("\n")}`);
    }
    hosts.push(...r.data);
  }
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.name)) throw new Error(`host name ${h.name} appears twice in the fleet`);
    seen.add(h.name);
  }
  return hosts;
}
