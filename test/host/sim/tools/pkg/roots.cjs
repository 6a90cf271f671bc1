'use strict';
// pkg -N (activation) and -j/-c/-r (commands.md §1.16).  -j looks the jail up in the shared
// registry (lib/jails.cjs); -c/-r need an existing directory.  When they succeed the command
// runs against this host's own state (jail/chroot package DBs are not simulated).
const fs = require('fs');
const db = require('./db.cjs');

function check(t, root) {
  if (root.j !== undefined) {
    if (!require('../../lib/jails.cjs').find(root.j)) t.errx(1, `jail "${root.j}" not found`);
  }
  if (root.c !== undefined) {
    if (!fs.existsSync(root.c)) t.errx(1, 'chroot failed: No such file or directory');
  }
  if (root.r !== undefined) {
    let ok = false;
    try { ok = fs.statSync(root.r).isDirectory(); } catch { ok = false; }
    if (!ok) t.errx(1, `Invalid rootdir: ${root.r}`);
  }
}

// 0 when activated (the count is printed only by the caller when no command follows).
function activation(t) {
  const local = db.local(t);
  if (!local) { t.warnx('package database non-existent'); return 1; }
  if (local.packages.length === 0) { t.warnx('no packages registered'); return 1; }
  return { n: local.packages.length };
}

module.exports = { check, activation: (t) => {
  const r = activation(t);
  if (typeof r === 'number') return r;
  return { ok: true, n: r.n };
} };
