/**
 * Errors raised by the SSH transport.
 *
 * Every {@link RemoteError} message starts with the connection label (`user@host:port`) and says
 * what to check next. No message is ever built from a password, private key or key passphrase:
 * builders take only non-secret facts, and {@link Secrets.scrub} is applied on top as a second line
 * of defence to any text that came from elsewhere (ssh2 messages, remote stderr).
 */

/** What went wrong, coarsely; the resource engine branches on it. */
export type RemoteErrorKind =
  | "refused"
  | "dns"
  | "auth"
  | "hostkey"
  | "timeout"
  | "dropped"
  | "command"
  | "config";

/** Optional facts carried by a {@link RemoteError}. */
export interface RemoteErrorDetails {
  /** Exit code of a failed remote command (kind "command"). */
  exitCode?: number;
  /** The last lines of a failed command's stderr (kind "command"). */
  stderrTail?: string;
  /** The short command summary (kinds "command", "timeout", "dropped"). */
  command?: string;
  /** Fingerprint(s) the configuration expected (kind "hostkey"); several are comma-separated. */
  expectedFingerprint?: string;
  /** Fingerprint of the key the server presented (kind "hostkey", and warnings). */
  presentedFingerprint?: string;
}

/** An error from talking to a remote host; {@link RemoteError.kind} says which kind. */
export class RemoteError extends Error {
  /** The kind of failure. */
  readonly kind: RemoteErrorKind;
  /** The connection label, `user@host:port`. */
  readonly host: string;
  /** Exit code of a failed remote command. */
  declare readonly exitCode?: number;
  /** Tail of a failed command's stderr (at most ~20 lines / 2 KiB). */
  declare readonly stderrTail?: string;
  /** The short command summary. */
  declare readonly command?: string;
  /** Expected host key fingerprint(s), `SHA256:…`. */
  declare readonly expectedFingerprint?: string;
  /** Presented host key fingerprint, `SHA256:…`. */
  declare readonly presentedFingerprint?: string;

  /**
   * @param kind what went wrong
   * @param host the connection label; the message should already start with it
   * @param message the full, human message (must not contain secrets)
   * @param details optional facts
   */
  constructor(kind: RemoteErrorKind, host: string, message: string, details: RemoteErrorDetails = {}) {
    super(message);
    this.name = "RemoteError";
    this.kind = kind;
    this.host = host;
    if (details.exitCode !== undefined) this.exitCode = details.exitCode;
    if (details.stderrTail !== undefined) this.stderrTail = details.stderrTail;
    if (details.command !== undefined) this.command = details.command;
    if (details.expectedFingerprint !== undefined) this.expectedFingerprint = details.expectedFingerprint;
    if (details.presentedFingerprint !== undefined) this.presentedFingerprint = details.presentedFingerprint;
  }
}

/** Returns true when `e` is a {@link RemoteError}, optionally of one of the given kinds. */
export function isRemoteError(e: unknown, ...kinds: RemoteErrorKind[]): e is RemoteError {
  return e instanceof RemoteError && (kinds.length === 0 || kinds.includes(e.kind));
}

const retryableDial = new WeakSet<RemoteError>();

/** Marks a dial error as worth another attempt (refused, timeout, reset). Internal. */
export function markRetryable(e: RemoteError): RemoteError {
  retryableDial.add(e);
  return e;
}

/** Whether a dial error was marked retryable by {@link markRetryable}. Internal. */
export function isRetryable(e: unknown): boolean {
  return e instanceof RemoteError && retryableDial.has(e);
}

/**
 * A set of secret strings (passwords, private keys, passphrases) to strip from any text before it
 * goes into an error. Holds the secrets in a closure, never as an enumerable property, so that the
 * object itself cannot leak them through `JSON.stringify` or `util.inspect`.
 */
export class Secrets {
  /** Replaces every occurrence of a secret in `text` with `***`. */
  readonly scrub: (text: string) => string;

  /** @param values the secrets; `undefined` and very short values (< 4 chars) are ignored */
  constructor(values: ReadonlyArray<string | undefined>) {
    const needles = new Set<string>();
    for (const v of values) {
      if (typeof v !== "string") continue;
      if (v.length >= 4) needles.add(v);
      // A PEM/OpenSSH private key may be quoted line by line: strip each substantial line too.
      for (const line of v.split(/\r?\n/)) {
        const t = line.trim();
        if (t.length >= 16 && !/^-----(BEGIN|END) /.test(t)) needles.add(t);
      }
    }
    const sorted = [...needles].sort((a, b) => b.length - a.length);
    this.scrub = (text: string) => {
      let out = text;
      for (const n of sorted) if (out.includes(n)) out = out.split(n).join("***");
      return out;
    };
    Object.defineProperty(this, "scrub", { enumerable: false });
  }

  /** No secrets (for tests and for text that cannot contain any). */
  static readonly none = new Secrets([]);
}

/** Seconds for messages: `15 s`, `0.5 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** The tail of a command's stderr: the last 20 lines, at most 2 KiB. */
export function stderrTail(stderr: Buffer | string, maxLines = 20, maxChars = 2048): string {
  const text = (typeof stderr === "string" ? stderr : stderr.toString("utf8")).replace(/\s+$/, "");
  if (text === "") return "";
  let lines = text.split(/\r?\n/);
  let cut = false;
  if (lines.length > maxLines) {
    lines = lines.slice(-maxLines);
    cut = true;
  }
  let tail = lines.join("\n");
  if (tail.length > maxChars) {
    tail = tail.slice(-maxChars);
    cut = true;
  }
  return cut ? `…${tail}` : tail;
}

/** Builders for the messages of each error kind. Each takes only non-secret facts. */
export const errors = {
  /** TCP connection refused (or host/network unreachable). */
  refused(label: string, detail?: string, attempts = 1): RemoteError {
    const why = detail ? ` (${detail})` : "";
    return new RemoteError(
      "refused",
      label,
      `${label}: connection refused${why}: is sshd running and is the port right?${attemptsNote(attempts)}`,
    );
  },

  /** The host name did not resolve. */
  dns(label: string, hostname: string, code?: string): RemoteError {
    const c = code ? ` (${code})` : "";
    return new RemoteError(
      "dns",
      label,
      `${label}: host name "${hostname}" could not be resolved${c}: check the spelling and DNS`,
    );
  },

  /** Authentication failed. */
  auth(label: string, user: string, tried: readonly string[], serverAllows?: readonly string[]): RemoteError {
    const t = tried.length > 0 ? `tried ${tried.join(", ")}` : "no configured method was acceptable to the server";
    const s = serverAllows && serverAllows.length > 0 ? `; the server accepts ${serverAllows.join(", ")}` : "";
    return new RemoteError(
      "auth",
      label,
      `${label}: authentication failed for user "${user}" (${t}${s}): check the user, key, password or agent`,
    );
  },

  /** The presented host key does not match the configured one. */
  hostKeyMismatch(
    label: string,
    source: string,
    expected: readonly { type: string; fingerprint: string }[],
    presented: { type: string; fingerprint: string },
  ): RemoteError {
    const exp = expected.map((k) => (k.type ? `${k.fingerprint} (${k.type})` : k.fingerprint)).join(" or ");
    return new RemoteError(
      "hostkey",
      label,
      `${label}: host key mismatch: the server presented a ${presented.type} key ${presented.fingerprint}, ` +
        `but ${source} expects ${exp}. Someone may be intercepting the connection, or the host was reinstalled; ` +
        `if the change is expected, update ${source}`,
      {
        expectedFingerprint: expected.map((k) => k.fingerprint).join(", "),
        presentedFingerprint: presented.fingerprint,
      },
    );
  },

  /** The presented host key is marked @revoked in known_hosts. */
  hostKeyRevoked(label: string, source: string, presented: { type: string; fingerprint: string }): RemoteError {
    return new RemoteError(
      "hostkey",
      label,
      `${label}: host key rejected: the server presented a ${presented.type} key ${presented.fingerprint}, ` +
        `which ${source} marks @revoked`,
      { presentedFingerprint: presented.fingerprint },
    );
  },

  /** known_hosts has no entry for this host. */
  hostKeyUnknown(label: string, source: string, name: string, presented: { type: string; fingerprint: string }): RemoteError {
    return new RemoteError(
      "hostkey",
      label,
      `${label}: host key not known: ${source} has no entry for ${name}; the server presented a ${presented.type} ` +
        `key ${presented.fingerprint}. Verify it out of band, then add it to the file or pin it as hostKey`,
      { presentedFingerprint: presented.fingerprint },
    );
  },

  /** The server has no host key of the pinned key's algorithm. */
  hostKeyTypeUnavailable(label: string, source: string, expected: readonly { type: string; fingerprint: string }[]): RemoteError {
    const types = [...new Set(expected.map((k) => k.type))].join(", ");
    return new RemoteError(
      "hostkey",
      label,
      `${label}: host key mismatch: ${source} expects a ${types} key ` +
        `(${expected.map((k) => k.fingerprint).join(", ")}), but the server offers no host key of that type`,
      { expectedFingerprint: expected.map((k) => k.fingerprint).join(", ") },
    );
  },

  /** Neither hostKey, knownHostsFile nor insecureIgnoreHostKey was given. */
  noHostKeyConfig(label: string): RemoteError {
    return new RemoteError("config", label, `${label}: ${NO_HOST_KEY_CONFIG}`);
  },

  /** Dial timed out. */
  dialTimeout(label: string, ms: number, attempts = 1): RemoteError {
    return new RemoteError(
      "timeout",
      label,
      `${label}: timed out after ${seconds(ms)} while connecting (perDialTimeout): is the host up and reachable?${attemptsNote(attempts)}`,
    );
  },

  /** A command timed out. */
  commandTimeout(label: string, command: string, ms: number): RemoteError {
    return new RemoteError(
      "timeout",
      label,
      `${label}: command "${command}" timed out after ${seconds(ms)}; its channel was closed`,
      { command },
    );
  },

  /** The connection dropped. */
  dropped(label: string, detail?: string, command?: string, attempts = 1): RemoteError {
    const during = command ? ` while running "${command}"` : "";
    const why = detail ? ` (${detail})` : "";
    return new RemoteError(
      "dropped",
      label,
      `${label}: connection dropped${during}${why}${attemptsNote(attempts)}`,
      command !== undefined ? { command } : {},
    );
  },

  /** A remote command exited with a code not in okExitCodes. */
  command(label: string, command: string, exitCode: number, stderr: Buffer | string, how?: string): RemoteError {
    const tail = stderrTail(stderr);
    const h = how ? ` (${how})` : "";
    return new RemoteError(
      "command",
      label,
      `${label}: command "${command}" failed with exit code ${exitCode}${h}` + (tail ? `:\n${tail}` : " and no stderr"),
      { command, exitCode, stderrTail: tail },
    );
  },

  /** Invalid configuration. */
  config(label: string, problem: string): RemoteError {
    return new RemoteError("config", label, `${label}: ${problem}`);
  },
};

/** The text of the missing-host-key-configuration error, shared with the schema. */
export const NO_HOST_KEY_CONFIG =
  "no way to verify the server's host key: set hostKey (the server's public key line, e.g. the content of " +
  "/etc/ssh/ssh_host_ed25519_key.pub, or its SHA256 fingerprint as `ssh-keygen -lf` prints it), or " +
  "knownHostsFile (an OpenSSH known_hosts file that lists the host), or insecureIgnoreHostKey: true " +
  "(accepts any key; only for throw-away test hosts)";

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
}
