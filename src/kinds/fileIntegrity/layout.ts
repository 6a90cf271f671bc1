/**
 * Where a baseline lives on the host, and the header line that makes each spec self-describing.
 *
 * `/var/db/pulumi-freebsd/mtree/<name>/` (mode 0700) holds one spec per tree, named after the
 * tree with `/` written as `%` (`etc.mtree`, `usr%local%etc.mtree`: `%` cannot occur in a
 * path, so the mapping is one to one), mode 0600, and `last-report.json`, the drift the last
 * `pulumi up` recorded. /var/db is on the host's own disk and outside every allowed tree.
 */

/** The parent folder of every baseline. */
export const BASE_DIR = "/var/db/pulumi-freebsd/mtree";

/** The folder of the baseline called `name`. */
export function specDir(name: string): string {
  return `${BASE_DIR}/${name}`;
}

/** The spec's file name for a tree. */
export function specFileName(root: string): string {
  return `${root.slice(1).replace(/\//g, "%")}.mtree`;
}

/** The tree a spec file name stands for, or undefined when it is not one of ours. */
export function rootOfSpecFile(file: string): string | undefined {
  if (!/^[A-Za-z0-9._+@%-]+\.mtree$/.test(file)) return undefined;
  return `/${file.slice(0, -6).replace(/%/g, "/")}`;
}

/** The record of the drift last reported by `pulumi up`. */
export const REPORT_FILE = "last-report.json";

/** What the first line of a spec written by this resource says. */
export interface SpecHeader {
  name: string;
  root: string;
  generation: number;
  /** The converge run that wrote it (random per run), so a run can tell its own spec from an older one. */
  run: string;
  /** When it was written (host clock, UTC). */
  created: string;
  keywords: string[];
  /** The -X patterns used, exactly as given to mtree. Verification uses the same ones. */
  excludes: string[];
}

const MARK = "#pulumi-freebsd FileIntegrityBaseline";

/**
 * The header line without its `created=` field, which the host's clock fills in. Every value is
 * free of spaces and commas (the schema's character sets), so the line splits unambiguously.
 */
export function headerPrefix(h: Omit<SpecHeader, "created">): string {
  return `${MARK} name=${h.name} root=${h.root} generation=${h.generation} run=${h.run} keywords=${h.keywords.join(",")} excludes=${h.excludes.join(",")}`;
}

/** Parses a spec's first line; undefined when it is not a header this resource wrote. */
export function parseHeader(line: string): SpecHeader | undefined {
  if (!line.startsWith(`${MARK} `)) return undefined;
  const fields = new Map<string, string>();
  for (const tok of line.slice(MARK.length + 1).split(" ")) {
    const eq = tok.indexOf("=");
    if (eq > 0) fields.set(tok.slice(0, eq), tok.slice(eq + 1));
  }
  const generation = Number(fields.get("generation"));
  const name = fields.get("name");
  const root = fields.get("root");
  const run = fields.get("run");
  if (!name || !root || !run || !Number.isInteger(generation)) return undefined;
  const list = (k: string) => (fields.get(k) ? fields.get(k)!.split(",") : []);
  return { name, root, generation, run, created: fields.get("created") ?? "", keywords: list("keywords"), excludes: list("excludes") };
}
