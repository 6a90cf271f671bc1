'use strict';
// pkg install (commands.md §1.8) and pkg upgrade (§1.9), with the locked-package rules of §1.7.
//   * exact pattern = name or name-version; a name-version only accepts a repo candidate of
//     exactly that version; -r REPO restricts the repos; -g/-x/-i/-C as §1.1;
//   * the best candidate: highest repo priority, then highest version;
//   * missing dependencies (manifest deps) are installed too, as automatic packages;
//   * -f reinstalls; an older candidate is a downgrade only when asked by version (or -f);
//   * -n prints the summary (upgrade -n exit: 1 with pending jobs on pkg <= 2.3, 0 on >= 2.4);
//   * a locked package: "\nNAME-VER is locked and may not be modified\n" on stdout, exit 1
//     (a full upgrade skips it instead).
const fs = require('fs');
const db = require('./db.cjs');
const ver = require('../../lib/pkgversion.cjs');
const remote = require('./remote.cjs');
const jobsLib = require('./jobs.cjs');

const INSTALL_USAGE = "Usage: pkg install [-AfInFMqRUy] [-r reponame] [-Cgix] <pkg-name> ...\n\nFor more information see 'pkg help install'.";
const UPGRADE_USAGE = "Usage: pkg upgrade [-fInFqUy] [-r reponame] [-Cgix] <pkg-name> ...\n\nFor more information see 'pkg help upgrade'.";

const yesEnv = () => /^(yes|true|1)$/i.test(process.env.ASSUME_ALWAYS_YES || '');
const lockedNotice = (t, p) => t.out(`\n${p.name}-${p.version} is locked and may not be modified\n`);

// The best candidate among catalogue rows matching `pattern`.
function candidates(cats, pattern, m) {
  const found = [];
  for (const r of cats) for (const p of db.select(r.packages, pattern, m.mode, m.icase)) found.push({ p, prio: r.priority });
  return found;
}
function best(found) {
  let b;
  for (const f of found) {
    if (!b || f.prio > b.prio || (f.prio === b.prio && ver.compare(f.p.version, b.p.version) > 0)) b = f;
  }
  return b && b.p;
}

function vulnChecker(t) {
  if (!db.pkgAtLeast(t, '2.8')) return undefined;
  return require('./audit.cjs').checker();
}

function parseFlags(t, argv, usage, optstring) {
  const args = argv.filter((a) => a !== '--autoremove' && a !== '--no-autoremove');
  const g = t.getopt(args, optstring);
  if (g.error) t.usage(usage);
  const f = { ...db.matchOpts(g), repos: [] };
  for (const o of g.opts) {
    if (o.opt === 'r') f.repos.push(o.arg);
    else f[o.opt] = true;
  }
  f.yes = !!f.y || yesEnv();
  f.rest = g.rest;
  return f;
}

// Adds the missing dependencies of p (recursively) as install jobs before p.
function addDeps(p, cats, local, jobs, seen) {
  for (const d of p.deps || []) {
    if (seen.has(d.name)) continue;
    seen.add(d.name);
    if (local.packages.some((x) => x.name === d.name)) continue;
    const dp = best(candidates(cats, d.name, { mode: 'exact', icase: false }));
    if (!dp) continue;
    addDeps(dp, cats, local, jobs, seen);
    jobs.push({ kind: 'install', pkg: dp, automatic: true, repo: dp.repository, cached: fs.existsSync(jobsLib.cacheFile(dp)) || isLocalRepo(dp) });
  }
}
const isLocalRepo = (p) => !!p.localRepo;

function markLocal(t, opts, cats) {
  const all = require('./repos.cjs').load(t, opts);
  for (const r of cats) {
    const conf = all.find((x) => x.name === r.name);
    const local = conf && conf.url.startsWith('file://');
    for (const p of r.packages) p.localRepo = local;
  }
  return all.filter((r) => r.enabled).length;
}

function finish(t, local, jobs, f, cats, { upgrade }) {
  const quiet = !!f.q;
  const vuln = vulnChecker(t);
  const multiRepo = f.enabledRepos > 1; // " [repo]" when more than one repo is configured
  const allCached = jobs.every((j) => j.kind === 'remove' || j.cached);
  if (allCached && !f.n && !quiet) t.out('Checking integrity... done (0 conflicting)\n');
  if (!quiet) jobsLib.summary(t, jobs, { multiRepo, vuln });
  if (f.n) return upgrade && !db.pkgAtLeast(t, '2.4') ? 1 : 0;
  if (!f.yes && !jobsLib.confirm(t, '\nProceed with this action? [y/N]: ')) return 1;
  if (f.F) { jobsLib.fetch(t, jobs, quiet); return 0; }
  const fetched = jobsLib.fetch(t, jobs, quiet);
  if (fetched && !quiet) t.out('Checking integrity... done (0 conflicting)\n');
  for (const j of jobs) j.cached = true;
  jobsLib.apply(t, local, jobs, quiet);
  return 0;
}

function install(t, argv, opts) {
  const f = parseFlags(t, argv, INSTALL_USAGE, 'AfFgiCIMnqr:RUyxl');
  if (f.rest.length === 0) t.usage(INSTALL_USAGE);
  if (!db.isRoot()) t.errx(1, 'Insufficient privileges to install packages');
  const files = f.rest.filter((a) => /\.(pkg|txz|tzst)$/.test(a) && (a.includes('/') || fs.existsSync(a)));
  if (files.length === f.rest.length) return require('./add.cjs').run(t, [...(f.f ? ['-f'] : []), ...(f.q ? ['-q'] : []), ...files], opts);
  const cats = remote.catalogues(t, opts, { names: f.repos, noUpdate: !!f.U, quietUpdate: !!f.q });
  f.enabledRepos = markLocal(t, opts, cats);
  db.lock(t, 'advisory', !!f.q);
  const local = db.local(t) || { packages: [] };
  const jobs = [];
  const seen = new Set();
  let code = 0;
  let pending = false;
  for (const pat of f.rest) {
    const found = candidates(cats, pat, f);
    // a name-version pattern accepts only that exact version (pkg_jobs_universe_get_upgrade_candidates)
    const c = best(found);
    if (!c) {
      t.warnx(`No packages available to install matching '${pat}' have been found in the repositories`);
      return 1;
    }
    const byVersion = pat !== c.name && f.mode === 'exact';
    const old = local.packages.find((x) => x.name === c.name);
    if (old && old.locked) { lockedNotice(t, old); return 1; }
    seen.add(c.name);
    const cached = c.localRepo || fs.existsSync(jobsLib.cacheFile(c));
    if (!old) {
      addDeps(c, cats, local, jobs, seen);
      jobs.push({ kind: 'install', pkg: c, automatic: !!f.A, repo: c.repository, cached });
      continue;
    }
    const k = ver.compare(c.version, old.version);
    if (f.f && k === 0) jobs.push({ kind: 'reinstall', pkg: c, old, repo: c.repository, cached });
    else if (k > 0) jobs.push({ kind: 'upgrade', pkg: c, old, repo: c.repository, cached });
    else if (k < 0 && (byVersion || f.f)) jobs.push({ kind: 'downgrade', pkg: c, old, repo: c.repository, cached });
    else if (old.automatic && !f.A && db.pkgAtLeast(t, '2.8')) {
      // pkg >= 2.8: offer to mark it non-automatic instead of "most recent ... already installed"
      const ok = f.yes || jobsLib.confirm(t, `${old.name}-${old.version} is already installed as automatic. Mark as non-automatic? [y/N]: `);
      if (ok && !f.n) { old.automatic = false; db.saveLocal(t, local); }
      pending = true;
    }
  }
  if (jobs.length === 0) {
    if (!pending && !f.q) t.out('The most recent versions of packages are already installed\n');
    return code;
  }
  return finish(t, local, jobs, f, cats, { upgrade: false });
}

function upgrade(t, argv, opts) {
  const f = parseFlags(t, argv, UPGRADE_USAGE, 'fFgiCInqr:Uyxv');
  if (!db.isRoot()) t.errx(1, 'Insufficient privilege to upgrade packages');
  const cats = remote.catalogues(t, opts, { names: f.repos, noUpdate: !!f.U, quietUpdate: !!f.q });
  f.enabledRepos = markLocal(t, opts, cats);
  db.lock(t, 'advisory', !!f.q);
  const local = db.local(t) || { packages: [] };
  let cands;
  if (f.rest.length === 0 || f.all) cands = local.packages.slice();
  else {
    cands = [];
    for (const pat of f.rest) {
      const inst = db.select(local.packages, pat, f.mode, f.icase);
      if (inst.length === 0) {
        if (candidates(cats, pat, f).length === 0) {
          t.warnx(`No packages available to upgrade matching '${pat}' have been found in the repositories`);
          return 1;
        }
        t.warnx(`${pat} is not installed, therefore upgrade is impossible`);
        continue;
      }
      for (const p of inst) {
        if (candidates(cats, p.name, { mode: 'exact' }).length === 0) {
          t.warnx(`No packages available to upgrade matching '${pat}' have been found in the repositories`);
          return 1;
        }
        cands.push(p);
      }
    }
  }
  cands.sort((a, b) => (a.name < b.name ? -1 : 1));
  const quiet = !!f.q;
  if (cands.length && !quiet) {
    t.out(db.progress(`Checking for upgrades (${cands.length} candidates)`));
    t.out(db.progress(`Processing candidates (${cands.length} candidates)`));
  }
  const jobs = [];
  const named = f.rest.length > 0 && !f.all;
  for (const old of cands) {
    const c = best(candidates(cats, old.name, { mode: 'exact' }));
    if (!c) continue;
    const k = ver.compare(c.version, old.version);
    // same version but other options: a reinstall "(options changed)" (pkg_jobs.c)
    const optionsChanged = k === 0 && JSON.stringify(c.options || {}) !== JSON.stringify(old.options || {});
    if (k <= 0 && !f.f && !optionsChanged) continue;
    if (old.locked) {
      lockedNotice(t, old);
      if (named) return 1;
      continue;
    }
    const cached = c.localRepo || fs.existsSync(jobsLib.cacheFile(c));
    jobs.push({ kind: k > 0 ? 'upgrade' : k < 0 ? 'downgrade' : 'reinstall', pkg: c, old, repo: c.repository, cached,
      reason: optionsChanged && !f.f ? 'options changed' : undefined });
  }
  if (jobs.length === 0) {
    if (!quiet) t.out('Your packages are up to date.\n');
    return 0;
  }
  // §1.18: an upgrade of pkg itself goes first, alone
  const self = jobs.find((j) => j.pkg.name === 'pkg' && j.kind === 'upgrade');
  if (self && jobs.length > 1) {
    if (!quiet) t.out('New version of pkg detected; it needs to be installed first.\n');
    jobs.splice(0, jobs.length, self);
  }
  const newDeps = [];
  const seen = new Set(jobs.map((j) => j.pkg.name));
  for (const j of jobs) addDeps(j.pkg, cats, local, newDeps, seen);
  return finish(t, local, [...newDeps, ...jobs], f, cats, { upgrade: true });
}

module.exports = { install, upgrade };
