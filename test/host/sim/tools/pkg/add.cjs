'use strict';
// pkg add [-IAfqM] FILE ... (commands.md §1.12).  A FILE is a JSON stand-in for a .pkg: the
// package manifest (as in a catalogue), e.g. /var/cache/pkg/NAME-VERSION.pkg written by
// install/upgrade (jobs.cjs) or by pkgdb.ts cachePackage().
const fs = require('fs');
const db = require('./db.cjs');
const ver = require('../../lib/pkgversion.cjs');
const jobsLib = require('./jobs.cjs');

function run(t, argv) {
  const g = t.getopt(argv, 'IAfqM');
  if (g.error || g.rest.length === 0) t.usage("Usage: pkg add [-IAfqM] <pkg-name> ...\n       pkg add [-IAfqM] <protocol>://<path>/<pkg-name> ...\n\nFor more information see 'pkg help add'.");
  const has = (c) => g.opts.some((o) => o.opt === c);
  const quiet = has('q'), force = has('f');
  if (!db.isRoot()) t.errx(1, 'Insufficient privileges to add packages');
  db.lock(t, 'advisory', quiet);
  const local = db.local(t) || { packages: [] };
  const failed = [];
  const out = (s) => { if (!quiet) t.out(s); };
  for (const file of g.rest) {
    let m;
    try { m = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) {
      if (e.code === 'ENOENT') { t.warnx(`${file}: No such file or directory`); t.warnx(`Was 'pkg install ${file}' meant?`); }
      else t.warnx(`${file}: Unrecognized archive format`);
      failed.push(file);
      continue;
    }
    const p = db.normalize(m);
    const nv = `${p.name}-${p.version}`;
    const old = local.packages.find((x) => x.name === p.name);
    if (old && old.locked) { t.out(`\n${old.name}-${old.version} is locked and may not be modified\n`); failed.push(file); continue; }
    if (old && !force && ver.compare(old.version, p.version) >= 0) {
      // EPKG_INSTALLED is mapped to success (exit 0)
      out(`the most recent version of ${nv} is already installed\n`);
      continue;
    }
    if (old && force) out(`package ${p.name} is already installed, forced install\n`);
    // an older installed version is replaced; §1.12 documents only the "Installing" line
    out(`Installing ${nv}...\n`);
    if (old) for (const f of Object.keys(old.files)) fs.rmSync(f, { force: true });
    const row = jobsLib.record(p, { old, automatic: has('A') ? true : undefined, repo: undefined });
    if (Object.keys(row.files).length) out(db.progress(`Extracting ${nv}`));
    const k = local.packages.findIndex((x) => x.name === p.name);
    if (k >= 0) local.packages[k] = row; else local.packages.push(row);
  }
  db.saveLocal(t, local);
  if (failed.length) {
    t.out(`\nFailed to install the following ${failed.length} package(s): ${failed.join(' ')}\n`);
    return 1;
  }
  return 0;
}

module.exports = { run };
