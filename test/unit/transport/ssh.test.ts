/**
 * Integration tests against real OpenSSH sshd instances: the shared test-host harness
 * (test/host) when it is present and starts, otherwise the local fixture in ./local-sshd.ts.
 * Set TRANSPORT_LOCAL_SSHD=1 to force the local fixture.
 */
import { randomBytes } from "crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { createServer, AddressInfo } from "net";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { utils } from "ssh2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tuning } from "../../../src/transport/connection";
import {
  closeAllConnections,
  connectionStats,
  ConnectionArgs,
  hashKnownHostName,
  RemoteError,
  remoteFor,
} from "../../../src/transport/index";
import { startLocalHosts } from "./local-sshd";
import { expectNoSecrets, SECRET_PASSPHRASE, SECRET_PASSWORD } from "./secrets";

interface TestHost {
  host: string;
  port: number;
  user: string;
  hostKey: string;
  hostKeyFingerprint: string;
  faults: {
    dropConnections(): void | Promise<void>;
    stopSshd(): Promise<void>;
    startSshd(): Promise<void>;
    refuseLogins?(on: boolean): void;
  };
  connections(): number | unknown[] | Promise<number | unknown[]>;
}
interface Hosts {
  hosts: TestHost[];
  clientKey: { privateKey: string; privateKeyPath: string };
  stop(): Promise<void>;
}

let source = "local";
async function startHosts(n: number): Promise<Hosts> {
  const harness = resolve(__dirname, "../../host/index.ts");
  if (process.env.TRANSPORT_LOCAL_SSHD !== "1" && existsSync(harness)) {
    try {
      const mod = (await import(harness)) as { startHosts(n: number): Promise<Hosts> };
      const h = await mod.startHosts(n);
      source = "test/host harness";
      return h;
    } catch (e) {
      console.warn(`test/host harness unusable (${(e as Error).message}); using the local sshd fixture`);
    }
  }
  return startLocalHosts(n);
}

async function logins(h: TestHost): Promise<number> {
  const c = await h.connections();
  return Array.isArray(c) ? c.length : (c as number);
}

let env: Hosts;
let h0: TestHost;
let h1: TestHost;
let base: ConnectionArgs;
const secretsList = () => [SECRET_PASSWORD, SECRET_PASSPHRASE, env.clientKey.privateKey];

async function failure(p: Promise<unknown> | (() => unknown)): Promise<RemoteError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(RemoteError);
    expectNoSecrets(e, secretsList());
    return e as RemoteError;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  env = await startHosts(2);
  [h0, h1] = env.hosts as [TestHost, TestHost];
  // Every connection carries a distinctive password too: it must never surface in an error.
  base = { host: h0.host, port: h0.port, user: h0.user, privateKey: env.clientKey.privateKey, password: SECRET_PASSWORD, hostKey: h0.hostKey };
  tuning.backoffBaseMs = 50;
  console.info(`ssh.test.ts: using ${source}`);
}, 120_000);
afterEach(async () => {
  await closeAllConnections();
});
afterAll(async () => {
  await closeAllConnections();
  await env?.stop();
});

describe("real sshd", () => {
  it("round-trips binary stdin and exit codes", async () => {
    const r = remoteFor(base);
    const data = randomBytes(1 << 20);
    const res = await r.exec(["cat"], { stdin: data });
    expect(res.stdout.equals(data)).toBe(true);
    const s = await r.script('printf "%s|" "$@"; echo oops >&2; exit 5', ["a b", "$(id)", "'"], { okExitCodes: [5] });
    expect(s.exitCode).toBe(5);
    expect(s.stdoutText).toBe("a b|$(id)|'|");
    expect(s.stderrText).toBe("oops\n");
    const err = await failure(r.exec(["sh", "-c", "echo nope >&2; exit 7"]));
    expect(err.kind).toBe("command");
    expect(err.exitCode).toBe(7);
    expect(err.stderrTail).toBe("nope");
    expect(err.message).toBe(`${r.label}: command "sh -c echo nope >&2; exit 7" failed with exit code 7:\nnope`);
  });

  it("runs 30 concurrent execs on exactly one connection", async () => {
    const before = connectionStats().dials;
    const loginsBefore = await logins(h0);
    const r = remoteFor(base);
    const out = await Promise.all(Array.from({ length: 30 }, (_, i) => r.exec(["sh", "-c", `sleep 0.2; echo ${i}`])));
    expect(out.map((o) => Number(o.stdoutText))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(connectionStats().dials - before).toBe(1);
    expect(connectionStats().open).toBe(1);
    // sshd logs the login asynchronously.
    await new Promise((res) => setTimeout(res, 200));
    expect((await logins(h0)) - loginsBefore).toBe(1);
  });

  it("accepts the pinned key line and the fingerprint form", async () => {
    await remoteFor(base).exec(["true"]);
    await closeAllConnections();
    await remoteFor({ ...base, hostKey: h0.hostKeyFingerprint }).exec(["true"]);
  });

  it("names both fingerprints on a host key mismatch", async () => {
    const err = await failure(remoteFor({ ...base, hostKey: h1.hostKey }).exec(["true"]));
    expect(err.kind).toBe("hostkey");
    expect(err.expectedFingerprint).toBe(h1.hostKeyFingerprint);
    expect(err.presentedFingerprint).toBe(h0.hostKeyFingerprint);
    expect(err.message).toContain(h0.hostKeyFingerprint);
    expect(err.message).toContain(h1.hostKeyFingerprint);
    const fp = await failure(remoteFor({ ...base, hostKey: h1.hostKeyFingerprint }).exec(["true"]));
    expect(fp.kind).toBe("hostkey");
  });

  it("verifies against a known_hosts file (plain and hashed)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-"));
    try {
      const { hostKey: _k, ...noPin } = base as Record<string, unknown>;
      const kh = join(dir, "known_hosts");
      const name = h0.port === 22 ? h0.host : `[${h0.host}]:${h0.port}`;
      writeFileSync(kh, `# comment\n${name} ${h0.hostKey}\n`);
      await remoteFor({ ...(noPin as ConnectionArgs), knownHostsFile: kh }).exec(["true"]);
      await closeAllConnections();
      writeFileSync(kh, `${hashKnownHostName(name, randomBytes(20))} ${h0.hostKey}\n`);
      await remoteFor({ ...(noPin as ConnectionArgs), knownHostsFile: kh }).exec(["true"]);
      await closeAllConnections();
      writeFileSync(kh, `${name} ${h1.hostKey}\n`);
      const err = await failure(remoteFor({ ...(noPin as ConnectionArgs), knownHostsFile: kh }).exec(["true"]));
      expect(err.kind).toBe("hostkey");
      expect(err.message).toContain(h1.hostKeyFingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to connect without host key settings", async () => {
    const { hostKey: _k, ...noPin } = base as Record<string, unknown>;
    const err = await failure(() => remoteFor(noPin as ConnectionArgs));
    expect(err.kind).toBe("config");
    expect(err.message).toMatch(/hostKey.*knownHostsFile.*insecureIgnoreHostKey: true/s);
  });

  it("reports an authentication failure with the methods tried", async () => {
    const wrong = utils.generateKeyPairSync("ed25519", { passphrase: SECRET_PASSPHRASE, cipher: "aes256-ctr", rounds: 2 }).private;
    const err = await failure(remoteFor({ ...base, privateKey: wrong, privateKeyPassword: SECRET_PASSPHRASE }).exec(["true"]));
    expect(err.kind).toBe("auth");
    expect(err.message).toMatch(new RegExp(`^${base.user}@.*: authentication failed for user "${base.user}" \\(tried publickey`));
    expectNoSecrets(err, [wrong]);
  });

  it("reports logins the server refuses as auth failures", async () => {
    const refuse = h0.faults.refuseLogins?.bind(h0.faults);
    const wrongKey = utils.generateKeyPairSync("ed25519").private;
    if (refuse) refuse(true);
    try {
      const err = await failure(remoteFor({ ...base, privateKey: refuse ? env.clientKey.privateKey : wrongKey }).exec(["true"]));
      expect(err.kind).toBe("auth");
    } finally {
      if (refuse) refuse(false);
    }
    await remoteFor(base).exec(["true"]);
  });

  it("retries refused dials with backoff until sshd is back", async () => {
    const conn = { host: h1.host, port: h1.port, user: h1.user, privateKey: env.clientKey.privateKey, hostKey: h1.hostKey };
    await h1.faults.stopSshd();
    const once = await failure(remoteFor({ ...conn, dialErrorLimit: 1 }).exec(["true"]));
    expect(once.kind).toBe("refused");
    const p = remoteFor({ ...conn, dialErrorLimit: 30 }).exec(["echo", "up"]);
    await new Promise((res) => setTimeout(res, 800));
    await h1.faults.startSshd();
    expect((await p).stdoutText).toBe("up\n");
  });

  it("reports connection refused on a closed port", async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await failure(remoteFor({ ...base, host: "127.0.0.1", port, dialErrorLimit: 1 }).exec(["true"]));
    expect(err.kind).toBe("refused");
    expect(err.message).toBe(`${base.user}@127.0.0.1:${port}: connection refused: is sshd running and is the port right?`);
  });

  it("reports an unresolvable name", async () => {
    const err = await failure(remoteFor({ ...base, host: "freebsd-host.invalid" }).exec(["true"]));
    expect(err.kind).toBe("dns");
    expect(err.message).toContain('host name "freebsd-host.invalid" could not be resolved');
  });

  it("times a command out", async () => {
    const r = remoteFor(base);
    const err = await failure(r.exec(["sleep", "5"], { timeoutMs: 500 }));
    expect(err.kind).toBe("timeout");
    expect(err.message).toBe(`${r.label}: command "sleep 5" timed out after 0.5 s; its channel was closed`);
    expect((await r.exec(["echo", "still"])).stdoutText).toBe("still\n");
  });

  it("reports a dropped connection during a long command and re-dials", async () => {
    const r = remoteFor(base);
    await r.exec(["true"]);
    const dials = connectionStats().dials;
    const pending = failure(r.exec(["sleep", "5"]));
    await new Promise((res) => setTimeout(res, 500));
    await h0.faults.dropConnections();
    const err = await pending;
    expect(err.kind).toBe("dropped");
    expect(err.message).toMatch(/connection dropped while running "sleep 5"/);
    expect((await r.exec(["echo", "back"])).stdoutText).toBe("back\n");
    expect(connectionStats().dials).toBe(dials + 1);
  });

  it("connects through a jump host", async () => {
    const r = remoteFor({
      host: h1.host,
      port: h1.port,
      user: h1.user,
      privateKey: env.clientKey.privateKey,
      hostKey: h1.hostKey,
      proxy: { host: h0.host, port: h0.port, user: h0.user, privateKey: env.clientKey.privateKey, hostKey: h0.hostKey },
    });
    const before0 = await logins(h0);
    const before1 = await logins(h1);
    expect((await r.exec(["echo", "hop"])).stdoutText).toBe("hop\n");
    await new Promise((res) => setTimeout(res, 200));
    expect((await logins(h0)) - before0).toBe(1);
    expect((await logins(h1)) - before1).toBe(1);
  });
});
