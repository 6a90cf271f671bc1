'use strict';
// pkg's version ordering (freebsd/pkg libpkg/pkg_version.c: pkg_version_cmp), for the simulated
// pkg.  A standalone CommonJS port: the simulator does not load the provider's src/ code, so
// the two can be checked against each other (commands.md §1.14 vectors: test/host/pkg-version.test.ts).
//   version := PORTVERSION[_PORTREVISION][,PORTEPOCH]; only the text after the last '-' counts.
const LLONG_MAX = (1n << 63n) - 1n;
const ULONG_MAX = (1n << 64n) - 1n;
const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const STAGES = [['pl', 0], ['alpha', 1], ['beta', 2], ['pre', 16], ['rc', 18], ['snap', 19]];

function versionOf(s) {
  const i = s.lastIndexOf('-');
  return i < 0 ? s : s.slice(i + 1);
}

function strtoul(s, i) {
  let j = i;
  while (/\s/.test(s[j] || 'x')) j++;
  let neg = false;
  if (s[j] === '+' || s[j] === '-') { neg = s[j] === '-'; j++; }
  const st = j;
  while (isDigit(s[j])) j++;
  if (j === st) return 0n;
  let v = BigInt(s.slice(st, j));
  if (v > ULONG_MAX) return ULONG_MAX;
  if (neg) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return v;
}

function splitAt(v) {
  const us = v.lastIndexOf('_');
  const revision = us >= 0 ? strtoul(v, us + 1) : 0n;
  const comma = v.lastIndexOf(',');
  const hasEpoch = comma >= 0 && comma > us;
  const epoch = hasEpoch ? strtoul(v, comma + 1) : 0n;
  const end = us >= 0 ? us : hasEpoch ? comma : v.length;
  return { revision, epoch, end };
}

function readSigned(s, i) {
  let j = i;
  while (isDigit(s[j])) j++;
  const v = BigInt(s.slice(i, j));
  return { value: v > LLONG_MAX ? LLONG_MAX : v, end: j };
}

function getComponent(s, pos) {
  let p = pos, hasStage = false, hasPl = false, n, a = 0, pl = 0n;
  if (isDigit(s[p])) { const r = readSigned(s, p); n = r.value; p = r.end; }
  else if (s[p] === '*') { n = -2n; do p++; while (p < s.length && s[p] !== '+'); }
  else { n = -1n; hasStage = true; }
  if (isAlpha(s[p])) {
    let letter = s[p].toLowerCase();
    hasPl = true;
    if (isAlpha(s[p + 1])) {
      for (const [name, value] of STAGES) {
        if (s.slice(p, p + name.length).toLowerCase() === name && !isAlpha(s[p + name.length])) {
          if (hasStage) { a = value; p += name.length; } else { a = 0; hasPl = false; }
          letter = '';
          break;
        }
      }
    }
    if (letter !== '') { a = letter.charCodeAt(0) - 96; do p++; while (isAlpha(s[p])); }
  }
  if (hasPl) {
    if (isDigit(s[p])) { const r = readSigned(s, p); pl = r.value; p = r.end; } else pl = -1n;
  }
  while (p < s.length && !isDigit(s[p]) && !isAlpha(s[p]) && s[p] !== '+' && s[p] !== '*') p++;
  return { c: { n, a, pl }, next: p };
}

const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);

// -1, 0 or 1, like pkg_version_cmp().
function compare(a, b) {
  const s1 = versionOf(a), s2 = versionOf(b);
  const x = splitAt(s1), y = splitAt(s2);
  let r = cmp(x.epoch, y.epoch);
  if (r === 0 && (x.end !== y.end || s1.slice(0, x.end).toLowerCase() !== s2.slice(0, y.end).toLowerCase())) {
    let v1 = 0, v2 = 0;
    while (r === 0 && (v1 < x.end || v2 < y.end)) {
      let b1 = false, b2 = false;
      let c1 = { n: 0n, a: 0, pl: 0n }, c2 = { n: 0n, a: 0, pl: 0n };
      if (v1 < x.end && s1[v1] !== '+') { const g = getComponent(s1, v1); c1 = g.c; v1 = g.next; } else b1 = true;
      if (v2 < y.end && s2[v2] !== '+') { const g = getComponent(s2, v2); c2 = g.c; v2 = g.next; } else b2 = true;
      if (b1 && b2) { if (v1 < x.end) v1++; if (v2 < y.end) v2++; }
      else if (c1.n !== c2.n) r = cmp(c1.n, c2.n);
      else if (c1.a !== c2.a) r = cmp(c1.a, c2.a);
      else if (c1.pl !== c2.pl) r = cmp(c1.pl, c2.pl);
    }
  }
  if (r === 0) r = cmp(x.revision, y.revision);
  return r;
}

const symbol = (a, b) => ['<', '=', '>'][compare(a, b) + 1];

// "name-version" split at the last '-' (undefined when there is none).
function splitName(s) {
  const i = s.lastIndexOf('-');
  if (i <= 0 || i === s.length - 1) return undefined;
  return { name: s.slice(0, i), version: s.slice(i + 1) };
}

module.exports = { compare, symbol, versionOf, splitName };
