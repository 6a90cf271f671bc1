import * as pulumi from "@pulumi/pulumi";
import { makeShim, providerModuleIds, type ShimProvider } from "../engine/shim";

const shims = new Map<string, ShimProvider>();

/**
 * One shim object per kind, reused by every resource of that kind: Pulumi caches the serialized
 * text per provider object, so reuse keeps serialization to once per kind per program.
 */
export function providerFor(kind: string): ShimProvider {
  let shim = shims.get(kind);
  if (!shim) {
    shim = makeShim(kind, providerModuleIds(require.resolve("../engine/dispatch"), projectRoot()));
    shims.set(kind, shim);
  }
  return shim;
}

/**
 * The project directory (where Pulumi.yaml is): the provider process's working directory. The
 * program's own working directory can differ (Pulumi runs it where `main` points).
 */
export function projectRoot(): string {
  try {
    return pulumi.runtime.getRootDirectory();
  } catch {
    return process.cwd();
  }
}
