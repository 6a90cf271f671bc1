// Drive a test host with the system OpenSSH client (`ssh`), the way a user
// would.  Used by the harness tests; handy for e2e debugging too.
import * as fs from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import type { TestFleet, TestHost } from "./index";

export interface SshResult {
  code: number;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

/** Write a known_hosts file holding the given hosts' keys; returns its path. */
export function knownHostsFile(fleet: TestFleet, hosts: TestHost[] = fleet.hosts): string {
  const file = path.join(path.dirname(fleet.clientKey.privateKeyPath), "known_hosts");
  fs.writeFileSync(file, hosts.map((h) => h.knownHostsLine).join("\n") + "\n");
  return file;
}

/** ssh(1) arguments (without the remote command) for logging in to `host`. */
export function sshArgs(fleet: TestFleet, host: TestHost, extra: string[] = []): string[] {
  return [
    "-F", "/dev/null",
    "-i", fleet.clientKey.privateKeyPath,
    "-p", String(host.port),
    "-o", `UserKnownHostsFile=${knownHostsFile(fleet)}`,
    "-o", "StrictHostKeyChecking=yes",
    "-o", "BatchMode=yes",
    "-o", "IdentitiesOnly=yes",
    "-o", "ConnectTimeout=10",
    "-o", "LogLevel=ERROR",
    ...extra,
    `${host.user}@${host.host}`,
  ];
}

/** Run `command` on `host` over ssh; resolves when the ssh client exits. */
export function ssh(
  fleet: TestFleet,
  host: TestHost,
  command: string,
  options: { stdin?: Buffer | string; extra?: string[]; onSpawn?: (pid: number) => void } = {},
): Promise<SshResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", [...sshArgs(fleet, host, options.extra), command], { stdio: ["pipe", "pipe", "pipe"] });
    if (child.pid && options.onSpawn) options.onSpawn(child.pid);
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err, ms: Date.now() - t0 }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}
