'use strict';
// pkg lock / pkg unlock (commands.md §1.7, §8: `lock -l` wording and exit differ by version).
const db = require('./db.cjs');

function run(t, argv, opts, locking) {
  const cmd = locking ? 'lock' : 'unlock';
  let args = argv.slice();
  const hasLocked = args.includes('--has-locked-packages');
  args = args.filter((a) => a !== '--has-locked-packages');
  const g = t.getopt(args, 'aCgilqxy');
  if (g.error) t.usage(`Usage: pkg ${cmd} [-lqy] [-a|[-Cgix] <pkg-name>]\n       pkg ${cmd} --has-locked-packages\n\nFor more information see 'pkg help ${cmd}'.`);
  const m = db.matchOpts(g);
  const has = (c) => g.opts.some((o) => o.opt === c);
  const quiet = has('q'), yes = has('y') || /^(yes|true|1)$/i.test(process.env.ASSUME_ALWAYS_YES || '');
  db.lock(t, 'advisory', quiet);
  const local = db.local(t);
  if (!local) {
    if (!quiet) t.warnx('No packages installed.  Nothing to do!');
    return 0;
  }
  const byName = (a, b) => (a.name < b.name ? -1 : 1);
  if (hasLocked) return local.packages.some((p) => p.locked) ? 0 : 1;
  if (has('l') && g.rest.length === 0 && !m.all) {
    const locked = local.packages.filter((p) => p.locked).sort(byName);
    // pkg >= 1.21: "No locked packages were found", exit 1; <= 1.20: header always, exit 0
    if (locked.length === 0 && db.pkgAtLeast(t, '1.21')) { t.out('No locked packages were found\n'); return 1; }
    t.out(`Currently locked packages:\n${locked.map((p) => `${p.name}-${p.version}\n`).join('')}`);
    return 0;
  }
  if (g.rest.length === 0 && !m.all) t.usage(`Usage: pkg ${cmd} [-lqy] [-a|[-Cgix] <pkg-name>]\n       pkg ${cmd} --has-locked-packages\n\nFor more information see 'pkg help ${cmd}'.`);
  const batch = m.all || m.mode !== 'exact';
  let code = 0;
  let changed = false;
  const patterns = m.all ? [null] : g.rest;
  for (const pat of patterns) {
    const found = pat === null ? local.packages.slice().sort(byName) : db.select(local.packages, pat, m.mode, m.icase);
    if (found.length === 0) { code = 1; continue; }
    code = 0;
    for (const p of found) {
      const nv = `${p.name}-${p.version}`;
      if (p.locked === locking) {
        if (!batch && !quiet) t.out(`${nv}: already ${locking ? 'locked' : 'unlocked'}\n`);
        continue;
      }
      if (!yes) {
        t.out(`${nv}: ${cmd} this package? [y/N]: `);
        let ans = '';
        try { ans = require('fs').readFileSync(0, 'utf8').split('\n')[0]; } catch { ans = ''; }
        if (!/^y/i.test(ans)) continue;
      }
      if (!quiet) t.out(`${locking ? 'Locking' : 'Unlocking'} ${nv}\n`);
      p.locked = locking;
      changed = true;
    }
  }
  if (changed) db.saveLocal(t, local);
  if (has('l')) {
    const locked = local.packages.filter((p) => p.locked).sort(byName);
    if (locked.length === 0 && db.pkgAtLeast(t, '1.21')) t.out('No locked packages were found\n');
    else t.out(`Currently locked packages:\n${locked.map((p) => `${p.name}-${p.version}\n`).join('')}`);
  }
  return code;
}

module.exports = { lock: (t, a, o) => run(t, a, o, true), unlock: (t, a, o) => run(t, a, o, false) };
