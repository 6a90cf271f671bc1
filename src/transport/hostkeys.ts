/**
 * Host key verification: fingerprints, OpenSSH public key lines, known_hosts files, and the policy
 * that decides whether the key a server presents is acceptable.
 */
import { createHash, createHmac, timingSafeEqual } from "crypto";
import { readFileSync } from "fs";
import { homedir } from "os";
import { errors, RemoteError } from "./errors";

/** Host key algorithms this transport can verify (ssh2's set, minus DSA). */
export type HostKeyAlgorithm =
  | "ssh-ed25519"
  | "ecdsa-sha2-nistp256"
  | "ecdsa-sha2-nistp384"
  | "ecdsa-sha2-nistp521"
  | "rsa-sha2-512"
  | "rsa-sha2-256"
  | "ssh-rsa";

/** Key types (the first string of a key blob) accepted in hostKey and known_hosts. */
export const HOST_KEY_TYPES: readonly string[] = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
];

/** A parsed public key. */
export interface PublicKey {
  /** Key type, e.g. `ssh-ed25519`. */
  type: string;
  /** The wire-format key blob. */
  blob: Buffer;
  /** `SHA256:…` fingerprint of the blob. */
  fingerprint: string;
  /** Trailing comment of the line, if any. */
  comment?: string;
}

/** The OpenSSH fingerprint of a key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(publicKeyBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(publicKeyBlob).digest("base64").replace(/=+$/, "");
}

/** The key type named at the start of a wire-format key blob, or undefined if malformed. */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const n = blob.readUInt32BE(0);
  if (n === 0 || n > 64 || blob.length < 4 + n) return undefined;
  return blob.subarray(4, 4 + n).toString("latin1");
}

/** The ssh2 `serverHostKey` algorithms that make a server present a key of this type. */
export function hostKeyAlgorithmsFor(type: string): HostKeyAlgorithm[] {
  switch (type) {
    case "ssh-rsa":
      return ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
    case "ssh-ed25519":
    case "ecdsa-sha2-nistp256":
    case "ecdsa-sha2-nistp384":
    case "ecdsa-sha2-nistp521":
      return [type];
    default:
      return [];
  }
}

/**
 * Parses an OpenSSH public key line, `TYPE BASE64 [comment]` (as in `*.pub` files).
 * Throws an Error saying what is wrong.
 */
export function parsePublicKeyLine(line: string): PublicKey {
  const m = /^\s*(\S+)\s+(\S+)(?:\s+(.*\S))?\s*$/.exec(line);
  if (!m) throw new Error('expected "TYPE BASE64 [comment]"');
  const [, type, b64, comment] = m as unknown as [string, string, string, string | undefined];
  if (!HOST_KEY_TYPES.includes(type)) {
    throw new Error(`unsupported key type "${type.slice(0, 40)}" (supported: ${HOST_KEY_TYPES.join(", ")})`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error("the key is not valid base64");
  const blob = Buffer.from(b64, "base64");
  const inner = keyTypeOf(blob);
  if (inner !== type) throw new Error(`the key data is not a ${type} key`);
  const key: PublicKey = { type, blob, fingerprint: fingerprintOf(blob) };
  if (comment !== undefined) key.comment = comment;
  return key;
}

/**
 * Normalizes a `SHA256:…` fingerprint (padding optional) to the form {@link fingerprintOf}
 * returns, or returns undefined if `s` is not one.
 */
export function parseFingerprint(s: string): string | undefined {
  const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(s.trim());
  return m ? `SHA256:${m[1]}` : undefined;
}

/** A parsed `hostKey` setting: either a full key (algorithm known) or just a fingerprint. */
export type HostKeySpec = { kind: "key"; key: PublicKey } | { kind: "fingerprint"; fingerprint: string };

/** Parses the `hostKey` setting. Throws an Error naming the rule that was broken. */
export function parseHostKeySpec(s: string): HostKeySpec {
  const t = s.trim();
  if (/^SHA256:/i.test(t)) {
    const fp = parseFingerprint(t);
    if (!fp) throw new Error("a SHA256 fingerprint is `SHA256:` followed by 43 base64 characters");
    return { kind: "fingerprint", fingerprint: fp };
  }
  if (/^(MD5:|[0-9a-f]{2}:)/i.test(t)) throw new Error("MD5 fingerprints are not accepted; use the SHA256 form");
  return { kind: "key", key: parsePublicKeyLine(t) };
}

/** One line of a known_hosts file. */
export interface KnownHostsEntry {
  /** 1-based line number. */
  line: number;
  /** `@revoked` or `@cert-authority`, if the line had a marker. */
  marker?: "revoked" | "cert-authority";
  /** Host patterns (comma list split), for plain entries. */
  patterns?: string[];
  /** Salt and hash of a hashed (`|1|salt|hash`) entry. */
  hashed?: { salt: Buffer; hash: Buffer };
  /** The key. */
  key: PublicKey;
}

/** The result of parsing a known_hosts file. */
export interface KnownHosts {
  /** Usable entries. */
  entries: KnownHostsEntry[];
  /** Lines that were skipped, and why. */
  warnings: string[];
}

/** Parses OpenSSH known_hosts text. Malformed or unsupported lines are skipped with a warning. */
export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostsEntry[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let fields = line.split(/\s+/);
    let marker: KnownHostsEntry["marker"];
    if (fields[0]!.startsWith("@")) {
      const mk = fields[0]!;
      if (mk === "@revoked") marker = "revoked";
      else if (mk === "@cert-authority") marker = "cert-authority";
      else {
        warnings.push(`line ${lineNo}: unknown marker ${mk.slice(0, 30)}`);
        return;
      }
      fields = fields.slice(1);
    }
    if (fields.length < 3) {
      warnings.push(`line ${lineNo}: expected "HOSTS TYPE KEY [comment]"`);
      return;
    }
    const [hosts, type, b64] = fields as [string, string, string];
    let key: PublicKey;
    try {
      key = parsePublicKeyLine(`${type} ${b64}`);
    } catch (e) {
      warnings.push(`line ${lineNo}: ${(e as Error).message}`);
      return;
    }
    const comment = fields.slice(3).join(" ");
    if (comment) key.comment = comment;
    const entry: KnownHostsEntry = { line: lineNo, key };
    if (marker) entry.marker = marker;
    if (hosts.startsWith("|")) {
      const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts);
      if (!m) {
        warnings.push(`line ${lineNo}: malformed hashed host name`);
        return;
      }
      entry.hashed = { salt: Buffer.from(m[1]!, "base64"), hash: Buffer.from(m[2]!, "base64") };
    } else {
      entry.patterns = hosts.split(",").filter((p) => p !== "");
    }
    entries.push(entry);
  });
  return { entries, warnings };
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** The hashed known_hosts form of a name, `|1|salt|hash` (HMAC-SHA1 keyed by the salt). */
export function hashKnownHostName(name: string, salt: Buffer): string {
  const hash = createHmac("sha1", salt).update(name).digest();
  return `|1|${salt.toString("base64")}|${hash.toString("base64")}`;
}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "i");
}

/** Whether a known_hosts entry applies to host:port (OpenSSH rules: wildcards, `!` negation). */
export function entryMatches(entry: KnownHostsEntry, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hashed) {
    const got = createHmac("sha1", entry.hashed.salt).update(name).digest();
    return got.length === entry.hashed.hash.length && timingSafeEqual(got, entry.hashed.hash);
  }
  let matched = false;
  for (const p of entry.patterns ?? []) {
    const negated = p.startsWith("!");
    const pat = negated ? p.slice(1) : p;
    if (globToRegExp(pat).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The keys a known_hosts file lists for host:port, and the keys it revokes. */
export function lookupKnownHosts(kh: KnownHosts, host: string, port: number): { keys: PublicKey[]; revoked: PublicKey[] } {
  const keys: PublicKey[] = [];
  const revoked: PublicKey[] = [];
  for (const e of kh.entries) {
    if (e.marker === "revoked") {
      // Revocations apply whatever the host pattern says.
      revoked.push(e.key);
      continue;
    }
    if (e.marker === "cert-authority") continue; // host certificates are not supported: ignored
    if (entryMatches(e, host, port)) keys.push(e.key);
  }
  return { keys, revoked };
}

/** The verdict of a {@link HostKeyPolicy} on a presented key. */
export type HostKeyVerdict = { ok: true } | { ok: false; error: RemoteError };

/** Decides whether a presented host key is acceptable. */
export interface HostKeyPolicy {
  /** Human description of where the expectation comes from (`hostKey`, `knownHostsFile …`). */
  readonly source: string;
  /** Restriction for ssh2's `algorithms.serverHostKey`, when the expected key types are known. */
  readonly algorithms?: HostKeyAlgorithm[];
  /** True for insecureIgnoreHostKey. */
  readonly insecure: boolean;
  /** Checks a presented key blob. */
  check(blob: Buffer): HostKeyVerdict;
  /** The error for a handshake that failed because the server had no key of the expected types. */
  typeUnavailable(): RemoteError;
}

/** The host key settings of a connection. */
export interface HostKeySettings {
  host: string;
  port: number;
  hostKey?: string | undefined;
  knownHostsFile?: string | undefined;
  insecureIgnoreHostKey?: boolean | undefined;
}

/** Expands a leading `~/` to the home directory. */
export function expandHome(path: string): string {
  return path === "~" ? homedir() : path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

/**
 * Builds the host key policy of a connection. A pinned hostKey wins over knownHostsFile; both win
 * over insecureIgnoreHostKey. Throws a RemoteError of kind "config" when there is nothing to verify
 * against or the settings are unusable.
 */
export function hostKeyPolicy(
  s: HostKeySettings,
  label: string,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): HostKeyPolicy {
  const presentedOf = (blob: Buffer) => ({ type: keyTypeOf(blob) ?? "unknown", fingerprint: fingerprintOf(blob) });
  if (s.hostKey !== undefined) {
    let spec: HostKeySpec;
    try {
      spec = parseHostKeySpec(s.hostKey);
    } catch (e) {
      throw errors.config(label, `hostKey is not usable: ${(e as Error).message}`);
    }
    const source = "hostKey";
    if (spec.kind === "fingerprint") {
      const fp = spec.fingerprint;
      return {
        source,
        insecure: false,
        check: (blob) =>
          fingerprintOf(blob) === fp
            ? { ok: true }
            : { ok: false, error: errors.hostKeyMismatch(label, source, [{ type: "", fingerprint: fp }], presentedOf(blob)) },
        typeUnavailable: () => errors.hostKeyTypeUnavailable(label, source, [{ type: "any", fingerprint: fp }]),
      };
    }
    const key = spec.key;
    const expected = [{ type: key.type, fingerprint: key.fingerprint }];
    return {
      source,
      insecure: false,
      algorithms: hostKeyAlgorithmsFor(key.type),
      check: (blob) =>
        blob.equals(key.blob)
          ? { ok: true }
          : { ok: false, error: errors.hostKeyMismatch(label, source, expected, presentedOf(blob)) },
      typeUnavailable: () => errors.hostKeyTypeUnavailable(label, source, expected),
    };
  }
  if (s.knownHostsFile !== undefined) {
    const path = expandHome(s.knownHostsFile);
    let text: string;
    try {
      text = readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      throw errors.config(label, `knownHostsFile ${path} cannot be read (${code})`);
    }
    const kh = parseKnownHosts(text);
    const { keys, revoked } = lookupKnownHosts(kh, s.host, s.port);
    const source = `knownHostsFile ${path}`;
    const name = knownHostName(s.host, s.port);
    const expected = keys.map((k) => ({ type: k.type, fingerprint: k.fingerprint }));
    const algos = [...new Set(keys.flatMap((k) => hostKeyAlgorithmsFor(k.type)))];
    const policy: HostKeyPolicy = {
      source,
      insecure: false,
      check: (blob) => {
        if (revoked.some((k) => k.blob.equals(blob))) {
          return { ok: false, error: errors.hostKeyRevoked(label, source, presentedOf(blob)) };
        }
        if (keys.length === 0) return { ok: false, error: errors.hostKeyUnknown(label, source, name, presentedOf(blob)) };
        if (keys.some((k) => k.blob.equals(blob))) return { ok: true };
        return { ok: false, error: errors.hostKeyMismatch(label, source, expected, presentedOf(blob)) };
      },
      typeUnavailable: () => errors.hostKeyTypeUnavailable(label, source, expected),
    };
    return algos.length > 0 ? { ...policy, algorithms: algos } : policy;
  }
  if (s.insecureIgnoreHostKey === true) {
    return {
      source: "insecureIgnoreHostKey",
      insecure: true,
      check: () => ({ ok: true }),
      typeUnavailable: () => errors.config(label, "the server offers no usable host key"),
    };
  }
  throw errors.noHostKeyConfig(label);
}
