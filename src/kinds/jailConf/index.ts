/**
 * JailConf: parameters of a named jail in /etc/jail.conf (only they change; comments and other
 * jails survive byte for byte), or a whole /etc/jail.conf.d/JAIL.conf the resource owns.
 */
import { includes, JailConfEditError, ownParamNames, sourceOf } from "../../formats/jailconf";
import type { Kind } from "../../engine/kind";
import { HostStateError, readRemoteFile, removeRemoteFile, writeRemoteFile } from "../../hostfs";
import { satisfies, typedValue, type JailParamValue } from "./params";
import { canonicalName, describe, docOf, editText, effectiveOf, nextMemory, plan, planDelete, type Action, type LiveFile, type Memory } from "./plan";
import { jailConfSchema, pathOf, type JailConfInputs } from "./schema";

export { jailConfSchema, pathOf, type JailConfInputs } from "./schema";
export { hardened, hardenedWith } from "./preset";
export type { JailParamValue } from "./params";

/** Warnings about what the resource cannot see: included files are not followed. */
export function includeWarnings(live: LiveFile, d: Pick<JailConfInputs, "jail">, path: string): string[] {
  const doc = docOf(live);
  const out = includes(doc).map((inc) =>
    `${path} line ${inc.line} includes ${inc.path ?? sourceOf(doc, inc)}, which this resource does not read: ` +
    `a definition of jail ${d.jail} or a wildcard there can override the parameters set here`);
  if (doc.error) out.push(`${path} line ${doc.error.line}: ${doc.error.message} (jail(8) cannot read the file)`);
  return out;
}

// Kept separate so the directory of an owned file exists; only the immediate directory is made.
const MKDIR = 'd=$1; [ -d "$d" ] || mkdir -m 0755 -- "$d"';

/** The JailConf kind: schema, observe, plan, apply. */
export const jailConfKind: Kind<JailConfInputs, LiveFile, Action, Memory> = {
  name: "JailConf",
  schema: jailConfSchema,
  id: (d) => `${d.connection.host}:${pathOf(d)}:${d.jail}`,
  replaceKeys: (d) => ({ path: pathOf(d), jail: d.jail, manage: d.manage }),

  async observe(ctx, d) {
    const f = await readRemoteFile(ctx.remote, pathOf(d));
    return f.state === "file" ? { state: "file", content: f.content, sha256: f.sha256 } : { state: f.state, content: "" };
  },

  liveFromOutputs(o) {
    if (typeof o.content !== "string" || typeof o.fileState !== "string") return undefined;
    return { state: o.fileState as LiveFile["state"], content: o.content };
  },

  memory: (live, d, previous) => nextMemory(live, d, previous),

  memoryFromOutputs(o) {
    if (typeof o.priorExists !== "boolean" || o.priorStatements === null || typeof o.priorStatements !== "object") return undefined;
    return {
      priorExists: o.priorExists,
      priorStatements: o.priorStatements as Record<string, string[] | null>,
      blockSeparator: typeof o.blockSeparator === "string" ? o.blockSeparator : null,
      priorContent: typeof o.priorContent === "string" ? o.priorContent : null,
    };
  },

  plan: (live, d, memory) => plan(live, d, memory),
  planDelete: (live, d, memory) => planDelete(live, d, memory),
  describe,

  async apply(ctx, d, live, actions, memory) {
    const path = pathOf(d);
    if (live.state === "symlink") {
      throw new HostStateError(`${path} is a symbolic link; refusing to edit through it`,
        "point `path` at the link's target, or replace the link with a regular file by hand");
    }
    if (live.state === "other") throw new HostStateError(`${path} is not a regular file`, "fix `path`");
    const expected = live.state === "file" ? live.sha256! : "absent";
    let text: string;
    try {
      text = editText(live.content, d.jail, actions, memory);
    } catch (err) {
      if (err instanceof JailConfEditError) {
        throw new HostStateError(`cannot edit ${path}: ${err.message}`, "fix that by hand, then run `pulumi up` again");
      }
      throw err;
    }
    if (actions.some((a) => a.kind === "deleteFile") && (d.manage === "file" || text === "")) {
      await removeRemoteFile(ctx.remote, path, expected);
      return;
    }
    if (d.manage === "file" && live.state === "absent") {
      const dir = path.slice(0, path.lastIndexOf("/")) || "/";
      await ctx.remote.script(MKDIR, [dir], { summary: `mkdir ${dir}` });
    }
    await writeRemoteFile(ctx.remote, path, text, expected, { mode: d.mode, owner: d.owner });
  },

  liveInputs(live, raw) {
    const doc = docOf(live);
    const shaped: Record<string, JailParamValue> = {};
    for (const [name, want] of Object.entries(raw.parameters ?? {})) {
      const eff = effectiveOf(doc, raw.jail, name);
      if (eff === undefined) continue; // unset on the host: shows as a parameter to add
      if (satisfies(name, want, eff)) shaped[name] = want;
      else shaped[name] = typedValue(name, eff) ?? eff.from.map((a) => sourceOf(doc, a.stmt)).join(" ");
    }
    if (raw.manage === "file" && !doc.error) {
      // An owned file's extra parameters are drift too: they show as parameters to remove.
      for (const name of ownParamNames(doc, raw.jail)) {
        const canon = canonicalName(name) ?? name;
        if (canon in shaped || (raw.parameters && canon in raw.parameters)) continue;
        const eff = effectiveOf(doc, raw.jail, canon);
        shaped[canon] = typedValue(canon, eff) ?? eff?.from.map((a) => sourceOf(doc, a.stmt)).join(" ") ?? name;
      }
    }
    return { ...raw, parameters: shaped };
  },

  outputs(live, d, memory) {
    const doc = docOf(live);
    const path = pathOf(d);
    const observed: Record<string, JailParamValue | null> = {};
    const observedText: Record<string, string | null> = {};
    const priorStatements: Record<string, string[] | null> = {};
    for (const name of Object.keys(d.parameters)) {
      const eff = effectiveOf(doc, d.jail, name);
      observed[name] = typedValue(name, eff) ?? null;
      observedText[name] = eff ? eff.from.map((a) => sourceOf(doc, a.stmt)).join(" ") : null;
    }
    for (const [name, v] of Object.entries(memory.priorStatements)) priorStatements[name] = v;
    return {
      filePath: path,
      content: live.content,
      fileState: live.state,
      observed,
      observedText,
      priorExists: memory.priorExists,
      priorStatements,
      blockSeparator: memory.blockSeparator,
      priorContent: memory.priorContent,
      warnings: includeWarnings(live, d, path),
    };
  },
};
