#!/usr/bin/env node
'use strict';
// uname(1), FreeBSD flavour — commands.md §7.
//   Flags -a -b -i -K -m -n -o -p -r -s -U -v; no flag = -s.  -a = -mnrsv.
//   Fields print in the fixed order s n r v m p i K U b, space separated.
//   -K is kern.osreldate (profile.osreldate), -U the userland's
//   __FreeBSD_version (profile.userreldate).  UNAME_x environment variables
//   override field x, as on FreeBSD.
const sim = require('../lib/sim.cjs');

sim.main('uname', (argv, t) => {
  const g = t.getopt(argv, 'abiKmnoprsUv');
  if (g.error || g.rest.length > 0) t.usage('usage: uname [-abiKmnoprsUv]');
  const f = new Set();
  for (const o of g.opts) {
    if (o.opt === 'a') ['m', 'n', 'r', 's', 'v'].forEach((x) => f.add(x));
    else if (o.opt === 'o') f.add('s');
    else f.add(o.opt);
  }
  if (f.size === 0) f.add('s');
  const p = t.profile();
  const values = {
    s: 'FreeBSD',
    n: p.hostname,
    r: p.running,
    v: `FreeBSD ${p.running} GENERIC`,
    m: p.machine,
    p: p.machine === 'arm64' ? 'aarch64' : p.machine,
    i: 'GENERIC',
    K: String(p.osreldate),
    U: String(p.userreldate),
    b: '0123456789abcdef0123456789abcdef01234567',
  };
  const fields = [];
  for (const x of ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'K', 'U', 'b']) {
    if (!f.has(x)) continue;
    const env = process.env[`UNAME_${x}`];
    fields.push(env !== undefined ? env : values[x]);
  }
  t.out(fields.join(' ') + '\n');
  return 0;
});
