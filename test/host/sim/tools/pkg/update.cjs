'use strict';
// pkg update [-fq] [-r reponame] (commands.md §1.11, output rules §1.0).
//
// Fetching is simulated from declared host state, no network:
//   * file:// repos: the folder must hold meta.conf and packagesite.yaml (one JSON line per
//     package, as `pkg repo` writes it); the package count is its number of lines.  Fixtures:
//     test/fixtures/pkg/.
//   * other schemes: /var/run/freebsd-sim/state/pkg/reachable.json maps an expanded url to
//     { "packages": N, "serial": S } (reachable) or { "error": "reason" }; an undeclared url
//     fails with "No address record".
// The last fetched (url, serial) per repo is kept in state/pkg/catalogues.json: without -f an
// unchanged catalogue answers "R repository is up to date.".
// A fetched catalogue is installed into the repo DB (state/pkg/repos/R.json, see db.cjs) that
// rquery/search/install/upgrade/version read: the packagesite.yaml lines of a file:// repo, or
// the reachable.json entry's "catalogue" (a host path of a packagesite.yaml) / "manifests"
// (inline array).  An entry with neither leaves the repo DB as it is (pkgdb.ts setCatalogue).
const fs = require('fs');
const path = require('path');
const repos = require('./repos.cjs');

function readJson(f, dflt) {
  try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return dflt; }
}

// Non-TTY progress (§1.0): "MSG: " then one dot per 10 % step, then " done"; NO_TICK → no dots.
function progress(msg, steps) {
  return `${msg}: ${process.env.NO_TICK ? '' : '.'.repeat(steps)} done\n`;
}

function fetchRepo(t, r, vars) {
  const url = repos.expand(r.url, vars);
  if (url.startsWith('file://')) {
    const dir = url.slice('file://'.length);
    const meta = path.join(dir, 'meta.conf');
    const site = path.join(dir, 'packagesite.yaml');
    if (!fs.existsSync(meta)) return { error: `${url}/meta.conf: No such file or directory` };
    if (!fs.existsSync(site)) return { error: `${url}/data.pkg: No such file or directory` };
    const lines = fs.readFileSync(site, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const serial = fs.statSync(site).mtimeMs;
    return { url, packages: lines.length, serial, manifests: lines.map((l) => JSON.parse(l)) };
  }
  const reach = readJson(path.join(t.stateDir(), 'reachable.json'), {});
  const e = reach[url];
  if (!e) return { error: `${url}/meta.conf: No address record` };
  if (e.error) return { error: `${url}/meta.conf: ${e.error}` };
  let manifests = Array.isArray(e.manifests) ? e.manifests : undefined;
  if (e.catalogue) {
    try {
      manifests = fs.readFileSync(e.catalogue, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    } catch { return { error: `${url}/data.pkg: No such file or directory` }; }
  }
  const n = manifests ? manifests.length : typeof e.packages === 'number' ? e.packages : 100;
  return { url, packages: n, serial: e.serial ?? 1, manifests };
}

function run(t, argv, opts) {
  const g = t.getopt(argv, 'fqr:');
  if (g.error || g.rest.length > 0) t.usage('Usage: pkg update [-fq] [-r reponame]');
  let force = false, quiet = false;
  const names = [];
  for (const o of g.opts) {
    if (o.opt === 'f') force = true;
    else if (o.opt === 'q') quiet = true;
    else if (o.opt === 'r') names.push(o.arg);
  }
  return updateRepos(t, opts, { force, quiet, names });
}

// The update itself (also the auto-update of install/upgrade/search/rquery/version -R, §1.0).
function updateRepos(t, opts, { force = false, quiet = false, names = [] }) {
  const note = (s) => { if (!quiet) t.out(s); };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    t.errx(1, 'Insufficient privileges to update the repository catalogue.');
  }
  const all = repos.load(t, opts);
  let selected;
  if (names.length > 0) {
    selected = [];
    for (const n of names) {
      const r = all.find((x) => x.name === n);
      if (!r) t.warnx(`WARNING: repository '${n}' does not exist`);
      else selected.push(r); // an explicit -r updates the repo even when disabled
    }
  } else selected = all.filter((r) => r.enabled);
  if (selected.length === 0) {
    note('No repositories are enabled.\n');
    return 1;
  }
  const vars = repos.variables(t.profile());
  const stateFile = path.join(t.stateDir(), 'catalogues.json');
  const state = readJson(stateFile, {});
  let ok = 0;
  for (const r of selected) {
    note(`Updating ${r.name} repository catalogue...\n`);
    const f = fetchRepo(t, r, vars);
    if (f.error) {
      t.warnx(f.error);
      t.warnx(`Unable to update repository ${r.name}`);
      continue;
    }
    const prev = state[r.name];
    if (!force && prev && prev.url === f.url && prev.serial === f.serial &&
      (!f.manifests || fs.existsSync(path.join(t.stateDir(), 'repos', `${r.name}.json`)))) {
      note(`${r.name} repository is up to date.\n`);
    } else {
      note(progress('Fetching meta.conf', 1) + progress('Fetching data', 10) + progress('Processing entries', 10));
      note(`${r.name} repository update completed. ${f.packages} packages processed.\n`);
      state[r.name] = { url: f.url, serial: f.serial, packages: f.packages, time: new Date().toISOString() };
      if (f.manifests) require('./db.cjs').saveRepoDb(t, r.name, f.manifests);
    }
    ok++;
  }
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
  if (ok === selected.length) {
    if (names.length === 0) note('All repositories are up to date.\n');
    else {
      const list = selected.map((r) => r.name);
      note(list.length === 1 ? `${list[0]} is up to date.\n` : `${list.join(', ')} are up to date.\n`);
    }
    return 0;
  }
  note('Error updating repositories!\n');
  return 1;
}

module.exports = { run, updateRepos };
