/**
 * Host facts: a function (not a resource) that reads what a program needs to branch on the
 * release — freebsd-version -kru, uname -K/-U, the pkg ABI, enabled services, boot environments,
 * the installed package count — in one remote round trip, and flags kernel/userland skew.
 */
import { closeAllConnections, remoteFor, type ConnectionArgs } from "../transport";
import {
  parseBectlList,
  parseEnabledServices,
  parseFreebsdVersion,
  parseReldate,
  sections,
  skewOf,
  type BootEnvironmentFact,
} from "./parse";

export type { BootEnvironmentFact } from "./parse";
export { skewOf } from "./parse";

/** What {@link getHostFacts} returns. A fact the host cannot tell (tool missing, not ZFS) is null. */
export interface HostFacts {
  /** "root@host:port" */
  host: string;
  freebsdVersion: { kernel: string; running: string; userland: string } | null;
  /** `uname -K`: the running kernel's __FreeBSD_version. */
  kernelReldate: number | null;
  /** `uname -U`: the userland's __FreeBSD_version. */
  userlandReldate: number | null;
  /** `pkg config ABI`, e.g. "FreeBSD:14:amd64". */
  pkgAbi: string | null;
  /** Names of enabled rc scripts, in boot order (`service -e`). */
  enabledServices: string[] | null;
  /** `bectl list -H`; null without a ZFS root (or without bectl). */
  bootEnvironments: BootEnvironmentFact[] | null;
  /** Number of installed packages (`pkg query %n`); null when pkg is not bootstrapped. */
  installedPackages: number | null;
  /** Kernel/userland skew an operator should act on; empty when consistent. */
  skew: string[];
}

// Each section: a header with the command's exit status, then its stdout. Fixed text, no data.
const SCRIPT = [
  'run() { name=$1; shift; out=$("$@" 2>/dev/null); rc=$?; printf "@@%s %s\\n%s\\n" "$name" "$rc" "$out"; }',
  "run freebsd-version freebsd-version -kru",
  "run uname-k uname -K",
  "run uname-u uname -U",
  // Only the real pkg: /usr/sbin/pkg is the bootstrapper and would offer to install it (§1.16).
  'haspkg() { [ -x /usr/local/sbin/pkg ] || return 127; pkg "$@"; }',
  "run pkg-abi haspkg config ABI",
  "run services service -e",
  "run bectl bectl list -H",
  "run packages haspkg query %n",
].join("\n");

let inFlight = 0;

/**
 * Reads the facts of one host. Read-only; safe in previews. The connection is closed when no
 * other facts call is running, so a program that uses this still exits promptly.
 */
export async function getHostFacts(connection: ConnectionArgs): Promise<HostFacts> {
  inFlight++;
  try {
    const remote = remoteFor(connection);
    const r = await remote.script(SCRIPT, [], { idempotent: true, summary: "read host facts" });
    const s = sections(r.stdoutText);
    const ok = (name: string) => {
      const sec = s.get(name);
      return sec && sec.rc === 0 ? sec.text : null;
    };
    const version = ok("freebsd-version") === null ? null : parseFreebsdVersion(ok("freebsd-version")!);
    const abi = ok("pkg-abi")?.trim();
    const packages = ok("packages");
    return {
      host: remote.label,
      freebsdVersion: version,
      kernelReldate: ok("uname-k") === null ? null : parseReldate(ok("uname-k")!),
      userlandReldate: ok("uname-u") === null ? null : parseReldate(ok("uname-u")!),
      pkgAbi: abi && /^[A-Za-z]+:\d+:[A-Za-z0-9_:]+$/.test(abi) ? abi : null,
      enabledServices: ok("services") === null ? null : parseEnabledServices(ok("services")!),
      bootEnvironments: ok("bectl") === null ? null : parseBectlList(ok("bectl")!),
      installedPackages: packages === null ? null : packages.split("\n").filter((l) => l.trim()).length,
      skew: version ? skewOf(version) : [],
    };
  } finally {
    if (--inFlight === 0) await closeAllConnections();
  }
}
