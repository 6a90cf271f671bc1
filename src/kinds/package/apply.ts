/** Package: running the planned actions on the host. */
import type { HostContext } from "../../engine/kind";
import { HostStateError } from "../../hostfs/errors";
import { satisfiesMin, versionsEqual } from "../../pkg/version";
import { invalidateHost } from "../pkgcommon/cache";
import { pkgExec } from "../pkgcommon/exec";
import { configuredRepositories } from "../pkgcommon/observe";
import { snapshotBeforeChange } from "../pkgcommon/snapshot";
import type { Candidate, PackageAction, PackageLive, PackageMemory } from "./plan";
import { cachedPackageFile, candidates, newest, reverseDependencies, PKG_CACHE } from "./remote";
import type { PackageInputs } from "./schema";

/** Where a version comes from: a catalogue (`pkg install NAME-VER`) or a cached file (`pkg add -f`). */
type Source = { from: "repository"; candidate: Candidate } | { from: "cache"; file: string; name: string; version: string };

/**
 * Picks the exact version to install. Asks the catalogues with an update (apply may write), so a
 * fix published since the last `pkg update` is found.
 */
async function resolve(ctx: HostContext, d: PackageInputs, name: string, want: { exact?: string; min?: string }): Promise<Source> {
  const offered = await candidates(ctx.remote, name, d.repository, true);
  const where = d.repository ? `repository ${d.repository}` : "the configured repositories";
  const list = offered.map((c) => `${c.name}-${c.version} (${c.repository})`).join(", ") || "nothing";
  if (want.exact) {
    const hit = offered.find((c) => versionsEqual(c.version, want.exact!));
    if (hit) return { from: "repository", candidate: hit };
    const pkgName = offered[0]?.name ?? name;
    const file = pkgName.includes("/") ? null : await cachedPackageFile(ctx.remote, pkgName, want.exact);
    if (file) return { from: "cache", file, name: pkgName, version: want.exact };
    throw new HostStateError(`${where} offer no ${name} ${want.exact} (they offer ${list}) and ${PKG_CACHE} has no ${pkgName}-${want.exact}.pkg`,
      `put ${pkgName}-${want.exact}.pkg into ${PKG_CACHE} (pkg fetch on a host that has it), point repository at a repository that carries it, or change version`);
  }
  const best = newest(offered);
  if (!best) throw new HostStateError(`${where} offer no package ${name}`, "check the name and the repository configuration (`pkg search`), then run `pkg update`");
  if (want.min && !satisfiesMin(best.version, want.min)) {
    throw new HostStateError(`${where} offer ${name} ${best.version} at most, older than minVersion ${want.min}`,
      "the fixed version is not published in this branch yet: switch to the latest branch (PkgRepository) or wait for the quarterly branch to get it");
  }
  return { from: "repository", candidate: best };
}

async function installFrom(ctx: HostContext, d: PackageInputs, src: Source, force: boolean): Promise<void> {
  if (src.from === "cache") {
    ctx.log(`installing ${src.name}-${src.version} from ${src.file}`);
    await pkgExec(ctx.remote, ["pkg", "add", "-f", src.file]);
    return;
  }
  const c = src.candidate;
  const repo = d.repository ? ["-r", d.repository] : [];
  await pkgExec(ctx.remote, ["pkg", "install", "-y", ...(force ? ["-f"] : []), ...repo, `${c.name}-${c.version}`]);
}

/** Runs the actions in order; the caller observes again afterwards. `memory` is updated in place. */
export async function applyPackage(ctx: HostContext, d: PackageInputs, live: PackageLive, actions: PackageAction[], memory: PackageMemory): Promise<void> {
  if (d.repository && actions.some((a) => a.kind === "install" || a.kind === "upgrade" || a.kind === "downgrade" || a.kind === "reinstall")) {
    const repos = await configuredRepositories(ctx.remote);
    if (!repos.includes(d.repository)) {
      throw new HostStateError(`repository ${JSON.stringify(d.repository)} is not configured on the host (configured: ${repos.join(", ") || "none"})`,
        "fix `repository`, or declare the repository first (PkgRepository) and make this resource depend on it");
    }
  }
  const label = ctx.remote.label;
  const before = live.installed?.version ?? null;
  // Every version is resolved before anything runs: a version no repository or cache has must
  // fail with the host untouched (no boot environment, no unlock).
  const sources = new Map<PackageAction, Source>();
  for (const a of actions) {
    if (a.kind === "install" || a.kind === "upgrade" || a.kind === "downgrade") {
      // An exact version is installed exactly; otherwise the newest offered (checked against minVersion).
      const exact = a.kind === "downgrade" ? a.to : d.version;
      const min = a.kind === "downgrade" ? undefined : d.minVersion;
      sources.set(a, await resolve(ctx, d, a.name, { ...(exact ? { exact } : {}), ...(min ? { min } : {}) }));
    } else if (a.kind === "reinstall") {
      sources.set(a, await resolve(ctx, d, a.name, { exact: a.version }));
    }
  }
  try {
    for (const a of actions) {
      invalidateHost(label);
      switch (a.kind) {
        case "snapshot": {
          const s = d.snapshotBeforeChange!;
          memory.bootEnvironment = await snapshotBeforeChange(ctx, { template: s.template, onMissingZfs: s.onMissingZfs, package: a.name, version: a.version });
          break;
        }
        case "unlock":
          await pkgExec(ctx.remote, ["pkg", "unlock", "-y", a.name]);
          break;
        case "lock":
          await pkgExec(ctx.remote, ["pkg", "lock", "-y", a.name]);
          break;
        case "install":
        case "upgrade":
        case "downgrade": {
          await installFrom(ctx, d, sources.get(a)!, false);
          memory.previousVersion = before;
          break;
        }
        case "reinstall": {
          await installFrom(ctx, d, sources.get(a)!, true);
          break;
        }
        case "remove": {
          const rdeps = await reverseDependencies(ctx.remote, a.name);
          if (rdeps.length > 0) {
            throw new HostStateError(`${a.name} is required by ${rdeps.join(", ")}; pkg delete would remove them too`,
              `remove or re-declare those packages first (ensure: "absent" on each), then run \`pulumi up\` again`);
          }
          await pkgExec(ctx.remote, ["pkg", "delete", "-y", a.name]);
          memory.previousVersion = before;
          break;
        }
      }
    }
  } finally {
    invalidateHost(label);
  }
}
