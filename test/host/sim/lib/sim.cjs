'use strict';
// Shared helpers for the simulated FreeBSD tools.  These run INSIDE a test
// host's bubblewrap view (see test/host/index.ts), where:
//
//   /var/run/freebsd-sim/profile.json   what the host claims to be (FreeBSDProfile)
//   /var/run/freebsd-sim/tools.jsonl    one JSON line per tool invocation
//   /var/run/freebsd-sim/state/<tool>/  a tool's private database folder
//
// A tool module calls `sim.main('name', (argv, t) => exitCode)`; `t` gives it
// output helpers (out/err/warnx/errx/usage) that behave like FreeBSD's err(3)
// family: messages are `prog: message` on stderr.  Throwing `t.exit(code)`
// ends the tool; the invocation is logged with its exit code either way.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const SIM_ROOT = process.env.FREEBSD_SIM_ROOT || '/var/run/freebsd-sim';
const PROFILE = path.join(SIM_ROOT, 'profile.json');
const TOOL_LOG = path.join(SIM_ROOT, 'tools.jsonl');

class Exit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Synchronous write of the whole buffer; copes with non-blocking pipes.
let brokenPipe = false;
function writeAll(fd, data) {
  if (brokenPipe && fd === 1) return;
  let buf = Buffer.isBuffer(data) ? data : Buffer.from(String(data));
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(fd, buf, 0, buf.length);
      buf = buf.subarray(n);
    } catch (e) {
      if (e.code === 'EAGAIN') { sleepMs(2); continue; }
      if (e.code === 'EPIPE') { if (fd === 1) brokenPipe = true; return; }
      throw e;
    }
  }
}

function readProfile() {
  try {
    return JSON.parse(fs.readFileSync(PROFILE, 'utf8'));
  } catch {
    return {
      kernel: '14.1-RELEASE-p5', running: '14.1-RELEASE-p5', userland: '14.1-RELEASE-p6',
      osreldate: 1401000, userreldate: 1401000, machine: 'amd64', hostname: 'localhost',
      pkgVersion: '2.8.4',
    };
  }
}

function writeProfile(p) {
  const tmp = `${PROFILE}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(p, null, 2) + '\n');
  fs.renameSync(tmp, PROFILE);
}

function stateDir(tool) {
  const d = path.join(SIM_ROOT, 'state', tool);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function logInvocation(tool, argv, exitCode) {
  const line = JSON.stringify({ time: new Date().toISOString(), tool, argv, exitCode }) + '\n';
  try { fs.appendFileSync(TOOL_LOG, line); } catch { /* logging must never break a tool */ }
}

// BSD getopt(3): flags may be grouped (-qc), an option argument may be
// attached (-f/etc/x) or the next word; parsing stops at "--" or the first
// non-option word.  Errors are reported the getopt(3) way unless
// `opts.shell` asks for sh(1) getopts wording (used by sh-script tools).
function getopt(t, argv, optstring, opts = {}) {
  const out = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (a.length < 2 || a[0] !== '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const k = optstring.indexOf(c);
      if (c === ':' || k < 0) {
        if (opts.shell) t.err(`Illegal option -${c}\n`);
        else t.warnx(`illegal option -- ${c}`);
        return { error: true, opts: out, rest: argv.slice(i + 1) };
      }
      if (optstring[k + 1] === ':') {
        let arg;
        if (j + 1 < a.length) arg = a.slice(j + 1);
        else if (i + 1 < argv.length) arg = argv[++i];
        else {
          if (opts.shell) t.err(`No arg for -${c} option\n`);
          else t.warnx(`option requires an argument -- ${c}`);
          return { error: true, opts: out, rest: [] };
        }
        out.push({ opt: c, arg });
        break;
      }
      out.push({ opt: c });
    }
  }
  return { error: false, opts: out, rest: argv.slice(i) };
}

// Run a /bin/sh script.  stderr is passed through to ours unless captured.
function sh(script, options = {}) {
  const r = spawnSync('/bin/sh', ['-c', script, ...(options.args ? ['sh', ...options.args] : [])], {
    env: options.env || process.env,
    input: options.input,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', options.captureStderr ? 'pipe' : 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: r.status === null ? 128 + 1 : r.status,
    stdout: r.stdout || Buffer.alloc(0),
    stderr: r.stderr ? r.stderr.toString() : '',
  };
}

function makeTool(name) {
  const t = {
    name,
    profile: readProfile,
    writeProfile,
    stateDir: () => stateDir(name),
    out: (s) => writeAll(1, s),
    err: (s) => writeAll(2, s),
    // warnx(3): "prog: message"
    warnx: (msg) => writeAll(2, `${name}: ${msg}\n`),
    // errx(3): warnx, then exit with code
    errx: (code, msg) => { writeAll(2, `${name}: ${msg}\n`); throw new Exit(code); },
    // usage lines go to stderr, exit 1 (EX_USAGE-style tools pass their own code)
    usage: (lines, code = 1) => {
      writeAll(2, (Array.isArray(lines) ? lines : [lines]).join('\n') + '\n');
      throw new Exit(code);
    },
    exit: (code) => new Exit(code),
    getopt: (argv, optstring, opts) => getopt(t, argv, optstring, opts),
    sh,
  };
  return t;
}

// Entry point for a tool module.
function main(name, fn) {
  const argv = process.argv.slice(2);
  const t = makeTool(name);
  let code = 0;
  try {
    const r = fn(argv, t);
    code = typeof r === 'number' ? r : 0;
  } catch (e) {
    if (e instanceof Exit) code = e.code;
    else {
      writeAll(2, `${name}: internal simulator error: ${e && e.stack ? e.stack : e}\n`);
      code = 70;
    }
  }
  logInvocation(name, argv, code);
  process.exitCode = code;
}

module.exports = { main, makeTool, getopt, sh, readProfile, writeProfile, stateDir, logInvocation, writeAll, Exit, SIM_ROOT };
