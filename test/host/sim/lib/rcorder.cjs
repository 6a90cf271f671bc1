'use strict';
// rcorder(8): order rc.d scripts by their "# PROVIDE:", "# REQUIRE:",
// "# BEFORE:" and "# KEYWORD:" header lines (a real topological sort).
//
// This follows the traversal of FreeBSD's rcorder so that ties come out in the
// same order as on a real system:
//   * files are read in argument order; each new file goes to the FRONT of the
//     pending list, and the ordering repeatedly visits the list's first file;
//   * a file's requirements are visited newest-first (the last word of its
//     last REQUIRE line first); BEFORE entries become requirements of the
//     files that provide the named condition;
//   * for a condition, providers are visited most-recently-read first;
//   * files carrying a `-s` keyword are visited (they still satisfy
//     requirements) but not printed; with `-k`, only files with a kept
//     keyword are printed.
// Problems are reported like rcorder does (they go to `warnings`):
//   requirement `X' in file `F' has no providers.
//   Circular dependency on provision `X' in file `F'.
//   Circular dependency on file `F'.
//   file `F' is before unknown provision `X'

const fs = require('fs');

const HEADERS = [
  ['# REQUIRE:', 'require'], ['# REQUIRES:', 'require'],
  ['# PROVIDE:', 'provide'], ['# PROVIDES:', 'provide'],
  ['# BEFORE:', 'before'],
  ['# KEYWORD:', 'keyword'], ['# KEYWORDS:', 'keyword'],
];

// Parse the header block: lines before the first header line are skipped,
// the first non-header line after it ends the block.  Backslash-newline joins
// lines (fparseln).
function parseHeaders(text) {
  const h = { provide: [], require: [], before: [], keyword: [] };
  const lines = text.replace(/\\\n/g, '').split('\n');
  let parsing = false;
  for (const line of lines) {
    const hit = HEADERS.find(([p]) => line.startsWith(p));
    if (!hit) {
      if (parsing) break;
      continue;
    }
    parsing = true;
    for (const w of line.slice(hit[0].length).split(/[ \t\n]+/)) if (w) h[hit[1]].push(w);
  }
  return h;
}

function rcorder(files, options = {}) {
  const skip = options.skip || [];
  const keep = options.keep || [];
  const warnings = [];
  // condition name -> { providers: [node...] (front = most recent), inProgress }
  // a condition only ever required has providers === null ("no providers")
  const conds = new Map();
  const cond = (name, create) => {
    let c = conds.get(name);
    if (!c) {
      c = { name, providers: create ? [] : null, inProgress: false };
      conds.set(name, c);
    } else if (create && c.providers === null) c.providers = [];
    return c;
  };
  const pending = []; // front = most recently read
  const befores = []; // front = most recent
  let fake = 0;

  for (const file of files) {
    let text;
    try {
      if (!fs.statSync(file).isFile()) continue;
      text = fs.readFileSync(file, 'latin1');
    } catch (e) {
      warnings.push(`could not open ${file}: ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`);
      continue;
    }
    const h = parseHeaders(text);
    const node = { file, reqs: [], provs: [], keywords: h.keyword, inProgress: false };
    pending.unshift(node);
    for (const r of h.require) node.reqs.unshift(cond(r, false));
    for (const p of h.provide) {
      const c = cond(p, true);
      c.providers.unshift(node);
      node.provs.unshift(c);
    }
    for (const b of h.before) befores.unshift({ node, name: b });
  }

  for (const b of befores) {
    const fakeName = `fake_prov_${String(fake++).padStart(8, '0')}`;
    const fc = cond(fakeName, true);
    fc.providers.unshift(b.node);
    b.node.provs.unshift(fc);
    const existed = conds.has(b.name);
    const target = cond(b.name, false);
    if (!existed) warnings.push(`file \`${b.node.file}' is before unknown provision \`${b.name}'`);
    if (target.providers) for (const p of target.providers) p.reqs.unshift(fc);
  }

  const order = [];
  const printable = (node) =>
    !node.keywords.some((k) => skip.includes(k)) && (keep.length === 0 || node.keywords.some((k) => keep.includes(k)));

  const satisfy = (c, file) => {
    if (c.providers === null) {
      warnings.push(`requirement \`${c.name}' in file \`${file}' has no providers.`);
      return;
    }
    if (c.providers.length === 0) return;
    if (c.inProgress) {
      warnings.push(`Circular dependency on provision \`${c.name}' in file \`${file}'.`);
      return;
    }
    c.inProgress = true;
    while (c.providers.length > 0) doFile(c.providers[0]);
  };

  const doFile = (node) => {
    let wasSet = false;
    if (node.inProgress) {
      warnings.push(`Circular dependency on file \`${node.file}'.`);
      wasSet = true;
    }
    node.inProgress = true;
    for (const r of node.reqs.slice()) satisfy(r, node.file);
    node.reqs = [];
    for (const c of node.provs) {
      const i = c.providers.indexOf(node);
      if (i >= 0) c.providers.splice(i, 1);
    }
    node.provs = [];
    // a nested visit of a file already in progress (a cycle) does not print it
    if (!wasSet && printable(node)) order.push(node.file);
    const i = pending.indexOf(node);
    if (i >= 0) pending.splice(i, 1);
  };

  while (pending.length > 0) doFile(pending[0]);
  return { order, warnings };
}

module.exports = { rcorder, parseHeaders };
