#!/usr/bin/env node
'use strict';
// service(8) — commands.md §7.
//   service -e        full path of every ENABLED rc script, one per line, in
//                     rcorder (boot) order: rcorder -s nostart [-s nojail]
//                     /etc/rc.d/* <local scripts>.  "Enabled" = the script has
//                     a ^rcvar line and checkyesno $rcvar is true after loading
//                     /etc/defaults/rc.conf, rc_conf_files (/etc/rc.conf,
//                     /etc/rc.conf.local) and /etc/rc.conf.d/NAME,
//                     /usr/local/etc/rc.conf.d/NAME.  Exit 0.
//   service -r [-v]   the rcorder list (-v adds the Early/Late divider)
//   service -l [-v]   every script in /etc/rc.d and local_startup
//   service -R        restart enabled local_startup services
//   service NAME ACTION
//                     missing script → stdout "NAME does not exist in /etc/rc.d
//                     or the local startup" / "directories (/usr/local/etc/rc.d)",
//                     exit 1.  A script whose rcvar is off answers
//                     "Cannot 'ACTION' NAME. Set NAME_enable to YES in
//                     /etc/rc.conf or use 'oneACTION' instead of 'ACTION'."
//                     (stdout, exit 0, like rc.subr).  Otherwise the action is
//                     only simulated: a per-host running/stopped state is kept
//                     (enabled services count as running at boot).
const fs = require('fs');
const path = require('path');
const sim = require('../lib/sim.cjs');
const { rcorder } = require('../lib/rcorder.cjs');

const RC_D = '/etc/rc.d';

function usage(t) {
  t.out([
    '',
    'Usage:',
    'service [-j <jail name or id>] -e',
    'service [-j <jail name or id>] -R',
    'service [-j <jail name or id>] [-v] -l | -r',
    'service [-j <jail name or id>] [-v] <rc.d script> start|stop|etc.',
    'service -h',
    '',
    '-j\tPerform actions within the named jail',
    '-e\tShow services that are enabled',
    '-R\tStop and start enabled /usr/local/etc/rc.d services',
    '-l\tList all scripts in /etc/rc.d and /usr/local/etc/rc.d',
    '-r\tShow the results of boot time rcorder',
    '-v\tVerbose',
    '',
    '',
  ].join('\n'));
}

const listDir = (dir) => {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return null;
  }
};

const isExec = (f) => {
  try {
    const st = fs.statSync(f);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

// rc.conf values that service.sh reads globally (after load_rc_config 'XXX')
function globals(t) {
  const r = t.sh(
    '. /etc/defaults/rc.conf >/dev/null 2>&1; source_rc_confs >/dev/null 2>&1; ' +
      'printf "%s\\0%s\\0" "$local_startup" "$early_late_divider"',
    { captureStderr: true, env: { PATH: '/sbin:/bin:/usr/sbin:/usr/bin' } },
  );
  const [localStartup = '/usr/local/etc/rc.d', divider = 'FILESYSTEMS'] = r.stdout.toString().split('\0');
  return { localStartup: localStartup.split(/\s+/).filter(Boolean), divider };
}

// find_local_scripts_new: executable files containing "^# PROVIDE:"
function localScripts(localStartup) {
  const out = [];
  for (const dir of localStartup) {
    const names = listDir(dir);
    if (!names) continue;
    for (const n of names) {
      const f = path.join(dir, n);
      if (/\.(sample|pkgsave)$/.test(n)) continue;
      let text;
      try {
        text = fs.readFileSync(f, 'latin1');
      } catch {
        continue;
      }
      if (!/^# PROVIDE:/m.test(text)) continue;
      if (isExec(f)) out.push(f);
    }
  }
  return out;
}

function bootOrder(t, g, profile) {
  const files = (listDir(RC_D) || []).map((n) => path.join(RC_D, n));
  const skip = ['nostart'];
  if (profile.jailed) skip.push('nojail');
  return rcorder([...files, ...localScripts(g.localStartup)], { skip }).order;
}

// For each file with a ^rcvar line: [file, name, rcvar, value], evaluated the
// way service.sh does (eval `grep ^name=`, eval `grep ^rcvar`,
// load_rc_config_var name rcvar).
const RCVAR_SCRIPT = `
. /etc/defaults/rc.conf >/dev/null 2>&1
source_rc_confs >/dev/null 2>&1
for f in "$@"; do
	grep -q '^rcvar' "$f" 2>/dev/null || continue
	(
		eval "$(grep '^name=' "$f")" 2>/dev/null
		eval "$(grep '^rcvar' "$f")" 2>/dev/null
		if [ -n "$rcvar" ]; then
			for _d in /etc $local_startup; do
				_d=\${_d%/rc.d}
				if [ -f "$_d/rc.conf.d/$name" ]; then
					. "$_d/rc.conf.d/$name" >/dev/null 2>&1
				elif [ -d "$_d/rc.conf.d/$name" ]; then
					for _rc in "$_d/rc.conf.d/$name"/*; do
						[ -f "$_rc" ] && . "$_rc" >/dev/null 2>&1
					done
				fi
			done
			eval "_v=\\"\\\${$rcvar}\\""
		else
			_v=
		fi
		printf '%s\\0%s\\0%s\\0%s\\0' "$f" "$name" "$rcvar" "$_v"
	)
done
`;

function rcvars(t, files) {
  if (files.length === 0) return new Map();
  const r = t.sh(RCVAR_SCRIPT, { args: files, captureStderr: true, env: { PATH: '/sbin:/bin:/usr/sbin:/usr/bin' } });
  const parts = r.stdout.toString().split('\0');
  const m = new Map();
  for (let i = 0; i + 3 < parts.length; i += 4) {
    m.set(parts[i], { name: parts[i + 1], rcvar: parts[i + 2], value: parts[i + 3] });
  }
  return m;
}

const yes = (v) => /^(yes|true|on|1)$/i.test(v);

// ---- simulated per-host service state --------------------------------------

function stateFile(t) {
  return path.join(t.stateDir(), 'services.json');
}
function loadState(t) {
  try {
    return JSON.parse(fs.readFileSync(stateFile(t), 'utf8'));
  } catch {
    return {};
  }
}
function saveState(t, s) {
  const f = stateFile(t);
  fs.writeFileSync(`${f}.${process.pid}`, JSON.stringify(s, null, 2) + '\n');
  fs.renameSync(`${f}.${process.pid}`, f);
}

function runScript(t, file, args, verbose) {
  const dir = path.dirname(file);
  const script = path.basename(file);
  if (verbose) t.out(`${script} is located in ${dir}\n`);
  const raw = args[0] || '';
  const m = /^(fast|force|one|quiet)?(.*)$/.exec(raw);
  const prefix = m[1] || '';
  const action = m[2];
  const info = rcvars(t, [file]).get(file);
  const name = (info && info.name) || script;
  const rcvar = info ? info.rcvar : '';
  const enabled = info ? yes(info.value) : true;
  const known = ['start', 'stop', 'restart', 'status', 'reload', 'poll', 'rcvar', 'enable', 'disable', 'delete', 'enabled', 'describe', 'extracommands', 'configtest', 'keygen'];
  if (!known.includes(action)) {
    t.err(`${file}: unknown directive '${raw}'.\n`);
    t.err(`Usage: ${file} [fast|force|one|quiet](start|stop|restart|rcvar|enable|disable|delete|enabled|describe|extracommands|status|poll)\n`);
    return 1;
  }
  const st = loadState(t);
  const cur = st[name] || { running: enabled, pid: 1000 + (name.length * 37) % 9000 };
  const save = () => { st[name] = cur; saveState(t, st); };
  switch (action) {
    case 'rcvar':
      t.out(`# ${name}\n#\n${rcvar ? `${rcvar}="${info.value}"\n#   (default: "")\n` : ''}`);
      return 0;
    case 'enabled':
      return enabled ? 0 : 1;
    case 'describe':
      return 0;
    case 'extracommands':
      t.out('\n');
      return 0;
    case 'enable':
    case 'disable':
    case 'delete': {
      if (!rcvar) return 0;
      const val = action === 'enable' ? 'YES' : 'NO';
      const r = require('child_process').spawnSync('sysrc', ['-q', action === 'delete' ? '-x' : '', action === 'delete' ? rcvar : `${rcvar}=${val}`].filter(Boolean), { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) return 1;
      if (action === 'delete') t.out(`${name} deleted in /etc/rc.conf\n`);
      else t.out(`${name} ${action}d in /etc/rc.conf\n`);
      return 0;
    }
    default:
      break;
  }
  // rc.subr: everything except rcvar/describe (and stop of a running daemon)
  // needs the rcvar on unless prefixed with one/force.
  if (rcvar && !enabled && prefix !== 'one' && prefix !== 'force' && !(action === 'stop' && cur.running)) {
    if (prefix === 'quiet') return 0;
    t.out(`Cannot '${raw}' ${name}. Set ${rcvar} to YES in /etc/rc.conf or use 'one${action}' instead of '${action}'.\n`);
    return 0;
  }
  switch (action) {
    case 'start':
      if (cur.running && prefix !== 'fast') {
        if (prefix !== 'quiet') t.err(`${name} already running? (pid=${cur.pid}).\n`);
        return 1;
      }
      t.out(`Starting ${name}.\n`);
      cur.running = true;
      cur.pid += 1;
      save();
      return 0;
    case 'stop':
      if (!cur.running) {
        t.err(`${name} not running? (check /var/run/${name}.pid).\n`);
        return 1;
      }
      t.out(`Stopping ${name}.\nWaiting for PIDS: ${cur.pid}.\n`);
      cur.running = false;
      save();
      return 0;
    case 'restart':
      if (cur.running) t.out(`Stopping ${name}.\nWaiting for PIDS: ${cur.pid}.\n`);
      else t.err(`${name} not running? (check /var/run/${name}.pid).\n`);
      t.out(`Starting ${name}.\n`);
      cur.running = true;
      cur.pid += 1;
      save();
      return 0;
    case 'status':
    case 'poll':
      if (cur.running) {
        t.out(`${name} is running as pid ${cur.pid}.\n`);
        return 0;
      }
      t.out(`${name} is not running.\n`);
      return 1;
    case 'reload':
      if (!cur.running) {
        t.err(`${name} not running? (check /var/run/${name}.pid).\n`);
        return 1;
      }
      return 0;
    case 'configtest':
      t.out(`Performing sanity check on ${name} configuration.\n`);
      return 0;
    default:
      return 0;
  }
}

sim.main('service', (argv, t) => {
  const g = t.getopt(argv, 'j:ehlrRv', { shell: true });
  if (g.error) {
    usage(t);
    return 1;
  }
  const f = new Set(g.opts.map((o) => o.opt));
  const jail = g.opts.find((o) => o.opt === 'j');
  if (f.has('h')) {
    usage(t);
    return 0;
  }
  if (jail) {
    t.err(`jexec: jail "${jail.arg}" not found\n`);
    return 1;
  }
  const profile = t.profile();
  const verbose = f.has('v');
  const glob = globals(t);

  if (f.has('R')) {
    const files = rcorder(localScripts(glob.localStartup), { skip: ['nostart'] }).order;
    const vars = rcvars(t, files);
    const enabled = files.filter((x) => vars.has(x) && yes(vars.get(x).value));
    for (const x of enabled.slice().reverse()) runScript(t, x, ['stop'], false);
    for (const x of enabled) runScript(t, x, ['start'], false);
    return 0;
  }
  // same precedence as service.sh: -e, then -l, then -r
  if (f.has('e')) {
    const files = bootOrder(t, glob, profile);
    const vars = rcvars(t, files);
    for (const x of files) if (vars.has(x) && yes(vars.get(x).value)) t.out(x + '\n');
    return 0;
  }
  if (f.has('l')) {
    for (const dir of [RC_D, ...glob.localStartup]) {
      if (verbose) t.out(`From ${dir}:\n`);
      const names = listDir(dir);
      if (names) for (const n of names) t.out(n + '\n');
    }
    return 0;
  }
  if (f.has('r')) {
    for (const x of bootOrder(t, glob, profile)) {
      t.out(x + '\n');
      if (verbose && path.basename(x) === glob.divider) t.out('========= Early/Late Divider =========\n');
    }
    return 0;
  }
  if (g.rest.length < 2) {
    usage(t);
    return 1;
  }
  const [script, ...args] = g.rest;
  for (const dir of [RC_D, ...glob.localStartup]) {
    const file = path.join(dir, script);
    if (isExec(file)) return runScript(t, file, args, verbose);
  }
  t.out(`${script} does not exist in /etc/rc.d or the local startup\n`);
  t.out(`directories (${glob.localStartup.join(' ')})\n`);
  return 1;
});
