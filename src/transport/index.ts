/**
 * SSH transport: run commands on FreeBSD hosts over pooled ssh2 connections.
 *
 * ```ts
 * const r = remoteFor({ host: "h1", privateKey, hostKey: "ssh-ed25519 AAAA…" });
 * const { stdoutText } = await r.exec(["freebsd-version", "-k"], { idempotent: true });
 * ```
 *
 * Every command is an argv array quoted by {@link commandLine}; scripts take data as positional
 * parameters ({@link scriptArgv}) or on stdin.
 */
export { closeAllConnections, connectionStats, DEFAULT_TIMEOUT_MS, remoteFor } from "./pool";
export type { ExecOptions, ExecResult, Remote } from "./pool";
export { isRemoteError, RemoteError } from "./errors";
export type { RemoteErrorKind } from "./errors";
export {
  fingerprintOf,
  hashKnownHostName,
  knownHostName,
  parseHostKeySpec,
  parseKnownHosts,
  parsePublicKeyLine,
} from "./hostkeys";
export { becomeArgv, connectionSchema } from "./schema";
export type { ConnectionArgs } from "./schema";
export { commandLine, QuoteError, scriptArgv, shellQuote } from "./quote";
