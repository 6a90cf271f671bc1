/**
 * Transport behaviour against an in-process SSH server (fast; no sshd needed): round trips,
 * pooling and the channel cap, timeouts, drops and re-dials, every error path, and the
 * no-secrets property of every error.
 */
import { randomBytes } from "crypto";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { utils } from "ssh2";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { tuning } from "../../../src/transport/connection";
import {
  closeAllConnections,
  connectionStats,
  ConnectionArgs,
  fingerprintOf,
  RemoteError,
  remoteFor,
} from "../../../src/transport/index";
import { closedPort, FakeServer, startFakeServer, startSilentServer, startSlammingServer } from "./fake-server";
import { expectNoSecrets, SECRET_PASSPHRASE, SECRET_PASSWORD } from "./secrets";

let srv: FakeServer;
let base: ConnectionArgs;
let encryptedKey: string;
const secrets = () => [SECRET_PASSWORD, SECRET_PASSPHRASE, encryptedKey, srv.clientKey];

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RemoteError);
    expectNoSecrets(e, secrets());
    return e as RemoteError;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  srv = await startFakeServer();
  base = { host: "127.0.0.1", port: srv.port, privateKey: srv.clientKey, hostKey: srv.hostKeyLine };
  encryptedKey = utils.generateKeyPairSync("ed25519", { passphrase: SECRET_PASSPHRASE, cipher: "aes256-ctr", rounds: 2 }).private;
  tuning.backoffBaseMs = 20;
  tuning.backoffMaxMs = 50;
});
afterEach(async () => {
  await closeAllConnections();
});
afterAll(async () => {
  await closeAllConnections();
  await srv.close();
});

describe("exec", () => {
  it("round-trips binary stdin, stdout and stderr and reports exit codes", async () => {
    const r = remoteFor(base);
    expect(r.label).toBe(`root@127.0.0.1:${srv.port}`);
    const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(300_000)]);
    const res = await r.exec(["cat"], { stdin: data });
    expect(res.exitCode).toBe(0);
    expect(res.stdout.equals(data)).toBe(true);

    const both = await r.script('printf "out:%s" "$1"; printf "err:%s" "$2" >&2', ["ø 1", "ü 2"]);
    expect(both.stdoutText).toBe("out:ø 1");
    expect(both.stderrText).toBe("err:ü 2");

    const three = await r.exec(["sh", "-c", "echo warn >&2; exit 3"], { okExitCodes: [0, 3] });
    expect(three.exitCode).toBe(3);

    const err = await failure(r.exec(["sh", "-c", "for i in $(seq 1 50); do echo line$i >&2; done; exit 4"]));
    expect(err.kind).toBe("command");
    expect(err.exitCode).toBe(4);
    expect(err.command).toBe("sh -c for i in $(seq 1 50); do echo line$i >&…");
    expect(err.message.startsWith(`${r.label}: command "sh -c`)).toBe(true);
    expect(err.message).toMatch(/failed with exit code 4:\n…line31\n/);
    expect(err.message).toMatch(/line50$/);
    expect(err.message).not.toMatch(/line30\n/);
    expect(err.stderrTail!.split("\n")).toHaveLength(20);

    const named = await failure(r.exec(["false"], { summary: "check the flux" }));
    expect(named.message).toBe(`${r.label}: command "check the flux" failed with exit code 1 and no stderr`);

    const sig = await failure(r.exec(["exec", "sh", "-c", "kill -KILL $$"]));
    expect(sig.exitCode).toBe(137);
    expect(sig.message).toMatch(/killed by signal KILL/);
  });

  it("closes stdin at once when none is given", async () => {
    const res = await remoteFor(base).exec(["cat"]);
    expect(res.stdout.length).toBe(0);
  });

  it("multiplexes 30 concurrent execs on one connection, at most 8 channels at a time", async () => {
    const before = connectionStats().dials;
    const conns = srv.connections();
    const r = remoteFor(base);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => r.exec(["sh", "-c", `sleep 0.1; echo ${i}`])),
    );
    expect(results.map((x) => x.stdoutText.trim())).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    expect(connectionStats().dials - before).toBe(1);
    expect(srv.connections() - conns).toBe(1);
    expect(connectionStats().open).toBe(1);
    expect(srv.peakSessions()).toBeLessThanOrEqual(8);
    expect(srv.peakSessions()).toBeGreaterThanOrEqual(2);
  });

  it("times a command out, closes its channel and moves on to a fresh connection", async () => {
    const r = remoteFor(base);
    const t0 = Date.now();
    const err = await failure(r.exec(["sleep", "10"], { timeoutMs: 300 }));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err.kind).toBe("timeout");
    expect(err.message).toBe(`${r.label}: command "sleep 10" timed out after 0.3 s; its channel was closed`);
    // The timed-out command may linger in its sshd session: the connection is retired and closed.
    const dials = connectionStats().dials;
    expect(connectionStats().open).toBe(0);
    expect((await r.exec(["echo", "ok"])).stdoutText).toBe("ok\n");
    expect(connectionStats().dials).toBe(dials + 1);
  });

  it("lets other commands on a retired connection finish", async () => {
    const r = remoteFor({ ...base, user: "retire" });
    const long = r.exec(["sh", "-c", "sleep 0.6; echo long"]);
    await new Promise((res) => setTimeout(res, 100));
    const err = await failure(r.exec(["sleep", "10"], { timeoutMs: 200 }));
    expect(err.kind).toBe("timeout");
    const next = r.exec(["echo", "next"]);
    expect((await long).stdoutText).toBe("long\n");
    expect((await next).stdoutText).toBe("next\n");
  });

  it("reports a dropped connection and re-dials on the next exec", async () => {
    const r = remoteFor(base);
    await r.exec(["true"]);
    const dials = connectionStats().dials;
    const p = r.exec(["sleep", "5"]);
    setTimeout(() => srv.dropAll(), 200);
    const err = await failure(p);
    expect(err.kind).toBe("dropped");
    expect(err.message).toMatch(new RegExp(`^${r.label.replace(/[.]/g, "\\.")}: connection dropped while running "sleep 5"`));
    expect(connectionStats().open).toBe(0);
    await r.exec(["true"]);
    expect(connectionStats().dials).toBe(dials + 1);
  });

  it("retries an idempotent command once after a drop", async () => {
    const r = remoteFor(base);
    await r.exec(["true"]);
    const p = r.exec(["sh", "-c", "sleep 0.5; echo done"], { idempotent: true });
    setTimeout(() => srv.dropAll(), 150);
    expect((await p).stdoutText).toBe("done\n");
  });

  it("re-dials transparently when an idle pooled connection has died", async () => {
    const r = remoteFor(base);
    await r.exec(["true"]);
    srv.dropAll();
    await new Promise((res) => setTimeout(res, 100));
    expect((await r.exec(["echo", "again"])).stdoutText).toBe("again\n");
  });

  it("closes idle connections and lets closeAllConnections empty the pool", async () => {
    const saved = tuning.idleMs;
    tuning.idleMs = 150;
    try {
      const r = remoteFor({ ...base, user: "idler" });
      await r.exec(["true"]);
      expect(connectionStats().open).toBe(1);
      await new Promise((res) => setTimeout(res, 500));
      expect(connectionStats().open).toBe(0);
    } finally {
      tuning.idleMs = saved;
    }
    await remoteFor(base).exec(["true"]);
    expect(connectionStats().open).toBe(1);
    await closeAllConnections();
    expect(connectionStats().open).toBe(0);
  });

  it("wraps commands with become for non-root users only", async () => {
    const n = srv.commands().length;
    await failure(remoteFor({ ...base, user: "deploy", become: "doas" }).exec(["id", "-u"]));
    await remoteFor({ ...base, become: "sudo" }).exec(["id", "-u"]);
    expect(srv.commands().slice(n)).toEqual(["doas -n -- /bin/sh -c 'id -u'", "id -u"]);
  });

  it("retries a refused session channel (sshd's MaxSessions race), then gives up", async () => {
    const r = remoteFor(base);
    await r.exec(["true"]);
    srv.refuseNextSessions(3);
    expect((await r.exec(["echo", "eventually"])).stdoutText).toBe("eventually\n");
    srv.refuseNextSessions(1000);
    const err = await failure(r.exec(["echo", "never"]));
    srv.refuseNextSessions(0);
    expect(err.kind).toBe("dropped");
    expect(err.message).toMatch(/could not open a session channel/);
  });

  it("refuses a NUL in argv before sending anything", async () => {
    await expect(remoteFor(base).exec(["echo", "a\0b"])).rejects.toThrow(/NUL/);
  });
});

describe("host keys", () => {
  it("accepts the pinned key line, its fingerprint, and a known_hosts entry", async () => {
    const fp = fingerprintOf(Buffer.from(srv.hostKeyLine.split(" ")[1]!, "base64"));
    await remoteFor({ ...base, user: "a1" }).exec(["true"]);
    await remoteFor({ ...base, user: "a2", hostKey: fp }).exec(["true"]);
    const dir = mkdtempSync(join(tmpdir(), "kh-"));
    try {
      const kh = join(dir, "known_hosts");
      writeFileSync(kh, `# test\nother.example ${srv.hostKeyLine}\n[127.0.0.1]:${srv.port} ${srv.hostKeyLine}\n`);
      const { hostKey: _h, ...noPin } = base as Record<string, unknown>;
      await remoteFor({ ...(noPin as ConnectionArgs), user: "a3", knownHostsFile: kh }).exec(["true"]);
      writeFileSync(kh, `[127.0.0.1]:${srv.port + 1} ${srv.hostKeyLine}\n`);
      const err = await failure(remoteFor({ ...(noPin as ConnectionArgs), user: "a4", knownHostsFile: kh }).exec(["true"]));
      expect(err.kind).toBe("hostkey");
      expect(err.message).toContain(`has no entry for [127.0.0.1]:${srv.port}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names both fingerprints on a mismatch, also for a handle sharing a pooled connection", async () => {
    const other = utils.generateKeyPairSync("ed25519").public.trim();
    const otherFp = fingerprintOf(Buffer.from(other.split(" ")[1]!, "base64"));
    const presentedFp = fingerprintOf(Buffer.from(srv.hostKeyLine.split(" ")[1]!, "base64"));
    const r = remoteFor({ ...base, user: "mm", hostKey: other });
    const err = await failure(r.exec(["true"]));
    expect(err.kind).toBe("hostkey");
    expect(err.expectedFingerprint).toBe(otherFp);
    expect(err.presentedFingerprint).toBe(presentedFp);
    expect(err.message).toContain(otherFp);
    expect(err.message).toContain(presentedFp);
    expect(err.message).toContain("ssh-ed25519");
    expect(err.message.startsWith(`mm@127.0.0.1:${srv.port}: host key mismatch`)).toBe(true);

    await remoteFor({ ...base, user: "shared" }).exec(["true"]);
    const dials = connectionStats().dials;
    const e2 = await failure(remoteFor({ ...base, user: "shared", hostKey: otherFp }).exec(["true"]));
    expect(e2.kind).toBe("hostkey");
    expect(connectionStats().dials).toBe(dials);
  });

  it("reports a pinned key type the server does not have", async () => {
    const rsa = utils.generateKeyPairSync("rsa", { bits: 2048 }).public.trim();
    const err = await failure(remoteFor({ ...base, user: "rsa", hostKey: rsa }).exec(["true"]));
    expect(err.kind).toBe("hostkey");
    expect(err.message).toMatch(/expects a ssh-rsa key .* but the server offers no host key of that type/);
  });

  it("warns loudly once per host with insecureIgnoreHostKey", async () => {
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const args = { host: "127.0.0.1", port: srv.port, user: "insecure", privateKey: srv.clientKey, insecureIgnoreHostKey: true };
      await remoteFor(args).exec(["true"]);
      await closeAllConnections();
      await remoteFor(args).exec(["true"]);
      const warnings = spy.mock.calls.map((c) => String(c[0])).filter((s) => s.includes("host key checking is DISABLED"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`insecure@127.0.0.1:${srv.port}`);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("dial errors", () => {
  it("auth failure says which methods were tried and never the secrets", async () => {
    const err = await failure(
      remoteFor({ ...base, user: "bad", privateKey: encryptedKey, privateKeyPassword: SECRET_PASSPHRASE, password: SECRET_PASSWORD }).exec(["true"]),
    );
    expect(err.kind).toBe("auth");
    expect(err.message).toBe(
      `bad@127.0.0.1:${srv.port}: authentication failed for user "bad" (tried publickey, password; the server accepts publickey, password): check the user, key, password or agent`,
    );
  });

  it("password auth works", async () => {
    const { privateKey: _k, ...noKey } = base as Record<string, unknown>;
    await remoteFor({ ...(noKey as ConnectionArgs), user: "pwuser", password: srv.password }).exec(["true"]);
  });

  it("a wrong key passphrase is a config error without secrets", async () => {
    const err = await failure(remoteFor({ ...base, privateKey: encryptedKey, privateKeyPassword: "wrong-" + SECRET_PASSPHRASE }).exec(["true"]));
    expect(err.kind).toBe("config");
    expect(err.message).toMatch(/privateKey is encrypted and privateKeyPassword is missing or wrong/);
    const garbage = await failure(remoteFor({ ...base, privateKey: SECRET_PASSWORD }).exec(["true"]));
    expect(garbage.message).toMatch(/privateKey is not a usable private key/);
  });

  it("connection refused, with and without retries", async () => {
    const port = await closedPort();
    const err = await failure(remoteFor({ ...base, port, dialErrorLimit: 1, password: SECRET_PASSWORD }).exec(["true"]));
    expect(err.kind).toBe("refused");
    expect(err.message).toBe(`root@127.0.0.1:${port}: connection refused: is sshd running and is the port right?`);
    const e3 = await failure(remoteFor({ ...base, port, dialErrorLimit: 3 }).exec(["true"]));
    expect(e3.message).toMatch(/\(gave up after 3 attempts\)$/);
  });

  it("name not resolved", async () => {
    const err = await failure(remoteFor({ ...base, host: "no-such-host.invalid", password: SECRET_PASSWORD }).exec(["true"]));
    expect(err.kind).toBe("dns");
    expect(err.message).toMatch(/^root@no-such-host\.invalid:\d+: host name "no-such-host\.invalid" could not be resolved/);
  });

  it("dial timeout on a server that never speaks", async () => {
    const silent = await startSilentServer();
    try {
      const err = await failure(remoteFor({ ...base, port: silent.port, perDialTimeout: 0.3, dialErrorLimit: 1 }).exec(["true"]));
      expect(err.kind).toBe("timeout");
      expect(err.message).toBe(
        `root@127.0.0.1:${silent.port}: timed out after 0.3 s while connecting (perDialTimeout): is the host up and reachable?`,
      );
    } finally {
      await silent.close();
    }
  });

  it("retries a connection closed before the handshake, then reports it dropped", async () => {
    const slam = await startSlammingServer();
    try {
      const err = await failure(remoteFor({ ...base, port: slam.port, dialErrorLimit: 3 }).exec(["true"]));
      expect(err.kind).toBe("dropped");
      expect(slam.accepted()).toBe(3);
    } finally {
      await slam.close();
    }
  });

  it("proxies through a jump host", async () => {
    const dials = srv.connections();
    const r = remoteFor({
      ...base,
      user: "target",
      proxy: { host: "127.0.0.1", port: srv.port, user: "jump", privateKey: srv.clientKey, hostKey: srv.hostKeyLine },
    });
    expect((await r.exec(["echo", "via"])).stdoutText).toBe("via\n");
    expect(srv.connections() - dials).toBe(2);
  });

  it("reports proxy failures for the target, naming the proxy", async () => {
    const port = await closedPort();
    const err = await failure(
      remoteFor({
        ...base,
        user: "t2",
        dialErrorLimit: 1,
        proxy: { host: "127.0.0.1", port, password: SECRET_PASSWORD, hostKey: srv.hostKeyLine },
      }).exec(["true"]),
    );
    expect(err.kind).toBe("refused");
    expect(err.host).toBe(`t2@127.0.0.1:${srv.port}`);
    expect(err.message).toBe(
      `t2@127.0.0.1:${srv.port}: proxy root@127.0.0.1:${port}: connection refused: is sshd running and is the port right?`,
    );
    const fwd = await failure(
      remoteFor({
        ...base,
        port,
        user: "t3",
        dialErrorLimit: 1,
        proxy: { host: "127.0.0.1", port: srv.port, privateKey: srv.clientKey, hostKey: srv.hostKeyLine },
      }).exec(["true"]),
    );
    expect(fwd.kind).toBe("refused");
    expect(fwd.message).toMatch(new RegExp(`^t3@127\\.0\\.0\\.1:${port}: connection refused \\(via proxy root@127\\.0\\.0\\.1:${srv.port}`));
  });
});
