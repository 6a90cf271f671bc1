/**
 * The serialized provider. Pulumi stores each dynamic provider's code in state (`__provider`) and
 * runs that copy on refresh and destroy, so the copy holds no logic: each method requires this
 * package's dispatch module and forwards `(kind, operation, args)`. Logic is then always the
 * installed version, and one SSH pool serves every resource in the provider process.
 *
 * The provider process loads this code with require-from-string, whose module has no file name:
 * only `node_modules` above the project directory resolve, and package self-reference does not.
 * So the module ids are decided at program time ({@link providerModuleIds}) and tried in order.
 */
import * as path from "path";

/** The provider methods Pulumi calls; each forwards to `dispatch(kind, op, args)`. */
export interface ShimProvider {
  check(olds: unknown, news: unknown): Promise<unknown>;
  diff(id: string, olds: unknown, news: unknown): Promise<unknown>;
  create(inputs: unknown): Promise<unknown>;
  read(id: string, props: unknown): Promise<unknown>;
  update(id: string, olds: unknown, news: unknown): Promise<unknown>;
  delete(id: string, props: unknown): Promise<unknown>;
}

/**
 * Builds the object Pulumi serializes. It captures only two strings and a list of strings:
 * nothing secret, nothing that can fail to serialize.
 */
export function makeShim(kind: string, moduleIds: readonly string[]): ShimProvider {
  const ids = moduleIds.slice();
  const call = async (operation: string, args: unknown[]): Promise<unknown> => {
    const tried: string[] = [];
    for (const id of ids) {
      // "./x" ids are relative to the project directory, the provider process's working directory.
      const target = id.startsWith("./") ? require("path").resolve(process.cwd(), id) : id;
      let mod: { dispatch(kind: string, operation: string, args: unknown[]): Promise<unknown> };
      try {
        mod = require(target);
      } catch (err) {
        const e = err as { code?: string; message?: string };
        // Only "this candidate is not there" moves on; a broken install must surface as is.
        if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes(`'${target}'`)) {
          tried.push(target);
          continue;
        }
        throw err;
      }
      return mod.dispatch(kind, operation, args);
    }
    throw new Error(
      `pulumi-freebsd: cannot load the provider code for ${kind} (tried ${tried.join(", ")}). ` +
        "Install the package in this project (npm install pulumi-freebsd) or run `npm run build` in its checkout.",
    );
  };
  return {
    check: (olds, news) => call("check", [olds, news]),
    diff: (id, olds, news) => call("diff", [id, olds, news]),
    create: (inputs) => call("create", [inputs]),
    read: (id, props) => call("read", [id, props]),
    update: (id, olds, news) => call("update", [id, olds, news]),
    delete: (id, props) => call("delete", [id, props]),
  };
}

/**
 * The module ids the shim tries, decided at program time from where the dispatch module is:
 * 1. by package name, when it was loaded from a `node_modules` folder (an installed package);
 * 2. relative to the project directory, so a checkout that moves keeps working;
 * 3. the absolute path, for a project outside the checkout that points at it.
 */
export function providerModuleIds(dispatchFile: string, projectDir: string = process.cwd()): string[] {
  const ids: string[] = [];
  const m = /[\\/]node_modules[\\/](pulumi-freebsd[\\/].*)$/.exec(dispatchFile);
  if (m) ids.push(m[1]!.replace(/\\/g, "/").replace(/\.js$/, ""));
  const rel = path.relative(projectDir, dispatchFile);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) ids.push(`./${rel.replace(/\\/g, "/")}`);
  ids.push(dispatchFile);
  return [...new Set(ids)];
}
