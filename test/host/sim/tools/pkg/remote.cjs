'use strict';
// The remote catalogues as install/upgrade/search/rquery/version -R see them (commands.md §1.0,
// §1.4, §1.5, §1.8): the enabled repos (or those named with -r), each with its repo DB
// (db.cjs repos/NAME.json), after the REPO_AUTOUPDATE run of `pkg update` unless -U.
const fs = require('fs');
const path = require('path');
const db = require('./db.cjs');
const repos = require('./repos.cjs');

function autoUpdate() {
  const v = String(process.env.REPO_AUTOUPDATE ?? 'yes').toLowerCase();
  return !['no', 'false', 'off', '0'].includes(v);
}

// Returns [{name, priority, packages}] (highest priority first, then load order).
function catalogues(t, opts, { names = [], noUpdate = false, quietUpdate = false }) {
  const all = repos.load(t, opts);
  let selected;
  if (names.length > 0) {
    selected = [];
    for (const n of names) {
      const r = all.find((x) => x.name === n);
      if (!r) t.errx(1, `No repositories are enabled.`); // unreachable in tests; -r must name a repo
      selected.push(r);
    }
  } else selected = all.filter((r) => r.enabled);
  if (selected.length === 0) {
    t.warnx('No active remote repositories configured.');
    throw t.exit(3);
  }
  if (!noUpdate && autoUpdate() && db.isRoot()) {
    const code = require('./update.cjs').updateRepos(t, opts, { quiet: quietUpdate, names: names });
    if (code !== 0) throw t.exit(3);
  }
  const out = [];
  for (const r of selected) {
    const pkgs = db.repoDb(t, r.name);
    if (!pkgs) {
      t.warnx("Unable to open remote repository catalogues. Try running 'pkg update' first.");
      throw t.exit(1);
    }
    out.push({ name: r.name, priority: r.priority || 0, packages: pkgs });
  }
  return out.map((r, i) => ({ ...r, i })).sort((a, b) => b.priority - a.priority || a.i - b.i);
}

module.exports = { catalogues, autoUpdate };
void fs; void path;
