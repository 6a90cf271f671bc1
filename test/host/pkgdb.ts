// Test-setup API for the simulated pkg (test/host/sim/tools/pkg/): writes its state files
// directly (formats: sim/tools/pkg/db.cjs).  No pkg call, no ssh.
//
//   installPackages(host, [{ name: "nginx", version: "1.24.0_12,3", origin: "www/nginx" }])
//   setCatalogue(host, "FreeBSD", fixtureCatalogue("quarterly"))   // repo DB + reachable stock url
//   setVulnXml(host, xml) / setVulnXmlSource(host, xml)             // /var/db/pkg/vuln.xml / `audit -F`
//   lockDatabase(host, 3)                                           // §1.17 contention knob
//   cachePackage(host, manifest)                                    // /var/cache/pkg/NAME-VERSION.pkg
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestHost } from "./index";

export const PKG_STATE = "/var/run/freebsd-sim/state/pkg";
const FIX = path.resolve(__dirname, "../fixtures/pkg");
/** The stock repo url of a FreeBSD 14 amd64 host (`/etc/pkg/FreeBSD.conf`, ${ABI} expanded). */
export const STOCK_URL = "pkg+https://pkg.FreeBSD.org/FreeBSD:14:amd64/quarterly";

export interface PkgDep {
  name: string;
  origin?: string;
  version?: string;
}

/** A package, as installed (local DB) or in a catalogue. Only name and version are required. */
export interface PkgSpec {
  name: string;
  version: string;
  origin?: string;
  comment?: string;
  maintainer?: string;
  www?: string;
  prefix?: string;
  desc?: string;
  flatsize?: number;
  automatic?: boolean;
  locked?: boolean;
  vital?: boolean;
  time?: number;
  annotations?: Record<string, string>;
  categories?: string[];
  licenses?: string[];
  licenselogic?: string;
  options?: Record<string, string>;
  /** Array form, or the manifest form `{ name: { origin, version } }`. */
  deps?: PkgDep[] | Record<string, { origin?: string; version?: string }>;
  /**
   * Files. For installPackages: path → content (written on the host, its sha256 recorded) or
   * `{ sha256 }` (recorded only, nothing written). For catalogues: path → content.
   */
  files?: Record<string, string | { sha256: string }>;
  [k: string]: unknown;
}

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

function readJson<T>(host: TestHost, p: string, dflt: T): T {
  try {
    return JSON.parse(host.readFile(p)) as T;
  } catch {
    return dflt;
  }
}

function depsArray(d: PkgSpec["deps"]): PkgDep[] {
  if (!d) return [];
  if (Array.isArray(d)) return d.map((x) => ({ name: x.name, origin: x.origin ?? "", version: x.version ?? "" }));
  return Object.entries(d).map(([name, x]) => ({ name, origin: x.origin ?? "", version: x.version ?? "" }));
}

/** The installed packages (local DB), or null when the host has no package DB. */
export function readPackages(host: TestHost): PkgSpec[] | null {
  const j = readJson<{ packages: PkgSpec[] } | null>(host, `${PKG_STATE}/local.json`, null);
  return j ? j.packages : null;
}

/**
 * Installs packages into the local DB (merged by name: a package of the same name is replaced;
 * `replace: true` starts from an empty DB). Files given as content are written on the host.
 */
export function installPackages(host: TestHost, pkgs: PkgSpec[], opts: { replace?: boolean } = {}): void {
  const db = opts.replace ? [] : (readPackages(host) ?? []);
  for (const p of pkgs) {
    const files: Record<string, string> = {};
    for (const [f, c] of Object.entries(p.files ?? {})) {
      if (typeof c === "string") {
        host.writeFile(f, c);
        files[f] = sha256(c);
      } else files[f] = c.sha256;
    }
    const row = {
      origin: `misc/${p.name}`, comment: "", prefix: "/usr/local", flatsize: 0, automatic: false, locked: false,
      vital: false, time: 1700000000, annotations: { repository: "FreeBSD" }, categories: [], licenses: [], options: {},
      ...p, deps: depsArray(p.deps), files,
    };
    const k = db.findIndex((x) => x.name === p.name);
    if (k >= 0) db[k] = row;
    else db.push(row);
  }
  host.writeFile(`${PKG_STATE}/local.json`, JSON.stringify({ packages: db }, null, 1) + "\n");
}

/** An empty package DB (pkg bootstrapped, nothing registered), or none at all (`exists: false`). */
export function clearPackages(host: TestHost, opts: { exists?: boolean } = {}): void {
  const f = host.realPath(`${PKG_STATE}/local.json`);
  if (opts.exists === false) fs.rmSync(f, { force: true });
  else host.writeFile(`${PKG_STATE}/local.json`, '{"packages":[]}\n');
}

/** Changes installed packages in place (e.g. `{ locked: true }`). */
export function updatePackage(host: TestHost, name: string, changes: Partial<PkgSpec>): void {
  const db = readPackages(host) ?? [];
  const p = db.find((x) => x.name === name);
  if (!p) throw new Error(`updatePackage: ${name} is not installed`);
  Object.assign(p, changes);
  host.writeFile(`${PKG_STATE}/local.json`, JSON.stringify({ packages: db }, null, 1) + "\n");
}

/**
 * Installs `manifests` as the catalogue of repo `repo` (what `pkg update` would have stored).
 * `url` (default: the stock FreeBSD url when repo is "FreeBSD") is declared reachable with an
 * unchanged serial, so the auto-update of install/upgrade/search says "up to date" and keeps it.
 */
export function setCatalogue(host: TestHost, repo: string, manifests: PkgSpec[], opts: { url?: string } = {}): void {
  host.writeFile(`${PKG_STATE}/repos/${repo}.json`, JSON.stringify({ packages: manifests }) + "\n");
  const url = opts.url ?? (repo === "FreeBSD" ? STOCK_URL : undefined);
  if (!url) return;
  reachable(host, url, { packages: manifests.length, serial: 1 });
  const cats = readJson<Record<string, unknown>>(host, `${PKG_STATE}/catalogues.json`, {});
  cats[repo] = { url, serial: 1, packages: manifests.length, time: new Date().toISOString() };
  host.writeFile(`${PKG_STATE}/catalogues.json`, JSON.stringify(cats, null, 2) + "\n");
}

/** Declares a url reachable (`{packages, serial}`, `{catalogue: hostPath}`, `{manifests}`) or failing (`{error}`). */
export function reachable(host: TestHost, url: string, entry: Record<string, unknown>): void {
  const r = readJson<Record<string, unknown>>(host, `${PKG_STATE}/reachable.json`, {});
  r[url] = entry;
  host.writeFile(`${PKG_STATE}/reachable.json`, JSON.stringify(r, null, 2) + "\n");
}

/** A fixture catalogue (test/fixtures/pkg/catalogues/NAME/packagesite.yaml) as manifests. */
export function fixtureCatalogue(name: "quarterly" | "latest"): PkgSpec[] {
  return fs
    .readFileSync(path.join(FIX, "catalogues", name, "packagesite.yaml"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PkgSpec);
}

/** The fixture installed set (test/fixtures/pkg/installed.json). */
export function fixtureInstalled(): PkgSpec[] {
  return (JSON.parse(fs.readFileSync(path.join(FIX, "installed.json"), "utf8")) as { packages: PkgSpec[] }).packages;
}

/** Copies a fixture catalogue folder into the host (for a `file://` repo) and returns its path. */
export function copyCatalogue(host: TestHost, name: "quarterly" | "latest", dir = `/root/repos/${name}`): string {
  for (const f of ["meta.conf", "packagesite.yaml"]) {
    host.writeFile(`${dir}/${f}`, fs.readFileSync(path.join(FIX, "catalogues", name, f), "utf8"));
  }
  return dir;
}

/** Writes a repo config file in /usr/local/etc/pkg/repos/. */
export function writeRepoConf(host: TestHost, file: string, text: string): void {
  host.writeFile(`/usr/local/etc/pkg/repos/${file}`, text);
}

/** Writes the audit DB (`/var/db/pkg/vuln.xml`, or another host path). */
export function setVulnXml(host: TestHost, xml: string, hostPath = "/var/db/pkg/vuln.xml"): void {
  host.writeFile(hostPath, xml);
}

/** What `pkg audit -F` "downloads" (null: the fetch fails). */
export function setVulnXmlSource(host: TestHost, xml: string | null): void {
  if (xml === null) {
    host.writeFile(`${PKG_STATE}/audit.json`, "{}\n");
    return;
  }
  host.writeFile(`${PKG_STATE}/vuln-source.xml`, xml);
  host.writeFile(`${PKG_STATE}/audit.json`, JSON.stringify({ fetchFrom: `${PKG_STATE}/vuln-source.xml` }) + "\n");
}

export interface LockKnob {
  /** Attempts (over all pkg calls) that still find the lock held. */
  attempts?: number;
  /** Or: held until this many ms from now. */
  forMs?: number;
  pid?: number;
  /** "exclusive" (default) blocks read locks too; "advisory" only blocks advisory/exclusive. */
  mode?: "exclusive" | "advisory";
  /** LOCK_WAIT between attempts in ms (pkg's default: 1000). */
  waitMs?: number;
  /** The holder is dead: the lock is cleaned up silently. */
  stale?: boolean;
}

/** Another process holds the package DB lock (§1.17). `lockDatabase(host, null)` releases it. */
export function lockDatabase(host: TestHost, knob: number | LockKnob | null): void {
  const f = `${PKG_STATE}/dblock.json`;
  if (knob === null) {
    fs.rmSync(host.realPath(f), { force: true });
    return;
  }
  const k = typeof knob === "number" ? { attempts: knob } : knob;
  const out: Record<string, unknown> = { pid: k.pid ?? 4242, mode: k.mode ?? "exclusive" };
  if (k.forMs !== undefined) out.untilMs = Date.now() + k.forMs;
  else out.attempts = k.attempts ?? 6;
  if (k.waitMs !== undefined) out.waitMs = k.waitMs;
  if (k.stale) out.stale = true;
  host.writeFile(f, JSON.stringify(out) + "\n");
}

/** Puts a package stand-in into /var/cache/pkg/NAME-VERSION.pkg (for `pkg add`); returns its path. */
export function cachePackage(host: TestHost, manifest: PkgSpec, dir = "/var/cache/pkg"): string {
  const p = `${dir}/${manifest.name}-${manifest.version}.pkg`;
  host.writeFile(p, JSON.stringify(manifest) + "\n");
  return p;
}

/** Removes every pkg simulator state file (local DB, repo DBs, knobs) and the cache. */
export async function resetPkg(host: TestHost): Promise<void> {
  await host.run(`rm -rf ${PKG_STATE} /var/cache/pkg/* /var/db/pkg/vuln.xml /usr/local/etc/pkg/repos /root/repos; mkdir -p ${PKG_STATE}`);
}
