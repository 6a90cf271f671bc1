#!/usr/bin/env node
'use strict';
// pkg(8), the parts later issues build on (commands.md §1, §2):
//   global options (§1.16): -v (version; -vv the full dump with the repositories),
//   -R dir / -o REPOS_DIR=a,b (repository search path), -4/-6, -d, -l, -N are accepted;
//   commands: update (§1.11), query/rquery, info, search, version, install, upgrade, delete,
//   add, lock/unlock, check, audit (state: tools/pkg/db.cjs).  -N (activation), -j/-c/-r
//   (§1.16: unknown jail, missing chroot/rootdir).  Each command lives in
//   tools/pkg/<command>.cjs; add new ones to COMMANDS.  Unknown command → "pkg: unknown
//   command: X", exit 1.
const sim = require('../lib/sim.cjs');

const COMMANDS = {
  update: (t, argv, opts) => require('./pkg/update.cjs').run(t, argv, opts),
  query: (t, argv, opts) => require('./pkg/query.cjs').query(t, argv, opts),
  rquery: (t, argv, opts) => require('./pkg/query.cjs').rquery(t, argv, opts),
  info: (t, argv, opts) => require('./pkg/info.cjs').run(t, argv, opts),
  search: (t, argv, opts) => require('./pkg/search.cjs').run(t, argv, opts),
  version: (t, argv, opts) => require('./pkg/version.cjs').run(t, argv, opts),
  install: (t, argv, opts) => require('./pkg/install.cjs').install(t, argv, opts),
  upgrade: (t, argv, opts) => require('./pkg/install.cjs').upgrade(t, argv, opts),
  delete: (t, argv, opts) => require('./pkg/delete.cjs').run(t, argv, opts),
  remove: (t, argv, opts) => require('./pkg/delete.cjs').run(t, argv, opts),
  add: (t, argv, opts) => require('./pkg/add.cjs').run(t, argv, opts),
  lock: (t, argv, opts) => require('./pkg/lock.cjs').lock(t, argv, opts),
  unlock: (t, argv, opts) => require('./pkg/lock.cjs').unlock(t, argv, opts),
  check: (t, argv, opts) => require('./pkg/check.cjs').run(t, argv, opts),
  audit: (t, argv, opts) => require('./pkg/audit.cjs').run(t, argv, opts),
};

const USAGE = 'Usage: pkg [-v] [-d] [-l] [-N] [-j <jail name or id>|-c <chroot path>|-r <rootdir>] [-C <configuration file>] [-R <repo config dir>] [-o var=value] [-4|-6] <command> [<args>]';

sim.main('pkg', (argv, t) => {
  const g = t.getopt(argv, 'vdlNj:c:r:C:R:o:46');
  if (g.error) t.usage(USAGE);
  let verbose = 0;
  const opts = {};
  let roots = 0, activation = false;
  const root = {};
  for (const o of g.opts) {
    if (o.opt === 'v') verbose++;
    else if (o.opt === 'N') activation = true;
    else if (o.opt === 'j' || o.opt === 'c' || o.opt === 'r') { roots++; root[o.opt] = o.arg; }
    else if (o.opt === 'R') opts.reposDirs = [o.arg.endsWith('/') ? o.arg : `${o.arg}/`];
    else if (o.opt === 'o') {
      const [k, ...v] = o.arg.split('=');
      if (k === 'REPOS_DIR') opts.reposDirs = v.join('=').split(',').filter(Boolean);
      else process.env[k] = v.join('='); // pkg.conf options (ASSUME_ALWAYS_YES, REPO_AUTOUPDATE, ...)
    }
  }
  if (roots > 1) {
    t.warnx('-j, -c and/or -r cannot be used at the same time!');
    t.usage(USAGE);
  }
  if (roots === 1) require('./pkg/roots.cjs').check(t, root);
  if (activation) {
    const a = require('./pkg/roots.cjs').activation(t);
    if (typeof a === 'number') return a;
    if (g.rest.length === 0) { t.warnx(`${a.n} packages installed`); return 0; }
  }
  if (verbose === 1 && g.rest.length === 0) {
    t.out(`${t.profile().pkgVersion}\n`);
    return 0;
  }
  if (verbose >= 2) return require('./pkg/verbose.cjs').run(t, opts);
  if (g.rest.length === 0) t.usage(USAGE);
  const [cmd, ...rest] = g.rest;
  const fn = COMMANDS[cmd];
  if (!fn) t.errx(1, `unknown command: ${cmd}`);
  return fn(t, rest, opts);
});
