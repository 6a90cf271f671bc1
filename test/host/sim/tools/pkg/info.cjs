'use strict';
// pkg info (commands.md §1.3): the plain listing, -q, -e, -a, glob patterns (-x/-g/-i/-C), the
// full block for a single pattern.
const db = require('./db.cjs');
const repos = require('./repos.cjs');

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const pad = (s, n) => (s.length >= n ? `${s} ` : s.padEnd(n));

function block(p, t) {
  const v = repos.variables(t.profile());
  const L = (k, x) => `${k.padEnd(15)}: ${x}\n`;
  let s = L('Name', p.name) + L('Version', p.version);
  s += L('Installed on', new Date((p.time || 0) * 1000).toUTCString().replace(/GMT$/, 'UTC'));
  s += L('Origin', p.origin) + L('Architecture', v.ABI) + L('Prefix', p.prefix);
  s += L('Categories', p.categories.join(' ')) + L('Licenses', p.licenses.join(', '));
  s += L('Maintainer', p.maintainer) + L('WWW', p.www) + L('Comment', p.comment);
  const ann = Object.entries(p.annotations);
  if (ann.length) s += 'Annotations    :\n' + ann.map(([k, x]) => `\t${k.padEnd(15)}: ${x}\n`).join('');
  s += L('Flat size', require('./format.cjs').humanSize(p.flatsize).replace(/([0-9.]+)([a-zA-Z]+)/, '$1 $2'));
  s += 'Description    :\n' + `${p.desc}\n`;
  return s;
}

function run(t, argv) {
  const g = t.getopt(argv, 'aCgixeqkEdrlo');
  if (g.error) t.usage('Usage: pkg info <pkg-name>\n       pkg info -a\n       pkg info [-AbBDdefIklOqRrs] [-Cgix] <pkg-name>\n       pkg info [-AbBDdfIlqRrs] -F <pkg-file>\n\nFor more information see \'pkg help info\'.');
  const m = db.matchOpts(g, 'glob');
  const has = (c) => g.opts.some((o) => o.opt === c);
  const exists = has('e'), quiet = has('q');
  db.lock(t, 'advisory', quiet);
  const local = db.local(t);
  if (!local) {
    if (m.all) return 0;
    if (!quiet && !exists) t.warnx('No packages installed');
    return 1;
  }
  const pkgs = local.packages.slice().sort(byName);
  if (g.rest.length === 0 || m.all) {
    let out = '';
    for (const p of pkgs) out += quiet ? `${p.name}-${p.version}\n` : `${pad(`${p.name}-${p.version}`, 31)}${p.comment}\n`;
    if (!exists) t.out(out);
    return pkgs.length > 0 || !exists ? 0 : 1;
  }
  let code = 0;
  let out = '';
  for (const pat of g.rest) {
    const found = db.select(pkgs, pat, m.mode, m.icase);
    if (found.length === 0) {
      if (!exists) t.warnx(`No package(s) matching ${pat}`);
      code = 1;
      continue;
    }
    if (exists) continue;
    for (const p of found) {
      if (quiet) out += `${p.name}-${p.version}\n`;
      else if (has('k')) out += `${pad(`${p.name}-${p.version}`, 31)}${p.locked ? 'yes' : 'no'}\n`;
      else if (has('o')) out += `${pad(`${p.name}-${p.version}`, 31)}${p.origin}\n`;
      else if (g.rest.length === 1 && found.length === 1) out += block(p, t);
      else out += `${p.name}-${p.version}\n`;
    }
  }
  t.out(out);
  return code;
}

module.exports = { run };
