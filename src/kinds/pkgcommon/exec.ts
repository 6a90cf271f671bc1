/**
 * Running pkg on a host: every call goes through {@link pkgExec}, which retries while pkg's
 * database lock is held by another process (commands.md §1.17) and reports failures with the
 * command and pkg's own message.
 */
import { HostStateError } from "../../hostfs/errors";
import type { ExecResult, Remote } from "../../transport";

/** pkg's lock-contention messages: advisory (writes), read (query/audit), exclusive (set/register). */
export const DB_LOCKED = /Cannot get an? (?:advisory|read|exclusive) lock on (?:a|the) database/;

/** Retry policy for a locked database; tests shorten it. */
export const lockRetry = { attempts: 5, baseDelayMs: 500 };

/** Options of {@link pkgExec}. */
export interface PkgExecOptions {
  /** Exit codes that are not failures (default [0]). The state is read from output, not from these. */
  okExitCodes?: readonly number[];
  /** True for read-only commands (re-run after a dropped connection). */
  idempotent?: boolean;
  timeoutMs?: number;
}

const ALL_CODES = Array.from({ length: 256 }, (_, i) => i);

/** True when a finished pkg run failed only because another process held the database lock. */
export function isLockContention(r: Pick<ExecResult, "stderrText">): boolean {
  return DB_LOCKED.test(r.stderrText);
}

/** Last lines of a text, for messages. */
export function tail(text: string, lines = 6): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Runs a pkg argv. Lock contention is retried with exponential backoff, then reported as a
 * {@link HostStateError}; any other exit code outside `okExitCodes` is reported with pkg's stderr.
 */
export async function pkgExec(remote: Remote, argv: readonly string[], opts: PkgExecOptions = {}): Promise<ExecResult> {
  const ok = opts.okExitCodes ?? [0];
  const summary = argv.join(" ");
  for (let attempt = 1; ; attempt++) {
    const r = await remote.exec(argv, {
      okExitCodes: ALL_CODES,
      summary,
      ...(opts.idempotent ? { idempotent: true } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    });
    if (isLockContention(r)) {
      if (attempt < lockRetry.attempts) {
        await new Promise((res) => setTimeout(res, lockRetry.baseDelayMs * 2 ** (attempt - 1)));
        continue;
      }
      throw new HostStateError(
        `\`${summary}\`: the package database is locked by another process (tried ${attempt} times): ${tail(r.stderrText, 2)}`,
        "another pkg run (periodic's daily audit, an operator, a jail update) holds the lock; wait for it to finish, then run `pulumi up` again",
      );
    }
    if (!ok.includes(r.exitCode)) {
      throw new HostStateError(
        `\`${summary}\` exited ${r.exitCode}${r.stderrText.trim() ? `: ${tail(r.stderrText)}` : r.stdoutText.trim() ? `: ${tail(r.stdoutText)}` : ""}`,
        "read pkg's message above; fix the cause on the host (repository, disk space, a conflicting package), then run `pulumi up` again",
      );
    }
    return r;
  }
}
