#!/usr/bin/env node
'use strict';
// hostname(1), FreeBSD flavour: prints the running host name
// (profile.hostname, also what `uname -n` prints); `hostname NAME` sets it
// (like sethostname(2): until "reboot", not in rc.conf).  -s short, -d domain.
const sim = require('../lib/sim.cjs');

sim.main('hostname', (argv, t) => {
  const g = t.getopt(argv, 'fsd');
  if (g.error || g.rest.length > 1) t.usage('usage: hostname [-f] [-s | -d] [name-of-host]');
  const flags = new Set(g.opts.map((o) => o.opt));
  if (flags.has('s') && flags.has('d')) t.usage('usage: hostname [-f] [-s | -d] [name-of-host]');
  const p = t.profile();
  if (g.rest.length === 1) {
    p.hostname = g.rest[0];
    t.writeProfile(p);
    return 0;
  }
  let h = p.hostname;
  if (flags.has('s')) h = h.split('.')[0];
  else if (flags.has('d')) h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : '';
  t.out(h + '\n');
  return 0;
});
