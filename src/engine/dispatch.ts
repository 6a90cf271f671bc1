/**
 * The entry point the serialized shim requires in the provider process: maps a kind name to its
 * provider and runs one operation. Everything behind it is the installed package's code.
 */
import { periodicConfKind } from "../kinds/periodicConf";
import { jailConfKind } from "../kinds/jailConf";
import { pkgRepositoryKind } from "../kinds/pkgRepository";
import { fileIntegrityKind } from "../kinds/fileIntegrity";
import { bootEnvironmentKind } from "../kinds/bootEnvironment";
import { packageKind } from "../kinds/package";
import { packageLockKind } from "../kinds/packageLock";
import { vulnerabilityAuditKind } from "../kinds/vulnerabilityAudit";
import { serviceRestartKind } from "../kinds/serviceRestart";
import { kindProvider, type KindProvider } from "./adapter";
import type { AnyKind } from "./kind";

const kinds: Record<string, AnyKind> = {
  [bootEnvironmentKind.name]: bootEnvironmentKind,
  [fileIntegrityKind.name]: fileIntegrityKind,
  [periodicConfKind.name]: periodicConfKind,
  [jailConfKind.name]: jailConfKind,
  [pkgRepositoryKind.name]: pkgRepositoryKind,
  [packageKind.name]: packageKind,
  [packageLockKind.name]: packageLockKind,
  [vulnerabilityAuditKind.name]: vulnerabilityAuditKind,
  [serviceRestartKind.name]: serviceRestartKind,
};

const providers = new Map<string, KindProvider>();

/** Runs `operation` of kind `kind` with the engine's arguments. */
export async function dispatch(kind: string, operation: string, args: unknown[]): Promise<unknown> {
  let provider = providers.get(kind);
  if (!provider) {
    const k = kinds[kind];
    if (!k) throw new Error(`pulumi-freebsd: unknown resource kind ${kind} (this version knows ${Object.keys(kinds).join(", ")})`);
    provider = kindProvider(k);
    providers.set(kind, provider);
  }
  const fn = (provider as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[operation];
  if (typeof fn !== "function") throw new Error(`pulumi-freebsd: ${kind} has no operation ${operation}`);
  return fn(...args);
}
