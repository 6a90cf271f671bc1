/**
 * The shared observation: the installed-set parser, and the per-host batching cache (one
 * `pkg query` per host for many resources, invalidated after a write), with a fake Remote.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostContext } from "../../../src/engine/kind";
import { packageKind, packageSchema } from "../../../src/kinds/package";
import { packageLockKind, packageLockSchema } from "../../../src/kinds/packageLock";
import {
  cacheTtl, clearHostCache, findInstalled, INSTALLED_QUERY, InstalledParseError, lockRetry, parseInstalled, parseRepositoryNames, pkgExec,
} from "../../../src/kinds/pkgcommon";
import { HostStateError } from "../../../src/hostfs/errors";
import type { ExecOptions, ExecResult, Remote } from "../../../src/transport";

const connection = { host: "never.invalid", port: 9, privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };

/** A scripted host: answers argv by a handler, records every command. */
class FakeRemote implements Remote {
  readonly calls: string[][] = [];
  constructor(readonly label: string, private handler: (argv: readonly string[]) => { code?: number; out?: string; err?: string }) {}
  async exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
    this.calls.push([...argv]);
    await new Promise((r) => setTimeout(r, 2)); // real commands take time: callers overlap
    const r = this.handler(argv);
    const code = r.code ?? 0;
    if (!(opts?.okExitCodes ?? [0]).includes(code)) throw new Error(`exit ${code}`);
    const stdout = Buffer.from(r.out ?? "");
    const stderr = Buffer.from(r.err ?? "");
    return { exitCode: code, stdout, stderr, stdoutText: stdout.toString(), stderrText: stderr.toString() };
  }
  script(body: string, args: readonly string[] = [], opts?: ExecOptions) {
    return this.exec(["/bin/sh", "-c", body, "sh", ...args], opts);
  }
  count(prefix: string[]): number {
    return this.calls.filter((c) => prefix.every((p, i) => c[i] === p)).length;
  }
}

const ctxOf = (remote: Remote): HostContext => ({ remote, host: remote.label, resource: "Package 't'", log: () => undefined });

describe("parseInstalled", () => {
  it("reads name, origin, version, locked and repository", () => {
    const out = "heartbeat\tsysutils/heartbeat\t3.0.6_3\t1\tFreeBSD\nnginx\twww/nginx\t1.26.2_11,3\t0\tunknown-repository\n";
    expect(parseInstalled(out)).toEqual([
      { name: "heartbeat", origin: "sysutils/heartbeat", version: "3.0.6_3", locked: true, repository: "FreeBSD" },
      { name: "nginx", origin: "www/nginx", version: "1.26.2_11,3", locked: false, repository: "unknown-repository" },
    ]);
  });
  it("skips pkg's lock-wait notices mixed into stdout", () => {
    expect(parseInstalled("process with pid 4242 still holds the lock\nnginx\twww/nginx\t1.0\t0\tFreeBSD\n")).toHaveLength(1);
  });
  it("treats empty output (no package database) as an empty set", () => {
    expect(parseInstalled("")).toEqual([]);
  });
  it("refuses lines that are not five fields, or a locked flag other than 0/1", () => {
    expect(() => parseInstalled("nginx\twww/nginx\t1.0\n")).toThrow(InstalledParseError);
    expect(() => parseInstalled("nginx\twww/nginx\t1.0\tyes\tFreeBSD\n")).toThrow(/locked flag/);
  });
  it("matches by name, or by origin when the pattern has a '/' (flavor ignored)", () => {
    const set = parseInstalled("py311-pip\tdevel/py-pip\t24.0\t0\tFreeBSD\n");
    expect(findInstalled(set, "py311-pip")?.version).toBe("24.0");
    expect(findInstalled(set, "devel/py-pip@py311")?.name).toBe("py311-pip");
    expect(findInstalled(set, "py-pip")).toBeUndefined();
  });
  it("uses single-value placeholders only (one line per package in every pkg release)", () => {
    expect(INSTALLED_QUERY).toEqual(["pkg", "query", "-a", "%n\t%o\t%v\t%k\t%R"]);
  });
  it("reads repository names from pkg -vv", () => {
    const vv = 'Version                 : 2.1.2\nPKG_DBDIR = "/var/db/pkg";\n\nRepositories:\n  FreeBSD: { \n    url             : "x",\n  }\n  local: { \n    enabled         : no,\n  }\n';
    expect(parseRepositoryNames(vv)).toEqual(["FreeBSD", "local"]);
  });
});

describe("one installed-set query per host", () => {
  let installed: string;
  const handler = (argv: readonly string[]) => {
    if (argv[1] === "query" && argv[2] === "-a") return { out: installed };
    if (argv[1] === "audit") return { out: "0 problem(s) in 0 package(s) found.\n" };
    if (argv[1] === "lock") {
      installed = installed.replace(/\t0\t/, "\t1\t");
      return { out: "Locking p0-1.0\n" };
    }
    return { code: 1 };
  };
  beforeEach(() => {
    clearHostCache();
    installed = Array.from({ length: 10 }, (_, i) => `p${i}\tmisc/p${i}\t1.0\t0\tFreeBSD\n`).join("");
  });

  it("10 Package and 2 PackageLock resources on one host share one query; another host has its own", async () => {
    const a = new FakeRemote("root@a:22", handler);
    const b = new FakeRemote("root@b:22", handler);
    const pkgs = Array.from({ length: 10 }, (_, i) => packageSchema.parse({ connection, name: `p${i}` }));
    const locks = [packageLockSchema.parse({ connection, packages: ["p1"] }), packageLockSchema.parse({ connection, packages: ["p2", "p3"] })];
    const lives = await Promise.all([
      ...pkgs.map((d) => packageKind.observe(ctxOf(a), d)),
      ...locks.map((d) => packageLockKind.observe(ctxOf(a), d)),
      packageKind.observe(ctxOf(b), pkgs[0]!),
    ]);
    expect(a.count(["pkg", "query", "-a"])).toBe(1);
    expect(a.count(["pkg", "audit"])).toBe(1);
    expect(b.count(["pkg", "query", "-a"])).toBe(1);
    expect(lives[3]).toMatchObject({ installed: { name: "p3", version: "1.0", locked: false } });
  });

  it("a write on the host invalidates it: the next observe queries again and sees the change", async () => {
    const a = new FakeRemote("root@a:22", handler);
    const d = packageSchema.parse({ connection, name: "p0", locked: true });
    const before = await packageKind.observe(ctxOf(a), d);
    const actions = packageKind.plan(before, d, { previousVersion: null, bootEnvironment: null });
    expect(actions).toEqual([{ kind: "lock", name: "p0" }]);
    await packageKind.apply(ctxOf(a), d, before, actions, { previousVersion: null, bootEnvironment: null });
    const after = await packageKind.observe(ctxOf(a), d);
    expect(a.count(["pkg", "query", "-a"])).toBe(2);
    expect(after.installed?.locked).toBe(true);
    expect(packageKind.plan(after, d, { previousVersion: null, bootEnvironment: null })).toEqual([]);
  });

  it("entries expire after the TTL", async () => {
    const a = new FakeRemote("root@a:22", handler);
    const d = packageSchema.parse({ connection, name: "p0" });
    const ttl = cacheTtl.ms;
    cacheTtl.ms = 0;
    try {
      await packageKind.observe(ctxOf(a), d);
      await new Promise((r) => setTimeout(r, 5));
      await packageKind.observe(ctxOf(a), d);
    } finally {
      cacheTtl.ms = ttl;
    }
    expect(a.count(["pkg", "query", "-a"])).toBe(2);
  });
});

describe("pkg database lock contention", () => {
  const saved = { ...lockRetry };
  beforeEach(() => {
    lockRetry.baseDelayMs = 1;
  });
  afterEach(() => Object.assign(lockRetry, saved));
  const LOCKED = "pkg: Cannot get an advisory lock on a database, it is locked by another process\n";

  it("is retried with backoff until the lock is free", async () => {
    let n = 0;
    const r = new FakeRemote("root@a:22", () => (++n < 3 ? { code: 1, out: "process with pid 42 still holds the lock\n", err: LOCKED } : { out: "Locking x-1\n" }));
    const res = await pkgExec(r, ["pkg", "lock", "-y", "x"]);
    expect(res.stdoutText).toBe("Locking x-1\n");
    expect(r.calls.length).toBe(3);
  });

  it("is reported clearly when it stays locked", async () => {
    const r = new FakeRemote("root@a:22", () => ({ code: 1, err: LOCKED }));
    const err = await pkgExec(r, ["pkg", "install", "-y", "x-1"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostStateError);
    expect((err as HostStateError).message).toMatch(/locked by another process \(tried 5 times\)/);
    expect((err as HostStateError).hint).toMatch(/wait for it to finish/);
    expect(r.calls.length).toBe(5);
  });
});
