/**
 * Package's per-resource host reads (the shared installed set is in ../pkgcommon): catalogue
 * candidates, integrity, a cached package file, reverse dependencies. All read-only.
 */
import { compareVersions } from "../../pkg/version";
import type { Remote } from "../../transport";
import { pkgExec } from "../pkgcommon/exec";
import type { Candidate } from "./plan";

const ANY = Array.from({ length: 256 }, (_, i) => i);

/**
 * What the catalogues offer for `ref` (a name or origin): `pkg rquery '%n\t%v\t%R'`, one line
 * per repository (§1.4). `update: false` adds `-U` (no catalogue update: observe must not write);
 * apply passes true so pkg refreshes the catalogue quietly first. No match = no lines (the exit
 * code is not read: it is 1 for "no match" and also for errors).
 */
export async function candidates(remote: Remote, ref: string, repository: string | undefined, update: boolean): Promise<Candidate[]> {
  const argv = ["pkg", "rquery", ...(update ? [] : ["-U"]), ...(repository ? ["-r", repository] : []), "%n\t%v\t%R", ref];
  const r = await pkgExec(remote, argv, { okExitCodes: ANY, idempotent: !update });
  return parseCandidates(r.stdoutText);
}

/** Parses `%n\t%v\t%R` lines. */
export function parseCandidates(stdout: string): Candidate[] {
  const out: Candidate[] = [];
  for (const line of stdout.split("\n")) {
    const f = line.replace(/\r$/, "").split("\t");
    if (f.length !== 3 || !f[0] || !f[1]) continue;
    out.push({ name: f[0], version: f[1], repository: f[2]! });
  }
  return out;
}

/** The newest of several candidates by pkg's ordering (null for none). */
export function newest(cs: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of cs) if (!best || compareVersions(c.version, best.version) > 0) best = c;
  return best;
}

/**
 * `pkg check -s -q NAME`: altered files are reported on stderr as `NAME-VER: checksum mismatch
 * for PATH` or `missing file PATH` (§1.13). Read from the messages, not the exit code.
 */
export async function integrity(remote: Remote, name: string): Promise<{ state: "ok" | "altered"; problems: string[] }> {
  const r = await pkgExec(remote, ["pkg", "check", "-s", "-q", name], { okExitCodes: ANY, idempotent: true });
  const problems = `${r.stderrText}\n${r.stdoutText}`
    .split("\n")
    .map((l) => l.replace(/^pkg: /, "").trim())
    .filter((l) => /checksum mismatch for |missing file /.test(l));
  return { state: problems.length > 0 ? "altered" : "ok", problems };
}

/** The pkg cache folder that `pkg add -f` can reinstall old versions from (§1.12). */
export const PKG_CACHE = "/var/cache/pkg";

/** A cached `NAME-VERSION.pkg` (or pkg ≥ 1.17's `NAME-VERSION~HASH.pkg`), or null. */
export async function cachedPackageFile(remote: Remote, name: string, version: string): Promise<string | null> {
  const base = `${name}-${version}`;
  const r = await remote.exec(
    ["find", PKG_CACHE, "-maxdepth", "1", "-type", "f", "(", "-name", `${base}.pkg`, "-o", "-name", `${base}~*.pkg`, ")"],
    { okExitCodes: ANY, idempotent: true, summary: `find ${PKG_CACHE} ${base}` },
  );
  const files = r.stdoutText.split("\n").filter((l) => l.endsWith(".pkg")).sort();
  // The plain name is what `pkg fetch` leaves; prefer it, else the first hashed one.
  return files.find((f) => f.endsWith(`/${base}.pkg`)) ?? files[0] ?? null;
}

/** Installed packages that depend on `name` (`pkg query '%rn'`): `pkg delete` would remove them too. */
export async function reverseDependencies(remote: Remote, name: string): Promise<string[]> {
  const r = await pkgExec(remote, ["pkg", "query", "%rn", name], { okExitCodes: ANY, idempotent: true });
  return r.stdoutText.split("\n").map((l) => l.trim()).filter(Boolean);
}
