/**
 * One SSH connection: dialing (TCP or through a jump host, with host key verification and
 * authentication), and exec channels multiplexed on it with a concurrency cap.
 */
import { connect as netConnect, Socket } from "net";
import { constants as osConstants } from "os";
import type { Duplex } from "stream";
import { Client, utils } from "ssh2";
import type { AnyAuthMethod, AuthenticationType, ClientChannel, ConnectConfig, NextAuthHandler, ParsedKey } from "ssh2";
import { errors, isRetryable, markRetryable, RemoteError, Secrets } from "./errors";
import { fingerprintOf, HostKeyPolicy, keyTypeOf } from "./hostkeys";

/**
 * Tunables. Internal: tests shorten them; production code leaves them alone.
 */
export const tuning = {
  /** Concurrent exec channels per connection (sshd's MaxSessions defaults to 10). */
  maxChannels: 8,
  /** Close a connection after this long without channels. */
  idleMs: 60_000,
  /** SSH keep-alive interval. */
  keepaliveMs: 15_000,
  /** Unanswered keep-alives before the connection counts as dropped. */
  keepaliveCountMax: 4,
  /** First dial retry delay; doubles per attempt up to {@link tuning.backoffMaxMs}. */
  backoffBaseMs: 500,
  /** Longest dial retry delay. */
  backoffMaxMs: 5_000,
};

/** One hop's dial settings (the target, or its jump host). */
export interface HopSettings {
  /** `user@host:port` of this hop. */
  label: string;
  host: string;
  port: number;
  user: string;
  password?: string | undefined;
  privateKey?: string | undefined;
  privateKeyPassword?: string | undefined;
  agentSocketPath?: string | undefined;
  /** Seconds for TCP connect + SSH handshake + authentication. */
  perDialTimeout: number;
  policy: HostKeyPolicy;
}

/** What to dial: the target, optionally through a jump host. */
export interface DialPlan {
  target: HopSettings;
  proxy?: HopSettings | undefined;
  /** Attempts for retryable errors; -1 is unlimited. */
  dialErrorLimit: number;
  secrets: Secrets;
}

/** Raised when a command could not start because its connection closed first; safe to retry. */
export class NotStartedError extends Error {
  constructor() {
    super("the connection closed before the command started");
    this.name = "NotStartedError";
  }
}

/** The server refused to open a session channel (nothing ran). */
class ChannelOpenRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChannelOpenRefused";
  }
}

/** Channel-open attempts before giving up (they back off from 10 ms to 250 ms: ~3 s in all). */
const CHANNEL_OPEN_ATTEMPTS = 16;

/** The raw outcome of one exec channel. */
export interface RawExecResult {
  exitCode: number;
  /** Signal name when the command was killed by a signal (exitCode is then 128 + its number). */
  signal?: string;
  stdout: Buffer;
  stderr: Buffer;
}

/** Options of {@link SshConnection.exec}. */
export interface RawExecOptions {
  stdin?: string | Buffer | undefined;
  /** 0 or Infinity: no timeout. */
  timeoutMs: number;
  /** Short command summary for errors. */
  summary: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rewraps an error of a jump-host hop so that it is reported for the target. */
function viaProxy(e: unknown, targetLabel: string): unknown {
  if (!(e instanceof RemoteError)) return e;
  const out = new RemoteError(e.kind, targetLabel, `${targetLabel}: proxy ${e.message}`, e);
  return isRetryable(e) ? markRetryable(out) : out;
}

function withAttempts(e: unknown, attempts: number): unknown {
  if (!(e instanceof RemoteError) || attempts <= 1) return e;
  return new RemoteError(e.kind, e.host, `${e.message} (gave up after ${attempts} attempts)`, e);
}

/** Maps a socket-level error to a RemoteError. */
export function socketError(label: string, host: string, e: NodeJS.ErrnoException, secrets: Secrets, ms?: number): RemoteError {
  switch (e.code) {
    case "ECONNREFUSED":
      return markRetryable(errors.refused(label));
    case "ENOTFOUND":
      return errors.dns(label, host, e.code);
    case "EAI_AGAIN":
      return markRetryable(errors.dns(label, host, e.code));
    case "ETIMEDOUT":
      return markRetryable(errors.dialTimeout(label, ms ?? 0));
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
      return markRetryable(errors.refused(label, e.code === "ENETUNREACH" ? "network unreachable" : "host unreachable"));
    case "ECONNRESET":
    case "EPIPE":
      return markRetryable(errors.dropped(label, `connection reset (${e.code})`));
    default:
      return markRetryable(errors.dropped(label, secrets.scrub(`socket error ${e.code ?? ""} ${e.message}`.trim())));
  }
}

/** Opens a TCP connection with a deadline. */
function tcpConnect(hop: HopSettings, deadline: number, secrets: Secrets): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ms = hop.perDialTimeout * 1000;
    const sock = netConnect({ host: hop.host, port: hop.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(markRetryable(errors.dialTimeout(hop.label, ms)));
    }, Math.max(0, deadline - Date.now()));
    sock.once("connect", () => {
      clearTimeout(timer);
      sock.removeAllListeners("error");
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      sock.destroy();
      reject(socketError(hop.label, hop.host, e, secrets, ms));
    });
  });
}

/** Parses the private key of a hop, or throws a config error (never quoting the key). */
function parsePrivateKey(hop: HopSettings): ParsedKey | undefined {
  if (hop.privateKey === undefined) return undefined;
  let parsed: ParsedKey | ParsedKey[] | Error;
  try {
    parsed = utils.parseKey(hop.privateKey, hop.privateKeyPassword) as ParsedKey | ParsedKey[] | Error;
  } catch {
    parsed = new Error("unparsable");
  }
  if (Array.isArray(parsed)) parsed = parsed[0] ?? new Error("no key");
  if (parsed instanceof Error || !parsed.isPrivateKey()) {
    const enc = /encrypt|passphrase|decrypt/i.test(parsed instanceof Error ? parsed.message : "");
    throw errors.config(
      hop.label,
      enc
        ? "privateKey is encrypted and privateKeyPassword is missing or wrong"
        : "privateKey is not a usable private key (expected an OpenSSH or PEM private key)",
    );
  }
  return parsed;
}

/** The outcome of a successful SSH handshake. */
interface Handshaken {
  client: Client;
  presentedKey: Buffer;
}

/** Runs the SSH handshake and authentication on `sock`. */
function sshHandshake(hop: HopSettings, sock: Duplex, deadline: number, secrets: Secrets): Promise<Handshaken> {
  let key: ParsedKey | undefined;
  try {
    key = parsePrivateKey(hop);
  } catch (e) {
    sock.destroy();
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    const client = new Client();
    const ms = hop.perDialTimeout * 1000;
    let presented: Buffer | undefined;
    let hostKeyError: RemoteError | undefined;
    const tried: string[] = [];
    let serverAllows: string[] | undefined;
    let settled = false;

    const fail = (e: RemoteError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      client.on("error", () => undefined);
      client.destroy();
      sock.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(markRetryable(errors.dialTimeout(hop.label, ms))), Math.max(0, deadline - Date.now()));

    const onReady = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      resolve({ client, presentedKey: presented! });
    };
    const onError = (e: Error & { level?: string; code?: string }) => {
      if (hostKeyError) return fail(hostKeyError);
      if (e.level === "agent") {
        // The agent could not be used; ssh2 goes on with the next method.
        const i = tried.lastIndexOf("agent");
        if (i >= 0) tried[i] = "agent (unavailable)";
        return;
      }
      if (e.level === "client-authentication") {
        if (/All configured authentication methods failed/.test(e.message)) {
          return fail(errors.auth(hop.label, hop.user, tried, serverAllows));
        }
        return; // a signing error for one method; ssh2 tries the next
      }
      if (/no matching host key format/.test(e.message) && hop.policy.algorithms) return fail(hop.policy.typeUnavailable());
      if (e.level === "client-socket") return fail(socketError(hop.label, hop.host, e as NodeJS.ErrnoException, secrets, ms));
      if (e.level === "client-timeout") return fail(markRetryable(errors.dialTimeout(hop.label, ms)));
      if (/Connection lost before handshake/.test(e.message)) {
        return fail(markRetryable(errors.dropped(hop.label, "the server closed the connection before the SSH handshake")));
      }
      return fail(errors.dropped(hop.label, `SSH handshake failed: ${secrets.scrub(e.message)}`));
    };
    const onClose = () => {
      if (hostKeyError) return fail(hostKeyError);
      fail(markRetryable(errors.dropped(hop.label, "the server closed the connection during the SSH handshake")));
    };
    const cleanup = () => {
      client.off("ready", onReady);
      client.off("error", onError);
      client.off("close", onClose);
    };
    client.on("ready", onReady);
    client.on("error", onError);
    client.on("close", onClose);

    // Authentication: private key, then agent, then password, then keyboard-interactive with the
    // password (FreeBSD's default sshd offers PAM through keyboard-interactive only).
    const methods: AnyAuthMethod[] = [];
    const username = hop.user;
    if (key) methods.push({ type: "publickey", username, key });
    if (hop.agentSocketPath !== undefined) methods.push({ type: "agent", username, agent: hop.agentSocketPath });
    if (hop.password !== undefined) {
      const password = hop.password;
      methods.push({ type: "password", username, password });
      methods.push({
        type: "keyboard-interactive",
        username,
        prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map((p) => (p.echo ? "" : password))),
      });
    }
    const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
      if (Array.isArray(methodsLeft)) serverAllows = methodsLeft;
      while (methods.length > 0) {
        const m = methods.shift()!;
        const wire = m.type === "agent" ? "publickey" : m.type;
        if (Array.isArray(methodsLeft) && !methodsLeft.includes(wire)) continue;
        if (m.type === "keyboard-interactive" && tried.includes("password")) continue;
        tried.push(m.type);
        next(m);
        return;
      }
      next(false as unknown as AnyAuthMethod);
    };

    const config: ConnectConfig = {
      sock: sock as ConnectConfig["sock"],
      username,
      readyTimeout: 0, // the deadline above covers the whole dial
      keepaliveInterval: tuning.keepaliveMs,
      keepaliveCountMax: tuning.keepaliveCountMax,
      hostVerifier: (blob: Buffer) => {
        presented = Buffer.from(blob);
        const v = hop.policy.check(presented);
        if (!v.ok) hostKeyError = v.error;
        return v.ok;
      },
      authHandler: authHandler as unknown as ConnectConfig["authHandler"],
    };
    if (hop.policy.algorithms) config.algorithms = { serverHostKey: hop.policy.algorithms };
    try {
      client.connect(config);
    } catch (e) {
      fail(errors.config(hop.label, `cannot start SSH: ${secrets.scrub((e as Error).message)}`));
    }
  });
}

/** Opens a direct-tcpip channel from the jump host to the target. */
function forwardOut(proxy: Client, target: HopSettings, proxyLabel: string, deadline: number, secrets: Secrets): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(markRetryable(errors.dialTimeout(target.label, target.perDialTimeout * 1000)));
    }, Math.max(0, deadline - Date.now()));
    proxy.forwardOut("127.0.0.1", 0, target.host, target.port, (err, stream) => {
      clearTimeout(timer);
      if (settled) {
        if (!err) stream.destroy();
        return;
      }
      settled = true;
      if (!err) return resolve(stream);
      const msg = secrets.scrub(err.message);
      if (/prohibited/i.test(msg)) {
        return reject(errors.config(target.label, `proxy ${proxyLabel} does not allow TCP forwarding (AllowTcpForwarding): ${msg}`));
      }
      if (/not known|resolve|getaddrinfo|name/i.test(msg)) return reject(errors.dns(target.label, target.host, `via proxy ${proxyLabel}`));
      return reject(markRetryable(errors.refused(target.label, `via proxy ${proxyLabel}: ${msg}`)));
    });
  });
}

/** A dialed, authenticated connection, before it is wrapped. */
interface Established {
  client: Client;
  presentedKey: Buffer;
  /** Extra clients to end with the connection (the jump host). */
  extra: Client[];
  /** TCP sockets to ref/unref (the first hop's). */
  sockets: Socket[];
}

async function dialOnce(plan: DialPlan): Promise<Established> {
  const { target, proxy, secrets } = plan;
  if (!proxy) {
    const deadline = Date.now() + target.perDialTimeout * 1000;
    const sock = await tcpConnect(target, deadline, secrets);
    const hs = await sshHandshake(target, sock, deadline, secrets);
    return { client: hs.client, presentedKey: hs.presentedKey, extra: [], sockets: [sock] };
  }
  const pDeadline = Date.now() + proxy.perDialTimeout * 1000;
  let psock: Socket;
  let pc: Client;
  try {
    psock = await tcpConnect(proxy, pDeadline, secrets);
    pc = (await sshHandshake(proxy, psock, pDeadline, secrets)).client;
  } catch (e) {
    throw viaProxy(e, target.label);
  }
  pc.on("error", () => undefined);
  try {
    const deadline = Date.now() + target.perDialTimeout * 1000;
    const stream = await forwardOut(pc, target, proxy.label, deadline, secrets);
    const hs = await sshHandshake(target, stream, deadline, secrets);
    return { client: hs.client, presentedKey: hs.presentedKey, extra: [pc], sockets: [psock] };
  } catch (e) {
    pc.end();
    throw e;
  }
}

/**
 * Dials with retries: retryable errors (refused, timeout, reset) are retried with exponential
 * backoff up to `dialErrorLimit` attempts; authentication, host key, DNS and configuration errors
 * fail at once.
 */
export async function dial(plan: DialPlan): Promise<SshConnection> {
  const limit = plan.dialErrorLimit;
  for (let attempt = 1; ; attempt++) {
    try {
      const est = await dialOnce(plan);
      return new SshConnection(plan.target.label, est, plan.secrets);
    } catch (e) {
      if (!isRetryable(e) || (limit !== -1 && attempt >= limit)) throw withAttempts(e, attempt);
      await sleep(Math.min(tuning.backoffBaseMs * 2 ** (attempt - 1), tuning.backoffMaxMs));
    }
  }
}

/**
 * Sends a KILL "signal" channel request, so that sshd killpg()s the command. OpenSSH honours it in
 * privilege-separated (non-root) sessions only; in root sessions it logs "session signalling
 * requires privilege separation" and the command runs on (see SshConnection.retire). ssh2's public
 * `channel.signal()` silently does nothing once stdin has been ended, which we always do right
 * away, so this goes one level down, to the same protocol call `signal()` makes (ssh2 1.17).
 */
function killChannel(ch: ClientChannel): void {
  const inner = ch as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, sig: string) => void } };
  };
  try {
    const id = inner.outgoing?.id;
    const proto = inner._client?._protocol;
    if (typeof id === "number" && (inner.outgoing?.state === "open" || inner.outgoing?.state === "eof") && typeof proto?.signal === "function") {
      proto.signal(id, "KILL");
    } else {
      ch.signal("KILL");
    }
  } catch {
    /* the channel is already gone */
  }
}

function signalNumber(name: string): number {
  const n = (osConstants.signals as Record<string, number | undefined>)[`SIG${name.replace(/^SIG/, "")}`];
  return typeof n === "number" ? n : 0;
}

/** One pooled SSH connection with at most {@link tuning.maxChannels} concurrent exec channels. */
export class SshConnection {
  /** `user@host:port`. */
  readonly label: string;
  /** The host key blob the server presented during the handshake. */
  readonly presentedKey: Buffer;
  /** The presented key's fingerprint. */
  readonly presentedFingerprint: string;
  /** The presented key's type. */
  readonly presentedType: string;
  private readonly client: Client;
  private readonly extra: Client[];
  private readonly sockets: Socket[];
  private readonly secrets: Secrets;
  private active = 0;
  private readonly waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private closedFlag = false;
  private closing = false;
  private retired = false;
  /** Channels given up after a timeout whose command may still hold a server session. */
  private abandoned = 0;
  private closeReason: string | undefined;
  private lastError: string | undefined;
  private readonly closeListeners: (() => void)[] = [];
  private readonly closedPromise: Promise<void>;

  /** Wraps an established connection. */
  constructor(label: string, est: Established, secrets: Secrets) {
    this.label = label;
    this.client = est.client;
    this.presentedKey = est.presentedKey;
    this.presentedFingerprint = fingerprintOf(est.presentedKey);
    this.presentedType = keyTypeOf(est.presentedKey) ?? "unknown";
    this.extra = est.extra;
    this.sockets = est.sockets;
    this.secrets = secrets;
    this.closedPromise = new Promise((resolve) => this.closeListeners.push(resolve));
    this.client.on("error", (e: Error) => {
      this.lastError = secrets.scrub(e.message);
    });
    this.client.on("close", () => this.markClosed(this.lastError ?? "the server closed the connection"));
    this.client.on("end", () => {
      if (!this.closedFlag && !this.closeReason) this.closeReason = "the server ended the connection";
    });
    this.idle();
  }

  /** True once the connection is closing, closed or retired after a timeout (it is then never reused). */
  get closed(): boolean {
    return this.closedFlag || this.closing || this.retired;
  }

  /** Number of channels in use. */
  get activeChannels(): number {
    return this.active;
  }

  /** Registers a callback run once when the connection closes. */
  onClose(fn: () => void): void {
    if (this.closedFlag) fn();
    else this.closeListeners.push(fn);
  }

  /**
   * Runs one command line on a new exec channel, queueing while {@link tuning.maxChannels} are in
   * use. Resolves with any exit code; rejects with RemoteError "timeout" or "dropped", or with
   * {@link NotStartedError} when the connection closed before the command started.
   */
  async exec(line: string, o: RawExecOptions): Promise<RawExecResult> {
    for (let attempt = 1; ; attempt++) {
      await this.acquireSlot();
      try {
        return await this.runChannel(line, o);
      } catch (e) {
        if (!(e instanceof ChannelOpenRefused)) throw e;
        // sshd frees a closed session only after the packets that arrived with its CLOSE have
        // been handled, so an OPEN right behind a CLOSE can find MaxSessions still full ("no
        // more sessions"). Nothing ran: wait a little and open again.
        if (attempt >= CHANNEL_OPEN_ATTEMPTS) {
          throw errors.dropped(this.label, `could not open a session channel: ${e.message}`, o.summary);
        }
        await sleep(Math.min(10 * 2 ** (attempt - 1), 250));
      }
    }
  }

  /** Closes the connection (gracefully, then forcibly after 2 s). */
  close(): Promise<void> {
    if (!this.closedFlag && !this.closing) {
      this.closing = true;
      this.closeReason = this.closeReason ?? "closed by the client";
      try {
        this.client.end();
      } catch {
        /* already gone */
      }
      const force = setTimeout(() => {
        this.client.destroy();
        this.markClosed("closed by the client");
      }, 2000);
      force.unref();
      void this.closedPromise.then(() => clearTimeout(force));
    }
    return this.closedPromise;
  }

  private markClosed(reason: string): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.closeReason = this.closeReason ?? reason;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const w of this.waiting.splice(0)) w.reject(new NotStartedError());
    for (const c of this.extra) {
      try {
        c.end();
      } catch {
        /* ignore */
      }
    }
    for (const s of this.sockets) s.destroy();
    for (const fn of this.closeListeners.splice(0)) fn();
  }

  private busy(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    for (const s of this.sockets) s.ref();
  }

  private idle(): void {
    if (this.closedFlag) return;
    for (const s of this.sockets) s.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.active === 0 && this.waiting.length === 0) void this.close();
    }, tuning.idleMs);
    this.idleTimer.unref();
  }

  private acquireSlot(): Promise<void> {
    if (this.closed) return Promise.reject(new NotStartedError());
    this.busy();
    if (this.active < tuning.maxChannels) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) {
      next.resolve();
      return;
    }
    this.active--;
    if (this.active === 0) this.idle();
    this.closeIfRetiredAndQuiet();
  }

  /**
   * Retires the connection after a command timeout: OpenSSH keeps a session (and its MaxSessions
   * slot) until the command exits, and refuses "signal" requests in root sessions, so a timed-out
   * command may linger. New work goes to a fresh connection; this one closes as soon as no other
   * command runs on it (which also releases the lingering sessions on the server).
   */
  private retire(): void {
    if (this.retired || this.closedFlag) return;
    this.retired = true;
    for (const w of this.waiting.splice(0)) w.reject(new NotStartedError());
    this.closeIfRetiredAndQuiet();
  }

  private closeIfRetiredAndQuiet(): void {
    if (this.retired && this.active - this.abandoned <= 0) void this.close();
  }

  private runChannel(line: string, o: RawExecOptions): Promise<RawExecResult> {
    return new Promise<RawExecResult>((resolve, reject) => {
      let released = false;
      let abandoned = false;
      const release = () => {
        if (released) return;
        released = true;
        if (abandoned) {
          abandoned = false;
          this.abandoned--;
        }
        this.releaseSlot();
      };
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        f();
      };
      /** Gives up on a channel whose command overran: kill it if sshd allows, close it. */
      const abandon = (ch: ClientChannel) => {
        abandoned = true;
        this.abandoned++;
        // The slot is freed when the server reports the command's exit or closes the channel.
        ch.on("exit", release);
        ch.on("close", release);
        killChannel(ch);
        try {
          ch.close();
        } catch {
          /* already closed */
        }
        this.retire();
      };
      if (this.closed) {
        release();
        reject(new NotStartedError());
        return;
      }
      let channel: ClientChannel | undefined;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let exitCode: number | undefined;
      let signal: string | undefined;

      const onOpen = (err: Error | undefined, ch: ClientChannel) => {
        if (err) {
          release();
          if (this.closedFlag || /No response from server|Not connected/i.test(err.message)) {
            finish(() => reject(new NotStartedError()));
          } else {
            finish(() => reject(new ChannelOpenRefused(this.secrets.scrub(err.message))));
          }
          return;
        }
        ch.on("error", () => undefined);
        if (done) {
          // Timed out before the channel opened.
          abandon(ch);
          return;
        }
        channel = ch;
        ch.on("data", (d: Buffer) => stdout.push(d));
        ch.stderr.on("data", (d: Buffer) => stderr.push(d));
        ch.on("exit", (code: number | null, sig?: string) => {
          if (typeof code === "number") exitCode = code;
          else if (sig) {
            signal = sig.replace(/^SIG/, "");
            exitCode = 128 + signalNumber(sig);
          }
        });
        ch.on("close", () => {
          if (done) return;
          release();
          if (exitCode === undefined) {
            const why = this.closedFlag ? this.closeReason : "the channel closed without an exit status";
            finish(() => reject(errors.dropped(this.label, why, o.summary)));
            return;
          }
          const r: RawExecResult = { exitCode, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
          if (signal !== undefined) r.signal = signal;
          finish(() => resolve(r));
        });
        if (o.stdin !== undefined && o.stdin.length > 0) ch.end(o.stdin);
        else ch.end();
      };

      try {
        this.client.exec(line, onOpen);
      } catch {
        // "Not connected": the connection is gone; the command never started.
        release();
        this.markClosed("not connected");
        finish(() => reject(new NotStartedError()));
        return;
      }
      if (o.timeoutMs > 0 && Number.isFinite(o.timeoutMs)) {
        timer = setTimeout(() => {
          finish(() => {
            if (channel) abandon(channel);
            reject(errors.commandTimeout(this.label, o.summary, o.timeoutMs));
          });
        }, o.timeoutMs);
      }
    });
  }
}
