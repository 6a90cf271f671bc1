import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  entryMatches,
  fingerprintOf,
  hashKnownHostName,
  hostKeyAlgorithmsFor,
  hostKeyPolicy,
  keyTypeOf,
  knownHostName,
  lookupKnownHosts,
  parseFingerprint,
  parseHostKeySpec,
  parseKnownHosts,
  parsePublicKeyLine,
} from "../../../src/transport/hostkeys";
import { RemoteError } from "../../../src/transport/errors";

let dir: string;
const keys: Record<string, { line: string; blob: Buffer; fp: string }> = {};

function genKey(name: string, type: string, bits?: string) {
  const path = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", type, ...(bits ? ["-b", bits] : []), "-N", "", "-C", `${name}@test`, "-f", path]);
  const line = readFileSync(`${path}.pub`, "utf8").trim();
  const fp = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${path}.pub`]).toString().split(/\s+/)[1]!;
  keys[name] = { line, blob: Buffer.from(line.split(" ")[1]!, "base64"), fp };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hostkeys-test-"));
  genKey("ed", "ed25519");
  genKey("ed2", "ed25519");
  genKey("rsa", "rsa", "2048");
  genKey("ecdsa", "ecdsa", "256");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fingerprintOf", () => {
  it("matches ssh-keygen -lf for ed25519, rsa and ecdsa keys", () => {
    for (const name of ["ed", "ed2", "rsa", "ecdsa"]) {
      const k = keys[name]!;
      expect(k.fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(fingerprintOf(k.blob)).toBe(k.fp);
    }
  });

  it("reads the key type from the blob", () => {
    expect(keyTypeOf(keys.ed!.blob)).toBe("ssh-ed25519");
    expect(keyTypeOf(keys.rsa!.blob)).toBe("ssh-rsa");
    expect(keyTypeOf(keys.ecdsa!.blob)).toBe("ecdsa-sha2-nistp256");
    expect(keyTypeOf(Buffer.from([0, 0]))).toBeUndefined();
  });
});

describe("public key lines and fingerprints", () => {
  it("parses a .pub line with its comment", () => {
    const k = parsePublicKeyLine(keys.ed!.line);
    expect(k.type).toBe("ssh-ed25519");
    expect(k.comment).toBe("ed@test");
    expect(k.fingerprint).toBe(keys.ed!.fp);
  });

  it("rejects bad lines with a reason", () => {
    expect(() => parsePublicKeyLine("ssh-ed25519")).toThrow(/TYPE BASE64/);
    expect(() => parsePublicKeyLine("ssh-dss AAAA")).toThrow(/unsupported key type/);
    expect(() => parsePublicKeyLine("ssh-ed25519 not*base64")).toThrow(/base64/);
    const rsaData = keys.rsa!.line.split(" ")[1]!;
    expect(() => parsePublicKeyLine(`ssh-ed25519 ${rsaData}`)).toThrow(/not a ssh-ed25519 key/);
  });

  it("normalizes SHA256 fingerprints", () => {
    const fp = keys.ed!.fp;
    expect(parseFingerprint(fp)).toBe(fp);
    expect(parseFingerprint(`${fp}=`)).toBe(fp);
    expect(parseFingerprint("SHA256:short")).toBeUndefined();
    expect(parseHostKeySpec(fp)).toEqual({ kind: "fingerprint", fingerprint: fp });
    expect(() => parseHostKeySpec("MD5:aa:bb")).toThrow(/MD5/);
    expect(() => parseHostKeySpec("SHA256:abc")).toThrow(/43 base64/);
  });

  it("maps key types to ssh2 host key algorithms", () => {
    expect(hostKeyAlgorithmsFor("ssh-ed25519")).toEqual(["ssh-ed25519"]);
    expect(hostKeyAlgorithmsFor("ssh-rsa")).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    expect(hostKeyAlgorithmsFor("ecdsa-sha2-nistp384")).toEqual(["ecdsa-sha2-nistp384"]);
  });
});

describe("known_hosts", () => {
  const data = (n: string) => keys[n]!.line.split(" ").slice(0, 2).join(" ");

  it("matches plain, bracketed-port, comma-list and wildcard entries", () => {
    const kh = parseKnownHosts(
      [
        "# a comment",
        "",
        `plain.example ${data("ed")}`,
        `[ported.example]:2222 ${data("ed2")} trailing comment`,
        `a.example,b.example,10.0.0.1 ${data("rsa")}`,
        `*.wild.example,!bad.wild.example ${data("ecdsa")}`,
        `[*.pw.example]:22?? ${data("ed")}`,
      ].join("\n"),
    );
    expect(kh.warnings).toEqual([]);
    expect(kh.entries).toHaveLength(5);
    const fps = (h: string, p: number) => lookupKnownHosts(kh, h, p).keys.map((k) => k.fingerprint);
    expect(fps("plain.example", 22)).toEqual([keys.ed!.fp]);
    expect(fps("PLAIN.example", 22)).toEqual([keys.ed!.fp]);
    expect(fps("plain.example", 2222)).toEqual([]);
    expect(fps("ported.example", 2222)).toEqual([keys.ed2!.fp]);
    expect(fps("ported.example", 22)).toEqual([]);
    expect(fps("b.example", 22)).toEqual([keys.rsa!.fp]);
    expect(fps("10.0.0.1", 22)).toEqual([keys.rsa!.fp]);
    expect(fps("c.example", 22)).toEqual([]);
    expect(fps("x.wild.example", 22)).toEqual([keys.ecdsa!.fp]);
    expect(fps("bad.wild.example", 22)).toEqual([]);
    expect(fps("q.pw.example", 2299)).toEqual([keys.ed!.fp]);
    expect(kh.entries[1]!.key.comment).toBe("trailing comment");
  });

  it("matches hashed entries computed with HMAC-SHA1", () => {
    const salt = randomBytes(20);
    const salt2 = randomBytes(20);
    expect(knownHostName("Host.Example", 22)).toBe("host.example");
    expect(knownHostName("host.example", 2200)).toBe("[host.example]:2200");
    const text = [
      `${hashKnownHostName("host.example", salt)} ${data("ed")}`,
      `${hashKnownHostName("[host.example]:2200", salt2)} ${data("ed2")}`,
    ].join("\n");
    // The same format ssh-keygen -H writes.
    expect(text.split(" ")[0]).toMatch(/^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28}$/);
    const kh = parseKnownHosts(text);
    expect(kh.entries.map((e) => !!e.hashed)).toEqual([true, true]);
    expect(lookupKnownHosts(kh, "host.example", 22).keys.map((k) => k.fingerprint)).toEqual([keys.ed!.fp]);
    expect(lookupKnownHosts(kh, "host.example", 2200).keys.map((k) => k.fingerprint)).toEqual([keys.ed2!.fp]);
    expect(lookupKnownHosts(kh, "other.example", 22).keys).toEqual([]);
    expect(entryMatches(kh.entries[0]!, "HOST.EXAMPLE", 22)).toBe(true);
  });

  it("reads hashed entries written by ssh-keygen -H", () => {
    const f = join(dir, "kh-hashed");
    writeFileSync(f, `h1.example ${data("ed")}\n[h2.example]:2022 ${data("rsa")}\n`);
    execFileSync("ssh-keygen", ["-q", "-H", "-f", f], { stdio: "ignore" });
    const kh = parseKnownHosts(readFileSync(f, "utf8"));
    expect(kh.entries.every((e) => e.hashed)).toBe(true);
    expect(lookupKnownHosts(kh, "h1.example", 22).keys.map((k) => k.fingerprint)).toEqual([keys.ed!.fp]);
    expect(lookupKnownHosts(kh, "h2.example", 2022).keys.map((k) => k.fingerprint)).toEqual([keys.rsa!.fp]);
  });

  it("handles markers: @revoked is kept apart, @cert-authority is ignored, unknown markers are skipped", () => {
    const kh = parseKnownHosts(
      [
        `@revoked * ${data("ed2")}`,
        `@cert-authority *.example ${data("rsa")}`,
        `@bogus host.example ${data("rsa")}`,
        `host.example ${data("ed")}`,
        `broken-line-without-key`,
        `host.example ssh-dss AAAAB3NzaC1kc3M=`,
      ].join("\n"),
    );
    expect(kh.warnings).toHaveLength(3);
    expect(kh.warnings.join("\n")).toMatch(/line 3: unknown marker @bogus/);
    expect(kh.warnings.join("\n")).toMatch(/line 5:/);
    expect(kh.warnings.join("\n")).toMatch(/line 6: unsupported key type/);
    const r = lookupKnownHosts(kh, "host.example", 22);
    expect(r.keys.map((k) => k.fingerprint)).toEqual([keys.ed!.fp]);
    expect(r.revoked.map((k) => k.fingerprint)).toEqual([keys.ed2!.fp]);
  });
});

describe("hostKeyPolicy", () => {
  const label = "root@h:22";
  it("pins a key line and restricts algorithms to its type", () => {
    const p = hostKeyPolicy({ host: "h", port: 22, hostKey: keys.rsa!.line }, label);
    expect(p.algorithms).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    expect(p.check(keys.rsa!.blob)).toEqual({ ok: true });
    const v = p.check(keys.ed!.blob);
    expect(v.ok).toBe(false);
    const err = (v as { error: RemoteError }).error;
    expect(err.kind).toBe("hostkey");
    expect(err.message).toContain(keys.rsa!.fp);
    expect(err.message).toContain(keys.ed!.fp);
    expect(err.message).toContain("ssh-ed25519");
    expect(err.message.startsWith(`${label}: host key mismatch`)).toBe(true);
    expect(err.expectedFingerprint).toBe(keys.rsa!.fp);
    expect(err.presentedFingerprint).toBe(keys.ed!.fp);
  });

  it("pins a fingerprint without restricting algorithms", () => {
    const p = hostKeyPolicy({ host: "h", port: 22, hostKey: keys.ed!.fp }, label);
    expect(p.algorithms).toBeUndefined();
    expect(p.check(keys.ed!.blob).ok).toBe(true);
    expect(p.check(keys.ed2!.blob).ok).toBe(false);
  });

  it("uses knownHostsFile: known, unknown, revoked and unreadable", () => {
    const f = join(dir, "kh");
    writeFileSync(f, `[h]:2200 ${keys.ed!.line}\n[h]:2200 ${keys.ecdsa!.line}\n@revoked * ${keys.ed2!.line}\n`);
    const p = hostKeyPolicy({ host: "h", port: 2200, knownHostsFile: f }, label);
    expect(p.algorithms).toEqual(["ssh-ed25519", "ecdsa-sha2-nistp256"]);
    expect(p.check(keys.ecdsa!.blob).ok).toBe(true);
    const mismatch = p.check(keys.rsa!.blob) as { ok: false; error: RemoteError };
    expect(mismatch.error.message).toMatch(/host key mismatch/);
    expect(mismatch.error.expectedFingerprint).toBe(`${keys.ed!.fp}, ${keys.ecdsa!.fp}`);
    const revoked = p.check(keys.ed2!.blob) as { ok: false; error: RemoteError };
    expect(revoked.error.message).toMatch(/@revoked/);
    const other = hostKeyPolicy({ host: "other", port: 22, knownHostsFile: f }, label);
    const unknown = other.check(keys.ed!.blob) as { ok: false; error: RemoteError };
    expect(unknown.error.kind).toBe("hostkey");
    expect(unknown.error.message).toMatch(/has no entry for other/);
    expect(() => hostKeyPolicy({ host: "h", port: 22, knownHostsFile: join(dir, "missing") }, label)).toThrow(/cannot be read \(ENOENT\)/);
  });

  it("needs one of the three settings", () => {
    let err: unknown;
    try {
      hostKeyPolicy({ host: "h", port: 22 }, label);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).kind).toBe("config");
    expect((err as RemoteError).message).toMatch(/hostKey.*knownHostsFile.*insecureIgnoreHostKey: true/s);
    expect(hostKeyPolicy({ host: "h", port: 22, insecureIgnoreHostKey: true }, label).insecure).toBe(true);
  });
});
