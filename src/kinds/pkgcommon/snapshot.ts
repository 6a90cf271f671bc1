/**
 * A boot environment before a risky package change (`bectl create NAME`, commands.md §3), named
 * from a template by the BootEnvironment module's {@link bootEnvironmentName}.
 */
import { bootEnvironmentName } from "../bootEnvironment/name";
import { HostStateError } from "../../hostfs/errors";
import type { HostContext } from "../../engine/kind";

/** What to do on a host whose root is not ZFS (bectl cannot work there). */
export type OnMissingZfs = "warn" | "fail";

/** Default template: `pre-nginx-20241001`. `<version>` is the version installed before the change. */
export const DEFAULT_SNAPSHOT_TEMPLATE = "pre-<package>-<yyyymmdd>";

const ANY = Array.from({ length: 256 }, (_, i) => i);

/**
 * Creates the boot environment and returns its name, or null when ZFS is missing and
 * `onMissingZfs` is "warn". A name already taken today gets `-2`, `-3`… appended: each change
 * gets its own snapshot.
 */
export async function snapshotBeforeChange(
  ctx: HostContext,
  opts: { template: string; onMissingZfs: OnMissingZfs; package: string; version?: string },
): Promise<string | null> {
  const base = bootEnvironmentName(opts.template, { package: opts.package, ...(opts.version ? { version: opts.version } : {}) });
  for (let n = 1; n <= 20; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const r = await ctx.remote.exec(["bectl", "create", name], { okExitCodes: ANY, summary: `bectl create ${name}` });
    if (r.exitCode === 0) {
      ctx.log(`created boot environment ${name}`);
      return name;
    }
    const err = r.stderrText;
    if (/libbe_init\(.*\) failed/.test(err)) {
      if (opts.onMissingZfs === "warn") {
        ctx.log(`warning: no boot environment created: the root file system is not ZFS (bectl: ${err.trim()}); continuing`);
        return null;
      }
      throw new HostStateError(`cannot create a boot environment before changing ${opts.package}: the root file system is not ZFS (${err.trim()})`,
        'set snapshotBeforeChange.onMissingZfs to "warn" to change packages without a snapshot on this host');
    }
    if (/name already taken/.test(err)) continue;
    throw new HostStateError(`\`bectl create ${name}\` exited ${r.exitCode}: ${err.trim()}`, "fix the boot environment problem on the host, then run `pulumi up` again");
  }
  throw new HostStateError(`boot environment names ${base} … ${base}-20 are all taken`, "destroy old boot environments (`bectl destroy`)");
}
