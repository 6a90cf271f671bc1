'use strict';
// pkg delete (commands.md §1.10, locked/vital rules §1.7, wording by version §8).
const db = require('./db.cjs');
const jobsLib = require('./jobs.cjs');

const USAGE = "Usage: pkg delete [-DfnqRy] [-Cgix] <pkg-name> ...\n       pkg delete [-Dnqy] -a\n\nFor more information see 'pkg help delete'.";

function run(t, argv) {
  const g = t.getopt(argv.filter((a) => a !== '--autoremove'), 'aDfgxCinqRyG:');
  if (g.error) t.usage(USAGE);
  const m = db.matchOpts(g);
  const has = (c) => g.opts.some((o) => o.opt === c);
  const quiet = has('q'), force = has('f'), yes = has('y') || /^(yes|true|1)$/i.test(process.env.ASSUME_ALWAYS_YES || '');
  if (g.rest.length === 0 && !m.all) t.usage(USAGE);
  if (g.rest.some((a) => a.includes('*')) && m.mode === 'exact') m.mode = 'glob';
  if (!db.isRoot()) t.errx(1, 'Insufficient privileges to delete packages');
  db.lock(t, 'advisory', quiet);
  const local = db.local(t);
  if (!local || local.packages.length === 0) { t.warnx('No packages installed.  Nothing to do!'); return 0; }
  const targets = [];
  let missing = 0;
  const add = (p) => { if (!targets.includes(p)) targets.push(p); };
  if (m.all) local.packages.forEach(add);
  for (const pat of m.all ? [] : g.rest) {
    const found = db.select(local.packages, pat, m.mode, m.icase);
    if (found.length === 0) {
      if (!quiet) t.out(`No packages matched for pattern '${pat}'\n\n`);
      missing++;
      continue;
    }
    found.forEach(add);
  }
  if (!force) {
    // reverse dependencies go too (recursive) unless -f
    for (let i = 0; i < targets.length; i++) {
      for (const q of local.packages) if (q.deps.some((d) => d.name === targets[i].name)) add(q);
    }
  }
  if (!force && targets.some((p) => p.name === 'pkg')) t.errx(3, 'Cannot delete pkg itself without force flag');
  const blocked = targets.filter((p) => p.locked || (p.vital && !force));
  const requested = m.all ? targets.length : g.rest.length;
  if (blocked.length > 0) {
    const v1 = !db.pkgAtLeast(t, '2.0'), labels = db.pkgAtLeast(t, '2.5');
    let s = v1 ? 'The following package(s) are locked and may not be removed:\n\n'
      : 'The following package(s) are locked or vital and may not be removed:\n\n';
    for (const p of blocked) {
      const l = p.locked && p.vital && !force ? 'vital and locked' : p.locked ? 'locked' : 'vital';
      s += `\t${p.name}${labels ? ` (${l})` : ''}\n`;
    }
    s += '\n';
    if (!quiet) s += `${requested} packages requested for removal: ${blocked.length} locked, ${missing} missing\n`;
    t.out(s);
    return 7;
  }
  if (missing > 0) {
    if (!quiet) t.out(`${requested} packages requested for removal: 0 locked, ${missing} missing\n`);
    return 1;
  }
  // dependents are deinstalled before what they depend on
  const order = [];
  const left = targets.slice();
  while (left.length) {
    const k = left.findIndex((p) => !left.some((q) => q !== p && q.deps.some((d) => d.name === p.name)));
    order.push(...left.splice(k < 0 ? 0 : k, 1));
  }
  const jobs = order.map((p) => ({ kind: 'remove', pkg: p }));
  if (!quiet) {
    jobsLib.summary(t, jobs, {
      header: `Deinstallation has been requested for the following ${jobs.length} packages (of ${local.packages.length} packages in the universe):\n\n`,
    });
  }
  if (has('n')) return 0;
  if (!yes && !jobsLib.confirm(t, '\nProceed with deinstalling packages? [y/N]: ')) return 1;
  jobsLib.apply(t, local, jobs, quiet);
  return 0;
}

module.exports = { run };
