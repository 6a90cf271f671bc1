'use strict';
// pkg check -d / -s (commands.md §1.13): missing dependencies and file checksums (the sha256
// recorded in the local DB against the file on the host).
const fs = require('fs');
const db = require('./db.cjs');
const { sha256 } = require('./jobs.cjs');

function run(t, argv, opts) {
  const g = t.getopt(argv, 'BdsnqvyaCgix');
  const usage = db.pkgAtLeast(t, '2.0') ? 'Usage: pkg check -d[n]|-s [-qvy] -a\n       pkg check -d[n]|-s [-qvy] [-Cgix] <pattern>\n\nFor more information see \'pkg help check\'.'
    : 'Usage: pkg check -B|-d|-s|-r [-qvy] -a\n       pkg check -B|-d|-s|-r [-qvy] [-Cgix] <pattern>\n\nFor more information see \'pkg help check\'.';
  if (g.error) t.usage(usage);
  const has = (c) => g.opts.some((o) => o.opt === c);
  const m = db.matchOpts(g);
  const quiet = has('q');
  let deps = has('d'), sums = has('s');
  if (!deps && !sums) sums = true; // -B alone (a no-op in 2.x) or nothing: the checksum check
  db.lock(t, 'advisory', quiet);
  const local = db.local(t);
  if (!local || local.packages.length === 0) { t.warnx('No packages installed.  Nothing to do!'); return 0; }
  let pkgs = local.packages.slice().sort((a, b) => (a.name < b.name ? -1 : 1));
  if (g.rest.length && !m.all) pkgs = g.rest.flatMap((p) => db.select(pkgs, p, m.mode, m.icase));
  let code = 0;
  if (!quiet) t.out(db.progress(g.rest.length && !m.all ? `Checking ${g.rest.join(' ')}` : 'Checking all packages'));
  if (deps) {
    let issues = 0;
    for (const p of pkgs) {
      for (const d of p.deps) {
        if (local.packages.some((x) => x.name === d.name)) continue;
        t.out(quiet ? `${p.name}\t${d.name}\n` : `${p.name} has a missing dependency: ${d.name}\n`);
        issues++;
      }
    }
    if (issues > 0) {
      if (!quiet) t.out(`\n>>> Missing package dependencies were detected.\n>>> Found ${issues} issue(s) in the package database.\n\n`);
      if (has('n')) code = 1;
      else {
        const missing = [...new Set(pkgs.flatMap((p) => p.deps.filter((d) => !local.packages.some((x) => x.name === d.name)).map((d) => d.name)))];
        if (!has('y') && !require('./jobs.cjs').confirm(t, '\n>>> Try to fix the missing dependencies? [y/N]: ')) code = 1;
        else code = require('./install.cjs').install(t, ['-yA', ...(quiet ? ['-q'] : []), ...missing], opts) === 0 ? 0 : 1;
      }
    }
  }
  if (sums) {
    for (const p of pkgs) {
      for (const [f, want] of Object.entries(p.files)) {
        let have;
        try { have = sha256(fs.readFileSync(f)); } catch { t.warnx(`${p.name}-${p.version}: missing file ${f}`); code = 1; continue; }
        if (want && have !== want) { t.warnx(`${p.name}-${p.version}: checksum mismatch for ${f}`); code = 1; }
      }
    }
  }
  return code;
}

module.exports = { run };
