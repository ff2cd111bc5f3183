import { createHash, randomInt, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

// The YAML library is loaded by the few templates that use it, not by every `gantry task`.
const nodeRequire = createRequire(import.meta.url);
const yaml = (): typeof Yaml => nodeRequire('yaml') as typeof Yaml;
const parseYaml = (text: string): unknown => yaml().parse(text);
const stringifyYaml = (value: unknown, options: Yaml.ToStringOptions): string =>
  yaml().stringify(value, options);
import { GantryError } from '../../errors/index.js';
import { list } from '../data.js';
import { isTruthy, printValue, sprintf } from './values.js';

export type TemplateFunction = (...args: unknown[]) => unknown;

const str = (v: unknown) => printValue(v);
const int = (v: unknown) => {
  const n = typeof v === 'string' ? Number.parseFloat(v) : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
};
const float = (v: unknown) => {
  const n = typeof v === 'string' ? Number.parseFloat(v) : Number(v);
  return Number.isFinite(n) ? n : 0;
};
const goOS = () =>
  ({ win32: 'windows', darwin: 'darwin', linux: 'linux', freebsd: 'freebsd' })[
    process.platform as string
  ] ?? process.platform;
const goArch = () =>
  ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' })[process.arch as string] ??
  process.arch;
const compare = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : str(a) < str(b)
      ? -1
      : str(a) > str(b)
        ? 1
        : 0;
const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const fail = (message: string): never => {
  throw new GantryError('GANTRY_CONFIG_INVALID', `template: ${message}`);
};

/**
 * The functions of go-task templates: Go's builtins, slim-sprig's and Task's own
 * (internal/templater/funcs.go), minus the date, network and random-number ones nobody
 * relies on. A pipeline passes its value as the last argument.
 */
export const templateFunctions: Record<string, TemplateFunction> = {
  // Go builtins
  and: (...args) => args.find((a) => !isTruthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => isTruthy(a)) ?? args[args.length - 1],
  not: (a) => !isTruthy(a),
  eq: (a, ...bs) => bs.some((b) => compare(a, b) === 0 && typeof a === typeof b),
  ne: (a, b) => !(compare(a, b) === 0 && typeof a === typeof b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  len: (a) =>
    typeof a === 'string'
      ? Buffer.byteLength(a)
      : Array.isArray(a)
        ? a.length
        : a && typeof a === 'object'
          ? Object.keys(a).length
          : 0,
  index: (a, ...keys) =>
    keys.reduce(
      (v: unknown, k) =>
        v && typeof v === 'object' ? (v as Record<string, unknown>)[str(k)] : undefined,
      a,
    ),
  print: (...args) =>
    args
      .map((a, i) =>
        i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ` ${str(a)}` : str(a),
      )
      .join(''),
  println: (...args) => `${args.map(str).join(' ')}\n`,
  printf: (format, ...args) => sprintf(str(format), args),
  urlquery: (...args) => encodeURIComponent(args.map(str).join('')),
  // slim-sprig: strings
  hello: () => 'Hello!',
  default: (fallback, ...given) => (given.length > 0 && isTruthy(given[0]) ? given[0] : fallback),
  empty: (v) => !isTruthy(v),
  coalesce: (...args) => args.find(isTruthy),
  all: (...args) => args.every(isTruthy),
  any: (...args) => args.some(isTruthy),
  ternary: (yes, no, condition) => (isTruthy(condition) ? yes : no),
  fail: (message) => fail(str(message)),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) =>
    str(s).replace(
      /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
      (_m, a: string, b: string) => a + b.toUpperCase(),
    ),
  trim: (s) => str(s).trim(),
  trimAll: (cut, s) => trimCutset(str(s), str(cut)),
  trimall: (cut, s) => trimCutset(str(s), str(cut)),
  trimPrefix: (prefix, s) =>
    str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s),
  trimSuffix: (suffix, s) =>
    str(suffix) && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s),
  trunc: (n, s) => {
    const c = int(n);
    const t = str(s);
    return c < 0 && t.length + c > 0 ? t.slice(t.length + c) : c >= 0 ? t.slice(0, c) : t;
  },
  substr: (start, end, s) => {
    const t = str(s);
    const [a, b] = [int(start), int(end)];
    return a < 0 ? t.slice(0, b) : b < 0 || b > t.length ? t.slice(a) : t.slice(a, b);
  },
  replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix, s) => str(s).endsWith(str(suffix)),
  repeat: (n, s) => str(s).repeat(Math.max(0, int(n))),
  quote: (...args) =>
    args
      .filter((a) => a !== undefined && a !== null)
      .map((a) => JSON.stringify(str(a)))
      .join(' '),
  squote: (...args) =>
    args
      .filter((a) => a !== undefined && a !== null)
      .map((a) => `'${str(a)}'`)
      .join(' '),
  cat: (...args) =>
    args
      .filter((a) => a !== undefined && a !== null)
      .map(str)
      .join(' '),
  indent: (n, s) => indent(int(n), str(s)),
  nindent: (n, s) => `\n${indent(int(n), str(s))}`,
  plural: (one, many, n) => (int(n) === 1 ? one : many),
  sha1sum: (s) => createHash('sha1').update(str(s)).digest('hex'),
  sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
  toString: (v: unknown) => str(v),
  b64enc: (s) => Buffer.from(str(s)).toString('base64'),
  b64dec: (s) => Buffer.from(str(s), 'base64').toString(),
  // sprig's split returns a map _0, _1, ...; splitList returns a list
  split: (sep, s) => indexed(str(s).split(str(sep))),
  splitn: (sep, n, s) => indexed(splitN(str(s), str(sep), int(n))),
  splitList: (sep, s) => str(s).split(str(sep)),
  toStrings: (l) => list(l).map(str),
  join: (sep, l) =>
    list(l)
      .filter((v) => v !== undefined && v !== null)
      .map(str)
      .join(str(sep)),
  sortAlpha: (l) => list(l).map(str).sort(),
  // slim-sprig: numbers
  atoi: (s) => (/^[-+]?\d+$/.test(str(s)) ? Number.parseInt(str(s), 10) : 0),
  int: int,
  int64: int,
  float64: float,
  seq: (...params) => seq(params.map(int)).join(' '),
  until: (n) => untilStep(0, int(n), int(n) < 0 ? -1 : 1),
  untilStep: (start, stop, step) => untilStep(int(start), int(stop), int(step)),
  add1: (a) => int(a) + 1,
  add: (...args) => args.reduce((a: number, b) => a + int(b), 0),
  sub: (a, b) => int(a) - int(b),
  mul: (a, ...args) => args.reduce((x: number, b) => x * int(b), int(a)),
  div: (a, b) => Math.trunc(int(a) / int(b)),
  mod: (a, b) => int(a) % int(b),
  max: (...args) => Math.max(...args.map(int)),
  biggest: (...args) => Math.max(...args.map(int)),
  min: (...args) => Math.min(...args.map(int)),
  maxf: (...args) => Math.max(...args.map(float)),
  minf: (...args) => Math.min(...args.map(float)),
  ceil: (a) => Math.ceil(float(a)),
  floor: (a) => Math.floor(float(a)),
  round: (a, p) => {
    const f = 10 ** int(p ?? 0);
    return Math.round(float(a) * f) / f;
  },
  // slim-sprig: lists and dicts
  list: (...args) => args,
  tuple: (...args) => args,
  dict: (...args) =>
    Object.fromEntries(
      Array.from({ length: Math.ceil(args.length / 2) }, (_, i) => [
        str(args[2 * i]),
        args[2 * i + 1] ?? '',
      ]),
    ),
  first: (l) => list(l)[0],
  last: (l) => list(l).at(-1),
  rest: (l) => list(l).slice(1),
  initial: (l) => list(l).slice(0, -1),
  reverse: (l) => [...list(l)].reverse(),
  append: (l, v) => [...list(l), v],
  push: (l, v) => [...list(l), v],
  prepend: (l, v) => [v, ...list(l)],
  concat: (...ls) => ls.flatMap((l) => list(l)),
  compact: (l) => list(l).filter(isTruthy),
  without: (l, ...vs) => list(l).filter((v) => !vs.some((w) => compare(v, w) === 0)),
  has: (needle, l) => list(l).some((v) => compare(v, needle) === 0),
  uniq: (l) => list(l).filter((v, i, all) => all.findIndex((w) => compare(v, w) === 0) === i),
  slice: (l, ...bounds) => {
    const items = typeof l === 'string' ? l : list(l);
    return items.slice(...bounds.map(int));
  },
  chunk: (n, l) => {
    const items = list(l);
    const size = Math.max(1, int(n));
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
      items.slice(i * size, (i + 1) * size),
    );
  },
  keys: (...ds) => ds.flatMap((d) => Object.keys(record(d))).sort(),
  values: (d) =>
    Object.keys(record(d))
      .sort()
      .map((k) => record(d)[k]),
  get: (d, k) => record(d)[str(k)] ?? '',
  set: (d, k, v) => Object.assign(record(d), { [str(k)]: v }),
  unset: (d, k) => {
    const m = record(d);
    delete m[str(k)];
    return m;
  },
  hasKey: (d, k) => Object.hasOwn(record(d), str(k)),
  pluck: (k, ...ds) =>
    ds.filter((d) => Object.hasOwn(record(d), str(k))).map((d) => record(d)[str(k)]),
  pick: (d, ...ks) =>
    Object.fromEntries(
      ks
        .map(str)
        .filter((k) => Object.hasOwn(record(d), k))
        .map((k) => [k, record(d)[k]]),
    ),
  omit: (d, ...ks) =>
    Object.fromEntries(Object.entries(record(d)).filter(([k]) => !ks.map(str).includes(k))),
  dig: (...args) => {
    const d = args.at(-1);
    const fallback = args.at(-2);
    let current: unknown = d;
    for (const key of args.slice(0, -2).map(str)) {
      if (!Object.hasOwn(record(current), key)) return fallback;
      current = record(current)[key];
    }
    return current;
  },
  // slim-sprig: JSON, reflection, environment, paths, regular expressions
  toJson: (v) => goJson(v, false),
  mustToJson: (v) => goJson(v, false),
  toRawJson: (v) => goJson(v, false, false),
  mustToRawJson: (v) => goJson(v, false, false),
  toPrettyJson: (v) => goJson(v, true),
  mustToPrettyJson: (v) => goJson(v, true),
  fromJson: (s) => {
    try {
      return JSON.parse(str(s)) as unknown;
    } catch {
      return undefined;
    }
  },
  mustFromJson: (s) => JSON.parse(str(s)) as unknown,
  kindOf: (v) => kindOf(v),
  kindIs: (kind, v) => kindOf(v) === str(kind),
  typeOf: (v) => typeOf(v),
  typeIs: (type, v) => typeOf(v) === str(type),
  deepEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  env: (name) => process.env[str(name)] ?? '',
  expandenv: (s) =>
    str(s).replace(
      /\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
      (_m, a?: string, b?: string) => process.env[a ?? b ?? ''] ?? '',
    ),
  base: (p) => goBase(str(p)),
  dir: (p) => goDir(str(p)),
  clean: (p) => goClean(str(p)),
  ext: (p) => goExt(str(p)),
  isAbs: (p) => str(p).startsWith('/'),
  osBase: (p) => goBase(str(p)),
  osDir: (p) => goDir(str(p)),
  osClean: (p) => goClean(str(p)),
  osExt: (p) => goExt(str(p)),
  osIsAbs: (p) => path.isAbsolute(str(p)),
  regexMatch: (re, s) => goRegex(re).test(str(s)),
  mustRegexMatch: (re, s) => goRegex(re).test(str(s)),
  regexFind: (re, s) => goRegex(re).exec(str(s))?.[0] ?? '',
  regexFindAll: (re, s, n) => {
    const all = [...str(s).matchAll(goRegex(re, 'g'))].map((m) => m[0]);
    return int(n) < 0 ? all : all.slice(0, int(n));
  },
  regexReplaceAll: (re, s, repl) =>
    str(s).replace(
      goRegex(re, 'g'),
      str(repl).replace(/\$\{(\w+)\}/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`)),
    ),
  regexReplaceAllLiteral: (re, s, repl) => str(s).replace(goRegex(re, 'g'), () => str(repl)),
  regexSplit: (re, s, n) => {
    const parts = str(s).split(goRegex(re, 'g'));
    return int(n) < 0 ? parts : [...parts.slice(0, int(n) - 1), parts.slice(int(n) - 1).join('')];
  },
  regexQuoteMeta: (s) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  // Task's own
  OS: goOS,
  ARCH: goArch,
  numCPU: () => os.availableParallelism(),
  exeExt: () => (process.platform === 'win32' ? '.exe' : ''),
  catLines: (s) => str(s).replace(/\r?\n/g, ' '),
  splitLines: (s) => str(s).replace(/\r\n/g, '\n').split('\n'),
  fromSlash: (s) => str(s).split('/').join(path.sep),
  toSlash: (s) => str(s).split(path.sep).join('/'),
  joinPath: (...parts) => {
    const joined = parts.map(str).filter(Boolean).join('/');
    return joined && goClean(joined);
  },
  joinEnv: (...parts) => parts.map(str).join(path.delimiter),
  joinUrl: (base, ...parts) =>
    parts.length === 0
      ? str(base)
      : new URL(
          [new URL(str(base)).pathname, ...parts.map(str)].join('/').replace(/\/{2,}/g, '/'),
          str(base),
        ).toString(),
  relPath: (base, target) => goRel(str(base), str(target)),
  absPath: (p) => path.resolve(str(p)),
  shellQuote: (s) => shellQuote(str(s)),
  q: (s) => shellQuote(str(s)),
  splitArgs: (s) => splitArgs(str(s)),
  merge: (base, ...others) => Object.assign({}, record(base), ...others.map(record)) as unknown,
  fromYaml: (s) => {
    try {
      return parseYaml(str(s)) as unknown;
    } catch {
      return undefined;
    }
  },
  mustFromYaml: (s) => parseYaml(str(s)) as unknown,
  toYaml: (v) => stringifyYaml(sortKeys(v), { indent: 4, indentSeq: true }),
  mustToYaml: (v) => stringifyYaml(sortKeys(v), { indent: 4, indentSeq: true }),
  uuid: () => randomUUID(),
  randIntN: (n) => randomInt(Math.max(1, int(n))),
  IsSH: () => true,
};
// Deprecated spellings go-task still accepts.
Object.assign(templateFunctions, {
  FromSlash: templateFunctions['fromSlash'],
  ToSlash: templateFunctions['toSlash'],
  ExeExt: templateFunctions['exeExt'],
});

function indexed(parts: string[]): Record<string, string> {
  return Object.fromEntries(parts.map((part, i) => [`_${i}`, part]));
}

/** Go's strings.SplitN: at most n parts, the last holding the rest; n < 0 means all. */
function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/** sprig's seq: `seq 3` is 1 2 3, `seq 2 4`, `seq 0 2 6` (start, step, end); counts down too. */
function seq(params: number[]): number[] {
  const [a = 0, b = 0, c = 0] = params;
  if (params.length === 1) return untilStep(1, a + (a < 1 ? -1 : 1), a < 1 ? -1 : 1);
  if (params.length === 2) return untilStep(a, b + (b < a ? -1 : 1), b < a ? -1 : 1);
  if (params.length === 3) {
    if (c < a && b > 0) return [];
    return untilStep(a, c + (c < a ? -1 : 1), b);
  }
  return [];
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.split('\n').join(`\n${pad}`);
}

function trimCutset(s: string, cut: string): string {
  const chars = new Set(cut);
  let start = 0;
  let end = s.length;
  while (start < end && chars.has(s[start] as string)) start++;
  while (end > start && chars.has(s[end - 1] as string)) end--;
  return s.slice(start, end);
}

/** Go's json.Marshal: map keys sorted, `<`, `>` and `&` escaped (unless raw). */
function goJson(value: unknown, pretty: boolean, escapeHtml = true): string {
  const text = JSON.stringify(sortKeys(value) ?? null, null, pretty ? 2 : undefined);
  return escapeHtml
    ? text.replace(
        /[<>&\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
    : text;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

function kindOf(v: unknown): string {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

function typeOf(v: unknown): string {
  const kind = kindOf(v);
  return kind === 'slice'
    ? '[]interface {}'
    : kind === 'map'
      ? 'map[string]interface {}'
      : kind === 'invalid'
        ? '<nil>'
        : kind;
}

/** RE2 and JavaScript agree on the common syntax; `(?P<name>` is RE2's named group. */
function goRegex(re: unknown, flags = ''): RegExp {
  return new RegExp(str(re).replace(/\(\?P</g, '(?<'), flags);
}

/** Go's path.Clean: lexical, `.` for an empty result. */
function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts.at(-1) !== '..') parts.pop();
      else if (!rooted) parts.push('..');
    } else parts.push(part);
  }
  const joined = parts.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function goDir(p: string): string {
  return goClean(p.slice(0, p.lastIndexOf('/') + 1));
}

function goExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** Go's filepath.Rel: lexical; an error (rendered empty) when one path is absolute and the other not. */
function goRel(base: string, target: string): string {
  const [b, t] = [goClean(base), goClean(target)];
  if (b.startsWith('/') !== t.startsWith('/'))
    fail(`relPath: can't make ${target} relative to ${base}`);
  if (b === t) return '.';
  const bs = b === '.' ? [] : b.split('/').filter(Boolean);
  const ts = t === '.' ? [] : t.split('/').filter(Boolean);
  let i = 0;
  while (i < bs.length && i < ts.length && bs[i] === ts[i]) i++;
  if (bs.slice(i).includes('..')) fail(`relPath: can't make ${target} relative to ${base}`);
  return [...bs.slice(i).map(() => '..'), ...ts.slice(i)].join('/') || '.';
}

const bashKeywords = new Set([
  '!',
  '[[',
  ']]',
  'case',
  'coproc',
  'do',
  'done',
  'else',
  'esac',
  'fi',
  'for',
  'function',
  'if',
  'in',
  'select',
  'then',
  'time',
  'until',
  'while',
  '{',
  '}',
]);

/**
 * go-task's shellQuote (mvdan.cc/sh syntax.Quote for bash): unchanged when nothing needs
 * quoting, else single quotes, else double quotes (when the text has a single quote), else
 * `$'...'` for non-printable characters.
 */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  let special = false;
  let nonPrintable = false;
  for (const c of s) {
    if (/[;"'()$|&><`\s\\#{~*?[=]/.test(c)) special = true;
    if (c === '\0') fail('shell strings cannot contain null bytes');
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(c)) nonPrintable = true;
  }
  if (!special && !nonPrintable && !bashKeywords.has(s)) return s;
  if (nonPrintable) {
    const escapes: Record<string, string> = {
      '\x07': '\\a',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
      '\v': '\\v',
    };
    let out = "$'";
    for (const c of s) {
      const code = c.codePointAt(0) as number;
      if (c === "'" || c === '\\') out += `\\${c}`;
      else if (/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(c)) out += c;
      else if (escapes[c]) out += escapes[c];
      else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
    return `${out}'`;
  }
  if (!s.includes("'")) return `'${s}'`;
  return `"${s.replace(/["\\`$]/g, '\\$&')}"`;
}

/** go-task's splitArgs (mvdan.cc/sh shell.Fields without expansion): shell-style words. */
function splitArgs(s: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) fail(`splitArgs: unclosed quote in ${s}`);
      word = (word ?? '') + s.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && /["\\$`]/.test(s[j + 1] ?? '')) j++;
        text += s[j];
      }
      if (j >= s.length) fail(`splitArgs: unclosed quote in ${s}`);
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\' && i + 1 < s.length) {
      word = (word ?? '') + s[++i];
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
