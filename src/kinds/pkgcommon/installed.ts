/**
 * The installed-package set as one `pkg query` reports it (commands.md §1.2): name, origin,
 * version, locked and repository for every package, one tab-separated line each.
 */

/** One installed package. */
export interface InstalledPackage {
  name: string;
  /** `category/port` (`%o`; the flavor is not part of it). */
  origin: string;
  version: string;
  locked: boolean;
  /** `%R`: the repository it came from, `unknown-repository` for local packages (pkg ≤ 2.8.4). */
  repository: string;
}

/** `%n %o %v %k %R`, tab-separated: all single-value placeholders, so one line per package in every pkg release. */
export const INSTALLED_FORMAT = "%n\t%o\t%v\t%k\t%R";

/** The argv of the one installed-set query per host. */
export const INSTALLED_QUERY: readonly string[] = ["pkg", "query", "-a", INSTALLED_FORMAT];

/** Thrown when a query line does not have the expected shape. */
export class InstalledParseError extends Error {
  constructor(message: string) {
    super(`pkg query output: ${message}`);
    this.name = "InstalledParseError";
  }
}

/** pkg's lock-wait notice (§1.17), printed to stdout on every attempt while another process holds the lock. */
export const LOCK_WAIT_NOTICE = /^process with pid \d+ still holds the lock$/;

/**
 * Parses the output of {@link INSTALLED_QUERY}. Empty output (also pkg's "No packages installed",
 * which goes to stderr with exit 0) is an empty set. Lock-wait notices, which pkg mixes into
 * stdout when it had to wait for the database, are skipped.
 */
export function parseInstalled(stdout: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  const rows = stdout.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const line = rows[i]!.replace(/\r$/, "");
    if (line === "" || LOCK_WAIT_NOTICE.test(line)) continue;
    const f = line.split("\t");
    if (f.length !== 5) throw new InstalledParseError(`line ${i + 1} has ${f.length} fields, expected 5: ${JSON.stringify(line)}`);
    const [name, origin, version, locked, repository] = f as [string, string, string, string, string];
    if (locked !== "0" && locked !== "1") throw new InstalledParseError(`line ${i + 1}: locked flag ${JSON.stringify(locked)} is not 0 or 1`);
    if (!name || !version) throw new InstalledParseError(`line ${i + 1} has an empty name or version`);
    out.push({ name, origin, version, locked: locked === "1", repository });
  }
  return out;
}

/**
 * Finds `nameOrOrigin` in the set as pkg's exact matching does (§1.1): a pattern with `/` is an
 * origin (a `@flavor` suffix is ignored: `%o` does not carry it), otherwise the package name.
 */
export function findInstalled(set: readonly InstalledPackage[], nameOrOrigin: string): InstalledPackage | undefined {
  if (nameOrOrigin.includes("/")) {
    const origin = nameOrOrigin.split("@")[0]!;
    return set.find((p) => p.origin === origin);
  }
  return set.find((p) => p.name === nameOrOrigin);
}
