'use strict';
// Repository configuration as pkg loads it (commands.md §2):
//   * REPOS_DIR search path (default /etc/pkg/ then /usr/local/etc/pkg/repos/), -R or
//     -o REPOS_DIR= override; in each dir the *.conf files not starting with "." and longer
//     than ".conf", in alphabetical (byte) order;
//   * each top-level key is a repo; a non-object value → "Ignoring bad configuration entry";
//     a syntax error → "Error parsing: 'DIR/FILE': <ucl error>" (the file is skipped);
//   * keys without case; a reused name merges (url/enabled/mirror/signature/keys only when
//     given) but priority is reset to 0 unless given; a new name without url is ignored;
//   * afterwards every url needs a scheme in VALID_URL_SCHEME, else pkg refuses to start with
//     "Cannot parse configuration file!".
const fs = require('fs');
const path = require('path');
const ucl = require('./ucl.cjs');

const DEFAULT_DIRS = ['/etc/pkg/', '/usr/local/etc/pkg/repos/'];
const VALID_URL_SCHEME = ['pkg+http', 'pkg+https', 'https', 'http', 'file', 'ssh', 'tcp'];

// Variables pkg defines for repository files, from the simulated host's profile.
function variables(profile) {
  const [ver] = String(profile.userland || '14.1-RELEASE').split('-');
  const [major, minor = '0'] = ver.split('.');
  const arch = profile.machine || 'amd64';
  const altArch = { amd64: 'x86:64', i386: 'x86:32', arm64: 'aarch64:64' }[arch] || arch;
  return {
    ABI: `FreeBSD:${major}:${arch}`,
    ALTABI: `freebsd:${major}:${altArch}`,
    OSVERSION: String(profile.userreldate || profile.osreldate || ''),
    OSNAME: 'FreeBSD',
    RELEASE: ver,
    VERSION_MAJOR: major,
    VERSION_MINOR: process.env.VERSION_MINOR || minor,
    ARCH: arch,
  };
}

function expand(s, vars) {
  return s.replace(/\$\{([A-Za-z_]+)\}|\$([A-Za-z_]+)/g, (m, a, b) => (vars[a || b] !== undefined ? vars[a || b] : m));
}

function confFiles(dir) {
  let names;
  try { names = fs.readdirSync(dir); } catch { return []; }
  return names
    .filter((n) => n.endsWith('.conf') && !n.startsWith('.') && n.length > '.conf'.length)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((n) => path.join(dir, n));
}

function addRepo(repos, name, obj, t) {
  const found = repos.find((r) => r.name === name);
  const given = {};
  const want = (key, type, what) => {
    t.warnx(`Expecting ${what} for the '${key}' key of the '${name}' repo`);
    return false;
  };
  for (const [rawKey, v] of obj.pairs) {
    const key = rawKey.toLowerCase();
    if (['url', 'mirror_type', 'fingerprints', 'pubkey', 'ssh_args', 'type'].includes(key)) {
      if (v.type !== 'string') return want(key, 'string', 'a string');
      given[key] = v.value;
    } else if (key === 'signature_type') {
      if (v.type !== 'string') return want(key, 'string', 'a string');
      const l = v.value.toLowerCase();
      if (!['none', 'fingerprints', 'pubkey'].includes(l)) {
        t.warnx(`Invalid signature_type '${v.value}' for the '${name}' repo`);
        return false;
      }
      given.signature_type = l;
    } else if (key === 'enabled' || key === 'rwhich_database') {
      if (v.type !== 'bool') return want(key, 'bool', 'a boolean');
      given[key] = v.value;
    } else if (key === 'priority' || key === 'ip_version') {
      if (v.type !== 'int') return want(key, 'int', 'an integer');
      given[key] = v.value;
    } else if (key === 'env') {
      if (v.type !== 'object') return want(key, 'object', 'an object');
      given.env = Object.fromEntries(v.pairs.map(([k, x]) => [k, x.type === 'string' ? x.value : ucl.show(x)]));
    }
  }
  let r = found;
  if (!r) {
    if (given.url === undefined) return false; // "No repo and no url": ignored silently
    r = { name, url: '', enabled: true, mirror_type: 'NONE', signature_type: 'NONE', priority: 0 };
    repos.push(r);
  }
  if (given.url !== undefined) r.url = given.url;
  if (given.enabled !== undefined) r.enabled = given.enabled;
  if (given.mirror_type !== undefined) {
    const m = given.mirror_type.toLowerCase();
    r.mirror_type = m === 'srv' ? 'SRV' : m === 'http' ? 'HTTP' : 'NONE';
  }
  if (given.signature_type !== undefined) r.signature_type = given.signature_type.toUpperCase();
  for (const k of ['fingerprints', 'pubkey', 'ssh_args', 'ip_version', 'env']) if (given[k] !== undefined) r[k] = given[k];
  r.priority = given.priority !== undefined ? given.priority : 0; // always assigned: reset on override
  return true;
}

// Loads every repository, or exits like pkg with "Cannot parse configuration file!".
function load(t, opts) {
  const profile = t.profile();
  const vars = variables(profile);
  const dirs = opts.reposDirs || DEFAULT_DIRS;
  const repos = [];
  for (const dir of dirs) {
    for (const file of confFiles(dir)) {
      let doc;
      try {
        doc = ucl.parse(expand(fs.readFileSync(file, 'utf8'), vars));
      } catch (e) {
        t.warnx(`Error parsing: '${file}': ${e.message}`);
        continue;
      }
      for (const [name, v] of doc.pairs) {
        if (v.type !== 'object') {
          t.warnx(`Ignoring bad configuration entry in ${file}: ${ucl.show(v)}`);
          continue;
        }
        addRepo(repos, name, v, t);
      }
    }
  }
  let bad = false;
  for (const r of repos) {
    const m = /^([^:/]+):\/\//.exec(r.url);
    if (!m) { t.warnx(`invalid url: ${r.url}`); bad = true; }
    else if (!VALID_URL_SCHEME.includes(m[1])) { t.warnx(`invalid scheme ${m[1]}`); bad = true; }
  }
  if (bad) t.errx(1, 'Cannot parse configuration file!');
  return repos;
}

module.exports = { load, variables, expand, DEFAULT_DIRS, VALID_URL_SCHEME };
