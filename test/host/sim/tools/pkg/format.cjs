'use strict';
// The `pkg query` / `pkg rquery` format language and `-e` conditions (commands.md §1.2, §1.4).
// Parse errors are fprintf(stderr) lines without the "pkg: " prefix (freebsd/pkg
// src/query.c: analyse_query_string, format_sql_condition), exit 1.
const SINGLE = 'novpmcewlaktVqQMRXi';
const MULTI = { d: 'nov', r: 'nov', C: '', F: 'psugmftl', D: '', S: 'pugmf', O: 'kvdD', L: '', U: '', G: '', B: '', b: '', y: '', Y: '', A: 'tv' };
const LISTS = 'drCFODLUGBbAyY';

class QueryError extends Error {}

function humanSize(n) {
  const u = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0, v = n;
  while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
  if (i === 0) return `${n}B`;
  const s = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${s}${u[i]}`;
}

// The items of list `k` of package p (each an object of sub-fields).
function items(p, k) {
  switch (k) {
    case 'd': return p.deps.map((d) => ({ n: d.name, o: d.origin, v: d.version }));
    case 'r': return (p.rdeps || []).map((d) => ({ n: d.name, o: d.origin, v: d.version }));
    case 'C': return p.categories.map((c) => ({ '': c, n: c }));
    case 'L': return p.licenses.map((c) => ({ '': c, n: c }));
    case 'F': return Object.entries(p.files).map(([f, s]) => ({ p: f, s: typeof s === 'string' ? s : '', u: 'root', g: 'wheel', m: '0644', f: '', t: '', l: '' }));
    case 'O': return Object.entries(p.options).map(([k2, v]) => ({ k: k2, v, d: '', D: '' }));
    case 'A': return Object.entries(p.annotations).map(([k2, v]) => ({ t: k2, v }));
    case 'D': case 'S': return (p.dirs || []).map((d) => ({ '': d, p: d, u: 'root', g: 'wheel', m: '0755', f: '' }));
    default: return (p[{ U: 'users', G: 'groups', B: 'shlibs_required', b: 'shlibs_provided', y: 'provides', Y: 'requires' }[k]] || []).map((x) => ({ '': x, n: x }));
  }
}

function single(p, c, sub, ctx) {
  switch (c) {
    case 'n': return p.name;
    case 'v': return p.version;
    case 'o': return p.origin;
    case 'p': return p.prefix;
    case 'm': return p.maintainer;
    case 'c': return p.comment;
    case 'e': return p.desc;
    case 'w': return p.www;
    case 'l': return p.licenselogic || 'single';
    case 's': return sub === 'h' ? humanSize(p.flatsize) : String(p.flatsize);
    case 'a': return p.automatic ? '1' : '0';
    case 'k': return p.locked ? '1' : '0';
    case 'V': return p.vital ? '1' : '0';
    case 't': return String(p.time || 0);
    case 'q': return ctx.abi;
    case 'Q': return ctx.altabi;
    case 'M': return p.message || '';
    case 'R': return ctx.remote ? p.repository : (p.annotations.repository || 'unknown-repository');
    case 'X': return p.checksum || '';
    case '?': return items(p, sub).length > 0 ? '1' : '0';
    case '#': return String(items(p, sub).length);
    default: return '';
  }
}

// Compile a format: tokens [{lit}|{c, sub}|{list, sub}|{join, body, sep}]; throws QueryError.
function compile(fmt, opts) {
  const toks = [];
  let listKind = null;
  const useList = (k) => {
    if (listKind && listKind !== k) throw new QueryError(`Invalid query: '%${listKind}' and '%${k}' cannot be queried at the same time`);
    listKind = k;
  };
  let i = 0;
  const lit = (s) => { const l = toks[toks.length - 1]; if (l && l.lit !== undefined) l.lit += s; else toks.push({ lit: s }); };
  const allowed = opts.remote ? 'novpmcewlqRs' : SINGLE + 's';
  const allowedLists = opts.remote ? 'drCOLBbA' : LISTS;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch === '\\') {
      const m = { n: '\n', t: '\t', a: '\x07', b: '\b', f: '\f', r: '\r', v: '\v', '\\': '\\' }[fmt[i + 1]];
      if (m !== undefined) { lit(m); i += 2; continue; }
      lit(ch); i++; continue;
    }
    if (ch !== '%') { lit(ch); i++; continue; }
    const c = fmt[i + 1];
    if (c === undefined) { lit('%'); i++; continue; }
    if (c === '%') { lit('%'); i += 2; continue; }
    if (c === 's') {
      const sub = fmt[i + 2];
      if (sub !== 'b' && sub !== 'h') throw new QueryError("Invalid query: '%s' should be followed by: b, h");
      toks.push({ c, sub }); i += 3; continue;
    }
    if (c === '?' || c === '#') {
      const sub = fmt[i + 2];
      if (!sub || !allowedLists.includes(sub)) throw new QueryError(`Invalid query: '%${c}' should be followed by: ${allowedLists.split('').join(', ')}`);
      toks.push({ c, sub }); i += 3; continue;
    }
    if (c in MULTI && allowedLists.includes(c)) {
      const subs = MULTI[c];
      let sub = '';
      let n = 2;
      if (subs) {
        sub = fmt[i + 2];
        if (!sub || !subs.includes(sub)) throw new QueryError(`Invalid query: '%${c}' should be followed by: ${subs.split('').join(', ')}`);
        n = 3;
      }
      if (fmt.startsWith('%{', i + n) && opts.inline) {
        // %X%{BODY%|SEP%}: inline iteration (pkg >= 2.7)
        const end = fmt.indexOf('%}', i + n + 2);
        if (end < 0) throw new QueryError("Unknown query format key: '%{'");
        const inner = fmt.slice(i + n + 2, end);
        const bar = inner.indexOf('%|');
        const body = compile(bar < 0 ? inner : inner.slice(0, bar), { ...opts, inItem: c });
        toks.push({ join: c, body: body.toks, sep: bar < 0 ? '' : inner.slice(bar + 2) });
        i = end + 2; continue;
      }
      if (opts.inItem === c) {
        // inside %{…%} the body is pkg_printf(3) syntax: %Cn, %Ln … name the item
        if (!subs && fmt[i + n] === 'n') n++;
        toks.push({ item: c, sub: sub || (c === 'F' ? 'p' : 'n') });
      }
      else { useList(c); toks.push({ list: c, sub }); }
      i += n; continue;
    }
    if (allowed.includes(c) && c !== 's') { toks.push({ c }); i += 2; continue; }
    throw new QueryError(`Unknown query format key: '%${c}'`);
  }
  if (!toks.some((x) => x.lit === undefined) && !opts.inItem) throw new QueryError('Invalid query: query should contain a format string');
  return { toks, listKind };
}

// The output lines of package p (array of strings without newlines... may contain \n).
function render(compiled, p, ctx) {
  const one = (toks, item) => toks.map((x) => {
    if (x.lit !== undefined) return x.lit;
    if (x.join) return items(p, x.join).map((it) => one(x.body, it)).join(x.sep);
    if (x.item) return item ? (item[x.sub] ?? item[''] ?? '') : '';
    if (x.list) return item ? (item[x.sub] ?? item[''] ?? '') : '';
    return single(p, x.c, x.sub, ctx);
  }).join('');
  if (!compiled.listKind) return [one(compiled.toks)];
  const its = items(p, compiled.listKind);
  if (its.length === 0) {
    const mixed = compiled.toks.some((x) => x.c !== undefined || x.join);
    return mixed && ctx.emptyListLine ? [one(compiled.toks, {})] : [];
  }
  return its.map((it) => one(compiled.toks, it));
}

// ---- -e conditions --------------------------------------------------------------------------
const STRVARS = 'nopmcewqMi';
const INTVARS = 'sakVt';

function parseCond(src, opts) {
  let i = 0;
  const ws = () => { while (/\s/.test(src[i] || '')) i++; };
  const fail = (m) => { throw new QueryError(m); };
  const value = () => {
    ws();
    if (i >= src.length) fail('unexpected end of expression');
    const q = src[i];
    if (q === '"' || q === "'") {
      const e = src.indexOf(q, i + 1);
      if (e < 0) fail('unexpected end of expression');
      const v = src.slice(i + 1, e); i = e + 1; return v;
    }
    const s = i;
    while (i < src.length && !/[\s()&|]/.test(src[i])) i++;
    return src.slice(s, i);
  };
  const atom = () => {
    ws();
    if (src[i] === '(') {
      i++;
      const e = expr();
      ws();
      if (src[i] !== ')') fail('unexpected end of expression (too many open brackets)');
      i++;
      return e;
    }
    if (i >= src.length) fail('unexpected end of expression');
    if (src[i] !== '%') fail(`unexpected character: ${src[i]}`);
    let v = src[i + 1];
    let sub = '';
    let type;
    i += 2;
    if (v === '#') { sub = src[i++]; if (!sub || !LISTS.includes(sub)) fail('malformed evaluation string'); type = 'int'; }
    else if (STRVARS.includes(v)) type = 'str';
    else if (INTVARS.includes(v)) type = 'int';
    else if ('drAL'.includes(v) || 'CBbyY'.includes(v)) {
      if ('drA'.includes(v)) { sub = src[i++]; if (!sub || !MULTI[v].includes(sub)) fail('malformed evaluation string'); }
      type = 'list';
    } else fail('malformed evaluation string');
    ws();
    let op;
    const two = src.slice(i, i + 3);
    if (two.startsWith('!=~')) op = '!=~';
    else if (['==', '!=', '=~', '!~', '<=', '>='].includes(src.slice(i, i + 2))) op = src.slice(i, i + 2);
    else if ('=~<>'.includes(src[i] || 'x')) op = src[i];
    else if (src[i] === '!') fail('expecting = or ~ after !');
    else if (i >= src.length) fail('unexpected end of expression');
    else fail(`an operator is expected, got ${src[i]}`);
    i += op.length;
    if (op === '==') op = '=';
    if ((op === '~' || op === '!~' || op === '=~' || op === '!=~') && type === 'int') fail('~ expected only for string testing');
    if ('<>'.includes(op[0]) && type !== 'int') fail(`${op[0]} expected only for integers`);
    const val = value();
    if (type === 'int' && !/^-?\d+$/.test(val)) fail(`a number is expected, got: ${val}`);
    return { v, sub, type, op, val };
  };
  const expr = () => {
    let left = atom();
    for (;;) {
      ws();
      if (src.startsWith('&&', i)) { i += 2; left = { and: [left, atom()] }; }
      else if (src.startsWith('||', i)) { i += 2; left = { or: [left, atom()] }; }
      else return left;
    }
  };
  const tree = expr();
  ws();
  if (i < src.length) fail(src[i] === ')' ? 'too many closing brackets.' : `unexpected character: ${src[i]}`);
  return tree;
}

function evalCond(node, p, ctx) {
  if (node.and) return evalCond(node.and[0], p, ctx) && evalCond(node.and[1], p, ctx);
  if (node.or) return evalCond(node.or[0], p, ctx) || evalCond(node.or[1], p, ctx);
  const { v, sub, type, op, val } = node;
  const test = (x) => {
    switch (op) {
      case '=': return x === val;
      case '!=': return x !== val;
      case '=~': return x.toLowerCase() === val.toLowerCase();
      case '!=~': return x.toLowerCase() !== val.toLowerCase();
      case '~': return require('./db.cjs').globRe(val).test(x);
      case '!~': return !require('./db.cjs').globRe(val).test(x);
      default: return false;
    }
  };
  if (type === 'int') {
    const x = v === '#' ? items(p, sub).length : v === 's' ? p.flatsize : Number(single(p, v, '', ctx));
    const n = Number(val);
    return { '=': x === n, '!=': x !== n, '<': x < n, '<=': x <= n, '>': x > n, '>=': x >= n }[op];
  }
  if (type === 'str') return test(v === 'i' ? '' : single(p, v, '', ctx));
  const vals = items(p, v).map((it) => it[sub || 'n'] ?? it['']);
  if (op === '!=' || op === '!~' || op === '!=~') {
    const pos = { '!=': '=', '!~': '~', '!=~': '=~' }[op];
    return !vals.some((x) => evalCond({ ...node, type: 'str', v: 'n', op: pos }, { ...p, name: x }, ctx));
  }
  return vals.some((x) => test(x));
}

module.exports = { compile, render, parseCond, evalCond, QueryError, humanSize, items };
