/**
 * One path segment of an `@actions/glob` pattern, compiled the way its minimatch options
 * (dot: true, nobrace, noext, nonegate, case-sensitive on POSIX) compile it: `*` is any run of
 * characters, `?` one character, `[...]` a bracket expression (`!` or `^` negates, ranges,
 * POSIX classes such as `[:alpha:]`), `\` escapes the next character; everything else,
 * including `{`, `(`, `+`, `@` and `!`, is literal.
 */
export type Segment =
  { kind: 'literal'; text: string } | { kind: 'glob'; re: RegExp } | { kind: 'globstar' };

export const literalSegment = (text: string): Segment => ({ kind: 'literal', text });

export function compileSegment(text: string): Segment {
  if (text === '**') return { kind: 'globstar' };
  const plain = literalOf(text);
  return plain !== '' ? literalSegment(plain) : { kind: 'glob', re: segmentRegExp(text) };
}

export function matchSegment(segment: Segment, name: string): boolean {
  if (segment.kind === 'literal') return segment.text === name;
  if (segment.kind === 'globstar') return true;
  // A wildcard never matches an empty segment, '.' or '..' (minimatch's pattern-start guard).
  return name !== '' && name !== '.' && name !== '..' && segment.re.test(name);
}

/**
 * Pattern.getLiteral in @actions/glob: the unescaped text when the segment holds no glob, else ''.
 * A one-character bracket expression such as `[a]` is literal.
 */
export function literalOf(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '\\' && i + 1 < segment.length) {
      out += segment[++i];
    } else if (c === '*' || c === '?') {
      return '';
    } else if (c === '[' && findClassEnd(segment, i) > 0) {
      const close = findClassEnd(segment, i);
      const set = segment.slice(i + 1, close).replace(/\\(.)/g, '$1');
      if (set.length > 1) return '';
      out += set || '[]';
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

function findClassEnd(segment: string, open: number): number {
  for (let i = open + 1; i < segment.length; i++) {
    if (segment[i] === '\\') i++;
    else if (segment[i] === ']') return i;
  }
  return -1;
}

// minimatch's POSIX classes (brace-expressions.ts); [:graph:] and [:print:] are left out.
const POSIX: Record<string, string> = {
  alnum: '\\p{L}\\p{Nl}\\p{Nd}',
  alpha: '\\p{L}\\p{Nl}',
  ascii: '\\x00-\\x7f',
  blank: '\\p{Zs}\\t',
  cntrl: '\\p{Cc}',
  digit: '\\p{Nd}',
  lower: '\\p{Ll}',
  punct: '\\p{P}',
  space: '\\p{Z}\\t\\r\\n\\v\\f',
  upper: '\\p{Lu}',
  word: '\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}',
  xdigit: 'A-Fa-f0-9',
};

function segmentRegExp(text: string): RegExp {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const bracket = c === '[' ? bracketSource(text, i) : undefined;
    if (c === '\\' && i + 1 < text.length) {
      source += escapeRe(text[++i] ?? '');
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (bracket) {
      source += bracket.source;
      i = bracket.end;
    } else {
      source += escapeRe(c);
    }
  }
  try {
    return new RegExp(`^${source}$`, 'u');
  } catch {
    // An impossible range such as [z-a] matches nothing rather than failing the whole call.
    return /(?!)/u;
  }
}

/** A `[...]` bracket expression as a regex class; undefined when it is not closed. */
function bracketSource(text: string, open: number): { source: string; end: number } | undefined {
  let i = open + 1;
  const negate = text[i] === '!' || text[i] === '^';
  if (negate) i++;
  const start = i;
  let body = '';
  for (; i < text.length; i++) {
    const c = text[i] ?? '';
    const posix = /^\[:([a-z]+):\]/.exec(text.slice(i));
    const posixClass = posix?.[1] === undefined ? undefined : POSIX[posix[1]];
    if (c === ']' && i > start) {
      return { source: negate ? `[^${body}/]` : `[${body}]`, end: i };
    } else if (posix && posixClass !== undefined) {
      body += posixClass;
      i += posix[0].length - 1;
    } else if (c === '\\' && i + 1 < text.length) {
      body += escapeClass(text[++i] ?? '');
    } else if (c === '-' && i > start && text[i + 1] !== ']') {
      body += '-';
    } else {
      body += escapeClass(c);
    }
  }
  return undefined;
}

const escapeRe = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const escapeClass = (s: string): string => s.replace(/[\\\]^[-]/g, '\\$&');
