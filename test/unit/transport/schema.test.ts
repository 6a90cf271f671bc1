import { describe, expect, it } from "vitest";
import { becomeArgv, connectionSchema, formatIssues } from "../../../src/transport/schema";
import { remoteFor, RemoteError } from "../../../src/transport/index";
import { commandLine } from "../../../src/transport/quote";
import { execFileSync } from "child_process";

const ED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test";
const ok = { host: "h1.example", privateKey: "KEY", hostKey: ED };

function issues(input: unknown): string {
  const r = connectionSchema.safeParse(input);
  if (r.success) return "";
  return formatIssues(r.error.issues);
}

describe("connectionSchema", () => {
  it("applies defaults", () => {
    const r = connectionSchema.parse(ok);
    expect(r).toMatchObject({ host: "h1.example", port: 22, user: "root", dialErrorLimit: 10, perDialTimeout: 15 });
  });

  it("accepts all documented fields", () => {
    const full = {
      host: "::1",
      port: 2222,
      user: "deploy",
      password: "pw",
      privateKey: "k",
      privateKeyPassword: "kp",
      agentSocketPath: "/tmp/agent.sock",
      dialErrorLimit: -1,
      perDialTimeout: 2.5,
      hostKey: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
      knownHostsFile: "~/.ssh/known_hosts",
      insecureIgnoreHostKey: false,
      become: "doas",
      proxy: { host: "jump", user: "j", agentSocketPath: "/a", insecureIgnoreHostKey: true },
    };
    expect(connectionSchema.safeParse(full).success).toBe(true);
  });

  it("names the rule in each message", () => {
    expect(issues({ ...ok, extra: 1 })).toMatch(/Unrecognized key.*extra/);
    expect(issues({ ...ok, port: 0 })).toBe("port must be an integer from 1 to 65535");
    expect(issues({ ...ok, port: 65536 })).toBe("port must be an integer from 1 to 65535");
    expect(issues({ ...ok, port: 22.5 })).toBe("port must be an integer from 1 to 65535");
    expect(issues({ ...ok, port: "22" })).toBe("port must be a number");
    expect(issues({ ...ok, host: "" })).toBe("host must not be empty");
    expect(issues({ ...ok, host: "a b" })).toBe("host must not contain whitespace or control characters");
    expect(issues({ ...ok, host: "a\nb" })).toMatch(/whitespace or control/);
    expect(issues({ ...ok, host: "a\x00b" })).toMatch(/whitespace or control/);
    expect(issues({ ...ok, user: "" })).toBe("user must not be empty");
    expect(issues({ host: "h", hostKey: ED })).toBe(
      "at least one authentication method is required: password, privateKey or agentSocketPath",
    );
    expect(issues({ ...ok, hostKey: "nope" })).toMatch(/^hostKey must be an OpenSSH public key line .*or a SHA256 fingerprint/);
    expect(issues({ ...ok, hostKey: "SHA256:tooshort" })).toMatch(/43 base64 characters/);
    expect(issues({ ...ok, become: "su" })).toBe('become must be "doas" or "sudo"');
    expect(issues({ ...ok, dialErrorLimit: 0 })).toMatch(/dialErrorLimit must be a positive integer, or -1/);
    expect(issues({ ...ok, perDialTimeout: 0 })).toMatch(/perDialTimeout must be a positive number of seconds/);
    expect(issues({ ...ok, privateKeyPassword: "x", privateKey: undefined, password: "p" })).toMatch(/privateKeyPassword requires privateKey/);
    expect(issues({ ...ok, proxy: { host: "j" } })).toMatch(/proxy: at least one authentication method/);
    expect(issues({ ...ok, proxy: { host: "j", password: "x", proxy: {} } })).toMatch(/Unrecognized key.*proxy/);
    expect(issues({ ...ok, proxy: { host: "j", password: "x" } })).toMatch(/proxy: no way to verify the server's host key/);
    expect(issues({ ...ok, proxy: { host: "j", password: "x" }, knownHostsFile: "/kh" })).toBe("");
    expect(issues("str")).toBe("connection settings must be an object");
  });

  it("requires a host key setting and says which three exist", () => {
    const m = issues({ host: "h", password: "p" });
    expect(m).toContain("hostKey");
    expect(m).toContain("knownHostsFile");
    expect(m).toContain("insecureIgnoreHostKey: true");
    expect(issues({ host: "h", password: "p", insecureIgnoreHostKey: false })).toContain("insecureIgnoreHostKey: true");
  });

  it("remoteFor throws a config RemoteError labelled with the host and free of secret values", () => {
    let err: unknown;
    try {
      remoteFor({ host: "h2", user: "ops", port: 70000, password: "S3cr3t-P4ssw0rd-xyzzy", hostKey: ED } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RemoteError);
    const re = err as RemoteError;
    expect(re.kind).toBe("config");
    expect(re.message).toMatch(/^ops@h2:70000: invalid connection settings: port must be an integer/);
    expect(re.message).not.toContain("xyzzy");
    // A secret in a wrongly typed field is never echoed.
    try {
      remoteFor({ host: "h2", password: 12345678, privateKey: { k: "P-R-I-V-A-T-E-K-E-Y" }, hostKey: ED } as never);
    } catch (e) {
      expect(JSON.stringify(e) + (e as Error).message + (e as Error).stack).not.toMatch(/12345678|P-R-I-V/);
    }
  });

  it("remoteFor labels handles user@host:port", () => {
    expect(remoteFor(ok).label).toBe("root@h1.example:22");
    expect(remoteFor({ ...ok, host: "::1", port: 2022, user: "u" }).label).toBe("u@[::1]:2022");
  });
});

describe("becomeArgv", () => {
  it("wraps as TOOL -n -- /bin/sh -c 'CMDLINE'", () => {
    expect(becomeArgv("doas", ["pkg", "install", "-y", "a b"])).toEqual(["doas", "-n", "--", "/bin/sh", "-c", "pkg install -y 'a b'"]);
    expect(becomeArgv("sudo", ["id"])).toEqual(["sudo", "-n", "--", "/bin/sh", "-c", "id"]);
  });

  it("preserves argv exactly through both shells", () => {
    const arg = `it's "$(id)" \`x\` \\ ;*`;
    // Simulate the tool with `env` (runs its argv like doas/sudo would after -n --).
    const argv = becomeArgv("doas", ["printf", "%s\\0", arg]);
    const line = commandLine(["env", ...argv.slice(3)]);
    const out = execFileSync("/bin/sh", ["-c", line]);
    expect(out.toString()).toBe(`${arg}\0`);
  });
});
