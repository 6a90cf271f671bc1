/**
 * Files on the host, read and written through the transport with fixed sh scripts whose data
 * travels as positional parameters (paths) or on stdin (content).
 *
 * Writes are atomic: the content goes into a `mktemp` file in the target's own directory (never
 * /tmp, never a predictable name), takes the existing file's mode and owner (`cp -p`, POSIX on
 * FreeBSD and elsewhere), and is renamed over the target. A write states what it expects to
 * replace (the SHA-256 it read, or "absent"), so a concurrent edit is detected, not clobbered.
 */
import { createHash } from "crypto";
import { RemoteError, type Remote } from "../transport";
import { HostStateError } from "./errors";

export { HostStateError };

/** A file as observed on the host. */
export type RemoteFile =
  | { state: "absent" }
  | { state: "file"; content: string; sha256: string }
  | { state: "symlink" }
  | { state: "other" };

const READ = [
  'p=$1',
  'if [ -L "$p" ]; then echo symlink; exit 0; fi',
  'if [ -e "$p" ]; then',
  '  if [ ! -f "$p" ]; then echo other; exit 0; fi',
  '  echo file; exec cat "$p"',
  'fi',
  'echo absent',
].join("\n");

/** Reads a file; never changes anything on the host. */
export async function readRemoteFile(remote: Remote, path: string): Promise<RemoteFile> {
  const r = await remote.script(READ, [path], { idempotent: true, summary: `read ${path}` });
  const buf = r.stdout;
  const nl = buf.indexOf(0x0a);
  const state = buf.subarray(0, nl < 0 ? buf.length : nl).toString("utf8");
  if (state === "file") {
    const raw = buf.subarray(nl + 1);
    const content = raw.toString("utf8");
    if (!Buffer.from(content, "utf8").equals(raw)) {
      throw new HostStateError(`${path} is not valid UTF-8 text`, "fix or remove the file's non-text bytes by hand");
    }
    return { state: "file", content, sha256: sha256Hex(raw) };
  }
  if (state === "absent" || state === "symlink" || state === "other") return { state };
  throw new HostStateError(`unexpected answer reading ${path}: ${JSON.stringify(state.slice(0, 80))}`);
}

// Exit codes of WRITE and REMOVE that mean "refused", not "failed".
const NO_DIR = 20;
const IS_SYMLINK = 21;
const NOT_FILE = 22;
const CHANGED = 23;

const PRELUDE = [
  'set -eu',
  'p=$1 expect=$2',
  'if [ -L "$p" ]; then exit 21; fi',
  'if [ -e "$p" ]; then',
  '  [ -f "$p" ] || exit 22',
  '  cur=$(sha256 -q "$p")',
  '  [ "$expect" = "$cur" ] || exit 23',
  'else',
  '  [ "$expect" = absent ] || exit 23',
  'fi',
];

const WRITE = [
  ...PRELUDE,
  'mode=$3 owner=$4',
  'd=$(dirname "$p") b=$(basename "$p")',
  '[ -d "$d" ] || exit 20',
  'tmp=$(mktemp "$d/.$b.pulumi.XXXXXXXX")',
  "trap 'rm -f \"$tmp\"' EXIT",
  'if [ -e "$p" ]; then cp -p "$p" "$tmp"; else chmod "$mode" "$tmp"; chown "$owner" "$tmp"; fi',
  'cat >"$tmp"',
  'mv -f "$tmp" "$p"',
  'trap - EXIT',
].join("\n");

const REMOVE = [...PRELUDE, '[ ! -e "$p" ] || rm -f "$p"'].join("\n");

/** What a write replaces: the SHA-256 hex of the content that was read, or "absent". */
export type Expected = string | "absent";

/** Options for a new file; an existing file keeps its own mode and owner. */
export interface NewFileOptions {
  /** Octal mode such as "0644". */
  mode: string;
  /** "uid:gid" or "user:group"; FreeBSD's root:wheel is 0:0. */
  owner: string;
}

/** Writes `content` atomically over `path`, if the file is still what was read. */
export async function writeRemoteFile(
  remote: Remote,
  path: string,
  content: string,
  expected: Expected,
  created: NewFileOptions = { mode: "0644", owner: "0:0" },
): Promise<void> {
  await run(remote, WRITE, [path, expected, created.mode, created.owner], content, `write ${path}`);
}

/** Removes `path`, if it is still what was read. */
export async function removeRemoteFile(remote: Remote, path: string, expected: Expected): Promise<void> {
  await run(remote, REMOVE, [path, expected], undefined, `remove ${path}`);
}

async function run(remote: Remote, script: string, args: string[], stdin: string | undefined, summary: string) {
  const path = args[0]!;
  try {
    await remote.script(script, args, stdin === undefined ? { summary } : { stdin, summary });
  } catch (err) {
    if (err instanceof RemoteError && err.kind === "command") {
      switch (err.exitCode) {
        case NO_DIR:
          throw new HostStateError(`the directory of ${path} does not exist`, "create it first (or fix the path)");
        case IS_SYMLINK:
          throw new HostStateError(`${path} is a symbolic link; refusing to write through it`,
            "point the resource at the link's target, or replace the link with a regular file by hand");
        case NOT_FILE:
          throw new HostStateError(`${path} is not a regular file`, "fix the path, or remove what is there by hand");
        case CHANGED:
          throw new ConcurrentEditError(path);
      }
    }
    throw err;
  }
}

/** The file changed between the read and the write; nothing was written. */
export class ConcurrentEditError extends HostStateError {
  constructor(readonly path: string) {
    super(`${path} changed on the host while it was being updated; nothing was written`, "run `pulumi up` again");
    this.name = "ConcurrentEditError";
  }
}

/** SHA-256 hex of text or bytes, as FreeBSD's `sha256 -q` prints it. */
export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
