'use strict';
// pkg version (commands.md §1.6): -t V1 V2, -T NAME PATTERN, and the installed-vs-remote
// listing (-R, or the default: no INDEX, no /usr/ports on the simulated host) with -v, -o, -q,
// -l C / -L C, -U, -Cegix pattern.
const db = require('./db.cjs');
const ver = require('../../lib/pkgversion.cjs');

const USAGE = [
  'Usage: pkg version [-IPR] [-hoqvU] [-l limchar] [-L limchar] [-Cegix pattern]',
  '		[-r reponame] [-O origin|-n pkgname] [index]',
  '	pkg version -t <version1> <version2>',
  '	pkg version -T <pkgname> <pattern>',
];

function run(t, argv, opts) {
  if (argv[0] === '-t') {
    if (argv.length !== 3) t.usage(USAGE);
    t.out(`${ver.symbol(argv[1], argv[2])}\n`);
    return 0;
  }
  if (argv[0] === '-T') {
    if (argv.length !== 3) t.usage(USAGE);
    return db.globRe(argv[2]).test(argv[1]) ? 0 : 1;
  }
  const g = t.getopt(argv, 'IPRhoqvUl:L:C:e:g:i:x:r:n:O:');
  if (g.error) t.usage(USAGE);
  let verbose = false, quiet = false, origin = false, noUpdate = false, lim, notLim, pat, mode = 'exact', icase = false, src;
  const names = [];
  for (const o of g.opts) {
    switch (o.opt) {
      case 'v': verbose = true; break;
      case 'q': quiet = true; break;
      case 'o': origin = true; break;
      case 'U': noUpdate = true; break;
      case 'r': names.push(o.arg); break;
      case 'I': case 'P': case 'R': src = o.opt; break;
      case 'l': case 'L':
        if (o.arg.length !== 1 || !'<>=?!'.includes(o.arg)) t.usage(USAGE);
        if (o.opt === 'l') lim = o.arg; else notLim = o.arg;
        break;
      case 'e': pat = o.arg; mode = 'exact'; break;
      case 'g': pat = o.arg; mode = 'glob'; break;
      case 'x': pat = o.arg; mode = 'regex'; break;
      case 'i': pat = o.arg; icase = true; break;
      case 'C': pat = o.arg; icase = false; break;
      case 'n': pat = o.arg; mode = 'exact'; break;
      case 'O': pat = o.arg; mode = 'exact'; break;
      case 'h': t.out(USAGE.join('\n') + '\n'); return 0;
      default: break;
    }
  }
  // INDEX and ports-tree sources are not simulated (the simulated host has neither; the default
  // source is then remote, as in pkg); say so rather than invent pkg's wording.
  if (src === 'I' || src === 'P') t.errx(70, `simulator: version -${src} (INDEX/ports tree) is not simulated`);
  db.lock(t, 'read', quiet);
  const local = db.local(t);
  if (!local) { if (!quiet) t.warnx('No packages installed'); return 1; }
  const cats = require('./remote.cjs').catalogues(t, opts, { names, noUpdate, quietUpdate: quiet });
  let pkgs = local.packages.slice().sort((a, b) => (a.name < b.name ? -1 : 1));
  if (pat !== undefined) pkgs = db.select(pkgs, pat, mode, icase);
  if (pkgs.length === 0) return 1;
  let out = '';
  for (const p of pkgs) {
    let remoteP;
    for (const r of cats) { remoteP = r.packages.find((x) => x.name === p.name); if (remoteP) break; }
    let c, why;
    if (!remoteP) { c = '?'; why = `orphaned: ${p.origin}`; }
    else {
      const k = ver.compare(p.version, remoteP.version);
      c = k < 0 ? '<' : k > 0 ? '>' : '=';
      why = k < 0 ? `needs updating (remote has ${remoteP.version})` : k > 0 ? `succeeds remote (remote has ${remoteP.version})` : 'up-to-date with remote';
    }
    if (lim && c !== lim) continue;
    if (notLim && c === notLim) continue;
    const label = origin ? p.origin : `${p.name}-${p.version}`;
    // printf("%-34s %c"): the char at index 35 (also with -q, which only silences the update)
    let line = `${label.padEnd(34)} ${c}`;
    if (verbose) line += `   ${why}`;
    out += `${line}\n`;
  }
  t.out(out);
  return 0;
}

module.exports = { run };
