import { z } from "zod";
import { canonicalKeyword, MTREE_KEYWORDS } from "../../formats/mtree";
import { connectionSchema } from "../../transport";

/**
 * The trees a baseline may cover: system configuration and binaries, which should change only
 * when an operator changes them. Volatile or virtual trees (/var, /tmp, /home, /dev, /proc, /)
 * are not allowed: they change by themselves and would drown real drift. A path must be one of
 * these or lie beneath one.
 */
export const ALLOWED_ROOTS = [
  "/etc",
  "/boot",
  "/bin",
  "/sbin",
  "/lib",
  "/libexec",
  "/root",
  "/usr/bin",
  "/usr/sbin",
  "/usr/lib",
  "/usr/libexec",
  "/usr/local/etc",
  "/usr/local/bin",
  "/usr/local/sbin",
  "/usr/local/lib",
  "/usr/local/libexec",
] as const;

/** The default `-k` list: type, ownership, mode, size, symlink target and the SHA-256 of content. */
export const DEFAULT_KEYWORDS = ["gid", "link", "mode", "sha256digest", "size", "type", "uid"];

const COMPONENT = /^[A-Za-z0-9._+@-]+$/;

/** Whether `p` is `root` or lies beneath it. */
export function within(p: string, root: string): boolean {
  return p === root || p.startsWith(`${root}/`);
}

const rootSchema = z
  .string({ error: "must be a string" })
  .superRefine((p, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    if (!p.startsWith("/")) return fail(`${JSON.stringify(p)} is not an absolute path (it must start with /)`);
    const parts = p.slice(1).split("/");
    if (parts.some((c) => c === "")) return fail(`${JSON.stringify(p)} has an empty component (doubled or trailing /)`);
    if (parts.some((c) => c === "." || c === "..")) return fail(`${JSON.stringify(p)} must not contain . or .. components`);
    if (!parts.every((c) => COMPONENT.test(c))) {
      return fail(`${JSON.stringify(p)} may contain only letters, digits and . _ + @ - between single / (no spaces or shell specials)`);
    }
    if (!ALLOWED_ROOTS.some((r) => within(p, r))) {
      return fail(`${JSON.stringify(p)} is outside the allowed roots (${ALLOWED_ROOTS.join(", ")})`);
    }
  });

// fnmatch(3) patterns as mtree's -X file reads them: one a line, '#' starts a comment, and
// backslash is an escape (NetBSD's fparseln), so neither is allowed; nor is whitespace.
const GLOB = /^[A-Za-z0-9._+@*?[\]!/-]+$/;

const excludeSchema = z.string({ error: "must be a string" }).superRefine((g, ctx) => {
  const fail = (message: string) => ctx.addIssue({ code: "custom", message });
  if (!GLOB.test(g)) {
    return fail(`${JSON.stringify(g)} may contain only letters, digits, . _ + @ - / and the glob characters * ? [ ] !`);
  }
  if (g.includes("/")) {
    if (!g.startsWith("/")) return fail(`${JSON.stringify(g)} contains / so it must be an absolute path under one of paths (e.g. /etc/ssh/*_key)`);
    const parts = g.slice(1).split("/");
    if (parts.some((c) => c === "" || c === "." || c === "..")) return fail(`${JSON.stringify(g)} must not contain empty, . or .. components`);
  }
});

const keywordSchema = z.string({ error: "must be a string" }).refine((k) => canonicalKeyword(k) !== undefined, {
  error: (iss) => `${JSON.stringify(iss.input)} is not an mtree keyword this resource accepts (one of: ${MTREE_KEYWORDS.join(", ")}; md5, sha1, sha256… are accepted as synonyms)`,
});

/** Inputs of {@link FileIntegrityBaseline}. */
export const fileIntegritySchema = z
  .object({
    connection: connectionSchema,
    resourceName: z.string().optional(),
    name: z
      .string({ error: "name must be a string" })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
        error: "name must be 1-64 letters, digits and . _ - starting with a letter or digit (it names a folder on the host)",
      }),
    paths: z.array(rootSchema, { error: "paths must be an array of absolute directory paths" }).min(1, { error: "paths must name at least one directory" }),
    keywords: z.array(keywordSchema, { error: "keywords must be an array of mtree keywords" }).min(1, { error: "keywords must not be empty" }).default(DEFAULT_KEYWORDS),
    excludes: z.array(excludeSchema, { error: "excludes must be an array of glob patterns" }).default([]),
    generation: z
      .number({ error: "generation must be a number" })
      .int({ error: "generation must be a whole number" })
      .min(0, { error: "generation must be 0 or more" })
      .default(0),
    failOnDrift: z.boolean({ error: "failOnDrift must be a boolean" }).default(false),
  })
  .superRefine((d, ctx) => {
    d.paths.forEach((p, i) => {
      d.paths.forEach((q, j) => {
        if (i === j || !within(p, q)) return;
        if (p === q && j > i) return; // reported once, at the later index
        ctx.addIssue({
          code: "custom",
          path: ["paths", i],
          message: p === q ? `${p} is listed twice` : `${p} is inside ${q} (paths[${j}]); a tree is baselined once`,
        });
      });
    });
    d.excludes.forEach((g, i) => {
      if (g.startsWith("/") && !d.paths.some((p) => g.startsWith(`${p}/`))) {
        ctx.addIssue({ code: "custom", path: ["excludes", i], message: `${JSON.stringify(g)} is not under any of paths` });
      }
    });
  });

/** Validated inputs. */
export type FileIntegrityInputs = z.infer<typeof fileIntegritySchema>;

/** The keywords in canonical spelling, with `type` (mtree -k always adds it), sorted, unique. */
export function normalizedKeywords(keywords: readonly string[]): string[] {
  const out = new Set<string>(["type"]);
  for (const k of keywords) out.add(canonicalKeyword(k) ?? k);
  return [...out].sort();
}

/**
 * The -X patterns for one root: a pattern without / matches base names in every tree; an
 * absolute pattern applies to the tree it is under, rewritten to the `./relative` form that mtree
 * matches against (fts paths start at ".", fnmatch with FNM_PATHNAME).
 */
export function excludesFor(root: string, excludes: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of excludes) {
    if (!g.includes("/")) out.push(g);
    else if (g.startsWith(`${root}/`)) out.push(`./${g.slice(root.length + 1)}`);
  }
  return [...new Set(out)].sort();
}
