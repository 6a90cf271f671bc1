'use strict';
// Jail registry shared by the simulated tools (freebsd-version -j, sysrc -j,
// service -j ...).  Later jail tools (jail, jls, jexec) own the database:
//   /var/run/freebsd-sim/state/jail/jails.json
//   { "<name>": { "jid": 1, "path": "/usr/jails/www", "userland": "14.1-RELEASE-p6", ... } }
const fs = require('fs');
const path = require('path');
const { SIM_ROOT } = require('./sim.cjs');

const DB = path.join(SIM_ROOT, 'state', 'jail', 'jails.json');

function all() {
  try { return JSON.parse(fs.readFileSync(DB, 'utf8')); } catch { return {}; }
}

// Look a jail up by name or jid.
function find(nameOrJid) {
  const db = all();
  if (db[nameOrJid]) return { name: nameOrJid, ...db[nameOrJid] };
  for (const [name, j] of Object.entries(db)) {
    if (String(j.jid) === String(nameOrJid)) return { name, ...j };
  }
  return undefined;
}

module.exports = { all, find, DB };
