/**
 * The commands FileIntegrityBaseline runs on the host. Each is a fixed sh script; paths, keywords
 * and patterns travel as positional parameters, never as code. mtree's -X file is read from
 * /dev/stdin (FreeBSD's devfs provides it), fed by `printf '%s\n' "$ex"`, so nothing is written
 * for a verification and no temporary exclude file exists.
 *
 * Flags (FreeBSD mtree(8) from contrib/mtree, and Debian's mtree-netbsd alike):
 * `-c` create a spec, `-k` keyword list (type is always added), `-p` tree root, `-f` spec to
 * verify against, `-x` stay on the root's file system, `-X` exclude patterns. `-n` (no comments)
 * is left out: mtree-netbsd does not have it.
 */
import { HostStateError, readRemoteFile, type RemoteFile } from "../../hostfs";
import { RemoteError, type Remote } from "../../transport";
import { parseHeader, rootOfSpecFile, REPORT_FILE, specDir, type SpecHeader } from "./layout";

/** What observe found for one tree. */
export interface RootObservation {
  root: string;
  rootState: "dir" | "absent" | "symlink" | "other";
  spec: { state: "absent" | "symlink" | "other" } | { state: "file"; sha256: string; header: SpecHeader | null };
  /** mtree's report (stdout) and exit status; null when there was nothing to verify. */
  verify: { exitCode: number; stdout: string; stderr: string } | null;
}

const OBSERVE_ROOT = [
  "set -u",
  "root=$1 spec=$2",
  'if [ -L "$root" ]; then r=symlink; elif [ -d "$root" ]; then r=dir; elif [ -e "$root" ]; then r=other; else r=absent; fi',
  'echo "root $r"',
  'if [ -L "$spec" ]; then echo "spec symlink"; exit 0; fi',
  'if [ ! -e "$spec" ]; then echo "spec absent"; exit 0; fi',
  'if [ ! -f "$spec" ]; then echo "spec other"; exit 0; fi',
  'echo "spec file $(sha256 -q "$spec")"',
  'h=$(head -n 1 "$spec")',
  "printf 'header %s\\n' \"$h\"",
  '[ "$r" = dir ] || exit 0',
  // The spec's own header says which -X patterns made it; verification must use the same.
  "ex=$(printf '%s\\n' \"$h\" | sed -n 's/^#pulumi-freebsd .* excludes=\\([^ ]*\\).*$/\\1/p' | tr ',' '\\n')",
  "echo verify",
  // -X before -f: mtree-netbsd's -f reopens stdin as the spec (freopen), so a later
  // -X /dev/stdin would read the spec instead of the patterns.
  "printf '%s\\n' \"$ex\" | mtree -x -X /dev/stdin -f \"$spec\" -p \"$root\"",
  'echo "rc $?"',
].join("\n");

/** Observes one tree and its spec; read-only. */
export async function observeRoot(remote: Remote, root: string, spec: string): Promise<RootObservation> {
  const r = await remote.script(OBSERVE_ROOT, [root, spec], { idempotent: true, summary: `mtree verify ${root}` });
  return parseObservation(root, r.stdout.toString("utf8"), r.stderr.toString("utf8"));
}

/** Parses OBSERVE_ROOT's output. Exported for tests. */
export function parseObservation(root: string, stdout: string, stderr: string): RootObservation {
  const lines = stdout.split("\n");
  const take = (prefix: string): string => {
    const line = lines.shift();
    if (line === undefined || !line.startsWith(prefix)) {
      throw new HostStateError(`unexpected answer while verifying ${root}: ${JSON.stringify((line ?? "").slice(0, 80))}`);
    }
    return line.slice(prefix.length);
  };
  const rootState = take("root ") as RootObservation["rootState"];
  const specWord = take("spec ");
  if (!specWord.startsWith("file ")) {
    return { root, rootState, spec: { state: specWord as "absent" | "symlink" | "other" }, verify: null };
  }
  const sha256 = specWord.slice(5);
  const header = parseHeader(take("header ")) ?? null;
  const spec = { state: "file" as const, sha256, header };
  if (lines.length === 0 || lines[0] !== "verify") return { root, rootState, spec, verify: null };
  lines.shift();
  if (lines[lines.length - 1] === "") lines.pop();
  // The last line is always ours: whatever file names mtree printed come before it.
  const rc = lines.pop() ?? "";
  if (!rc.startsWith("rc ")) throw new HostStateError(`mtree did not finish verifying ${root}`);
  const body = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  return { root, rootState, spec, verify: { exitCode: Number(rc.slice(3)), stdout: body, stderr } };
}

const LIST = [
  "d=$1",
  'if [ -L "$d" ]; then echo symlink; exit 0; fi',
  'if [ ! -d "$d" ]; then echo absent; exit 0; fi',
  "echo dir",
  'for f in "$d"/*.mtree; do',
  '  [ -f "$f" ] && [ ! -L "$f" ] || continue',
  "  printf '%s %s\\n' \"$(sha256 -q \"$f\")\" \"${f##*/}\"",
  "done",
].join("\n");

/** A spec file found in the baseline's folder. */
export interface SpecFile {
  file: string;
  root: string;
  sha256: string;
}

/** The baseline folder's state, its spec files and the recorded report; read-only. */
export async function observeFolder(remote: Remote, name: string): Promise<{ dirState: string; specs: SpecFile[]; report: RemoteFile }> {
  const dir = specDir(name);
  const r = await remote.script(LIST, [dir], { idempotent: true, summary: `list ${dir}` });
  const lines = r.stdout.toString("utf8").split("\n").filter((l) => l !== "");
  const dirState = lines.shift() ?? "absent";
  const specs: SpecFile[] = [];
  for (const line of lines) {
    const sp = line.indexOf(" ");
    const file = line.slice(sp + 1);
    const root = rootOfSpecFile(file);
    if (root) specs.push({ file, root, sha256: line.slice(0, sp) });
  }
  const report: RemoteFile = dirState === "dir" ? await readRemoteFile(remote, `${dir}/${REPORT_FILE}`) : { state: "absent" };
  return { dirState, specs, report };
}

// Exit codes of BASELINE that mean "refused".
const ROOT_NOT_DIR = 24;
const DIR_NOT_DIR = 25;
const SPEC_SYMLINK = 21;
const SPEC_NOT_FILE = 22;
const SPEC_CHANGED = 23;

const BASELINE = [
  "set -eu",
  "dir=$1 root=$2 spec=$3 expect=$4 header=$5 keys=$6 ex=$7",
  "umask 077",
  'if [ -L "$root" ] || [ ! -d "$root" ]; then exit 24; fi',
  'mkdir -p "$dir"',
  'if [ -L "$dir" ] || [ ! -d "$dir" ]; then exit 25; fi',
  'if [ -L "$spec" ]; then exit 21; fi',
  'if [ -e "$spec" ]; then',
  '  [ -f "$spec" ] || exit 22',
  '  cur=$(sha256 -q "$spec")',
  '  [ "$expect" = "$cur" ] || exit 23',
  "else",
  '  [ "$expect" = absent ] || exit 23',
  "fi",
  // Generated in place: a mktemp file in the spec's own folder, renamed over the spec.
  'tmp=$(mktemp "$dir/.spec.XXXXXXXX")',
  "trap 'rm -f \"$tmp\"' EXIT",
  "printf '%s created=%s\\n' \"$header\" \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" >\"$tmp\"",
  "printf '%s\\n' \"$ex\" | mtree -c -x -k \"$keys\" -p \"$root\" -X /dev/stdin >>\"$tmp\"",
  'chmod 0600 "$tmp"',
  'mv -f "$tmp" "$spec"',
  "trap - EXIT",
].join("\n");

/** What {@link writeBaseline} needs. */
export interface BaselineArgs {
  dir: string;
  root: string;
  spec: string;
  /** SHA-256 of the spec being replaced, or "absent". */
  expected: string;
  headerPrefix: string;
  keywords: string[];
  excludes: string[];
}

/** Runs `mtree -c` for one tree into a new spec, atomically replacing the old one. */
export async function writeBaseline(remote: Remote, a: BaselineArgs): Promise<void> {
  const args = [a.dir, a.root, a.spec, a.expected, a.headerPrefix, a.keywords.join(","), a.excludes.join("\n")];
  try {
    await remote.script(BASELINE, args, { summary: `mtree -c ${a.root}` });
  } catch (err) {
    if (err instanceof RemoteError && err.kind === "command") {
      switch (err.exitCode) {
        case ROOT_NOT_DIR:
          throw new HostStateError(`${a.root} is not a directory on the host (absent, or a symbolic link)`, "fix `paths`, or create the directory first");
        case DIR_NOT_DIR:
          throw new HostStateError(`${a.dir} is not a directory`, "remove what is there by hand, then run `pulumi up` again");
        case SPEC_SYMLINK:
          throw new HostStateError(`${a.spec} is a symbolic link; refusing to write through it`, "remove the link by hand and look at who planted it");
        case SPEC_NOT_FILE:
          throw new HostStateError(`${a.spec} is not a regular file`, "remove what is there by hand");
        case SPEC_CHANGED:
          throw new HostStateError(`${a.spec} changed on the host while it was being replaced; nothing was written`, "run `pulumi up` again");
      }
    }
    throw err;
  }
}

const ENSURE_DIR = ["set -eu", "umask 077", 'mkdir -p "$1"', 'if [ -L "$1" ] || [ ! -d "$1" ]; then exit 25; fi'].join("\n");

/** Creates the baseline folder (mode 0700) when it is missing. */
export async function ensureDir(remote: Remote, dir: string): Promise<void> {
  try {
    await remote.script(ENSURE_DIR, [dir], { summary: `mkdir ${dir}` });
  } catch (err) {
    if (err instanceof RemoteError && err.kind === "command" && err.exitCode === DIR_NOT_DIR) {
      throw new HostStateError(`${dir} is not a directory`, "remove what is there by hand, then run `pulumi up` again");
    }
    throw err;
  }
}

const RMDIR = ['if [ -d "$1" ] && [ ! -L "$1" ]; then rmdir "$1" 2>/dev/null || true; fi'].join("\n");

/** Removes the baseline folder if it is empty (anything else left in it stays). */
export async function removeDirIfEmpty(remote: Remote, dir: string): Promise<void> {
  await remote.script(RMDIR, [dir], { summary: `rmdir ${dir}` });
}
