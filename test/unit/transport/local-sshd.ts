/**
 * A minimal real-sshd fixture (OpenSSH /usr/sbin/sshd, run as root on 127.0.0.1), used by
 * ssh.test.ts when the shared test-host harness (test/host) is not available. It offers the
 * subset of that harness's API the transport tests need.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { AddressInfo, connect, createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";

/** One sshd. */
export interface LocalHost {
  host: string;
  port: number;
  user: string;
  /** The host's ed25519 public key line. */
  hostKey: string;
  /** Its `SHA256:…` fingerprint. */
  hostKeyFingerprint: string;
  faults: {
    /** Kills the per-connection sshd processes (the listener stays). */
    dropConnections(): void;
    stopSshd(): Promise<void>;
    startSshd(): Promise<void>;
  };
  /** Number of accepted logins ("Accepted publickey" log lines). */
  connections(): number;
  /** The sshd log so far. */
  log(): string;
}

/** What {@link startLocalHosts} returns. */
export interface LocalHosts {
  hosts: LocalHost[];
  clientKey: { privateKey: string; privateKeyPath: string };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        r(true);
      });
      s.once("error", () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`sshd did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Child PIDs of a process (from /proc), without touching anything else. */
function childPids(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)])
      .toString()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Starts `n` sshd instances sharing one client key. */
export async function startLocalHosts(n: number): Promise<LocalHosts> {
  const dir = mkdtempSync(join(tmpdir(), "transport-sshd-"));
  mkdirSync("/run/sshd", { recursive: true });
  const keyPath = join(dir, "client_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "transport-test", "-f", keyPath]);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${keyPath}.pub`));
  const hosts: LocalHost[] = [];
  const procs: (ChildProcess | undefined)[] = [];

  for (let i = 0; i < n; i++) {
    const hdir = join(dir, `h${i}`);
    mkdirSync(hdir);
    const hk = join(hdir, "ssh_host_ed25519_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `host${i}`, "-f", hk]);
    const hostKey = readFileSync(`${hk}.pub`, "utf8").trim();
    const hostKeyFingerprint = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${hk}.pub`]).toString().split(/\s+/)[1]!;
    const port = await freePort();
    const cfg = join(hdir, "sshd_config");
    writeFileSync(
      cfg,
      [
        `ListenAddress 127.0.0.1:${port}`,
        `HostKey ${hk}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        `PidFile ${join(hdir, "sshd.pid")}`,
        "StrictModes no",
        "UsePAM no",
        "LogLevel VERBOSE",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "AllowTcpForwarding yes",
        "MaxSessions 10",
        "MaxStartups 100",
        "ClientAliveInterval 0",
        "",
      ].join("\n"),
    );
    let log = "";
    const start = async () => {
      const p = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", cfg], { stdio: ["ignore", "ignore", "pipe"] });
      p.stderr!.on("data", (d: Buffer) => (log += d.toString()));
      procs[i] = p;
      // Never outlive the test process, even if stop() is not reached.
      const reap = () => p.kill("SIGKILL");
      process.once("exit", reap);
      p.once("exit", () => process.off("exit", reap));
      await waitForPort(port);
    };
    const stop = async () => {
      const p = procs[i];
      procs[i] = undefined;
      if (!p || p.exitCode !== null) return;
      await new Promise<void>((r) => {
        p.once("exit", () => r());
        p.kill("SIGTERM");
      });
    };
    await start();
    hosts.push({
      host: "127.0.0.1",
      port,
      user: "root",
      hostKey,
      hostKeyFingerprint,
      faults: {
        dropConnections: () => {
          const p = procs[i];
          if (!p?.pid) return;
          for (const c of childPids(p.pid)) {
            try {
              process.kill(c, "SIGKILL");
            } catch {
              /* already gone */
            }
          }
        },
        stopSshd: stop,
        startSshd: start,
      },
      connections: () => (log.match(/Accepted publickey/g) ?? []).length,
      log: () => log,
    });
  }

  return {
    hosts,
    clientKey: { privateKey: readFileSync(keyPath, "utf8"), privateKeyPath: keyPath },
    stop: async () => {
      for (const h of hosts) {
        h.faults.dropConnections();
        await h.faults.stopSshd();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
