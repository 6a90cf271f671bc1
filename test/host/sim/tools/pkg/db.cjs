'use strict';
// State of the simulated pkg (one host): the local package DB, the per-repo catalogue DBs and
// the DB-lock knob, all JSON under /var/run/freebsd-sim/state/pkg/ (test/host/pkgdb.ts writes
// them for tests):
//   local.json        {"packages":[PKG...]}; absent = no package DB (pkg -N: "non-existent")
//     PKG = {name, origin, version, comment, maintainer?, www?, prefix?, desc?, flatsize,
//            automatic, locked, vital, time, repository?, annotations {tag: value},
//            categories [], licenses [], licenselogic?, options {k: v},
//            deps [{name, origin, version}], files {path: sha256hex}}
//   repos/NAME.json   {"packages":[MANIFEST...]} the installed catalogue of repo NAME
//                     (written by `pkg update` from packagesite.yaml / reachable.json's
//                     "catalogue"; MANIFEST like PKG plus files {path: content})
//   dblock.json       {"pid":N, "attempts":K | "untilMs":T, "mode":"exclusive"|"advisory",
//                      "waitMs":W, "stale":bool}: another process holds the DB lock (§1.17)
//   audit.json        {"fetchFrom": host path of the vuln.xml `pkg audit -F` "downloads"}
const fs = require('fs');
const path = require('path');
const ver = require('../../lib/pkgversion.cjs');

const readJson = (f, d) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return d; } };
const writeJson = (f, v) => {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const tmp = `${f}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(v, null, 1) + '\n');
  fs.renameSync(tmp, f);
};

function normalize(p) {
  const deps = Array.isArray(p.deps) ? p.deps
    : Object.entries(p.deps || {}).map(([name, d]) => ({ name, origin: d.origin || '', version: d.version || '' }));
  return {
    prefix: '/usr/local', maintainer: '', www: '', desc: '', comment: '', flatsize: 0,
    automatic: false, locked: false, vital: false, time: 0, annotations: {}, categories: [], licenses: [],
    licenselogic: 'single', options: {}, files: {}, ...p, deps,
  };
}

function local(t) {
  const f = path.join(t.stateDir(), 'local.json');
  const j = readJson(f, null);
  if (!j) return null;
  return { file: f, packages: (j.packages || []).map(normalize) };
}
function saveLocal(t, db) {
  writeJson(path.join(t.stateDir(), 'local.json'), { packages: db.packages });
}
function repoDb(t, name) {
  const j = readJson(path.join(t.stateDir(), 'repos', `${name}.json`), null);
  return j ? (j.packages || []).map((p) => normalize({ ...p, repository: name })) : null;
}
function saveRepoDb(t, name, packages) {
  writeJson(path.join(t.stateDir(), 'repos', `${name}.json`), { packages });
}

// §1.1 matching.  mode: 'exact' | 'glob' | 'regex'; icase for -i (CASE_SENSITIVE_MATCH=no).
function globRe(g, flags) {
  let r = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') r += '.*';
    else if (c === '?') r += '.';
    else if (c === '[') { const e = g.indexOf(']', i + 1); if (e < 0) r += '\\['; else { r += `[${g.slice(i + 1, e).replace(/^\^/, '\\^')}]`; i = e; } }
    else r += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${r}$`, flags);
}
function matcher(pattern, mode, icase) {
  const fl = icase ? 'i' : '';
  if (mode === 'regex') {
    const re = new RegExp(pattern, fl);
    return (p) => re.test(p.name) || re.test(`${p.name}-${p.version}`);
  }
  if (mode === 'glob') {
    const re = globRe(pattern, fl);
    return (p) => re.test(p.name) || re.test(`${p.name}-${p.version}`);
  }
  const eq = icase ? (a, b) => a.toLowerCase() === b.toLowerCase() : (a, b) => a === b;
  if (pattern.includes('/')) {
    return (p) => eq(p.origin, pattern) || (pattern.includes('@') && eq(`${p.origin}@${p.flavor || ''}`, pattern));
  }
  return (p) => eq(p.name, pattern) || eq(`${p.name}-${p.version}`, pattern);
}
const select = (pkgs, pattern, mode, icase) => pkgs.filter(matcher(pattern, mode, icase));

// Matching flags shared by query/info/lock/delete/install/upgrade: -a -C -g -i -x.
function matchOpts(g, dflt = 'exact') {
  let mode = dflt, icase = process.env.CASE_SENSITIVE_MATCH === 'no', all = false;
  for (const o of g.opts) {
    if (o.opt === 'g') mode = 'glob';
    else if (o.opt === 'x') mode = 'regex';
    else if (o.opt === 'i') icase = true;
    else if (o.opt === 'C') icase = false;
    else if (o.opt === 'a') all = true;
  }
  return { mode, icase, all };
}

// "1.21.3" >= "1.21"?  (pkg -v of the simulated host, profile.pkgVersion)
const pkgAtLeast = (t, v) => ver.compare(t.profile().pkgVersion || '2.8.4', v) >= 0;

const sleepMs = (ms) => { if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

// §1.17: take the DB lock `kind` ('read' | 'advisory' | 'exclusive').  LOCK_RETRIES (5) + 1
// attempts; each one that finds a live holder prints the notice, then waits LOCK_WAIT.
const LOCK_FAIL = {
  read: 'Cannot get a read lock on a database, it is locked by another process',
  readVersion: 'Cannot get a read lock on the database. It is locked by another process',
  advisory: 'Cannot get an advisory lock on a database, it is locked by another process',
  exclusive: 'Cannot get an exclusive lock on a database, it is locked by another process',
};
function lock(t, kind, quiet, msgKind) {
  const f = path.join(t.stateDir(), 'dblock.json');
  const k = readJson(f, null);
  if (!k) return;
  if (k.stale) { fs.rmSync(f, { force: true }); return; } // a dead pid: cleaned up silently
  if (kind === 'read' && (k.mode || 'exclusive') !== 'exclusive') return;
  const retries = Number(process.env.LOCK_RETRIES ?? 5);
  const wait = k.waitMs !== undefined ? k.waitMs : Number(process.env.LOCK_WAIT ?? 1) * 1000;
  const held = () => (k.untilMs !== undefined ? Date.now() < k.untilMs : (k.attempts || 0) > 0);
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (!held()) { if (k.untilMs === undefined) fs.rmSync(f, { force: true }); return; }
    if (k.untilMs === undefined) { k.attempts--; writeJson(f, k); }
    if (!quiet) t.out(`process with pid ${k.pid || 1234} still holds the lock\n`);
    sleepMs(wait);
  }
  t.errx(1, LOCK_FAIL[msgKind || kind]);
}

// Non-TTY progress (§1.0): "MSG: " + dots + " done"; NO_TICK → no dots.
const progress = (msg, steps = 10) => `${msg}: ${process.env.NO_TICK ? '' : '.'.repeat(steps)} done\n`;

const isRoot = () => typeof process.getuid !== 'function' || process.getuid() === 0;

module.exports = {
  readJson, writeJson, normalize, local, saveLocal, repoDb, saveRepoDb, matcher, select, matchOpts,
  pkgAtLeast, lock, progress, sleepMs, isRoot, globRe,
};
