/**
 * An in-process SSH server (ssh2's Server) for fast transport tests: it authenticates with a
 * known client key or password, runs exec requests with the real /bin/sh, and can drop
 * connections. It also counts connections and the peak number of concurrent sessions.
 */
import { spawn } from "child_process";
import { AddressInfo, Server as NetServer, connect as netConnect, createServer } from "net";
import { Server, utils } from "ssh2";
import type { Connection, ParsedKey } from "ssh2";

export interface FakeServer {
  port: number;
  /** The host public key line. */
  hostKeyLine: string;
  /** Client private key (OpenSSH format) that the server accepts. */
  clientKey: string;
  /** Password the server accepts. */
  password: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Peak concurrent exec sessions seen on any one connection. */
  peakSessions(): number;
  /** Commands received. */
  commands(): string[];
  /** Destroys every client connection. */
  dropAll(): void;
  /** Refuses the next `n` session channel opens (as sshd does beyond MaxSessions). */
  refuseNextSessions(n: number): void;
  close(): Promise<void>;
}

export function keyLine(pub: string): string {
  return pub.trim();
}

export async function startFakeServer(opts: { password?: string } = {}): Promise<FakeServer> {
  const host = utils.generateKeyPairSync("ed25519");
  const client = utils.generateKeyPairSync("ed25519");
  const clientPub = utils.parseKey(client.public) as ParsedKey;
  const password = opts.password ?? "fake-server-password";
  let connections = 0;
  let peak = 0;
  const commands: string[] = [];
  const live = new Set<Connection>();
  let refuseSessions = 0;

  const server = new Server({ hostKeys: [host.private] }, (conn) => {
    connections++;
    live.add(conn);
    let sessions = 0;
    conn.on("close", () => live.delete(conn));
    conn.on("error", () => undefined);
    conn.on("authentication", (ctx) => {
      if (ctx.method === "password" && ctx.password === password) return ctx.accept();
      if (ctx.method === "publickey" && ctx.key.algo === clientPub.type && ctx.key.data.equals(clientPub.getPublicSSH())) {
        if (!ctx.signature) return ctx.accept();
        if (clientPub.verify(ctx.blob!, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      }
      ctx.reject(["publickey", "password"]);
    });
    conn.on("ready", () => {
      // direct-tcpip (forwardOut from a client using this server as a jump host).
      conn.on("tcpip", (accept, reject, info) => {
        const sock = netConnect(info.destPort, info.destIP);
        sock.once("connect", () => {
          const ch = accept();
          ch.pipe(sock).pipe(ch);
          ch.on("close", () => sock.destroy());
          sock.on("close", () => ch.end());
        });
        sock.once("error", () => reject());
      });
      conn.on("session", (accept, reject) => {
        if (refuseSessions > 0) {
          refuseSessions--;
          reject();
          return;
        }
        const session = accept();
        session.on("exec", (acceptExec, _reject, info) => {
          commands.push(info.command);
          sessions++;
          peak = Math.max(peak, sessions);
          const stream = acceptExec();
          const child = spawn("/bin/sh", ["-c", info.command], { stdio: ["pipe", "pipe", "pipe"] });
          stream.pipe(child.stdin);
          child.stdin.on("error", () => undefined);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          stream.on("close", () => {
            if (child.exitCode === null) child.kill("SIGKILL");
          });
          child.on("close", (code, signal) => {
            sessions--;
            try {
              if (signal) stream.exit(signal.replace(/^SIG/, ""), false, "");
              else stream.exit(code ?? 0);
              stream.end();
            } catch {
              /* connection gone */
            }
          });
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKeyLine: keyLine(host.public),
    clientKey: client.private,
    password,
    connections: () => connections,
    peakSessions: () => peak,
    commands: () => commands,
    refuseNextSessions: (n: number) => {
      refuseSessions = n;
    },
    dropAll: () => {
      for (const c of live) c.end();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of live) c.end();
        server.close(() => r());
      }),
  };
}

/** A TCP server that accepts connections and never says anything (for dial timeouts). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const socks = new Set<import("net").Socket>();
  const srv: NetServer = createServer((s) => {
    socks.add(s);
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    port: (srv.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        srv.close(() => r());
      }),
  };
}

/** A TCP server that closes every connection at once (for "dropped before handshake"). */
export async function startSlammingServer(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  let n = 0;
  const srv = createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    port: (srv.address() as AddressInfo).port,
    accepted: () => n,
    close: () => new Promise<void>((r) => srv.close(() => r())),
  };
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
