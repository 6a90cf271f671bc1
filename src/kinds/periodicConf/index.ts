/**
 * PeriodicConf: variables in /etc/periodic.conf, or any rc.conf-style file, with sysrc's
 * semantics (last assignment wins, quoting is not drift) and every other byte kept.
 */
import { RcEditError } from "../../formats/rcvars";
import type { Kind } from "../../engine/kind";
import { HostStateError, readRemoteFile, removeRemoteFile, writeRemoteFile } from "../../hostfs";
import { obsoleteWarnings } from "./obsolete";
import { describe, editText, liveValues, nextMemory, plan, planDelete, type Action, type LiveFile, type Memory } from "./plan";
import { periodicConfSchema, type PeriodicConfInputs, type RcInputValue } from "./schema";
import { satisfies } from "./values";

export { periodicConfSchema, type PeriodicConfInputs } from "./schema";
export { currentNameFor, obsoleteWarnings } from "./obsolete";

/** The PeriodicConf kind: schema, observe, plan, apply. */
export const periodicConfKind: Kind<PeriodicConfInputs, LiveFile, Action, Memory> = {
  name: "PeriodicConf",
  schema: periodicConfSchema,
  id: (d) => `${d.connection.host}:${d.path}`,
  replaceKeys: (d) => ({ path: d.path }),

  async observe(ctx, d) {
    const f = await readRemoteFile(ctx.remote, d.path);
    return f.state === "file" ? { state: "file", content: f.content, sha256: f.sha256 } : { state: f.state, content: "" };
  },

  liveFromOutputs(o) {
    if (typeof o.content !== "string" || typeof o.fileState !== "string") return undefined;
    return { state: o.fileState as LiveFile["state"], content: o.content };
  },

  memory: (live, d, previous) => nextMemory(live, d.values, previous),

  memoryFromOutputs(o) {
    if (typeof o.priorExists !== "boolean" || o.priorValues === null || typeof o.priorValues !== "object") return undefined;
    return { priorExists: o.priorExists, priorValues: o.priorValues as Record<string, string | null> };
  },

  plan: (live, d, memory) => plan(live, d.values, memory),
  planDelete: (live, _d, memory) => planDelete(live, memory),
  describe,

  async apply(ctx, d, live, actions) {
    if (live.state === "symlink") {
      throw new HostStateError(`${d.path} is a symbolic link; refusing to edit through it`,
        "point `path` at the link's target, or replace the link with a regular file by hand");
    }
    if (live.state === "other") throw new HostStateError(`${d.path} is not a regular file`, "fix `path`");
    const expected = live.state === "file" ? live.sha256! : "absent";
    let text: string;
    try {
      text = editText(live.content, actions);
    } catch (err) {
      if (err instanceof RcEditError) {
        throw new HostStateError(`cannot edit ${d.path}: ${err.message}`, "edit that line by hand, then run `pulumi up` again");
      }
      throw err;
    }
    if (actions.some((a) => a.kind === "deleteFile") && text === "") {
      await removeRemoteFile(ctx.remote, d.path, expected);
    } else {
      await writeRemoteFile(ctx.remote, d.path, text, expected, { mode: d.mode, owner: d.owner });
    }
  },

  liveInputs(live, raw) {
    const values = liveValues(live);
    const shaped: Record<string, RcInputValue> = {};
    for (const [name, want] of Object.entries(raw.values ?? {})) {
      const cur = values.get(name);
      if (cur === undefined) continue; // unset on the host: shows as a value to add
      shaped[name] = satisfies(want, cur) ? want : cur;
    }
    return { ...raw, values: shaped };
  },

  outputs(live, d, memory) {
    const values = liveValues(live);
    const observed: Record<string, string | null> = {};
    const priorValues: Record<string, string | null> = {};
    for (const name of Object.keys(d.values)) {
      observed[name] = values.get(name) ?? null;
      priorValues[name] = memory.priorValues[name] ?? null;
    }
    return {
      content: live.content,
      fileState: live.state,
      observed,
      priorExists: memory.priorExists,
      priorValues,
      warnings: obsoleteWarnings(Object.keys(d.values)),
    };
  },
};
