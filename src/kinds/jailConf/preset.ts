/**
 * The `hardened` preset: jail parameters that take privileges away from root inside a jail.
 * Every entry says why. Parameters that exist only on recent releases (`allow.nfsd`,
 * `allow.settime`, `allow.vmm`…) are left out on purpose: they default to off, and naming a
 * parameter the running kernel does not know makes `jail -c` fail.
 */
import type { JailParamValue } from "./params";

/**
 * The hardened baseline. Spread it into `parameters` and override what a jail needs:
 * `{ ...hardened, "allow.raw_sockets": true }`, or use {@link hardenedWith}.
 */
export const hardened: Readonly<Record<string, JailParamValue>> = Object.freeze({
  /** Raw sockets let jailed root craft packets (spoofed source addresses, ICMP floods); ping needs them, most services do not. */
  "allow.raw_sockets": false,
  /** System V IPC is shared with the host and other jails (deprecated switch for sysvmsg/sysvsem/sysvshm = inherit): off isolates it. */
  "allow.sysvipc": false,
  /** Clearing file flags (schg) would let jailed root undo the immutability that securelevel protects. */
  "allow.chflags": false,
  /** Mounting is the master switch for every allow.mount.*; off means no file system can be mounted from inside. */
  "allow.mount": false,
  /** devfs inside the jail would bypass devfs_ruleset (the host's device filter). */
  "allow.mount.devfs": false,
  /** fdescfs exposes other processes' descriptors under /dev/fd. */
  "allow.mount.fdescfs": false,
  /** nullfs could re-expose host paths that were mounted into the jail read-only. */
  "allow.mount.nullfs": false,
  /** procfs exposes process memory and state, the classic escalation route. */
  "allow.mount.procfs": false,
  /** tmpfs lets jailed root consume host memory without limit. (fusefs, linprocfs, linsysfs and zfs are left out: naming a file system's parameter makes libjail load its module.) */
  "allow.mount.tmpfs": false,
  /** Changing the hostname from inside confuses logs and monitoring that identify the jail by it (default on). */
  "allow.set_hostname": false,
  /** Locking memory (mlock) lets a jail pin host RAM. */
  "allow.mlock": false,
  /** Quota administration from inside would let jailed root change the host's quotas on shared file systems. */
  "allow.quotas": false,
  /** Only IPv4, IPv6, local and routing sockets: no other protocol families (and their less-audited code) reachable from the jail. */
  "allow.socket_af": false,
  /** The kernel message buffer leaks host information (other jails' messages, addresses, hardware). */
  "allow.read_msgbuf": false,
  /** Unprivileged users may not debug (ptrace) processes, even their own, so a compromised service account cannot inspect others (default on). */
  "allow.unprivileged_proc_debug": false,
  /** 2 (the default, stated so a file cannot weaken it): the jail sees only its own root's mount, not the host's mount table. */
  enforce_statfs: 2,
  /** 2: immutable flags hold, disks cannot be opened for writing, time cannot jump; 3 adds only firewall-rule locking, which matters only with vnet. */
  securelevel: 2,
  /** No child jails: nesting would let jailed root create jails with its own, possibly weaker, settings. */
  "children.max": 0,
  /** Ruleset 4 (devfsrules_jail in /etc/defaults/devfs.rules) hides every device a jail does not need; 0 would mean no filter at all. */
  devfs_ruleset: 4,
});

/**
 * The preset with `changes` applied: a value overrides, `null` drops the parameter (it is then
 * not managed at all).
 */
export function hardenedWith(changes: Record<string, JailParamValue | null> = {}): Record<string, JailParamValue> {
  const out: Record<string, JailParamValue> = { ...hardened };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
