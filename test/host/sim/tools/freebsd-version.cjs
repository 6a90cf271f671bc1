#!/usr/bin/env node
'use strict';
// freebsd-version(1) — commands.md §7.
//   -k installed kernel, -r running kernel, -u userland, -j jail (repeatable).
//   Output order is always k, r, u, then jails, whatever the flag order.
//   No flag means -u.  Bad option → usage on stderr, exit 1.
//   Empty profile.kernel → "freebsd-version: unable to locate kernel", exit 1.
const sim = require('../lib/sim.cjs');
const jails = require('../lib/jails.cjs');

sim.main('freebsd-version', (argv, t) => {
  const usage = () => t.usage('usage: freebsd-version [-kru] [-j jail]');
  // freebsd-version is a sh script: getopts wording for errors.
  const g = t.getopt(argv, 'kruj:', { shell: true });
  if (g.error || g.rest.length > 0) usage();
  let k = false, r = false, u = false;
  const js = [];
  for (const o of g.opts) {
    if (o.opt === 'k') k = true;
    else if (o.opt === 'r') r = true;
    else if (o.opt === 'u') u = true;
    else if (o.opt === 'j') js.push(o.arg);
  }
  if (!k && !r && !u && js.length === 0) u = true;
  const p = t.profile();
  if (k) {
    if (!p.kernel) t.errx(1, 'unable to locate kernel');
    t.out(p.kernel + '\n');
  }
  if (r) t.out(p.running + '\n');
  if (u) t.out(p.userland + '\n');
  for (const j of js) {
    const jail = jails.find(j);
    if (!jail) {
      // the real script runs `jexec -- "$jail" freebsd-version -u || exit 1`
      t.err(`jexec: jail "${j}" not found\n`);
      return 1;
    }
    t.out((jail.userland || p.userland) + '\n');
  }
  return 0;
});
