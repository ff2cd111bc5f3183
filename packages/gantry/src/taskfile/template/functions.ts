import os from 'node:os';
import path from 'node:path';
import { list } from '../data.js';
import { isTruthy, printValue, sprintf } from './values.js';

export type TemplateFunction = (...args: unknown[]) => unknown;

const str = (v: unknown) => printValue(v);
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

/**
 * The functions go-task templates use in practice: Go's builtins, the slim-sprig subset and
 * Task's own (internal/templater/funcs.go). A pipeline passes its value as the last argument.
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
    typeof a === 'string' || Array.isArray(a)
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
  print: (...args) => args.map(str).join(''),
  println: (...args) => `${args.map(str).join(' ')}\n`,
  printf: (format, ...args) => sprintf(str(format), args),
  // sprig
  default: (fallback, value) => (isTruthy(value) ? value : fallback),
  empty: (v) => !isTruthy(v),
  coalesce: (...args) => args.find(isTruthy),
  ternary: (yes, no, condition) => (isTruthy(condition) ? yes : no),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trim: (s) => str(s).trim(),
  trimAll: (cut, s) =>
    str(s).replace(
      new RegExp(`^[${escapeClass(str(cut))}]+|[${escapeClass(str(cut))}]+$`, 'g'),
      '',
    ),
  trimPrefix: (prefix, s) =>
    str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s),
  trimSuffix: (suffix, s) =>
    str(suffix) && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s),
  replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix, s) => str(s).endsWith(str(suffix)),
  repeat: (n, s) => str(s).repeat(Number(n)),
  quote: (...args) => args.map((a) => JSON.stringify(str(a))).join(' '),
  squote: (...args) => args.map((a) => `'${str(a)}'`).join(' '),
  cat: (...args) =>
    args
      .filter((a) => a !== undefined && a !== null)
      .map(str)
      .join(' '),
  // sprig's split returns a map _0, _1, ...; splitList returns a list
  split: (sep, s) =>
    Object.fromEntries(
      str(s)
        .split(str(sep))
        .map((part, i) => [`_${i}`, part]),
    ),
  splitList: (sep, s) => str(s).split(str(sep)),
  join: (sep, l) => list(l).map(str).join(str(sep)),
  list: (...args) => args,
  dict: (...args) =>
    Object.fromEntries(
      Array.from({ length: args.length >> 1 }, (_, i) => [str(args[2 * i]), args[2 * i + 1]]),
    ),
  first: (l) => list(l)[0],
  last: (l) => list(l).at(-1),
  has: (needle, l) => list(l).some((v) => compare(v, needle) === 0),
  uniq: (l) => [...new Set(list(l))],
  sortAlpha: (l) => list(l).map(str).sort(),
  toJson: (v) => JSON.stringify(v ?? null),
  toPrettyJson: (v) => JSON.stringify(v ?? null, null, 2),
  fromJson: (s) => JSON.parse(str(s)) as unknown,
  add: (...args) => args.reduce((a: number, b) => a + Number(b), 0),
  sub: (a, b) => Number(a) - Number(b),
  mul: (...args) => args.reduce((a: number, b) => a * Number(b), 1),
  div: (a, b) => Math.trunc(Number(a) / Number(b)),
  mod: (a, b) => Number(a) % Number(b),
  // Task's own
  OS: goOS,
  ARCH: goArch,
  numCPU: () => os.availableParallelism(),
  exeExt: () => (process.platform === 'win32' ? '.exe' : ''),
  catLines: (s) => str(s).replace(/\r?\n/g, ' '),
  splitLines: (s) => str(s).split(/\r?\n/),
  fromSlash: (s) => str(s).split('/').join(path.sep),
  toSlash: (s) => str(s).split(path.sep).join('/'),
  joinPath: (...parts) => path.join(...parts.map(str)),
  relPath: (base, target) => path.relative(str(base), str(target)),
  absPath: (p) => path.resolve(str(p)),
  shellQuote: (s) => shellQuote(str(s)),
  q: (s) => shellQuote(str(s)),
};

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&');
}
