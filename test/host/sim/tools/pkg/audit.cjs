'use strict';
// pkg audit [-Fqr] [-f file] [-R[format]|--raw[=format]] [pkg-name[-version] ...]
// (commands.md §1.15).  -F "fetches" the host path declared in state/pkg/audit.json
// ({"fetchFrom": "/root/vuln.xml"}, pkgdb.ts setVulnXmlSource) into the DB file.
// -R takes its format only when attached (getopt_long "R::": `-Rjson`, `--raw=json`); a
// separate word is a package argument, as in pkg.
const fs = require('fs');
const path = require('path');
const db = require('./db.cjs');
const vx = require('../../lib/pkgvuxml.cjs');
const ver = require('../../lib/pkgversion.cjs');

const DEFAULT = '/var/db/pkg/vuln.xml';

// For install/upgrade summaries (pkg >= 2.8): (name, version) → vulnerable?
function checker() {
  let entries;
  try { entries = vx.parse(fs.readFileSync(DEFAULT, 'utf8')); } catch { return undefined; }
  return (name, version) => vx.matches(entries, name, version).length > 0;
}

function rdepsOf(local, name) {
  const out = [];
  const queue = [name];
  while (queue.length) {
    const n = queue.shift();
    for (const q of local.packages) {
      if (q.deps.some((d) => d.name === n) && !out.includes(q.name) && q.name !== name) { out.push(q.name); queue.push(q.name); }
    }
  }
  return out;
}

function ucl(v, ind = '') {
  if (Array.isArray(v)) return `[\n${v.map((x) => `${ind}    ${ucl(x, `${ind}    `)},\n`).join('')}${ind}]`;
  if (v && typeof v === 'object') {
    return `{\n${Object.entries(v).map(([k, x]) => `${ind}    ${/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k)}${x && typeof x === 'object' ? ' ' : ' = '}${ucl(x, `${ind}    `)}${x && typeof x === 'object' ? '' : ';'}\n`).join('')}${ind}}`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
function uclTop(obj) {
  return Object.entries(obj).map(([k, x]) => (x && typeof x === 'object' ? `${k} ${ucl(x)}\n` : `${k} = ${ucl(x)};\n`)).join('');
}
function yaml(v, ind = '') {
  if (Array.isArray(v)) return v.length ? v.map((x) => `\n${ind}- ${typeof x === 'object' ? yaml(x, `${ind}  `).trimStart() : JSON.stringify(x)}`).join('') : ' []';
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `\n${ind}${JSON.stringify(k)}:${x && typeof x === 'object' ? yaml(x, `${ind}  `) : ` ${JSON.stringify(x)}`}`).join('') || ' {}';
  return ` ${JSON.stringify(v)}`;
}

function run(t, argv) {
  let raw;
  const args = [];
  for (const a of argv) {
    if (a === '--raw') raw = 'ucl';
    else if (a.startsWith('--raw=')) raw = a.slice(6);
    else if (a === '--quiet') args.push('-q');
    else if (a === '--recursive') args.push('-r');
    else if (a === '--fetch') args.push('-F');
    else args.push(a);
  }
  // -R[format]: take the attached format out before getopt
  const pre = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { pre.push(...args.slice(i)); break; }
    if (/^-[A-Za-z]*R/.test(a) && !a.startsWith('--')) {
      const k = a.indexOf('R');
      raw = a.slice(k + 1) || 'ucl';
      if (k > 1) pre.push(a.slice(0, k));
      continue;
    }
    pre.push(a);
    if (!a.startsWith('-')) { pre.push(...args.slice(i + 1)); break; }
  }
  const g = t.getopt(pre, 'Fqrf:d:');
  if (g.error) t.usage("Usage: pkg audit [-RFqr] [--raw[=format]] [-f file] [-d dir] <pattern>\n\nFor more information see 'pkg help audit'.");
  if (raw !== undefined && !['ucl', 'json', 'json-compact', 'yaml'].includes(raw)) t.errx(1, `invalid argument ${raw} for --raw option`);
  let fetch = false, quiet = false, recursive = false, file;
  for (const o of g.opts) {
    if (o.opt === 'F') fetch = true;
    else if (o.opt === 'q') quiet = true;
    else if (o.opt === 'r') recursive = true;
    else if (o.opt === 'f') file = o.arg;
  }
  const dbFile = file || DEFAULT;
  if (fetch) {
    const src = db.readJson(path.join(t.stateDir(), 'audit.json'), {}).fetchFrom;
    let data;
    try { data = fs.readFileSync(src); } catch { t.errx(1, 'cannot fetch vulnxml file'); }
    let old;
    try { old = fs.readFileSync(dbFile); } catch { old = undefined; }
    if (old && old.equals(data)) { if (!quiet) t.out('vulnxml file up-to-date\n'); }
    else {
      if (!quiet) t.out(db.progress('Fetching vuln.xml.xz'));
      fs.mkdirSync(path.dirname(dbFile), { recursive: true });
      fs.writeFileSync(dbFile, data);
    }
  }
  let xml;
  try { xml = fs.readFileSync(dbFile, 'utf8'); } catch {
    t.errx(1, `vulnxml file ${file || 'vuln.xml'} does not exist. Try running 'pkg audit -F' first`);
  }
  const entries = vx.parse(xml);
  db.lock(t, 'read', quiet);
  const local = db.local(t);
  let targets;
  if (g.rest.length) {
    targets = g.rest.map((a) => { const s = ver.splitName(a); return s ? { name: s.name, version: s.version } : { name: a }; });
  } else targets = local ? local.packages.map((p) => ({ name: p.name, version: p.version })) : [];
  const ignore = process.env.AUDIT_IGNORE_GLOB ? db.globRe(process.env.AUDIT_IGNORE_GLOB) : null;
  const ignoreRe = process.env.AUDIT_IGNORE_REGEX ? new RegExp(process.env.AUDIT_IGNORE_REGEX) : null;
  let problems = 0, vulnPkgs = 0, out = '';
  const rawOut = { pkg_count: 0, packages: {} };
  for (const tg of targets) {
    if ((ignore && ignore.test(tg.name)) || (ignoreRe && ignoreRe.test(tg.name))) continue;
    const hits = vx.matches(entries, tg.name, tg.version);
    if (hits.length === 0) continue;
    vulnPkgs++;
    problems += hits.length;
    const label = tg.version === undefined ? tg.name : `${tg.name}-${tg.version}`;
    const rdeps = recursive && local ? rdepsOf(local, tg.name) : undefined;
    if (quiet) { out += `${label}\n`; continue; }
    if (raw) {
      const o = { version: tg.version ?? '', issue_count: hits.length, issues: hits.map((h) => ({
        'Affected versions': h.ranges.map(vx.formatRange), description: h.entry.topic, cve: h.entry.cves, url: h.entry.url })) };
      if (!o.issues.every((i) => i.cve.length)) o.issues.forEach((i) => { if (!i.cve.length) delete i.cve; });
      if (rdeps) o['reverse dependencies'] = rdeps;
      rawOut.packages[tg.name] = o;
      continue;
    }
    out += `${label} is vulnerable:\n`;
    for (const h of hits) {
      if (tg.version === undefined) out += `  Affected versions:\n${h.ranges.map((r) => `  ${vx.formatRange(r)}\n`).join('')}`;
      out += `  ${h.entry.topic}\n`;
      for (const c of h.entry.cves) out += `  CVE: ${c}\n`;
      out += `  WWW: ${h.entry.url}\n\n`;
    }
    if (rdeps) out += `  Packages that depend on ${tg.name}: ${rdeps.join(', ')}\n\n`;
  }
  if (raw && !quiet) {
    rawOut.pkg_count = vulnPkgs;
    out = raw === 'json' ? `${JSON.stringify(rawOut, null, 2)}\n` : raw === 'json-compact' ? `${JSON.stringify(rawOut)}\n`
      : raw === 'yaml' ? `${yaml(rawOut).trimStart()}\n` : uclTop(rawOut);
  } else if (!quiet) {
    out += db.pkgAtLeast(t, '2.0') ? `${problems} problem(s) in ${vulnPkgs} package(s) found.\n`
      : `${problems} problem(s) in ${vulnPkgs} installed package(s) found.\n`;
  }
  t.out(out);
  return vulnPkgs > 0 ? 1 : 0;
}

module.exports = { run, checker };
