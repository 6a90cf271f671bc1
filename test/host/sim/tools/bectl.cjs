#!/usr/bin/env node
'use strict';
// bectl(8) — follows commands.md §3 (freebsd-src sbin/bectl/bectl.c, bectl_list.c, lib/libbe).
//
// Subcommands: list [-DH] [-c|-C property], create [-r] [-e src] NAME, create NAME@snap,
// activate [-t] NAME, activate -T, destroy [-Fo] NAME[@snap], rename OLD NEW, check, -h/-?.
// (mount/umount/jail/unjail/export/import and list -a/-s are not simulated: exit 70.)
//
// Exit status is the libbe error number (be_error_t order); on error libbe prints its
// description line to stderr first, then bectl prints its own line (§3).
//
// State (one JSON file in the tool's state folder, state/bectl/state.json):
//   { root: "zroot/ROOT", booted: "default", bootfs: "default", bootonce: null | NAME,
//     bes: { NAME: { mountpoint: null | "/", used: bytes, creation: epoch seconds,
//                    origin: null | "SRC@snap", snapshots: { SNAP: { creation, auto } } } } }
// created on first use with `default` booted and bootfs (NR). Tests may edit it with
// `host.run`. Host profile knobs:
//   zfsRoot: false         → every subcommand fails as libbe_init() does without a ZFS root
//   bectlWording: "legacy" → the older lowercase "failed to …" messages (§8)
const fs = require('fs');
const path = require('path');
const sim = require('../lib/sim.cjs');

// libbe's be_error_t order and descriptions (§3 table).
const E = {
  SUCCESS: 0, INVALIDNAME: 1, EXISTS: 2, NOENT: 3, PERMS: 4, DESTROYACT: 5, DESTROYMNT: 6,
  BADPATH: 7, PATHBUSY: 8, PATHLEN: 9, BADMOUNT: 10, NOORIGIN: 11, MOUNTED: 12, NOMOUNT: 13,
  ZFSOPEN: 14, ZFSCLONE: 15, IO: 16, NOPOOL: 17, NOMEM: 18, UNKNOWN: 19, INVORIGIN: 20, HASCLONES: 21,
};
const DESCRIPTION = [
  '', 'invalid boot environment name', 'boot environment name already taken',
  'specified boot environment does not exist', 'insufficient permissions',
  'cannot destroy active boot environment', 'cannot destroy mounted boot env unless forced',
  'path not suitable for operation', 'specified path is busy',
  'provided path name exceeds maximum length limit', 'mountpoint is not "/"',
  "could not open snapshot's origin", 'boot environment is already mounted',
  'boot environment is not mounted', 'calling zfs_open() failed',
  'error when calling zfs_clone() to create boot env', 'input/output error',
  'operation not supported on this pool', 'insufficient memory', 'unknown error', 'invalid origin',
  'snapshot has clones',
];

// The full usage text. §3 lists the lines bectl 14.x prints and elides export/import/jail
// with "..."; those three come from sbin/bectl/bectl.c's usage() with the same [-r beroot] prefix.
const USAGE = [
  'Usage:\tbectl {-h | subcommand [args...]}',
  '\tbectl [-r beroot] activate [-t] beName',
  '\tbectl [-r beroot] activate [-T]',
  '\tbectl [-r beroot] check',
  '\tbectl [-r beroot] create [-r] [-e {nonActiveBe | beName@snapshot}] beName',
  '\tbectl [-r beroot] create [-r] beName@snapshot',
  '\tbectl [-r beroot] destroy [-Fo] {beName | beName@snapshot}',
  '\tbectl [-r beroot] export sourceBe',
  '\tbectl [-r beroot] import targetBe',
  '\tbectl [-r beroot] jail [-bU] [{-o key=value | -u key}]... beName',
  '\t      [utility [argument ...]]',
  '\tbectl [-r beroot] list [-aDHs] [{-c property | -C property}]',
  '\tbectl [-r beroot] mount beName [mountpoint]',
  '\tbectl [-r beroot] rename origBeName newBeName',
  '\tbectl [-r beroot] {ujail | unjail} {jailID | jailName | beName}',
  '\tbectl [-r beroot] {umount | unmount} [-f] beName',
].join('\n') + '\n';

const EX_USAGE = 64;
const KNOWN = ['activate', 'create', 'destroy', 'export', 'import', 'jail', 'list', 'mount', 'rename', 'unjail', 'unmount', 'check'];
const MAXNAMELEN = 256; // ZFS_MAX_DATASET_NAME_LEN: a dataset's full name stays below it

// ------------------------------------------------------------------ state

function statePath(t) {
  return path.join(t.stateDir(), 'state.json');
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function loadState(t) {
  try {
    return JSON.parse(fs.readFileSync(statePath(t), 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  // A fresh install: one BE, booted and chosen for reboot (NR). The clock is the host's.
  const st = {
    root: 'zroot/ROOT',
    booted: 'default',
    bootfs: 'default',
    bootonce: null,
    bes: { default: { mountpoint: '/', used: 13314398618, creation: nowSeconds(), origin: null, snapshots: {} } },
  };
  saveState(t, st);
  return st;
}

function saveState(t, st) {
  const file = statePath(t);
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(st, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

// ------------------------------------------------------------------ formats

// zfs_nicenum(): 1024-based, exact values without decimals, else the most precise of
// %.2f/%.1f/%.0f that fits in 5 characters ("1.52G", "8.80M", "432K", "0").
function nicenum(num) {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let n = num;
  let index = 0;
  while (n >= 1024 && index < units.length - 1) {
    n = Math.floor(n / 1024);
    index++;
  }
  if (index === 0) return String(num);
  const div = Math.pow(1024, index);
  if (num % div === 0) return `${n}${units[index]}`;
  let s = '';
  for (let i = 2; i >= 0; i--) {
    s = `${(num / div).toFixed(i)}${units[index]}`;
    if (s.length <= 5) break;
  }
  return s;
}

const pad2 = (n) => String(n).padStart(2, '0');

// strftime("%Y-%m-%d %H:%M", localtime()) — bectl_list.c print_info
function created(epoch) {
  const d = new Date(epoch * 1000);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

// strftime("@%F-%T") + "-serial" — libbe be_setup_snapshot_name
function autoSnapshotName(be) {
  const d = new Date();
  const base = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}-${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  for (let serial = 0; ; serial++) {
    const name = `${base}-${serial}`;
    if (!be.snapshots[name]) return name;
  }
}

const AUTO_SNAPSHOT = /^\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2}(-\d+)?$/;

// ------------------------------------------------------------------ validation

// be_validate_name(): the whole dataset name must fit, and the name must be a valid ZFS
// dataset name. A '/' makes be_root_concat() treat it as a full path under the BE root.
function validateName(st, name) {
  if (st.root.length + 1 + name.length > MAXNAMELEN) return E.PATHLEN;
  if (name.includes('/')) return name.startsWith(`${st.root}/`) ? validateName(st, name.slice(st.root.length + 1)) : E.INVALIDNAME;
  if (!isZfsComponent(name)) return E.INVALIDNAME;
  return E.SUCCESS;
}

// zfs_name_valid() for one component: letters, digits, - _ . : and space; not "." or "..".
function isZfsComponent(s) {
  return s !== '' && s !== '.' && s !== '..' && /^[A-Za-z0-9_.: -]+$/.test(s);
}

// A full "zroot/ROOT/NAME" argument is accepted for a BE name, as be_root_concat() does.
function short(st, name) {
  return name.startsWith(`${st.root}/`) ? name.slice(st.root.length + 1) : name;
}

// ------------------------------------------------------------------ main

sim.main('bectl', (argv, t) => {
  const p = t.profile();
  const legacy = p.bectlWording === 'legacy';
  // §8: older releases print "failed to …" in lower case.
  const failed = (s) => (legacy ? s.replace(/^Failed/, 'failed') : s);
  const usage = (explicit) => {
    if (explicit) {
      t.out(USAGE);
      return 0;
    }
    t.err(USAGE);
    return EX_USAGE;
  };
  // libbe_print_on_error: the description line first, then the caller's own line.
  const libbeError = (code) => {
    t.err(`${DESCRIPTION[code]}\n`);
    return code;
  };
  const notSimulated = (what) => {
    t.err(`bectl: ${what} is not simulated\n`);
    return 70;
  };

  if (argv.length < 1) return usage(false);
  let root = null;
  let args = argv;
  if (args[0] === '-r') {
    if (args.length < 3) return usage(false);
    root = args[1];
    args = args.slice(2);
  }
  let command = args[0];
  if (command === 'umount') command = 'unmount';
  if (command === 'ujail') command = 'unjail';
  if (command === '-?' || command === '-h') return usage(true);
  if (!KNOWN.includes(command)) {
    t.err(`Unknown command: ${command}\n`);
    return usage(false);
  }

  // libbe_init(): without a ZFS root (or with a BE root that is not there) it returns NULL;
  // main() prints this (not for the silent `check`) and returns -1, i.e. exit status 255.
  const st = p.zfsRoot === false ? null : loadState(t);
  if (!st || (root !== null && root !== st.root)) {
    if (command !== 'check') t.err(`libbe_init("${root ?? ''}") failed.\n`);
    return 255;
  }

  const rest = args.slice(1);
  switch (command) {
    case 'check':
      if (rest.length !== 0) {
        t.err('bectl check: wrong number of arguments\n');
        return usage(false);
      }
      return 0;
    case 'list':
      return list(rest);
    case 'create':
      return create(rest);
    case 'activate':
      return activate(rest);
    case 'destroy':
      return destroy(rest);
    case 'rename':
      return rename(rest);
    default:
      return notSimulated(`bectl ${command}`);
  }

  // Each subcommand reports an unknown option both through getopt(3) and in its own words.
  function options(sub, rest, optstring) {
    const g = t.getopt(rest, optstring);
    if (g.error) {
      const a = rest.find((x) => x.startsWith('-') && x !== '-' && x !== '--') || '-?';
      const bad = [...a.slice(1)].find((c) => !optstring.includes(c)) || '?';
      t.err(`bectl ${sub}: unknown option '-${bad}'\n`);
      return null;
    }
    return g;
  }

  // ---------------------------------------------------------------- list
  function list(rest) {
    const g = options('list', rest, 'aDHsc:C:');
    if (!g) return usage(false);
    let script = false;
    let column = 'name';
    let reverse = false;
    for (const o of g.opts) {
      if (o.opt === 'H') script = true;
      else if (o.opt === 'a' || o.opt === 's') return notSimulated(`bectl list -${o.opt}`);
      else if (o.opt === 'c' || o.opt === 'C') {
        column = o.arg;
        reverse = o.opt === 'C';
      }
    }
    if (g.rest.length !== 0) {
      t.err('bectl list: extra argument provided\n');
      return usage(false);
    }
    const rows = Object.entries(st.bes).map(([name, be]) => {
      let active = '';
      if (st.booted === name) active += 'N';
      if (st.bootfs === name) active += 'R';
      if (st.bootonce === name) active += 'T';
      // Space: the BE's own "used" plus its origin snapshot's (no -a/-s).
      let used = be.used;
      const o = originOf(be);
      if (o) used += o.snap.used || 0;
      return { name, active: active || '-', mountpoint: be.mountpoint || '-', space: nicenum(used), used, creation: be.creation, origin: be.origin || '' };
    });
    // prop_list_sort: numeric for creation/used*, strcmp for name/origin; other keys keep name order.
    const numeric = ['creation', 'used', 'usedds', 'usedsnap', 'usedrefreserv'];
    rows.sort((a, b) => {
      let c;
      if (numeric.includes(column)) c = column === 'creation' ? a.creation - b.creation : a.used - b.used;
      else if (column === 'origin') c = a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0;
      else c = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      if (c === 0) c = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      return reverse ? -c : c;
    });
    let out = '';
    if (script) {
      for (const r of rows) out += [r.name, r.active, r.mountpoint, r.space, created(r.creation)].join('\t') + '\n';
    } else {
      // print_headers/print_padding: each field is padded to its column and followed by one space.
      const beCol = Math.max(2, ...rows.map((r) => r.name.length));
      const mountCol = Math.max(10, ...rows.filter((r) => r.mountpoint !== '-').map((r) => r.mountpoint.length));
      out += `${'BE'.padEnd(beCol)} Active ${'Mountpoint'.padEnd(mountCol)} Space Created\n`;
      for (const r of rows) {
        out += `${r.name.padEnd(beCol)} ${r.active.padEnd(6)} ${r.mountpoint.padEnd(mountCol)} ${r.space.padEnd(5)} ${created(r.creation)}\n`;
      }
    }
    t.out(out);
    return 0;
  }

  function originOf(be) {
    if (!be.origin) return null;
    const [src, snap] = be.origin.split('@');
    const s = st.bes[src];
    return s && s.snapshots[snap] ? { be: s, snap: s.snapshots[snap], src, name: snap } : null;
  }

  // ---------------------------------------------------------------- create
  function create(rest) {
    const g = options('create', rest, 'e:r');
    if (!g) return usage(false);
    let source = null;
    for (const o of g.opts) if (o.opt === 'e') source = o.arg;
    if (g.rest.length !== 1) {
      t.err('bectl create: wrong number of arguments\n');
      return usage(false);
    }
    const target = g.rest[0];
    const at = target.indexOf('@');
    if (at >= 0) {
      // The snapshot form: no BE is created.
      const be = target.slice(0, at);
      const snap = target.slice(at + 1);
      const err = snapshot(short(st, be), snap);
      if (err) {
        t.err(failed(`Failed to create a snapshot '${snap}' of '${be}'`) + '\n');
        return err;
      }
      saveState(t, st);
      return 0;
    }
    // PR 254441 / bectl_test.sh: a BE whose name has a space is not bootable.
    if (target.includes(' ')) {
      t.err('bectl create: boot environment name must not contain spaces\n');
      return E.INVALIDNAME;
    }
    let err;
    let origin;
    if (source === null) {
      // snapshot the booted BE (auto-named), then clone it
      const r = autoSnapshot(st.booted);
      err = r.err;
      origin = r.origin;
    } else if (source.includes('@')) {
      const [src, snap] = [short(st, source.slice(0, source.indexOf('@'))), source.slice(source.indexOf('@') + 1)];
      if (!isZfsComponent(snap) || !isZfsComponent(src)) err = libbeError(E.INVALIDNAME);
      else if (!st.bes[src] || !st.bes[src].snapshots[snap]) err = libbeError(E.NOENT);
      else origin = `${src}@${snap}`;
    } else {
      const r = autoSnapshot(short(st, source));
      err = r.err;
      origin = r.origin;
    }
    if (!err) {
      const name = short(st, target);
      const v = validateName(st, target);
      if (v) err = libbeError(v);
      else if (st.bes[name]) err = libbeError(E.EXISTS);
      else {
        // a fresh clone uses next to nothing of its own
        st.bes[name] = { mountpoint: null, used: 8192, creation: nowSeconds(), origin, snapshots: {} };
      }
    }
    // The auto snapshot stays even when the clone fails, as in libbe.
    saveState(t, st);
    if (err) {
      if (source === null) t.err(failed(`Failed to create bootenv ${target}`) + '\n');
      else t.err(failed(`Failed to create bootenv ${target} from snapshot ${source}`) + '\n');
      return err;
    }
    return 0;
  }

  function autoSnapshot(src) {
    const be = st.bes[src];
    if (!be) return { err: libbeError(E.NOENT) };
    const snap = autoSnapshotName(be);
    be.snapshots[snap] = { creation: nowSeconds(), used: 0, auto: true };
    return { err: 0, origin: `${src}@${snap}` };
  }

  function snapshot(src, snap) {
    const be = st.bes[src];
    if (!be) return libbeError(E.NOENT);
    if (!isZfsComponent(snap) || snap.includes(' ')) return libbeError(E.INVALIDNAME);
    // zfs_snapshot() on an existing snapshot is EZFS_EXISTS, which be_snapshot() maps to UNKNOWN.
    if (be.snapshots[snap]) return libbeError(E.UNKNOWN);
    be.snapshots[snap] = { creation: nowSeconds(), used: 0, auto: false };
    return 0;
  }

  // ---------------------------------------------------------------- activate
  function activate(rest) {
    // getopt "tT": -t after -T (or -T after -t) is a usage error
    const g = options('activate', rest, 'tT');
    if (!g) return usage(false);
    let temp = false;
    let reset = false;
    for (const o of g.opts) {
      if (o.opt === 't') {
        if (reset) return usage(false);
        temp = true;
      } else {
        if (temp) return usage(false);
        reset = true;
      }
    }
    const n = g.rest.length;
    if (n !== 1 && (!reset || n !== 0)) {
      t.err('bectl activate: wrong number of arguments\n');
      return usage(false);
    }
    if (reset) {
      st.bootonce = null;
      saveState(t, st);
      t.out('Temporary activation removed\n');
      return 0;
    }
    const arg = g.rest[0];
    const name = short(st, arg);
    if (!st.bes[name]) {
      libbeError(E.NOENT);
      t.out(`Did not successfully activate boot environment ${arg}\n`);
      return E.NOENT;
    }
    if (temp) st.bootonce = name;
    else st.bootfs = name;
    saveState(t, st);
    t.out(`Successfully activated boot environment ${arg}${temp ? ' for next boot' : ''}\n`);
    return 0;
  }

  // ---------------------------------------------------------------- destroy
  function destroy(rest) {
    const g = options('destroy', rest, 'Fo');
    if (!g) return usage(false);
    let force = false;
    let withOrigin = false;
    for (const o of g.opts) {
      if (o.opt === 'F') force = true;
      else withOrigin = true;
    }
    if (g.rest.length !== 1) {
      t.err('bectl destroy: wrong number of arguments\n');
      return usage(false);
    }
    const target = g.rest[0];
    const at = target.indexOf('@');
    if (at >= 0) {
      const src = short(st, target.slice(0, at));
      const snap = target.slice(at + 1);
      if (!st.bes[src] || !st.bes[src].snapshots[snap]) return libbeError(E.NOENT);
      const origin = `${src}@${snap}`;
      if (Object.values(st.bes).some((b) => b.origin === origin)) return libbeError(E.HASCLONES);
      delete st.bes[src].snapshots[snap];
      saveState(t, st);
      return 0;
    }
    const name = short(st, target);
    const be = st.bes[name];
    // The notice comes before be_destroy() runs, so it also shows when the destroy then fails.
    if (be && !withOrigin && be.origin && !AUTO_SNAPSHOT.test(be.origin.split('@')[1])) {
      t.err(`bectl destroy: leaving origin '${st.root}/${be.origin}' intact\n`);
    }
    if (!be) return libbeError(E.NOENT);
    if (st.booted === name || st.bootfs === name) return libbeError(E.DESTROYACT);
    if (be.mountpoint && !force) return libbeError(E.DESTROYMNT);
    if (Object.values(be.snapshots).length > 0 && Object.keys(be.snapshots).some((s) => Object.values(st.bes).some((b) => b.origin === `${name}@${s}`))) {
      // another BE is a clone of one of this BE's snapshots: zfs destroy fails with EBUSY
      return libbeError(E.DESTROYMNT);
    }
    delete st.bes[name];
    // -o removes the origin snapshot; without it an auto-named origin goes too (BE_DESTROY_AUTOORIGIN).
    const o = be.origin ? be.origin.split('@') : null;
    if (o && st.bes[o[0]] && (withOrigin || AUTO_SNAPSHOT.test(o[1]))) {
      const stillUsed = Object.values(st.bes).some((b) => b.origin === be.origin);
      if (!stillUsed) delete st.bes[o[0]].snapshots[o[1]];
    }
    saveState(t, st);
    return 0;
  }

  // ---------------------------------------------------------------- rename
  function rename(rest) {
    if (rest.length < 2) {
      t.err('bectl rename: missing argument\n');
      return usage(false);
    }
    if (rest.length > 2) {
      t.err('bectl rename: too many arguments\n');
      return usage(false);
    }
    const [oldArg, newArg] = rest;
    const from = short(st, oldArg);
    const to = short(st, newArg);
    const fail = (code) => {
      libbeError(code);
      t.err(failed(`Failed to rename bootenv ${oldArg} to ${newArg}`) + '\n');
      return code;
    };
    const v = validateName(st, newArg);
    if (v) return fail(v);
    if (!st.bes[from]) return fail(E.NOENT);
    if (st.bes[to]) return fail(E.EXISTS);
    // zfs_rename with nounmount: the BE keeps its mount and its activation flags
    st.bes[to] = st.bes[from];
    delete st.bes[from];
    for (const b of Object.values(st.bes)) {
      if (b.origin && b.origin.startsWith(`${from}@`)) b.origin = `${to}${b.origin.slice(from.length)}`;
    }
    for (const k of ['booted', 'bootfs', 'bootonce']) if (st[k] === from) st[k] = to;
    saveState(t, st);
    return 0;
  }
});
