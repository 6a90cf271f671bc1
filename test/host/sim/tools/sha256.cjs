#!/usr/bin/env node
'use strict';
// sha256(1) from FreeBSD's md5(1) family.
//   sha256 FILE...      "SHA256 (FILE) = hex" per file
//   sha256 -q FILE      hex only            -r FILE   "hex FILE"
//   sha256 -s STRING    "SHA256 ("STRING") = hex"
//   sha256              (no file) digest of stdin, hex only; -p echoes stdin first
//   -c HEX              compare: mismatch appends " [ Failed ]" and exits 2
//   Unreadable file → "sha256: FILE: No such file or directory" (warn), exit 1,
//   remaining files are still processed.
const fs = require('fs');
const crypto = require('crypto');
const sim = require('../lib/sim.cjs');

const ERRNO = { ENOENT: 'No such file or directory', EISDIR: 'Is a directory', EACCES: 'Permission denied' };

sim.main('sha256', (argv, t) => {
  const usage = () => t.usage('usage: sha256 [-pqrtx] [-c string] [-s string] [files ...]');
  const g = t.getopt(argv, 'c:pqrs:tx');
  if (g.error) usage();
  let quiet = false, reverse = false, echo = false, check;
  let status = 0;
  const digest = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
  const report = (hex, label, quoted) => {
    const failed = check !== undefined && check.toLowerCase() !== hex;
    if (failed) status = 2;
    const suffix = failed ? ' [ Failed ]' : '';
    if (quiet || label === undefined) t.out(hex + suffix + '\n');
    else if (reverse) t.out(`${hex} ${quoted ? `"${label}"` : label}${suffix}\n`);
    else t.out(`SHA256 (${quoted ? `"${label}"` : label}) = ${hex}${suffix}\n`);
  };
  let didString = false;
  for (const o of g.opts) {
    switch (o.opt) {
      case 'q': quiet = true; break;
      case 'r': reverse = true; break;
      case 'p': echo = true; break;
      case 'c': check = o.arg; break;
      case 's': report(digest(Buffer.from(o.arg)), o.arg, true); didString = true; break;
      case 't': case 'x': t.errx(1, `-${o.opt} is not simulated`); break;
    }
  }
  if (g.rest.length === 0) {
    if (didString && !echo) return status;
    const data = fs.readFileSync(0);
    if (echo) t.out(data);
    report(digest(data), undefined, false);
    return status;
  }
  for (const file of g.rest) {
    let data;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      t.warnx(`${file}: ${ERRNO[e.code] || e.message}`);
      status = 1;
      continue;
    }
    report(digest(data), file, false);
  }
  return status;
});
