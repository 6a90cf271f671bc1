'use strict';
// pkg query (commands.md §1.2) and pkg rquery (§1.4).
const db = require('./db.cjs');
const fmt = require('./format.cjs');
const repos = require('./repos.cjs');

const QUERY_USAGE = [
  'Usage: pkg query <query-format> <pkg-name>',
  '       pkg query [-a] <query-format>',
  '       pkg query -F <pkg-name> <query-format>',
  '       pkg query -e <evaluation> <query-format>',
  '       pkg query [-Cgix] <query-format> <pattern> <...>',
  '',
  "For more information see 'pkg help query.'",
];
const RQUERY_USAGE = [
  'Usage: pkg rquery [-r reponame] [-I|<query-format>] <pkg-name>',
  '       pkg rquery [-a] [-r reponame] [-I|<query-format>]',
  '       pkg rquery -e <evaluation> [-r reponame] <query-format>',
  '       pkg rquery [-Cgix] [-r reponame] [-I|<query-format>] <pattern> <...>',
  '',
  "For more information see 'pkg help rquery.'",
];

function withRdeps(pkgs) {
  for (const p of pkgs) {
    p.rdeps = pkgs.filter((q) => q.deps.some((d) => d.name === p.name)).map((q) => ({ name: q.name, origin: q.origin, version: q.version }));
  }
  return pkgs;
}

// Shared body: returns the exit code.
function runQuery(t, argv, { remote, opts }) {
  const g = t.getopt(argv, remote ? 'aCgixe:r:UI' : 'aCgixe:F:q');
  const usage = remote ? RQUERY_USAGE : QUERY_USAGE;
  if (g.error) t.usage(usage);
  const m = db.matchOpts(g);
  let cond, quiet = false, noUpdate = false, pkgFile;
  const repoNames = [];
  for (const o of g.opts) {
    if (o.opt === 'I') t.errx(70, 'simulator: rquery -I (INDEX lines) is not simulated');
    if (o.opt === 'F') pkgFile = o.arg;
    else if (o.opt === 'e') cond = o.arg;
    else if (o.opt === 'q') quiet = true;
    else if (o.opt === 'r') repoNames.push(o.arg);
    else if (o.opt === 'U') noUpdate = true;
  }
  if (g.rest.length === 0) t.usage(usage);
  const [format, ...patterns] = g.rest;
  const v27 = db.pkgAtLeast(t, '2.7');
  const vars = repos.variables(t.profile());
  const ctx = { abi: vars.ABI, altabi: vars.ALTABI, remote, emptyListLine: v27 };
  let compiled, tree;
  try {
    compiled = fmt.compile(format, { remote, inline: v27 });
    if (cond !== undefined) tree = fmt.parseCond(cond);
  } catch (e) {
    if (!(e instanceof fmt.QueryError)) throw e;
    t.err(`${e.message}\n`);
    return 1;
  }
  let pkgs;
  if (pkgFile !== undefined) {
    // -F FILE: query a package file (the JSON stand-in, see add.cjs) instead of the DB
    let m;
    try { m = JSON.parse(require('fs').readFileSync(pkgFile, 'utf8')); } catch { t.warnx(`${pkgFile}: No such file or directory`); return 1; }
    pkgs = withRdeps([db.normalize(m)]);
  } else if (remote) {
    const list = require('./remote.cjs').catalogues(t, opts, { names: repoNames, noUpdate, quietUpdate: true });
    pkgs = list.flatMap((r) => r.packages);
  } else {
    db.lock(t, 'read', quiet);
    const local = db.local(t);
    if (!local) {
      if (!quiet) t.warnx('No packages installed');
      return 0;
    }
    pkgs = withRdeps(local.packages).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  let selected;
  if (m.all || patterns.length === 0) selected = pkgs;
  else {
    const seen = new Set();
    selected = [];
    for (const pat of patterns) {
      for (const p of db.select(pkgs, pat, m.mode, m.icase)) {
        const key = `${p.repository || ''}/${p.name}`;
        if (!seen.has(key)) { seen.add(key); selected.push(p); }
      }
    }
  }
  if (tree) selected = selected.filter((p) => fmt.evalCond(tree, p, ctx));
  let out = '';
  for (const p of selected) for (const line of fmt.render(compiled, p, ctx)) out += `${line}\n`;
  t.out(out);
  if (patterns.length > 0 && !m.all && selected.length === 0) return 1;
  return 0;
}

module.exports = {
  query: (t, argv, opts) => runQuery(t, argv, { remote: false, opts }),
  rquery: (t, argv, opts) => runQuery(t, argv, { remote: true, opts }),
  withRdeps,
};
