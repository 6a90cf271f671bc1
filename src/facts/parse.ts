/**
 * Pure parsers for the host-facts script's sections (one remote round trip; see ./index.ts).
 * Formats: commands.md §7 (freebsd-version, uname, service) and §3 (bectl list -H).
 */

/** A boot environment as `bectl list -H` shows it. */
export interface BootEnvironmentFact {
  name: string;
  /** Active flags: N (now), R (on reboot), T (next boot only). */
  active: string;
  mountpoint: string | null;
  space: string;
  created: string;
}

/** Splits the script output into sections: `@@name rc` header lines, then the section's text. */
export function sections(text: string): Map<string, { rc: number; text: string }> {
  const out = new Map<string, { rc: number; text: string }>();
  const re = /^@@([a-z-]+) (\d+)$/;
  let name: string | undefined;
  let rc = 0;
  let buf: string[] = [];
  const flush = () => {
    if (name !== undefined) out.set(name, { rc, text: buf.join("\n") });
  };
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (m) {
      flush();
      name = m[1]!;
      rc = Number(m[2]);
      buf = [];
    } else buf.push(line);
  }
  flush();
  return out;
}

/** `freebsd-version -kru`: three lines, always in the order kernel, running, userland (§7). */
export function parseFreebsdVersion(text: string): { kernel: string; running: string; userland: string } | null {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length !== 3 || !lines.every((l) => /^\d+\.\d+-[A-Z0-9]+(-p\d+)?$/.test(l))) return null;
  return { kernel: lines[0]!, running: lines[1]!, userland: lines[2]! };
}

/** `uname -K` / `uname -U`: a __FreeBSD_version number (MMmmRPP). */
export function parseReldate(text: string): number | null {
  const t = text.trim();
  return /^\d{6,7}$/.test(t) ? Number(t) : null;
}

/** `service -e`: full paths of enabled rc scripts, in boot order; the facts keep the names. */
export function parseEnabledServices(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("/"))
    .map((l) => l.slice(l.lastIndexOf("/") + 1));
}

/** `bectl list -H`: tab-separated name, active, mountpoint, space, created. */
export function parseBectlList(text: string): BootEnvironmentFact[] {
  const out: BootEnvironmentFact[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const f = line.split("\t");
    if (f.length < 5) continue;
    out.push({
      name: f[0]!,
      active: f[1] === "-" ? "" : f[1]!,
      mountpoint: f[2] === "-" ? null : f[2]!,
      space: f[3]!,
      created: f[4]!,
    });
  }
  return out;
}

/** The major.minor and patch level of "14.1-RELEASE-p6". */
export function releaseOf(v: string): { release: string; patch: number } {
  const m = /^(\d+\.\d+-[A-Z0-9]+)(?:-p(\d+))?$/.exec(v);
  return m ? { release: m[1]!, patch: m[2] ? Number(m[2]) : 0 } : { release: v, patch: 0 };
}

/**
 * What differs between kernel and userland that an operator should know about:
 * - the installed kernel is not the running one: a reboot is pending;
 * - kernel and userland are different releases: an incomplete upgrade;
 * - a userland patch level above the kernel's is normal after freebsd-update (userland-only
 *   fixes), so it is not flagged (commands.md §7).
 */
export function skewOf(v: { kernel: string; running: string; userland: string }): string[] {
  const out: string[] = [];
  if (v.kernel !== v.running) out.push(`the running kernel ${v.running} is not the installed kernel ${v.kernel}: reboot to finish the update`);
  const k = releaseOf(v.kernel);
  const u = releaseOf(v.userland);
  if (k.release !== u.release) out.push(`kernel ${v.kernel} and userland ${v.userland} are different releases: the upgrade is incomplete`);
  else if (k.patch > u.patch) out.push(`the kernel (${v.kernel}) is newer than the userland (${v.userland}): run freebsd-update install again`);
  return out;
}
