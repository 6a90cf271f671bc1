'use strict';
// pkg -vv (commands.md §1.16): version lines, a config dump, then "Repositories:" with one block
// per configured repo (enabled or not) in load order: keys padded %-16s, a trailing space after
// "{", mirror_type omitted when NONE, signature_type always printed (pkg > 2.0), pubkey,
// ssh_args and ip_version only when set.
const repos = require('./repos.cjs');

function block(r) {
  const lines = [];
  const kv = (k, v) => lines.push(`    ${k.padEnd(16)}: ${v}`);
  kv('url', JSON.stringify(r.url));
  kv('enabled', r.enabled ? 'yes' : 'no');
  kv('priority', String(r.priority));
  if (r.mirror_type !== 'NONE') kv('mirror_type', JSON.stringify(r.mirror_type));
  kv('signature_type', JSON.stringify(r.signature_type));
  if (r.fingerprints !== undefined) kv('fingerprints', JSON.stringify(r.fingerprints));
  if (r.pubkey !== undefined) kv('pubkey', JSON.stringify(r.pubkey));
  if (r.ssh_args !== undefined) kv('ssh_args', JSON.stringify(r.ssh_args));
  if (r.ip_version !== undefined) kv('ip_version', String(r.ip_version));
  return `  ${r.name}: { \n${lines.join(',\n')}\n  }\n`;
}

function run(t, opts) {
  const p = t.profile();
  const list = repos.load(t, opts);
  const v = repos.variables(p);
  let out = '';
  out += `${'Version'.padEnd(24)}: ${p.pkgVersion}\n`;
  out += `${'libpkg'.padEnd(24)}: ${p.pkgVersion}\n`;
  out += 'libcurl                 : 8.11.1\nlibarchive              : 3.7.4\nsqlite                  : 3.46.1\nopenssl                 : OpenSSL 3.0.15 3 Sep 2024\n';
  out += `PKG_DBDIR = "/var/db/pkg";\nPKG_CACHEDIR = "/var/cache/pkg";\nPORTSDIR = "/usr/ports";\n`;
  out += `REPOS_DIR [\n${(opts.reposDirs || repos.DEFAULT_DIRS).map((d) => `    "${d}",\n`).join('')}]\n`;
  out += `ABI = "${v.ABI}";\nALTABI = "${v.ALTABI}";\nOSVERSION = "${v.OSVERSION}";\n`;
  out += 'REPO_AUTOUPDATE = true;\nASSUME_ALWAYS_YES = false;\nIP_VERSION = 0;\n';
  out += '\nRepositories:\n';
  for (const r of list) out += block(r);
  t.out(out);
  return 0;
}

module.exports = { run, block };
