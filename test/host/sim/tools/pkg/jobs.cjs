'use strict';
// Job summary and apply for install/upgrade/delete/add (commands.md §1.0, §1.8–§1.10, §1.12):
// section titles, item lines, totals, size lines, [n/N] counters, extraction/deletion progress,
// the pkg >= 2.8 " (vulnerable!)" markers, the local DB update and the /var/cache/pkg stand-ins.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const db = require('./db.cjs');

const CACHE = '/var/cache/pkg';
const WARN_SIZE_LIMIT = 1048576;

// humanize_number(3) with IEC prefixes, as pkg prints sizes ("9 MiB", "1.5 KiB").
function iec(n) {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0, v = n;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${i === 0 || v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${u[i]}`;
}

const SECTIONS = [
  ['install', 'New packages to be INSTALLED:', 'installed'],
  ['upgrade', 'Installed packages to be UPGRADED:', 'upgraded'],
  ['downgrade', 'Installed packages to be DOWNGRADED:', 'downgraded'],
  ['reinstall', 'Installed packages to be REINSTALLED:', 'reinstalled'],
  ['remove', 'Installed packages to be REMOVED:', 'removed'],
];

// job = {kind, pkg (new manifest or installed pkg for remove), old?, reason?, repo?}
function summary(t, jobs, { multiRepo, vuln, header }) {
  let s = header !== undefined ? header : `The following ${jobs.length} package(s) will be affected (of 0 checked):\n\n`;
  let vulnerable = 0;
  const byName = (a, b) => (a.pkg.name < b.pkg.name ? -1 : 1);
  for (const [kind, title] of SECTIONS) {
    const js = jobs.filter((j) => j.kind === kind).sort(byName);
    if (js.length === 0) continue;
    s += `${title}\n`;
    for (const j of js) {
      const p = j.pkg;
      let line;
      if (kind === 'install') line = `${p.name}: ${p.version}`;
      else if (kind === 'upgrade' || kind === 'downgrade') line = `${p.name}: ${j.old.version} -> ${p.version}`;
      else if (kind === 'reinstall') line = `${p.name}-${p.version}${j.reason ? ` (${j.reason})` : ''}`;
      else line = `${p.name}: ${p.version}${j.reason ? ` (${j.reason})` : ''}`;
      if (multiRepo && kind !== 'remove') line += ` [${p.repository}]`;
      if (vuln && kind !== 'remove' && vuln(p.name, p.version)) { line += ' (vulnerable!)'; vulnerable++; }
      s += `\t${line}\n`;
    }
    s += '\n';
  }
  for (const [kind, , word] of SECTIONS) {
    const n = jobs.filter((j) => j.kind === kind).length;
    if (n) s += `Number of packages to be ${word}: ${n}\n`;
  }
  let delta = 0, dl = 0;
  for (const j of jobs) {
    if (j.kind === 'remove') delta -= j.pkg.flatsize;
    else {
      delta += j.pkg.flatsize - (j.old ? j.old.flatsize : 0);
      if (!j.cached) dl += j.pkg.pkgsize || Math.round(j.pkg.flatsize / 3);
    }
  }
  if (Math.abs(delta) > WARN_SIZE_LIMIT) {
    s += delta > 0 ? `\nThe process will require ${iec(delta)} more space.\n` : `\nThe operation will free ${iec(-delta)}.\n`;
    if (dl > 0) s += `${iec(dl)} to be downloaded.\n`;
  }
  if (vulnerable) s += `\nWARNING: ${vulnerable} package(s) have known vulnerabilities\n`;
  t.out(s);
}

// Reads a y/N answer (EOF: the default, "no").
function confirm(t, prompt) {
  if (/^(yes|true|1)$/i.test(process.env.ASSUME_ALWAYS_YES || '')) return true;
  t.out(prompt);
  let ans = '';
  try { ans = fs.readFileSync(0, 'utf8').split('\n')[0]; } catch { ans = ''; }
  return /^y/i.test(ans.trim());
}

const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

function writeFiles(p) {
  const rec = {};
  for (const [f, content] of Object.entries(p.files || {})) {
    const c = typeof content === 'string' ? content : (content && content.content) || '';
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, c);
    rec[f] = sha256(c);
  }
  return rec;
}
function removeFiles(p) {
  for (const f of Object.keys(p.files || {})) fs.rmSync(f, { force: true });
}

function cacheFile(p) { return path.join(CACHE, `${p.name}-${p.version}.pkg`); }
function toCache(p) {
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    const { locked, automatic, time, annotations, vital, ...m } = p; void locked; void automatic; void time; void annotations; void vital;
    fs.writeFileSync(cacheFile(p), JSON.stringify(m) + '\n');
  } catch { /* cache is best effort */ }
}

// The DB row for a manifest being installed.
function record(p, { old, automatic, repo }) {
  const { rdeps, ...m } = p; void rdeps;
  return db.normalize({
    ...m,
    files: writeFiles(p),
    automatic: automatic !== undefined ? automatic : old ? old.automatic : false,
    locked: false,
    vital: !!p.vital,
    time: Math.floor(Date.now() / 1000),
    annotations: { ...(p.annotations || {}), ...(repo ? { repository: repo } : {}) },
    repository: repo || p.repository,
  });
}

// Fetch lines for jobs whose package is not cached; returns whether anything was fetched.
function fetch(t, jobs, quiet) {
  const need = jobs.filter((j) => j.kind !== 'remove' && !j.cached);
  const w = String(need.length).length;
  need.forEach((j, i) => {
    if (!quiet) t.out(`[${String(i + 1).padStart(w)}/${need.length}] ${db.progress(`Fetching ${j.pkg.name}-${j.pkg.version}`)}`);
    toCache(j.pkg);
    j.cached = true;
  });
  return need.length > 0;
}

// Apply in order (removals first, then deps before dependents as given); updates local DB.
function apply(t, local, jobs, quiet) {
  const n = jobs.length;
  const w = String(n).length;
  const out = (s) => { if (!quiet) t.out(s); };
  jobs.forEach((j, i) => {
    const c = `[${String(i + 1).padStart(w)}/${n}] `;
    const p = j.pkg;
    const nv = `${p.name}-${p.version}`;
    if (j.kind === 'remove') {
      out(`${c}Deinstalling ${nv}...\n`);
      if (Object.keys(p.files).length) out(`${c}${db.progress(`Deleting files for ${nv}`)}`);
      removeFiles(p);
      local.packages = local.packages.filter((x) => x.name !== p.name);
      return;
    }
    if (j.kind === 'install') out(`${c}Installing ${nv}...\n`);
    else if (j.kind === 'upgrade') out(`${c}Upgrading ${p.name} from ${j.old.version} to ${p.version}...\n`);
    else if (j.kind === 'downgrade') out(`${c}Downgrading ${p.name} from ${j.old.version} to ${p.version}...\n`);
    else out(`${c}Reinstalling ${nv}...\n`);
    if (j.old) removeFiles(j.old);
    const row = record(p, { old: j.old, automatic: j.automatic, repo: j.repo });
    if (Object.keys(row.files).length) out(`${c}${db.progress(`Extracting ${nv}`)}`);
    const k = local.packages.findIndex((x) => x.name === p.name);
    if (k >= 0) local.packages[k] = row; else local.packages.push(row);
  });
  db.saveLocal(t, local);
}

module.exports = { summary, confirm, apply, fetch, record, toCache, cacheFile, sha256, iec, CACHE };
