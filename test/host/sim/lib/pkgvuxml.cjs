'use strict';
// A small VuXML reader and matcher for the simulated `pkg audit` (commands.md §1.15), written
// for the simulator (independent of src/pkg/vuxml.ts).  pkg's rules: cancelled entries are
// dropped; <name> is an fnmatch glob against the package name; a <range> holds when all its
// bounds (lt le gt ge eq) hold under pkg's version order; any range of a matching <package>
// makes the entry apply.  The WWW link is always the vuxml page of the vid (pkg's reader never
// takes <url> references).
const { compare } = require('./pkgversion.cjs');

const ENT = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, b) =>
  b[0] === '#' ? String.fromCodePoint(b[1] === 'x' || b[1] === 'X' ? parseInt(b.slice(2), 16) : parseInt(b.slice(1), 10)) : ENT[b] || m);
const text = (s) => decode(s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').replace(/<[^>]*>/g, '')).trim();

function parse(xml) {
  xml = xml.replace(/<!--[\s\S]*?-->/g, '');
  const out = [];
  const re = /<(?:\w+:)?vuln\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?vuln>/g;
  let m;
  while ((m = re.exec(xml))) {
    const vid = (/\bvid\s*=\s*["']([^"']*)["']/.exec(m[1]) || [])[1] || '';
    const body = m[2];
    if (/<(?:\w+:)?cancelled\b/.test(body)) continue;
    const topic = text((/<topic>([\s\S]*?)<\/topic>/.exec(body) || [])[1] || '');
    const packages = [];
    const affects = (/<affects>([\s\S]*?)<\/affects>/.exec(body) || [])[1] || '';
    for (const pm of affects.matchAll(/<package>([\s\S]*?)<\/package>/g)) {
      const names = [...pm[1].matchAll(/<name>([\s\S]*?)<\/name>/g)].map((x) => text(x[1]));
      const ranges = [...pm[1].matchAll(/<range>([\s\S]*?)<\/range>/g)].map((x) =>
        [...x[1].matchAll(/<(lt|le|gt|ge|eq)>([\s\S]*?)<\/\1>/g)].slice(0, 2).map((b) => ({ op: b[1], version: text(b[2]) })));
      packages.push({ names, ranges });
    }
    const refs = (/<references>([\s\S]*?)<\/references>/.exec(body) || [])[1] || '';
    const cves = [...refs.matchAll(/<cvename>([\s\S]*?)<\/cvename>/g)].map((x) => text(x[1]));
    out.push({ vid, topic, packages, cves, url: `https://vuxml.FreeBSD.org/freebsd/${vid}.html` });
  }
  return out;
}

function fnmatch(glob, s) {
  let r = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') r += '[\\s\\S]*';
    else if (c === '?') r += '[\\s\\S]';
    else if (c === '[') {
      const e = glob.indexOf(']', i + 2);
      if (e < 0) r += '\\[';
      else { let set = glob.slice(i + 1, e); if (set[0] === '!') set = '^' + set.slice(1); r += `[${set.replace(/\\/g, '\\\\')}]`; i = e; }
    } else if (c === '\\' && i + 1 < glob.length) r += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else r += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${r}$`).test(s);
}

const HOLDS = { lt: (c) => c < 0, le: (c) => c <= 0, gt: (c) => c > 0, ge: (c) => c >= 0, eq: (c) => c === 0 };
const SYM = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '=' };
const inRange = (v, range) => range.every((b) => HOLDS[b.op](compare(v, b.version)));
const formatRange = (range) => range.map((b) => `${SYM[b.op]} ${b.version}`).join(' : ');

// [{entry, ranges}] in document order: the entries that apply to name (at version, if given);
// ranges are those of the matching <package> blocks (all of them, whatever the version).
function matches(entries, name, version) {
  const out = [];
  for (const e of entries) {
    let hit = false;
    const ranges = [];
    for (const p of e.packages) {
      if (!p.names.some((g) => fnmatch(g, name))) continue;
      ranges.push(...p.ranges);
      if (version === undefined || p.ranges.some((r) => inRange(version, r))) hit = true;
    }
    if (hit) out.push({ entry: e, ranges });
  }
  return out;
}

module.exports = { parse, matches, fnmatch, formatRange, inRange };
