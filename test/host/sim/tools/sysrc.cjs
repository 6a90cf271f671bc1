#!/usr/bin/env node
'use strict';
// sysrc(8) — follows commands.md §4 (FreeBSD sysrc 6.3 + sysrc.subr).
//
// Reads work like the real script: /bin/sh sources RC_DEFAULTS
// (/etc/defaults/rc.conf) and then source_rc_confs over rc_conf_files (or the
// -f files / $RC_CONFS), and the values are taken from the resulting shell.
// Writes follow f_sysrc_set / f_sysrc_delete:
//   * not found in rc_conf_files (or only in the defaults): NAME="value" is
//     appended to the FIRST file (a newline is added first when the file does
//     not end with one);
//   * otherwise only the LAST assignment in the last file holding it is
//     rewritten, keeping its quoting style ('…' stays, "…" stays, unquoted
//     becomes "…") and whatever follows the value on that line;
//   * an assignment whose value starts with ` $ or \ is left alone and a new
//     NAME="value" line is appended to that file instead;
//   * the new text goes to a mktemp file (/tmp/sysrc.XXXXXXXX) given the
//     original mode and owner, is checked with `sh -n`, then moved over the
//     original (a new inode).
// Output formats, exit codes and messages are listed next to the code.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const sim = require('../lib/sim.cjs');
const jails = require('../lib/jails.cjs');

const pgm = 'sysrc';
const VERSION = '6.3 Mar-4,2015';
const SH_ENV = { PATH: '/sbin:/bin:/usr/sbin:/usr/bin' };

// ---------------------------------------------------------------- evaluation

// One /bin/sh run that sources the rc.conf files and dumps every variable as
// NAME\0VALUE\0.  mode: "get" (f_sysrc_get), "all" (-A), "nondefault" (-a).
const EVAL_SCRIPT = `
__sim_def=$1 __sim_confs_set=$2 __sim_confs=$3 __sim_mode=$4 __sim_root=$5
set --
[ -f "$__sim_root$__sim_def" ] && [ -r "$__sim_root$__sim_def" ] || exit 3
. "$__sim_root$__sim_def" >/dev/null 2>&1
if [ -n "$__sim_root" ]; then
	source_rc_confs() {
		local i sourced_files
		for i in \${rc_conf_files}; do
			case \${sourced_files} in
			*:$i:*) ;;
			*) sourced_files="\${sourced_files}:$i:"
			   [ -r "$__sim_root$i" ] && . "$__sim_root$i" ;;
			esac
		done
	}
fi
__sim_rcf=$rc_conf_files
__sim_names() {
	set | awk -F= '/^[[:alpha:]_][[:alnum:]_]*=/ {print $1}'
}
if [ "$__sim_mode" = nondefault ]; then
	for __sim_n in $(__sim_names); do
		case $__sim_n in
		rc_conf_files|__sim_*|IFS|PATH|OPTIND|PPID|PS1|PS2|PS4|PWD) continue ;;
		esac
		unset "$__sim_n" 2>/dev/null
	done
fi
[ "$__sim_confs_set" = 1 ] && rc_conf_files=$__sim_confs
source_rc_confs >/dev/null 2>&1
if [ "$__sim_mode" = get ] && [ "$__sim_confs_set" = 1 ] && [ "$rc_conf_files" = "$__sim_confs" ]; then
	rc_conf_files=$__sim_rcf
fi
for __sim_n in $(__sim_names); do
	case $__sim_n in
	__sim_*|IFS|PATH|OPTIND|PPID|PS1|PS2|PS4|PWD) continue ;;
	esac
	eval "[ \\"\\\${$__sim_n+set}\\" ] && printf '%s\\\\0%s\\\\0' \\"\\$__sim_n\\" \\"\\\${$__sim_n}\\""
done
exit 0
`;

class Sysrc {
  constructor(t, opts) {
    this.t = t;
    this.o = opts;
    this.root = opts.root || '';
    this.cache = null;
  }

  real(p) {
    return this.root + p;
  }

  evaluate(mode) {
    const o = this.o;
    const r = this.t.sh(EVAL_SCRIPT, {
      args: [o.rcDefaults, o.rcConfs === undefined ? '0' : '1', o.rcConfs || '', mode, this.root],
      env: SH_ENV,
      captureStderr: true,
    });
    const vars = new Map();
    if (r.status !== 0) return vars;
    const parts = r.stdout.toString('latin1').split('\0');
    for (let i = 0; i + 1 < parts.length; i += 2) vars.set(parts[i], Buffer.from(parts[i + 1], 'latin1').toString());
    return vars;
  }

  vars() {
    if (!this.cache) this.cache = this.evaluate('get');
    return this.cache;
  }

  changed() {
    this.cache = null;
  }

  // f_sysrc_get NAME (value, '' when unset)
  get(name) {
    const v = this.vars().get(name);
    return v === undefined ? '' : v;
  }

  // f_sysrc_get "NAME?" succeeds
  isSet(name) {
    if (/^[0-9]/.test(name) || name === '') return false;
    return this.vars().has(name);
  }

  words(s) {
    return s.split(/[ \t\n]+/).filter(Boolean);
  }

  // the files f_sysrc_find/f_sysrc_set/f_sysrc_delete operate on
  confFiles() {
    return this.o.rcConfs ? this.words(this.o.rcConfs) : this.words(this.get('rc_conf_files'));
  }

  // f_sysrc_find NAME: the file holding the effective last assignment — the
  // last of the conf files (searched in reverse) with a matching line, else
  // the defaults file; '' when nowhere.
  find(name) {
    const re = new RegExp(`^[ \\t\\n\\v\\f\\r]*${escapeRe(name)}=`, 'm');
    const files = this.confFiles().reverse();
    files.push(this.o.rcDefaults);
    for (const f of files) {
      try {
        if (!fs.statSync(this.real(f)).isFile()) continue;
        if (re.test(fs.readFileSync(this.real(f), 'latin1'))) return f;
      } catch {
        /* unreadable: skip */
      }
    }
    return '';
  }

  // f_sysrc_desc NAME: the comment after the assignment in the defaults file,
  // joined with following comment-only continuation lines.
  describe(name) {
    let text;
    try {
      text = fs.readFileSync(this.real(this.o.rcDefaults), 'latin1');
    } catch {
      return '';
    }
    const re = new RegExp(`^[ \\t]*${escapeRe(name)}=`);
    const lines = text.split('\n');
    let buf = null;
    for (const line of lines) {
      if (buf === null) {
        if (!re.test(line)) continue;
        buf = line.replace(/^[^#]*(#[ \t]*)?/, '');
        continue;
      }
      if (!/^[ \t]*#/.test(line) || /^[ \t]*[A-Za-z_][A-Za-z0-9_]*=/.test(line) ||
          /^[ \t]*#[A-Za-z_][A-Za-z0-9_]*=/.test(line) || /^[ \t]*$/.test(line)) break;
      buf += ' ' + line.replace(/^(.*#)*[ \t]*/, '');
    }
    return (buf || '').trim();
  }

  shCheck(file) {
    const r = spawnSync('/bin/sh', ['-n', file], { stdio: ['ignore', 'inherit', 'inherit'] });
    return r.status === 0;
  }

  // mktemp -t sysrc; chmod/chown like the original; write; sh -n; mv
  replaceFile(displayFile, content, writableCheckMsg) {
    const target = this.real(displayFile);
    let st;
    try {
      st = fs.statSync(target);
    } catch {
      st = null;
    }
    const tmp = `/tmp/${pgm}.${crypto.randomBytes(6).toString('base64').replace(/[+/=]/g, 'x').slice(0, 8)}`;
    fs.writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
    try {
      fs.chmodSync(tmp, st ? st.mode & 0o7777 : 0o644);
      if (st) fs.chownSync(tmp, st.uid, st.gid);
    } catch {
      /* f_quietly */
    }
    if (!this.shCheck(tmp)) {
      this.t.warnx(`Not overwriting '${displayFile}' due to previous syntax errors`);
      fs.rmSync(tmp, { force: true });
      return false;
    }
    if (writableCheckMsg && !writable(target)) {
      this.t.warnx(writableCheckMsg);
      fs.rmSync(tmp, { force: true });
      return false;
    }
    moveOver(tmp, target, st);
    this.changed();
    return true;
  }

  // f_sysrc_set NAME VALUE
  set(name, value) {
    let file = this.find(name);
    if (file === this.o.rcDefaults || !file) {
      file = this.o.rcConfs ? this.words(this.o.rcConfs)[0] : this.words(this.get('rc_conf_files'))[0];
      if (!file) return false;
      // echo "$varname=\"$new_value\"" >> "$file"
      const target = this.real(file);
      try {
        let prefix = '';
        try {
          const cur = fs.readFileSync(target);
          if (cur.length > 0 && cur[cur.length - 1] !== 0x0a) prefix = '\n';
        } catch {
          /* new file */
        }
        fs.appendFileSync(target, `${prefix}${name}="${value}"\n`, { mode: 0o644 });
      } catch (e) {
        this.t.warnx(`cannot create ${file}: ${errnoText(e)}`);
        return false;
      }
      this.changed();
      return true;
    }
    const target = this.real(file);
    if (!writable(target)) {
      this.t.warnx(`cannot create ${file}: Permission denied`);
      return false;
    }
    const text = fs.readFileSync(target, 'latin1');
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const re = new RegExp(`^[ \\t\\n\\v\\f\\r]*${escapeRe(name)}=`);
    const newValue = Buffer.from(awkEscapes(value)).toString('latin1');
    let appendNew = false;
    for (let i = lines.length - 1; i >= 0; i--) {
      const m = re.exec(lines[i]);
      if (!m) continue;
      const head = lines[i].slice(0, m[0].length);
      let rest = lines[i].slice(m[0].length);
      let t1 = rest.slice(0, 1);
      let t2 = t1;
      if (/[`$\\]/.test(t1)) {
        // backticks, expressions...: not ours to edit
        appendNew = true;
        break;
      } else if (t1 === "'") {
        rest = rest.replace(/^'[^']*/, '');
        if (rest.length === 0) t2 = '';
        rest = rest.replace(/^'/, '');
      } else if (t1 === '"') {
        rest = rest.replace(/^"(.*\\\\+")*[^"]*/, '');
        if (rest.length === 0) t2 = '';
        rest = rest.replace(/^"/, '');
      } else if (/[^ \t\n\v\f\r;]/.test(t1)) {
        t1 = t2 = '"';
        rest = rest.replace(/^[^ \t\n\v\f\r]*/, '');
      } else if (/[ \t\n\v\f\r;]/.test(t1)) {
        t1 = t2 = '"';
      }
      lines[i] = head + t1 + newValue + t2 + rest;
      break;
    }
    // `tail -r | awk | tail -r` through $(...) drops blank lines at the top
    while (lines.length > 0 && lines[0] === '') lines.shift();
    let out = lines.join('\n') + '\n';
    if (appendNew) out += `${name}="${newValue}"\n`;
    return this.replaceFile(file, Buffer.from(out, 'latin1'));
  }

  // f_sysrc_delete NAME: remove every assignment from every conf file
  del(name) {
    const re = new RegExp(`^[ \\t\\n\\v\\f\\r]*${escapeRe(name)}=`);
    const files = this.o.rcConfs ? this.words(this.o.rcConfs) : this.words(this.get('rc_conf_files'));
    for (const file of files) {
      const target = this.real(file);
      if (!fs.existsSync(target)) continue;
      const text = fs.readFileSync(target, 'latin1');
      const lines = text.split('\n');
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      const kept = lines.filter((l) => !re.test(l));
      if (kept.length === lines.length) continue; // no assignment in this file
      const out = kept.length ? kept.join('\n') + '\n' : '';
      if (!this.replaceFile(file, Buffer.from(out, 'latin1'), `${file}: Permission denied`)) return false;
    }
    return true;
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// awk -v var=value processes escape sequences in value
function awkEscapes(s) {
  const map = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' };
  return s.replace(/\\([0-7]{1,3}|.)/g, (all, c) => {
    if (/^[0-7]+$/.test(c)) return String.fromCharCode(parseInt(c, 8));
    return c in map ? map[c] : all;
  });
}

function writable(p) {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function errnoText(e) {
  return ({
    EACCES: 'Permission denied', EPERM: 'Operation not permitted', EROFS: 'Read-only file system',
    ENOENT: 'No such file or directory', EISDIR: 'Is a directory', ENOTDIR: 'Not a directory',
  })[e.code] || e.message;
}

// mv(1): rename, or across file systems copy next to the target and rename
// over it, so the target always ends up a new inode.
function moveOver(tmp, target, st) {
  try {
    fs.renameSync(tmp, target);
    return;
  } catch (e) {
    if (e.code !== 'EXDEV') throw e;
  }
  const side = path.join(path.dirname(target), `.${path.basename(tmp)}`);
  fs.copyFileSync(tmp, side);
  try {
    fs.chmodSync(side, st ? st.mode & 0o7777 : 0o644);
    if (st) fs.chownSync(side, st.uid, st.gid);
  } catch {
    /* ignore */
  }
  fs.renameSync(side, target);
  fs.rmSync(tmp, { force: true });
}

function help(t) {
  const o = (flag, text) => t.err(`\t${flag.padEnd(11)}${text}\n`);
  t.err(`Usage: ${pgm} [OPTIONS] name[[+|-]=value] ...\n`);
  t.err('OPTIONS:\n');
  o('-a', 'Dump a list of all non-default configuration variables.');
  o('-A', 'Dump a list of all configuration variables (incl. defaults).');
  o('-c', 'Check. Return success if set or no changes, else error.');
  o('-d', 'Print a description of the given variable.');
  o('-D', 'Show default value(s) only (same as a NULL `-f\' file).');
  o('-e', 'Print query results as `var=value\'. Ignored with `-n\'.');
  o('-f file', 'Operate on the specified file(s) instead of rc_conf_files.');
  o('', 'Can be specified multiple times for additional files.');
  o('-F', 'Show only the last rc.conf(5) file each directive is in.');
  o('-h', 'Print a short usage statement to stderr and exit.');
  o('--help', 'Print this message to stderr and exit.');
  o('-i', 'Ignore unknown variables.');
  o('-j jail', 'The jid or name of the jail to operate within.');
  o('-n', 'Show only variable values, not their names.');
  o('-N', 'Show only variable names, not their values.');
  o('-q', 'Quiet. Disable verbose and hide certain errors.');
  o('-R dir', 'Operate within the root directory `dir\' rather than `/\'.');
  o('-v', 'Verbose. Print the pathname of the rc.conf(5) file holding it.');
  o('--version', 'Print version information to stdout and exit.');
  o('-x', 'Remove variable(s) from specified file(s).');
  t.err('\nENVIRONMENT:\n');
  t.err(`\t${'RC_CONFS'.padEnd(17)}Override default rc_conf_files (even if set to NULL).\n`);
  t.err(`\t${'RC_DEFAULTS'.padEnd(17)}Location of \`/etc/defaults/rc.conf' file.\n`);
  throw t.exit(1);
}

sim.main(pgm, (argv, t) => {
  const usage = () => {
    t.err(`Usage: ${pgm} [OPTIONS] name[[+|-]=value] ...\n`);
    t.err(`Try \`${pgm} --help' for more information.\n`);
    throw t.exit(1);
  };
  if (argv.length === 0) usage();

  // --help / --version anywhere (skipping the arguments of -f -R -j)
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--help') help(t);
    if (argv[i] === '--version') {
      t.out(VERSION + '\n');
      return 1; // sic: exits 1
    }
    if (argv[i] === '-f' || argv[i] === '-R' || argv[i] === '-j') i++;
  }

  const o = {
    rcDefaults: process.env.RC_DEFAULTS || '/etc/defaults/rc.conf',
    rcConfs: process.env.RC_CONFS, // undefined = not set
    showAll: 0, check: false, describe: false, equals: false, showFile: false,
    ignore: false, jail: '', root: '', showName: true, showValue: true,
    quiet: false, verbose: false, del: 0,
  };
  const g = t.getopt(argv, 'aAcdDef:Fhij:nNqR:vxX', { shell: true });
  if (g.error) usage();
  for (const { opt, arg } of g.opts) {
    switch (opt) {
      case 'a': o.showAll = o.showAll || 1; break;
      case 'A': o.showAll = 2; break;
      case 'c': o.check = true; break;
      case 'd': o.describe = true; break;
      case 'D': o.rcConfs = ''; break;
      case 'e': o.equals = true; break;
      case 'f': o.rcConfs = `${o.rcConfs || ''}${o.rcConfs ? ' ' : ''}${arg}`; break;
      case 'F': o.showFile = true; break;
      case 'h': usage(); break;
      case 'i': o.ignore = true; break;
      case 'j':
        if (!arg) t.errx(1, 'Missing or null argument to `-j\' flag');
        o.jail = arg;
        break;
      case 'n': o.showName = false; break;
      case 'N': o.showValue = false; break;
      case 'q': o.quiet = true; o.verbose = false; break;
      case 'R':
        if (!arg) t.errx(1, 'Missing or null argument to `-R\' flag');
        o.root = arg;
        break;
      case 'v': o.verbose = true; o.quiet = false; break;
      case 'x': o.del = o.del || 1; break;
      case 'X': o.del = 2; break;
    }
  }
  const args = g.rest;
  if (args.length === 0 && !o.showAll) usage();

  // -j jail / -R dir: operate on another root (jails come from the sim's
  // jail registry; jexec's own error when the jail is unknown)
  if (o.jail) {
    const j = jails.find(o.jail);
    if (!j) {
      t.err(`jexec: jail "${o.jail}" not found\n`);
      return 1;
    }
    o.root = j.path || '';
  }
  o.root = o.root.replace(/\/+$/, '');
  const s = new Sysrc(t, o);

  // Taint-check all rc.conf(5) files
  {
    const r = t.sh(
      `root=$1 confs_set=$2 confs=$3 def=$4
       if [ "$confs_set" = 1 ]; then
         for i in $confs; do [ -e "$root$i" ] || continue; /bin/sh -n "$root$i" || exit 1; done
         exit 0
       fi
       /bin/sh -n "$root$def" || exit 1
       ( . "$root$def" >/dev/null 2>&1
         for i in $rc_conf_files; do [ -e "$root$i" ] || continue; /bin/sh -n "$root$i" || exit 1; done
         exit 0 ) || exit 1`,
      { args: [o.root, o.rcConfs === undefined ? '0' : '1', o.rcConfs || '', o.rcDefaults], env: SH_ENV },
    );
    if (r.status !== 0) t.errx(1, 'Exiting due to previous syntax errors');
  }

  if (o.del && o.showAll && o.del !== 2) {
    t.errx(1, "`-x' option incompatible with `-a'/`-A' options (use `-X' to override)");
  }
  if (o.check && o.showAll) t.errx(1, "`-c' option incompatible with `-a'/`-A' options");

  // -e / -n / -N interplay
  if (o.showFile) o.equals = false;
  if (!o.showName) o.equals = false;
  if (!o.showValue) {
    o.showName = true;
    o.equals = false;
  }
  const SEP = o.equals ? '="' : ': ';
  const Q = o.equals ? '"' : '';

  // -a / -A: every variable, sorted like set(1)
  if (o.showAll) {
    const vars = s.evaluate(o.showAll === 1 ? 'nondefault' : 'all');
    let names = [...vars.keys()];
    if (o.showAll === 1 && s.find('rc_conf_files') === o.rcDefaults) names = names.filter((n) => n !== 'rc_conf_files');
    names.sort();
    for (const name of names) {
      if (o.describe) {
        t.out(`${name}: ${s.describe(name)}\n`);
        continue;
      }
      if (o.showFile) {
        if (o.showName) t.out(`${name}: `);
        const f = s.find(name);
        if (f) t.out(f + '\n');
        continue;
      }
      if (o.del === 2) {
        s.del(name);
        continue;
      }
      if (o.verbose) t.out(`${s.find(name)}: `);
      if (!o.showValue) {
        t.out(name + '\n');
        continue;
      }
      t.out(`${o.showName ? name + SEP : ''}${s.get(name)}${Q}\n`);
    }
    return 0;
  }

  let status = 0;
  for (const arg of args) {
    let name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    let mode = 'ASSIGN';
    if (name.endsWith('+')) {
      mode = 'APPEND';
      name = name.slice(0, -1);
    } else if (name.endsWith('-')) {
      mode = 'REMOVE';
      name = name.slice(0, -1);
    }

    if (o.describe) t.out(`${name}: ${s.describe(name)}\n`);

    if (arg.includes('=')) {
      const value = arg.slice(arg.indexOf('=') + 1);
      // -v: prefix with the file that will be changed
      if (o.verbose && !o.check) {
        let file = s.find(name);
        if (file === o.rcDefaults || !file) file = s.words(s.get('rc_conf_files'))[0] || '';
        t.out(o.equals ? `: ${file}; ` : `${file}: `);
      }
      if (o.del) {
        if (!s.del(name)) status = 1;
        continue;
      }
      // before / new
      let before;
      let next;
      if (mode === 'ASSIGN') {
        before = o.showFile ? s.find(name) : s.get(name);
        next = value;
      } else {
        before = s.get(name);
        next = listEdit(mode, before, value);
        if (o.showFile) before = s.find(name);
      }
      // -c: compare only (silent unless -v)
      if (o.check) {
        if (!s.isSet(name)) {
          status = 1;
          if (o.verbose) t.out(`${name}: not currently set\n`);
          continue;
        }
        const cur = s.get(name);
        if (cur !== next) {
          status = 1;
          if (o.verbose) t.out(`${s.find(name)}: ${name}: would change from \`${cur}' to \`${next}'\n`);
        } else if (o.verbose) {
          t.out(`${s.find(name)}: ${name}: already set to \`${cur}'\n`);
        }
        continue;
      }
      if (!o.showValue) {
        t.out(name + '\n');
        if (!s.set(name, next)) status = 1;
        continue;
      }
      if (s.set(name, next)) {
        const after = o.showFile ? s.find(name) : s.get(name);
        t.out(`${o.showName ? name + SEP : ''}${before}${o.equals ? '" #' : ''} -> ${Q}${after}${Q}\n`);
      } else {
        status = 1;
      }
      continue;
    }

    // query
    if (!s.isSet(name)) {
      // commands.md §4: the message goes to STDOUT; -i/-q hide it; still exit 1
      if (!(o.ignore || o.quiet)) t.out(`${pgm}: unknown variable '${name}'\n`);
      status = 1;
      continue;
    }
    if (o.check) continue;
    if (o.describe) continue;
    if (o.del) {
      if (!s.del(name)) status = 1;
      continue;
    }
    if (o.showFile) {
      if (o.showName) t.out(`${name}: `);
      const f = s.find(name);
      if (f) t.out(f + '\n');
      continue;
    }
    if (o.verbose) t.out(o.equals ? `: ${s.find(name)}; ` : `${s.find(name)}: `);
    if (!o.showValue) t.out(name + '\n');
    else t.out(`${o.showName ? name + SEP : ''}${s.get(name)}${Q}\n`);
  }
  return status;
});

// NAME+=value / NAME-=value.  The first character of the value is the
// delimiter unless it is alphanumeric or whitespace (then " ").  Duplicates
// are not added; empty items collapse.
function listEdit(mode, before, value) {
  let delim = value.slice(0, 1);
  let split;
  if (delim === '' || /[ \t\nA-Za-z0-9]/.test(delim)) {
    delim = ' ';
    split = (x) => x.split(/[ \t\n]+/).filter((w) => w !== '');
  } else {
    const d = delim;
    // sh field splitting on a non-whitespace IFS character: "a::b" → a, "", b
    split = (x) => {
      if (x === '') return [];
      const parts = x.split(d);
      if (parts[parts.length - 1] === '') parts.pop();
      return parts;
    };
  }
  const beforeItems = split(before);
  if (mode === 'APPEND') {
    let next = before;
    for (const a of split(value)) {
      if (!a) continue;
      if (beforeItems.includes(a)) continue;
      next = next + delim + a;
    }
    return next.startsWith(delim) ? next.slice(delim.length) : next;
  }
  const remove = split(value);
  let next = '';
  for (const b of beforeItems) {
    if (!b) continue;
    if (remove.includes(b)) continue;
    next = next + delim + b;
  }
  return next.startsWith(delim) ? next.slice(delim.length) : next;
}
