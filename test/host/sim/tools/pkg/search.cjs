'use strict';
// pkg search (commands.md §1.5): regex on pkg-name (name-version) by default, origin when the
// pattern has '/', -e exact, -g glob, -x regex, -S/-L field, -o (origin label), -q, -r REPO, -U.
const db = require('./db.cjs');
const remote = require('./remote.cjs');

const FIELDS = ['comment', 'description', 'name', 'origin', 'pkg-name'];
const USAGE = 'Usage: pkg search [-eU] [-r repo] [-S search] [-L label] [-Q mod]... [-Cgix] pattern\n       pkg search [-cDdefopqRU] [-r repo] [-Cgix] pattern\n\nFor more information see \'pkg help search\'.';

function fieldValue(p, f) {
  return { comment: p.comment, description: p.desc, name: p.name, origin: p.origin, 'pkg-name': `${p.name}-${p.version}` }[f];
}

function run(t, argv, opts) {
  const g = t.getopt(argv, 'CcDdefgiopqQ:r:RS:L:Ux');
  if (g.error || g.rest.length !== 1) t.usage(USAGE);
  const pattern = g.rest[0];
  let mode = 'regex', icase = process.env.CASE_SENSITIVE_MATCH === 'no', field, label = 'pkg-name', quiet = false, noUpdate = false;
  const names = [];
  for (const o of g.opts) {
    if (o.opt === 'e') mode = 'exact';
    else if (o.opt === 'g') mode = 'glob';
    else if (o.opt === 'x') mode = 'regex';
    else if (o.opt === 'i') icase = true;
    else if (o.opt === 'C') icase = false;
    else if (o.opt === 'q') quiet = true;
    else if (o.opt === 'U') noUpdate = true;
    else if (o.opt === 'r') names.push(o.arg);
    else if (o.opt === 'o') label = 'origin';
    else if (o.opt === 'c') field = 'comment';
    else if (o.opt === 'D') field = 'description';
    else if (o.opt === 'S' || o.opt === 'L') {
      if (!FIELDS.includes(o.arg)) t.usage(USAGE);
      if (o.opt === 'S') field = o.arg; else label = o.arg;
    }
  }
  if (pattern === '') t.errx(1, 'Pattern must not be empty.');
  if (!field) field = pattern.includes('/') ? 'origin' : 'pkg-name';
  const cats = remote.catalogues(t, opts, { names, noUpdate, quietUpdate: true });
  const fl = icase ? 'i' : '';
  const test = mode === 'regex' ? ((re) => (s) => re.test(s))(new RegExp(pattern, fl))
    : mode === 'glob' ? ((re) => (s) => re.test(s))(db.globRe(pattern, fl))
    : (s) => (icase ? s.toLowerCase() === pattern.toLowerCase() : s === pattern);
  let out = '', n = 0;
  for (const r of cats) {
    for (const p of r.packages) {
      if (!test(fieldValue(p, field) || '')) continue;
      const l = fieldValue(p, label);
      out += quiet ? `${l}\n` : `${l.length >= 31 ? `${l} ` : l.padEnd(31)}${p.comment}\n`;
      n++;
    }
  }
  t.out(out);
  return n > 0 ? 0 : 1;
}

module.exports = { run };
