/**
 * PkgRepository: one pkg repository file, /usr/local/etc/pkg/repos/NAME.conf, owned whole by the
 * resource, parsed on every observe so drift is what pkg would read differently.
 */
import type { Kind } from "../../engine/kind";
import { HostStateError, readRemoteFile, removeRemoteFile, writeRemoteFile } from "../../hostfs";
import { isRemoteError, type Remote } from "../../transport";
import { describe, desiredContent, liveFromContent, nextMemory, plan, planDelete, sha256, type Action, type LiveRepo, type Memory } from "./plan";
import { insecureFindings, pkgRepositorySchema, REPOS_DIR, repoPath, type PkgRepositoryInputs } from "./schema";
import { SETTING_KEYS } from "./settings";

export { pkgRepositorySchema, insecureFindings, repoPath, type PkgRepositoryInputs } from "./schema";
export { freebsdPkgUrl, withPkgBranch } from "./urls";

/** The PkgRepository kind. */
export const pkgRepositoryKind: Kind<PkgRepositoryInputs, LiveRepo, Action, Memory> = {
  name: "PkgRepository",
  schema: pkgRepositorySchema,
  id: (d) => `${d.connection.host}:${repoPath(d.name)}`,
  replaceKeys: (d) => ({ name: d.name }),

  async observe(ctx, d) {
    const f = await readRemoteFile(ctx.remote, repoPath(d.name));
    return f.state === "file" ? liveFromContent("file", f.content, d.name, f.sha256) : { state: f.state, content: "" };
  },

  liveFromOutputs(o) {
    if (typeof o.content !== "string" || typeof o.fileState !== "string" || typeof o.name !== "string") return undefined;
    return liveFromContent(o.fileState as LiveRepo["state"], o.content, o.name);
  },

  memory: (live, _d, previous) => nextMemory(live, previous),

  memoryFromOutputs(o) {
    if (typeof o.priorExists !== "boolean") return undefined;
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    return { recorded: true, priorExists: o.priorExists, priorContent: str(o.priorContent), updatedFor: str(o.updatedFor) };
  },

  plan: (live, d, memory) => plan(live, d, memory),
  planDelete: (live, _d, memory) => planDelete(live, memory),
  describe,

  async apply(ctx, d, live, actions, memory) {
    const path = repoPath(d.name);
    if (live.state === "symlink") {
      throw new HostStateError(`${path} is a symbolic link; refusing to write through it`,
        "replace the link with a regular file (or remove it) by hand, then run `pulumi up` again");
    }
    if (live.state === "other") throw new HostStateError(`${path} is not a regular file`, "remove what is there by hand");
    let expected = live.state === "file" ? live.sha256! : "absent";
    let wrote = false;
    for (const a of actions) {
      if (a.kind === "write" || a.kind === "restore") {
        if (a.kind === "write" && live.parseError) {
          throw new HostStateError(`cannot read ${path} (${live.parseError}); refusing to overwrite a file it cannot represent`,
            "fix or remove the file by hand (it is outside the UCL subset pkg repository files use), then run `pulumi up` again");
        }
        if (expected === "absent") await ctx.remote.exec(["mkdir", "-p", "--", REPOS_DIR], { summary: `mkdir -p ${REPOS_DIR}` });
        await writeRemoteFile(ctx.remote, path, a.content, expected, { mode: d.mode, owner: d.owner });
        expected = sha256(a.content);
        wrote = true;
      } else if (a.kind === "remove") {
        await removeRemoteFile(ctx.remote, path, expected);
        expected = "absent";
      } else {
        await update(ctx.remote, d, a.name, async () => {
          // A failed create leaves nothing behind: the engine keeps no state for it.
          if (memory.recorded || !wrote) return false;
          if (memory.priorContent !== null) await writeRemoteFile(ctx.remote, path, memory.priorContent, expected);
          else await removeRemoteFile(ctx.remote, path, expected);
          return true;
        }, ctx.log);
        // Memory is the kind's own record; the outputs store it, so the next run knows.
        memory.updatedFor = sha256(desiredContent(d));
      }
    }
  },

  liveInputs(live, raw) {
    const obs = live.observed?.settings ?? {};
    const shaped: Record<string, unknown> = { ...raw };
    for (const [prop] of SETTING_KEYS) {
      const o = obs[prop];
      if (prop === "enabled" && raw.enabled === undefined && (o === undefined || (o === true && !raw.overrideOnly))) continue;
      if (o === undefined) delete shaped[prop];
      else shaped[prop] = o;
    }
    return shaped as PkgRepositoryInputs;
  },

  outputs(live, d, memory) {
    const o = live.observed;
    return {
      path: repoPath(d.name),
      content: live.content,
      fileState: live.state,
      observed: o ? { ...o.settings } : null,
      otherRepos: o?.otherRepos ?? [],
      problems: o ? [...o.problems, ...o.unmanaged.map((k) => `unmanaged key: ${k}`)] : [],
      parseError: live.parseError ?? null,
      priorExists: memory.priorExists,
      priorContent: memory.priorContent,
      updatedFor: memory.updatedFor,
      warnings: insecureFindings(d).map((f) => f.message),
    };
  },
};

async function update(remote: Remote, d: PkgRepositoryInputs, name: string, rollback: () => Promise<boolean>, log: (m: string) => void) {
  const argv = ["pkg", "update", "-f", "-r", name];
  try {
    const r = await remote.exec(argv, { summary: argv.join(" ") });
    const last = r.stdoutText.trim().split("\n").pop();
    if (last) log(last);
  } catch (err) {
    if (!isRemoteError(err, "command")) throw err;
    const rolledBack = await rollback();
    const tail = err.stderrTail || "(pkg printed nothing on stderr)";
    throw new HostStateError(
      `${argv.join(" ")} failed (exit ${err.exitCode ?? "?"}) for repository '${d.name}':\n${tail.replace(/^/gm, "    ")}`,
      rolledBack
        ? "the repository file was put back as it was and the resource was not created; make the repository reachable (url, mirror, keys) and run `pulumi up` again"
        : "the repository file is written and stays; make the repository reachable (url, mirror, keys) and run `pulumi up` again: the update is retried",
    );
  }
}
