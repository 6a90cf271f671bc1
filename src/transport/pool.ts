/**
 * The process-wide connection pool and the {@link Remote} handle the resource engine uses.
 *
 * One connection per (host, port, user); exec channels are multiplexed on it. The pool lives on
 * `globalThis` under a registered symbol, so it stays process-wide even if this module is loaded
 * more than once (e.g. by a serialized dynamic-provider closure and by the package itself).
 */
import { dial, DialPlan, HopSettings, NotStartedError, SshConnection } from "./connection";
import { errors, isRemoteError, Secrets } from "./errors";
import { HostKeyPolicy, hostKeyPolicy } from "./hostkeys";
import { commandLine, scriptArgv } from "./quote";
import { becomeArgv, ConnectionArgs, connectionSchema, formatIssues, ResolvedConnection, ResolvedProxy } from "./schema";

/** Options of {@link Remote.exec} and {@link Remote.script}. */
export interface ExecOptions {
  /** Data written to the command's stdin, which is then closed. Without it stdin is closed at once. */
  stdin?: string | Buffer;
  /** Command timeout in milliseconds (default 300 000; 0 disables). On timeout the channel is closed. */
  timeoutMs?: number;
  /** Exit codes that count as success (default `[0]`); any other fails with RemoteError kind "command". */
  okExitCodes?: readonly number[];
  /** Short human summary for errors and logs (default: argv[0] and its first arguments, truncated). */
  summary?: string;
  /** True for reads: if the connection drops while the command runs, re-dial once and run it again. */
  idempotent?: boolean;
}

/** The outcome of a command. */
export interface ExecResult {
  /** The exit code (128 + signal number if the command was killed by a signal). */
  exitCode: number;
  /** Everything the command wrote to stdout. */
  stdout: Buffer;
  /** Everything the command wrote to stderr. */
  stderr: Buffer;
  /** stdout decoded as UTF-8. */
  readonly stdoutText: string;
  /** stderr decoded as UTF-8. */
  readonly stderrText: string;
}

/** A handle on one remote host; cheap to create, backed by the pooled connection. */
export interface Remote {
  /** `user@host:port`. */
  readonly label: string;
  /**
   * Runs `commandLine(argv)` (wrapped by `become` when configured) on the host.
   * Rejects with a {@link RemoteError} (or a QuoteError, before anything is sent, if an argument contains NUL).
   */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Runs a fixed sh script with data as positional parameters: `exec(scriptArgv(body, args))`. */
  script(body: string, args?: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

/** Default command timeout. */
export const DEFAULT_TIMEOUT_MS = 300_000;

class Result implements ExecResult {
  constructor(
    public exitCode: number,
    public stdout: Buffer,
    public stderr: Buffer,
  ) {}
  get stdoutText(): string {
    return this.stdout.toString("utf8");
  }
  get stderrText(): string {
    return this.stderr.toString("utf8");
  }
}

interface PoolEntry {
  conn?: SshConnection | undefined;
  dialing?: Promise<SshConnection> | undefined;
}

interface PoolState {
  entries: Map<string, PoolEntry>;
  dials: number;
  warned: Set<string>;
}

const POOL_KEY = Symbol.for("pulumi-freebsd.transport.pool.v1");

function pool(): PoolState {
  const g = globalThis as unknown as Record<symbol, PoolState | undefined>;
  let st = g[POOL_KEY];
  if (!st) {
    st = { entries: new Map(), dials: 0, warned: new Set() };
    g[POOL_KEY] = st;
  }
  return st;
}

/** `user@host:port`, with IPv6 literals bracketed. */
export function labelOf(user: string, host: string, port: number): string {
  return `${user}@${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function rawLabel(raw: unknown): string {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const clean = (v: unknown, d: string) =>
    typeof v === "string" && v !== "" ? v.replace(/[\s\p{Cc}]/gu, "?").slice(0, 100) : d;
  const port = typeof r.port === "number" ? String(r.port) : "22";
  return `${clean(r.user, "root")}@${clean(r.host, "?")}:${port}`;
}

/** Default summary: argv[0] and up to two more arguments, each cut at 40 characters. */
export function summarize(argv: readonly string[]): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const parts = argv.slice(0, 3).map((a) => cut(a.replace(/\s+/g, " ").trim(), 40));
  return cut(parts.join(" ") + (argv.length > 3 ? " …" : ""), 100);
}

function scriptSummary(body: string): string {
  const first =
    body
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "" && !l.startsWith("#") && l !== "set -e" && l !== "set -eu") ?? "";
  const s = `sh: ${first}`;
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

function hop(
  c: ResolvedConnection | ResolvedProxy,
  policy: HostKeyPolicy,
): HopSettings {
  return {
    label: labelOf(c.user, c.host, c.port),
    host: c.host,
    port: c.port,
    user: c.user,
    password: c.password,
    privateKey: c.privateKey,
    privateKeyPassword: c.privateKeyPassword,
    agentSocketPath: c.agentSocketPath,
    perDialTimeout: c.perDialTimeout,
    policy,
  };
}

class SshRemote implements Remote {
  readonly label: string;
  private readonly conn: ResolvedConnection;
  private readonly key: string;
  private readonly secrets: Secrets;
  private plan: DialPlan | undefined;
  private readonly verified = new WeakSet<SshConnection>();

  constructor(conn: ResolvedConnection) {
    this.conn = conn;
    this.label = labelOf(conn.user, conn.host, conn.port);
    this.key = this.label;
    const p = conn.proxy;
    const secrets = new Secrets([conn.password, conn.privateKey, conn.privateKeyPassword, p?.password, p?.privateKey, p?.privateKeyPassword]);
    this.secrets = secrets;
    // Keep the resolved settings (with secrets) off the enumerable surface of the object.
    Object.defineProperty(this, "conn", { enumerable: false });
    Object.defineProperty(this, "secrets", { enumerable: false });
    Object.defineProperty(this, "plan", { enumerable: false, writable: true });
    Object.defineProperty(this, "verified", { enumerable: false });
  }

  private dialPlan(): DialPlan {
    if (this.plan) return this.plan;
    const c = this.conn;
    const policy = hostKeyPolicy(c, this.label);
    let proxy: HopSettings | undefined;
    if (c.proxy) {
      const p = c.proxy;
      const pLabel = labelOf(p.user, p.host, p.port);
      const own = p.hostKey !== undefined || p.knownHostsFile !== undefined || p.insecureIgnoreHostKey === true;
      const settings = own ? p : { host: p.host, port: p.port, knownHostsFile: c.knownHostsFile };
      proxy = hop(p, hostKeyPolicy(settings, pLabel));
    }
    this.plan = { target: hop(c, policy), proxy, dialErrorLimit: c.dialErrorLimit, secrets: this.secrets };
    return this.plan;
  }

  /** The pooled connection, dialing if needed, with its host key checked against this handle's policy. */
  private async connection(): Promise<SshConnection> {
    const plan = this.dialPlan();
    const conn = await acquire(this.key, plan);
    if (!this.verified.has(conn)) {
      // The connection may have been dialed by another handle with other host key settings.
      const v = plan.target.policy.check(conn.presentedKey);
      if (!v.ok) throw v.error;
      this.verified.add(conn);
    }
    return conn;
  }

  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const scrub = this.secrets.scrub;
    const summary = scrub(opts.summary ?? summarize(argv));
    const become = this.conn.become && this.conn.user !== "root" ? this.conn.become : undefined;
    const line = commandLine(become ? becomeArgv(become, argv) : argv);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const ok = opts.okExitCodes ?? [0];
    let retriedDrop = false;
    let notStarted = 0;
    for (;;) {
      const conn = await this.connection();
      let raw;
      try {
        raw = await conn.exec(line, { stdin: opts.stdin, timeoutMs, summary });
      } catch (e) {
        if (e instanceof NotStartedError) {
          if (++notStarted <= 3) continue;
          throw errors.dropped(this.label, "the connection kept closing before the command could start", summary);
        }
        if (isRemoteError(e, "dropped") && opts.idempotent && !retriedDrop) {
          retriedDrop = true;
          continue;
        }
        throw e;
      }
      if (!ok.includes(raw.exitCode)) {
        const how = raw.signal ? `killed by signal ${raw.signal}` : undefined;
        throw errors.command(this.label, summary, raw.exitCode, scrub(raw.stderr.toString("utf8")), how);
      }
      return new Result(raw.exitCode, raw.stdout, raw.stderr);
    }
  }

  script(body: string, args: readonly string[] = [], opts: ExecOptions = {}): Promise<ExecResult> {
    return this.exec(scriptArgv(body, args), { ...opts, summary: opts.summary ?? scriptSummary(body) });
  }
}

function acquire(key: string, plan: DialPlan): Promise<SshConnection> {
  const st = pool();
  let e = st.entries.get(key);
  if (!e) {
    e = {};
    st.entries.set(key, e);
  }
  const entry = e;
  if (entry.conn && !entry.conn.closed) return Promise.resolve(entry.conn);
  entry.conn = undefined;
  if (!entry.dialing) {
    entry.dialing = dial(plan).then(
      (conn) => {
        st.dials++;
        entry.conn = conn;
        entry.dialing = undefined;
        conn.onClose(() => {
          if (entry.conn === conn) entry.conn = undefined;
        });
        if (plan.target.policy.insecure && !st.warned.has(key)) {
          st.warned.add(key);
          process.stderr.write(
            `\n*** WARNING: host key checking is DISABLED for ${key} (insecureIgnoreHostKey: true). ` +
              `Anyone on the network path can impersonate this host and capture what is sent to it. ` +
              `The server presented a ${conn.presentedType} key ${conn.presentedFingerprint}; pin it as hostKey. ***\n\n`,
          );
        }
        return conn;
      },
      (err: unknown) => {
        entry.dialing = undefined;
        throw err;
      },
    );
  }
  return entry.dialing;
}

/**
 * A {@link Remote} for the given connection settings, backed by the process-wide pool.
 * Validates the settings with {@link connectionSchema} and throws a {@link RemoteError} of kind
 * "config" if they are invalid (the message names each broken rule, never a secret value).
 */
export function remoteFor(conn: ConnectionArgs): Remote {
  const parsed = connectionSchema.safeParse(conn);
  if (!parsed.success) {
    throw errors.config(rawLabel(conn), `invalid connection settings: ${formatIssues(parsed.error.issues)}`);
  }
  return new SshRemote(parsed.data);
}

/** Closes every pooled connection (waiting for dials in progress). Later execs dial again. */
export async function closeAllConnections(): Promise<void> {
  const st = pool();
  const all: Promise<void>[] = [];
  for (const e of st.entries.values()) {
    const c = e.conn;
    const d = e.dialing;
    if (c) all.push(c.close());
    if (d) all.push(d.then((x) => x.close(), () => undefined));
  }
  await Promise.all(all);
}

/**
 * Counters for tests: `dials` is the number of connections established since the process started
 * (successful dials, a retried dial counting once); `open` the number currently open in the pool.
 */
export function connectionStats(): { dials: number; open: number } {
  const st = pool();
  let open = 0;
  for (const e of st.entries.values()) if (e.conn && !e.conn.closed) open++;
  return { dials: st.dials, open };
}

