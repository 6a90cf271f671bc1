'use strict';
// A small libucl reader for the simulated pkg: what repository files use (commands.md §2).
// Objects are returned as arrays of [key, value] so duplicate keys stay in order, the way
// libucl's implicit arrays are walked by pkg.  Independent of src/formats/ucl.ts on purpose:
// the simulator is the reference the resource is checked against.
//
// value := {type:'object', pairs} | {type:'string', value} | {type:'int', value}
//        | {type:'bool', value} | {type:'null'}
// Throws Error('line: N, column: M - reason') like libucl's error text.

function parse(text) {
  let i = 0;
  const fail = (why) => {
    const before = text.slice(0, i).split('\n');
    throw new Error(`line: ${before.length}, column: ${before[before.length - 1].length + 1} - '${why}'`);
  };
  const skip = (nl) => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || (nl && c === '\n')) i++;
      else if (c === '#') { while (i < text.length && text[i] !== '\n') i++; }
      else if (c === '/' && text[i + 1] === '*') {
        let depth = 0;
        while (i < text.length) {
          if (text.startsWith('/*', i)) { depth++; i += 2; }
          else if (text.startsWith('*/', i)) { depth--; i += 2; if (depth === 0) break; }
          else i++;
        }
        if (depth !== 0) fail('unfinished multiline comment');
      } else return;
    }
  };
  const dq = () => {
    i++;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unfinished json string');
      if (c === '"') { i++; return out; }
      if (c === '\\') {
        const e = text[i + 1];
        const m = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in m) { out += m[e]; i += 2; continue; }
        if (e === 'u') { out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue; }
        fail('invalid escape');
      }
      out += c; i++;
    }
  };
  const sq = () => {
    i++;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('unfinished single quoted string');
      if (c === "'") { i++; return out; }
      if (c === '\\' && text[i + 1] === "'") { out += "'"; i += 2; continue; }
      if (c === '\\' && text[i + 1] === '\n') { i += 2; continue; }
      out += c; i++;
    }
  };
  const atom = () => {
    const s = i;
    let braces = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '{') braces++;
      else if (c === '}') { if (braces === 0) break; braces--; }
      if (c === '\n' || c === ',' || c === ';' || c === ']' || c === '#' || (c === '/' && text[i + 1] === '*')) break;
      i++;
    }
    const t = text.slice(s, i).replace(/[ \t\r]+$/, '');
    if (t === '') fail('string value must not be empty');
    if (t === 'null') return { type: 'null' };
    const l = t.toLowerCase();
    if (['yes', 'true', 'on'].includes(l)) return { type: 'bool', value: true };
    if (['no', 'false', 'off'].includes(l)) return { type: 'bool', value: false };
    if (/^-?\d+$/.test(t)) return { type: 'int', value: Number(t) };
    return { type: 'string', value: t };
  };
  const value = () => {
    const c = text[i];
    if (c === '{') { i++; return object(true); }
    if (c === '[') fail('arrays are not simulated');
    if (c === '"') return { type: 'string', value: dq() };
    if (c === "'") return { type: 'string', value: sq() };
    return atom();
  };
  const object = (closed) => {
    const pairs = [];
    for (;;) {
      skip(true);
      const c = text[i];
      if (c === undefined) { if (closed) fail('unfinished object'); return { type: 'object', pairs }; }
      if (c === '}') { if (!closed) fail('unexpected }'); i++; return { type: 'object', pairs }; }
      if (c === ',' || c === ';') { i++; continue; }
      let key;
      if (c === '"') key = dq();
      else if (/[A-Za-z0-9_/]/.test(c) && !(c === '/' && text[i + 1] === '/')) {
        const s = i;
        while (i < text.length && /[A-Za-z0-9_./-]/.test(text[i])) i++;
        key = text.slice(s, i);
      } else if (c === '.') fail('macros are not simulated');
      else fail('key must begin with a letter');
      skip(false);
      if (text[i] === ':' || text[i] === '=') i++;
      skip(true);
      if (text[i] === undefined || text[i] === '}') fail('unfinished key');
      pairs.push([key, value()]);
      skip(false);
      if (text[i] === ',' || text[i] === ';') i++;
      else if (text[i] !== undefined && text[i] !== '\n' && text[i] !== '}') fail('delimiter is missing');
    }
  };
  skip(true);
  if (text[i] === '{') {
    i++;
    const o = object(true);
    skip(true);
    if (i < text.length) fail('trailing garbage');
    return o;
  }
  i = 0;
  return object(false);
}

// Short UCL rendering of a value (for "Ignoring bad configuration entry").
function show(v) {
  if (v.type === 'string') return JSON.stringify(v.value);
  if (v.type === 'bool') return v.value ? 'true' : 'false';
  if (v.type === 'null') return 'null';
  if (v.type === 'int') return String(v.value);
  return `{ ${v.pairs.map(([k, x]) => `${k}: ${show(x)}`).join(', ')} }`;
}

module.exports = { parse, show };
