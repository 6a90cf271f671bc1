/**
 * The shared, read-only observations: the installed set, the host-wide audit and the configured
 * repositories. Each is one command per host per run (see ./cache.ts).
 */
import { classifyAudit, type AuditOutcome, type AuditPackage } from "../../pkg/audit";
import { HostStateError } from "../../hostfs/errors";
import type { Remote } from "../../transport";
import { cachedPerHost } from "./cache";
import { pkgExec } from "./exec";
import { INSTALLED_QUERY, parseInstalled, type InstalledPackage } from "./installed";

const ANY = Array.from({ length: 256 }, (_, i) => i);

/** Every installed package: one `pkg query -a` per host per run. */
export function installedSet(remote: Remote): Promise<InstalledPackage[]> {
  return cachedPerHost(remote, "installed", async () => {
    // Exit codes are not read: a missing database prints nothing and exits 0, a query error
    // prints "pkg: …" on stderr; the set comes from stdout.
    const r = await pkgExec(remote, INSTALLED_QUERY, { okExitCodes: ANY, idempotent: true });
    if (r.exitCode !== 0 && r.stdoutText.trim() === "" && r.stderrText.trim() !== "") {
      throw new HostStateError(`\`pkg query\` failed: ${r.stderrText.trim()}`, "check that pkg is bootstrapped on the host (`pkg -N`)");
    }
    return parseInstalled(r.stdoutText);
  });
}

/** The argv of a read-only audit of the installed packages, with the existing database or `file`. */
export function auditArgv(file?: string): string[] {
  return file ? ["pkg", "audit", "-f", file] : ["pkg", "audit"];
}

/** `pkg audit` of every installed package (no fetch: read-only), classified by src/pkg/audit.ts. */
export function hostAudit(remote: Remote, file?: string): Promise<AuditOutcome> {
  return cachedPerHost(remote, `audit:${file ?? ""}`, async () => {
    const r = await pkgExec(remote, auditArgv(file), { okExitCodes: ANY, idempotent: true });
    return classifyAudit({ exitCode: r.exitCode, stdout: r.stdoutText, stderr: r.stderrText }, "text");
  });
}

/** The vulnerable packages of an audit outcome; null when the audit could not run (no database…). */
export function vulnerablePackages(o: AuditOutcome): AuditPackage[] | null {
  return o.state === "error" ? null : o.report.packages;
}

/**
 * Names of the configured repositories, from the `Repositories:` section of `pkg -vv`
 * (commands.md §1.16: `  NAME: { ` per repository, enabled or not).
 */
export function configuredRepositories(remote: Remote): Promise<string[]> {
  return cachedPerHost(remote, "repositories", async () => {
    const r = await pkgExec(remote, ["pkg", "-vv"], { okExitCodes: ANY, idempotent: true });
    return parseRepositoryNames(r.stdoutText);
  });
}

/** The repository names listed after `Repositories:` in `pkg -vv` output. */
export function parseRepositoryNames(text: string): string[] {
  const at = text.indexOf("\nRepositories:");
  if (at < 0) return [];
  const names: string[] = [];
  for (const line of text.slice(at).split("\n")) {
    const m = /^ {2}([A-Za-z0-9_.-]+): \{ ?$/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}
