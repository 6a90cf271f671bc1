// FreeBSD test hosts: real OpenSSH sshd instances on 127.0.0.1 whose sessions
// run inside a bubblewrap view that looks like a FreeBSD 14 machine.
//
//   const fleet = await startHosts(2);
//   const [a] = fleet.hosts;            // a.host, a.port, a.user, a.hostKey
//   fleet.clientKey.privateKeyPath      // ed25519 key accepted by every host
//   await a.run("sysrc -n sshd_enable") // setup/assertions without ssh
//   a.commands(), a.tools(), a.connections(), a.faults.failNext("sysrc", 1, 1, "boom\n")
//   await fleet.stop();
//
// Layout of one host (TestHost.root):
//   fs/{etc,usr/local,var,root,tmp}   the host's private folders, bound
//                                     read-write over the same paths in the view
//   fs/var/run/freebsd-sim/           simulator state visible inside the view:
//     profile.json tools.jsonl bin/ shims/ faults/ state/
//   ssh/                              sshd_config, host key, authorized_keys, sshd.log
//   log/commands.jsonl                the session wrapper's command log
//   session.sh                        the sshd ForceCommand (session wrapper)
//
// Everything else of the real machine is visible read-only.

import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as crypto from "node:crypto";
import { spawn, spawnSync, ChildProcess } from "node:child_process";

export interface FreeBSDProfile {
  kernel: string;
  running: string;
  userland: string;
  osreldate: number;
  userreldate: number;
  machine: string;
  hostname: string;
  pkgVersion: string;
  /** false: the host has no ZFS root, so bectl fails as libbe_init() does (default true). */
  zfsRoot?: boolean;
  /** "legacy": bectl prints the older lowercase "failed to …" messages (default "current"). */
  bectlWording?: "current" | "legacy";
}

export interface TestHostOptions {
  name?: string;
  profile?: Partial<FreeBSDProfile>;
  files?: Record<string, string | { content: string; mode?: number }>;
}

export interface CommandLogEntry {
  time: string;
  connection: string;
  command: string;
  exitCode?: number;
  durationMs?: number;
}

export interface ToolLogEntry {
  time: string;
  tool: string;
  argv: string[];
  exitCode: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  timeoutMs?: number;
}

export interface TestHost {
  readonly name: string;
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly user: "root";
  readonly hostKey: string;
  readonly hostKeyFingerprint: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA...` — a known_hosts line for this host. */
  readonly knownHostsLine: string;
  readonly root: string;
  readonly profile: FreeBSDProfile;
  /** Change what the host claims to be from now on (e.g. after a simulated upgrade + reboot). */
  setProfile(changes: Partial<FreeBSDProfile>): void;
  realPath(hostPath: string): string;
  readFile(hostPath: string): string;
  writeFile(hostPath: string, content: string, mode?: number): void;
  exists(hostPath: string): boolean;
  run(command: string, options?: RunOptions): Promise<ExecResult>;
  commands(): CommandLogEntry[];
  tools(): ToolLogEntry[];
  connections(): number;
  resetLogs(): void;
  faults: {
    slow(command: string, ms: number): void;
    failNext(command: string, times: number, exitCode: number, stderr: string): void;
    dropConnections(): Promise<void>;
    refuseLogins(on: boolean): void;
    stopSshd(): Promise<void>;
    startSshd(): Promise<void>;
    clear(): void;
  };
  stop(): Promise<void>;
}

export interface TestFleet {
  hosts: TestHost[];
  clientKey: { privateKey: string; publicKey: string; privateKeyPath: string };
  stop(): Promise<void>;
}

// ------------------------------------------------------------------ constants

const HERE = __dirname;
const SIM_DIR = path.join(HERE, "sim");
const FIXTURE_ROOT = path.resolve(HERE, "../fixtures/host/rootfs");
const SSHD = "/usr/sbin/sshd";
const BWRAP = "/usr/bin/bwrap";
const SSH_KEYGEN = "/usr/bin/ssh-keygen";
const SFTP_SERVER = "/usr/lib/openssh/sftp-server";
const SETPRIV = "/usr/bin/setpriv";

/** The host's private folders (host-view paths), each bound read-write. */
const PRIVATE = ["/etc", "/usr/local", "/var", "/root", "/tmp"] as const;
/** Inside the view. */
const SIM_VIEW = "/var/run/freebsd-sim";
const VIEW_PATH = `${SIM_VIEW}/shims:${SIM_VIEW}/bin:/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin`;
const RUN_PATH = `${SIM_VIEW}/bin:/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin`;

/** Files a Linux program needs from /etc; copied into each host's /etc. */
const LINUX_ETC = [
  "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "nsswitch.conf", "host.conf",
  "gai.conf", "localtime", "ssl", "mtab", "resolv.conf", "protocols", "services", "magic",
];

export const DEFAULT_PROFILE: Omit<FreeBSDProfile, "hostname"> = {
  kernel: "14.1-RELEASE-p5",
  running: "14.1-RELEASE-p5",
  userland: "14.1-RELEASE-p6",
  osreldate: 1401000,
  userreldate: 1401000,
  machine: "amd64",
  pkgVersion: "2.8.4",
};

interface ToolSpec {
  name: string;
  file: string;
  freebsdPath: string;
}

function toolSpecs(): ToolSpec[] {
  const j = JSON.parse(fs.readFileSync(path.join(SIM_DIR, "tools.json"), "utf8")) as { tools: ToolSpec[] };
  return j.tools;
}

// ---------------------------------------------------------------- utilities

export function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function mkdirp(p: string, mode?: number): void {
  fs.mkdirSync(p, { recursive: true });
  if (mode !== undefined) fs.chmodSync(p, mode);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(file: string, comment: string): void {
  const r = spawnSync(SSH_KEYGEN, ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr?.toString()}`);
}

/** "SHA256:..." exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? "", "base64");
  return "SHA256:" + crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

function readJsonl(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* a line being written right now */
    }
  }
  return out;
}

const b64 = (s: unknown): string => Buffer.from(String(s ?? ""), "base64").toString("utf8");

// ------------------------------------------------------------ /proc helpers

function procPpids(): Map<number, number> {
  const m = new Map<number, number>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      m.set(Number(d), ppid);
    } catch {
      /* gone */
    }
  }
  return m;
}

function descendants(roots: number[], ppids = procPpids()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of ppids) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(pid);
  }
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const p = stack.pop()!;
    for (const c of children.get(p) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return [...out];
}

/** Socket inodes of non-listening TCP sockets whose LOCAL port is `port`. */
function serverSocketInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(f, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = parseInt(cols[1]!.split(":")[1] ?? "", 16);
      if (localPort === port && cols[3] !== "0A") inodes.add(cols[9]!);
    }
  }
  return inodes;
}

/** sshd processes serving connections to `port` (not the listener). */
function connectionPids(port: number, exclude: number[]): number[] {
  const inodes = serverSocketInodes(port);
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    if (exclude.includes(pid)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${d}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = "";
      try {
        link = fs.readlinkSync(`/proc/${d}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) {
        pids.push(pid);
        break;
      }
    }
  }
  return pids;
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killAll(pids: number[], signal: NodeJS.Signals = "SIGKILL"): void {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      /* already gone */
    }
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!pids.some(alive)) return true;
    await sleep(15);
  }
  return !pids.some(alive);
}

// ------------------------------------------------------------ prerequisites

export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root (test hosts run sshd and bwrap as root; run the tests as root)");
  if (!isExecutable(SSHD)) missing.push("sshd (apt-get install openssh-server)");
  if (!isExecutable(SSH_KEYGEN)) missing.push("ssh-keygen (apt-get install openssh-client)");
  if (!isExecutable(BWRAP)) missing.push("bwrap (apt-get install bubblewrap)");
  else {
    const r = spawnSync(BWRAP, ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "/bin/true"], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 10_000,
    });
    if (r.status !== 0) {
      missing.push(`a working bwrap (bwrap failed: ${(r.stderr?.toString() ?? "").trim() || `status ${r.status}`}; run as root or allow user namespaces)`);
    }
  }
  return missing;
}

export async function ensurePrerequisites(): Promise<void> {
  let missing = missingPrerequisites();
  if (missing.length === 0) return;
  const installable = missing.some((m) => m.includes("apt-get install"));
  if (process.getuid?.() === 0 && installable && isExecutable("/usr/bin/apt-get")) {
    const pkgs = ["openssh-server", "openssh-client", "bubblewrap"];
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let r = spawnSync("apt-get", ["install", "-y", ...pkgs], { stdio: "pipe", env });
    if (r.status !== 0) {
      spawnSync("apt-get", ["update"], { stdio: "pipe", env });
      r = spawnSync("apt-get", ["install", "-y", ...pkgs], { stdio: "pipe", env });
    }
    missing = missingPrerequisites();
    if (missing.length === 0) return;
    throw new Error(
      `FreeBSD test hosts: still missing after apt-get install: ${missing.join(", ")}\n${r.stderr?.toString() ?? ""}`,
    );
  }
  throw new Error(
    `FreeBSD test hosts need: ${missing.join(", ")}. ` +
      `Install them (as root: apt-get update && apt-get install -y openssh-server bubblewrap).`,
  );
}

// ------------------------------------------------------------- host seeding

function seedHost(root: string, profile: FreeBSDProfile, tools: ToolSpec[]): void {
  fs.rmSync(root, { recursive: true, force: true });
  const fsDir = path.join(root, "fs");
  for (const p of PRIVATE) mkdirp(path.join(fsDir, p));
  mkdirp(path.join(root, "ssh"), 0o700);
  mkdirp(path.join(root, "log"));

  // FreeBSD files (fixtures) first, then what Linux programs need to run
  fs.cpSync(FIXTURE_ROOT, fsDir, { recursive: true, verbatimSymlinks: true });
  for (const f of LINUX_ETC) {
    const src = path.join("/etc", f);
    try {
      fs.lstatSync(src);
    } catch {
      continue;
    }
    fs.cpSync(src, path.join(fsDir, "etc", f), { recursive: true, verbatimSymlinks: true, dereference: false });
  }
  const etc = (p: string) => path.join(fsDir, "etc", p);
  const rcConf = fs.readFileSync(etc("rc.conf"), "utf8").replace(/@@HOSTNAME@@/g, profile.hostname);
  fs.writeFileSync(etc("rc.conf"), rcConf);
  fs.chmodSync(etc("master.passwd"), 0o600);
  fs.writeFileSync(etc("hostid"), crypto.randomUUID() + "\n");
  fs.writeFileSync(etc("machine-id"), crypto.randomBytes(16).toString("hex") + "\n");
  fs.symlinkSync("../var/run/os-release", etc("os-release"));

  const v = (p: string) => path.join(fsDir, "var", p);
  for (const d of ["db", "db/pkg", "cache/pkg", "log", "run", "empty", "backups", "mail", "cron/tabs", "crash", "at/jobs"]) {
    mkdirp(v(d));
  }
  mkdirp(v("tmp"), 0o1777);
  fs.chmodSync(path.join(fsDir, "tmp"), 0o1777);
  fs.chmodSync(path.join(fsDir, "root"), 0o700);
  fs.chmodSync(v("empty"), 0o555);
  for (const d of ["bin", "sbin", "lib", "libexec", "share", "etc/rc.d"]) mkdirp(path.join(fsDir, "usr/local", d));
  fs.writeFileSync(v("log/messages"), "");
  fs.writeFileSync(
    v("run/os-release"),
    [
      "NAME=FreeBSD",
      `VERSION="${profile.userland}"`,
      `VERSION_ID="${profile.userland.replace(/-.*/, "")}"`,
      "ID=freebsd",
      'ANSI_COLOR="0;31"',
      `PRETTY_NAME="FreeBSD ${profile.userland}"`,
      `CPE_NAME="cpe:/o:freebsd:freebsd:${profile.userland.replace(/-.*/, "")}"`,
      "",
    ].join("\n"),
  );

  // simulator state
  const simDir = v("run/freebsd-sim");
  for (const d of ["bin", "shims", "faults", "state", "code"]) mkdirp(path.join(simDir, d));
  fs.writeFileSync(path.join(simDir, "profile.json"), JSON.stringify(profile, null, 2) + "\n");
  fs.writeFileSync(path.join(simDir, "tools.jsonl"), "");
  for (const t of tools) {
    // The simulator's code is bound into the view (viewArgs): the checkout may sit under /tmp,
    // which the view replaces with the host's own.
    const abs = `${SIM_VIEW}/code/${t.file}`;
    const launcher = t.file.endsWith(".sh")
      ? `#!/bin/sh\nexec /bin/sh ${shQuote(abs)} "$@"\n`
      : `#!${process.execPath}\nrequire(${JSON.stringify(abs)});\n`;
    fs.writeFileSync(path.join(simDir, "bin", t.name), launcher, { mode: 0o755 });
  }
}

function writeHostFile(realFile: string, content: string, mode?: number): void {
  mkdirp(path.dirname(realFile));
  fs.writeFileSync(realFile, content);
  if (mode !== undefined) fs.chmodSync(realFile, mode);
}

// ------------------------------------------------------------------- hosts

interface HostState {
  listener: ChildProcess | null;
  listenerPid: number;
}

const liveHosts = new Set<Host>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const h of liveHosts) h.killNowSync();
  });
}

class Host implements TestHost {
  readonly host = "127.0.0.1" as const;
  readonly user = "root" as const;
  port = 0;
  hostKey = "";
  hostKeyFingerprint = "";
  private state: HostState = { listener: null, listenerPid: 0 };
  private readonly fsDir: string;
  private readonly simDir: string;
  private readonly sshDir: string;
  private readonly binds: string[] = [];
  private currentProfile: FreeBSDProfile;
  readonly faults: TestHost["faults"];

  constructor(
    readonly name: string,
    readonly root: string,
    profile: FreeBSDProfile,
    private readonly clientPublicKey: string,
    tools: ToolSpec[],
  ) {
    this.currentProfile = profile;
    this.fsDir = path.join(root, "fs");
    this.simDir = path.join(this.fsDir, "var/run/freebsd-sim");
    this.sshDir = path.join(root, "ssh");
    for (const t of tools) {
      if (!t.freebsdPath.startsWith("/usr/local/") && isExecutable(t.freebsdPath)) {
        this.binds.push("--ro-bind", path.join(this.simDir, "bin", t.name), t.freebsdPath);
      }
    }
    this.faults = {
      slow: (command, ms) => this.slow(command, ms),
      failNext: (command, times, exitCode, stderr) => this.failNext(command, times, exitCode, stderr),
      dropConnections: () => this.dropConnections(),
      refuseLogins: (on) => this.refuseLogins(on),
      stopSshd: () => this.stopSshd(),
      startSshd: () => this.startSshd(),
      clear: () => this.clearFaults(),
    };
  }

  get profile(): FreeBSDProfile {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.simDir, "profile.json"), "utf8")) as FreeBSDProfile;
    } catch {
      return { ...this.currentProfile };
    }
  }

  setProfile(changes: Partial<FreeBSDProfile>): void {
    this.currentProfile = { ...this.profile, ...changes };
    fs.writeFileSync(path.join(this.simDir, "profile.json"), JSON.stringify(this.currentProfile, null, 2) + "\n");
  }

  get knownHostsLine(): string {
    return `[${this.host}]:${this.port} ${this.hostKey.split(/\s+/).slice(0, 2).join(" ")}`;
  }

  // ---------------------------------------------------------------- files

  realPath(hostPath: string): string {
    if (!hostPath.startsWith("/")) throw new Error(`realPath: ${hostPath} is not an absolute host path`);
    const p = path.posix.normalize(hostPath);
    if (!PRIVATE.some((d) => p === d || p.startsWith(d + "/"))) {
      throw new Error(`realPath: ${hostPath} is outside the host's private folders (${PRIVATE.join(", ")})`);
    }
    return path.join(this.fsDir, p);
  }

  readFile(hostPath: string): string {
    return fs.readFileSync(this.realPath(hostPath), "utf8");
  }

  writeFile(hostPath: string, content: string, mode?: number): void {
    writeHostFile(this.realPath(hostPath), content, mode);
  }

  exists(hostPath: string): boolean {
    return fs.existsSync(this.realPath(hostPath));
  }

  // ----------------------------------------------------------------- view

  /** bwrap arguments building this host's filesystem view. */
  viewArgs(forRun: boolean): string[] {
    const a = ["--ro-bind", "/", "/"];
    for (const p of PRIVATE) a.push("--bind", path.join(this.fsDir, p), p);
    a.push("--ro-bind", SIM_DIR, `${SIM_VIEW}/code`);
    a.push("--dev", "/dev", "--proc", "/proc");
    a.push(...this.binds);
    if (forRun) {
      // harness commands: no fault shims, no tool log
      a.push("--tmpfs", `${SIM_VIEW}/shims`, "--dev-bind", "/dev/null", `${SIM_VIEW}/tools.jsonl`);
    }
    a.push("--unshare-uts", "--hostname", this.currentProfile.hostname);
    a.push("--die-with-parent", "--chdir", "/root", "--clearenv");
    a.push("--setenv", "PATH", forRun ? RUN_PATH : VIEW_PATH);
    a.push("--setenv", "HOME", "/root", "--setenv", "USER", "root", "--setenv", "LOGNAME", "root");
    a.push("--setenv", "SHELL", "/bin/sh", "--setenv", "BLOCKSIZE", "K", "--setenv", "MAIL", "/var/mail/root");
    return a;
  }

  run(command: string, options: RunOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(BWRAP, [...this.viewArgs(true), "--", "/bin/sh", "-c", command], {
        stdio: ["pipe", "pipe", "pipe"],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs) timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => err.push(d));
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          exitCode: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1),
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      });
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.stdin ?? "");
    });
  }

  // ----------------------------------------------------------------- sshd

  writeSessionWrapper(): void {
    const log = path.join(this.root, "log/commands.jsonl");
    const script = `#!/bin/sh
# freebsd-sim session wrapper for test host ${this.name} (generated by test/host/index.ts).
# sshd runs this as ForceCommand: log the command, then run it with /bin/sh -c
# inside the host's bubblewrap view.  stdin/stdout/stderr pass straight through.
LOG=${shQuote(log)}
cmd=\${SSH_ORIGINAL_COMMAND-}
set -f
set -- $SSH_CONNECTION
conn="$1 $2"
set +f
t0=$(/usr/bin/date -u '+%Y-%m-%dT%H:%M:%S.%3NZ %s%N')
iso=\${t0% *}
start=\${t0#* }
id="$$-$start"
c64=$(printf '%s' "$cmd" | /usr/bin/base64 -w0)
printf '{"ev":"start","id":"%s","time":"%s","connection":"%s","command64":"%s"}\\n' "$id" "$iso" "$conn" "$c64" >> "$LOG"
set --
for v in SSH_CONNECTION SSH_CLIENT SSH_TTY TERM LANG LC_ALL; do
	eval "x=\\\${$v+set}"
	[ -n "$x" ] && eval "set -- \\"\\$@\\" --setenv $v \\"\\\$$v\\""
done
if [ -n "$cmd" ]; then
	set -- "$@" -- /bin/sh -c "$cmd"
else
	set -- "$@" -- /bin/sh
fi
${BWRAP} ${this.viewArgs(false).map(shQuote).join(" ")} "$@"
rc=$?
t1=$(/usr/bin/date -u +%s%N)
printf '{"ev":"end","id":"%s","exitCode":%d,"durationMs":%d}\\n' "$id" "$rc" "$(( (t1 - start) / 1000000 ))" >> "$LOG"
exit $rc
`;
    fs.writeFileSync(path.join(this.root, "session.sh"), script, { mode: 0o755 });
  }

  writeSshdConfig(): void {
    const s = this.sshDir;
    const cfg = [
      `# sshd for FreeBSD test host ${this.name} (generated by test/host/index.ts)`,
      `ListenAddress 127.0.0.1:${this.port}`,
      `HostKey ${path.join(s, "ssh_host_ed25519_key")}`,
      `PidFile ${path.join(s, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(s, "authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "HostbasedAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "MaxSessions 10",
      "MaxStartups 100:30:200",
      "AllowTcpForwarding yes",
      "AllowAgentForwarding no",
      "X11Forwarding no",
      "PermitUserEnvironment no",
      "PrintMotd no",
      "PrintLastLog no",
      "UseDNS no",
      "LogLevel VERBOSE",
      // root's login shell (bash) would source ~/.bashrc for ssh sessions at SHLVL 0
      "SetEnv SHLVL=1",
      `Subsystem sftp ${SFTP_SERVER}`,
      `ForceCommand ${path.join(this.root, "session.sh")}`,
      "",
    ].join("\n");
    fs.writeFileSync(path.join(s, "sshd_config"), cfg);
  }

  private sshdLog(): string {
    return path.join(this.sshDir, "sshd.log");
  }

  /** Start sshd on this.port; resolves when it listens. Throws "EADDRINUSE" when the port is taken. */
  async spawnSshd(): Promise<void> {
    if (!fs.existsSync("/run/sshd")) mkdirp("/run/sshd", 0o755);
    const logFile = this.sshdLog();
    const before = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const sshdArgs = [SSHD, "-D", "-f", path.join(this.sshDir, "sshd_config"), "-E", logFile];
    // setpriv --pdeathsig: the listener gets SIGTERM if this process dies without stop()
    const argv = isExecutable(SETPRIV) ? [SETPRIV, "--pdeathsig", "TERM", ...sshdArgs] : sshdArgs;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    child.on("exit", () => (exited = true));
    this.state = { listener: child, listenerPid: child.pid ?? 0 };
    const ready = `Server listening on 127.0.0.1 port ${this.port}.`;
    const end = Date.now() + 15_000;
    for (;;) {
      let text = "";
      try {
        const fd = fs.openSync(logFile, "r");
        const size = fs.fstatSync(fd).size;
        const buf = Buffer.alloc(Math.max(0, size - before));
        fs.readSync(fd, buf, 0, buf.length, before);
        fs.closeSync(fd);
        text = buf.toString();
      } catch {
        /* not created yet */
      }
      if (text.includes(ready)) return;
      if (exited || Date.now() > end) {
        if (!exited) child.kill("SIGKILL");
        this.state = { listener: null, listenerPid: 0 };
        const msg = `${text}\n${stderr}`;
        if (/Address already in use/.test(msg)) throw new Error("EADDRINUSE");
        throw new Error(`sshd for ${this.name} did not start on port ${this.port}:\n${msg.trim()}`);
      }
      await sleep(10);
    }
  }

  async start(): Promise<void> {
    keygen(path.join(this.sshDir, "ssh_host_ed25519_key"), `root@${this.name}`);
    this.hostKey = fs.readFileSync(path.join(this.sshDir, "ssh_host_ed25519_key.pub"), "utf8").trim();
    this.hostKeyFingerprint = fingerprint(this.hostKey);
    fs.writeFileSync(path.join(this.sshDir, "authorized_keys"), this.clientPublicKey.trim() + "\n");
    for (let attempt = 0; ; attempt++) {
      this.port = await freePort();
      this.writeSessionWrapper();
      this.writeSshdConfig();
      try {
        await this.spawnSshd();
        break;
      } catch (e) {
        if ((e as Error).message === "EADDRINUSE" && attempt < 8) continue;
        throw e;
      }
    }
    liveHosts.add(this);
    installExitHook();
    fs.writeFileSync(
      path.join(this.root, "host.json"),
      JSON.stringify({ name: this.name, port: this.port, sshdPid: this.state.listenerPid }, null, 2) + "\n",
    );
  }

  // ----------------------------------------------------------------- logs

  commands(): CommandLogEntry[] {
    const rows = readJsonl(path.join(this.root, "log/commands.jsonl"));
    const byId = new Map<string, CommandLogEntry>();
    const out: CommandLogEntry[] = [];
    for (const r of rows) {
      const id = String(r.id);
      if (r.ev === "start") {
        const e: CommandLogEntry = { time: String(r.time), connection: String(r.connection), command: b64(r.command64) };
        byId.set(id, e);
        out.push(e);
      } else if (r.ev === "end") {
        const e = byId.get(id);
        if (e) {
          e.exitCode = Number(r.exitCode);
          e.durationMs = Number(r.durationMs);
        }
      }
    }
    return out;
  }

  tools(): ToolLogEntry[] {
    return readJsonl(path.join(this.simDir, "tools.jsonl")).map((r) => ({
      time: String(r.time),
      tool: String(r.tool),
      argv: Array.isArray(r.argv) ? r.argv.map(String) : Array.isArray(r.argv64) ? r.argv64.map(b64) : [],
      exitCode: Number(r.exitCode),
    }));
  }

  connections(): number {
    let text = "";
    try {
      text = fs.readFileSync(this.sshdLog(), "utf8");
    } catch {
      return 0;
    }
    return (text.match(/Accepted publickey for root from /g) ?? []).length;
  }

  resetLogs(): void {
    for (const f of [path.join(this.root, "log/commands.jsonl"), path.join(this.simDir, "tools.jsonl"), this.sshdLog()]) {
      try {
        fs.truncateSync(f, 0);
      } catch {
        /* not there yet */
      }
    }
  }

  // --------------------------------------------------------------- faults

  private faultDir(command: string): string {
    if (!/^[A-Za-z0-9._+-]+$/.test(command) || command === "." || command === "..") {
      throw new Error(`faults: "${command}" is not a command name`);
    }
    const link = path.join(this.simDir, "shims", command);
    try {
      fs.lstatSync(link);
    } catch {
      fs.symlinkSync(`${SIM_VIEW}/code/shim.sh`, link);
    }
    const d = path.join(this.simDir, "faults", command);
    mkdirp(d);
    return d;
  }

  slow(command: string, ms: number): void {
    const d = this.faultDir(command);
    fs.writeFileSync(path.join(d, "slow"), `${(Math.max(0, ms) / 1000).toFixed(3)}\n`);
  }

  failNext(command: string, times: number, exitCode: number, stderr: string): void {
    const d = path.join(this.faultDir(command), "fail");
    fs.rmSync(d, { recursive: true, force: true });
    mkdirp(path.join(d, "tokens"));
    fs.writeFileSync(path.join(d, "code"), `${exitCode}\n`);
    fs.writeFileSync(path.join(d, "stderr"), stderr);
    for (let i = 1; i <= times; i++) fs.writeFileSync(path.join(d, "tokens", String(i).padStart(6, "0")), "");
  }

  clearFaults(): void {
    for (const d of ["shims", "faults"]) {
      const p = path.join(this.simDir, d);
      for (const e of fs.readdirSync(p)) fs.rmSync(path.join(p, e), { recursive: true, force: true });
    }
    this.refuseLogins(false);
  }

  refuseLogins(on: boolean): void {
    fs.writeFileSync(path.join(this.sshDir, "authorized_keys"), on ? "" : this.clientPublicKey.trim() + "\n");
  }

  async dropConnections(): Promise<void> {
    const conns = connectionPids(this.port, [this.state.listenerPid, process.pid]);
    if (conns.length === 0) return;
    const victims = [...conns, ...descendants(conns)];
    killAll(victims);
    await waitGone(victims, 5000);
  }

  async stopSshd(): Promise<void> {
    const child = this.state.listener;
    const pid = this.state.listenerPid;
    this.state = { listener: null, listenerPid: 0 };
    if (!child || !pid || !alive(pid)) return;
    const gone = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", () => r())));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 3000);
    await gone;
    clearTimeout(t);
  }

  async startSshd(): Promise<void> {
    if (this.state.listenerPid && alive(this.state.listenerPid)) return;
    try {
      await this.spawnSshd();
    } catch (e) {
      if ((e as Error).message === "EADDRINUSE") {
        throw new Error(`startSshd: port ${this.port} of ${this.name} is now taken by another process`);
      }
      throw e;
    }
  }

  async stop(): Promise<void> {
    liveHosts.delete(this);
    await this.stopSshd();
    await this.dropConnections();
  }

  killNowSync(): void {
    if (this.state.listenerPid) killAll([this.state.listenerPid]);
    try {
      const conns = connectionPids(this.port, [process.pid]);
      killAll([...conns, ...descendants(conns)]);
    } catch {
      /* best effort at exit */
    }
  }
}

// ------------------------------------------------------------------- fleet

export async function startHosts(
  count: number,
  options?: TestHostOptions | TestHostOptions[],
  base: { dir?: string } = {},
): Promise<TestFleet> {
  await ensurePrerequisites();
  const autoDir = !base.dir;
  const dir = base.dir ? path.resolve(base.dir) : fs.mkdtempSync(path.join(os.tmpdir(), "freebsd-test-hosts-"));
  mkdirp(dir);

  const clientDir = path.join(dir, "client");
  mkdirp(clientDir, 0o700);
  const privateKeyPath = path.join(clientDir, "id_ed25519");
  fs.rmSync(privateKeyPath, { force: true });
  fs.rmSync(privateKeyPath + ".pub", { force: true });
  keygen(privateKeyPath, "freebsd-test-client");
  const clientKey = {
    privateKey: fs.readFileSync(privateKeyPath, "utf8"),
    publicKey: fs.readFileSync(privateKeyPath + ".pub", "utf8").trim(),
    privateKeyPath,
  };

  const tools = toolSpecs();
  const perHost = (i: number): TestHostOptions =>
    (Array.isArray(options) ? options[i] : options) ?? {};
  const names = new Set<string>();
  const hosts: Host[] = [];
  for (let i = 0; i < count; i++) {
    const o = perHost(i);
    let name = o.name ?? `host-${i + 1}`;
    if (o.name && !Array.isArray(options) && count > 1) name = `${o.name}-${i + 1}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`startHosts: bad host name "${name}"`);
    if (names.has(name)) throw new Error(`startHosts: duplicate host name "${name}"`);
    names.add(name);
    const profile: FreeBSDProfile = { ...DEFAULT_PROFILE, hostname: name, ...o.profile };
    const root = path.join(dir, name);
    seedHost(root, profile, tools);
    const h = new Host(name, root, profile, clientKey.publicKey, tools);
    for (const [p, v] of Object.entries(o.files ?? {})) {
      if (typeof v === "string") h.writeFile(p, v);
      else h.writeFile(p, v.content, v.mode);
    }
    hosts.push(h);
  }

  const started = await Promise.allSettled(hosts.map((h) => h.start()));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(hosts.map((h) => h.stop().catch(() => undefined)));
    throw failed.reason;
  }

  let stopped = false;
  return {
    hosts,
    clientKey,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(hosts.map((h) => h.stop()));
      if (autoDir && !process.env.KEEP_TEST_HOSTS) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
