/**
 * Character sets for the Go RE2 → JavaScript translation (go-regex.ts): a class is built as
 * code point ranges, so Go's Perl classes, POSIX classes, negated items inside a class and
 * case folding under a scoped `(?i:…)` all become plain ranges JavaScript understands.
 */

type Range = [lo: number, hi: number];

const MAX = 0x10ffff;

/** Go's Perl classes are ASCII-only (`\s` has no `\v`, unlike JavaScript's). */
export const perlClasses: Readonly<Record<string, readonly Range[]>> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};

/** `[[:name:]]` inside a Go class: ASCII-only, as in Go's regexp/syntax. */
export const posixClasses: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** A set of code points plus Unicode property escapes (`\p{L}`) kept as JavaScript text. */
export class CodeSet {
  ranges: Range[] = [];
  readonly properties: string[] = [];

  add(lo: number, hi = lo): this {
    this.ranges.push([lo, hi]);
    return this;
  }

  addAll(ranges: readonly Range[], negated = false): this {
    for (const [lo, hi] of negated ? complement(ranges) : ranges) this.add(lo, hi);
    return this;
  }

  /** Adds the other case of every letter, as Go's `(?i)` does (simple folding). */
  fold(): this {
    for (const [lo, hi] of [...this.ranges]) {
      // Go folds k to the Kelvin sign and s to the long s as well.
      const extra = [
        [0x6b, 0x212a],
        [0x73, 0x17f],
      ] as const;
      for (const [ascii, special] of extra) {
        const upper = ascii - 0x20;
        if ((lo <= ascii && ascii <= hi) || (lo <= upper && upper <= hi)) this.add(special);
        if (lo <= special && special <= hi) this.add(ascii).add(upper);
      }
      overlap(lo, hi, 0x41, 0x5a, (a, b) => this.add(a + 0x20, b + 0x20));
      overlap(lo, hi, 0x61, 0x7a, (a, b) => this.add(a - 0x20, b - 0x20));
      // Beyond ASCII, fold code point by code point where ranges are small.
      if (hi > 0x7f && hi - Math.max(lo, 0x80) < 2048) {
        for (let c = Math.max(lo, 0x80); c <= hi; c++) {
          for (const other of otherCases(c)) this.add(other);
        }
      }
    }
    return this;
  }

  normalized(): Range[] {
    const sorted = [...this.ranges].sort((a, b) => a[0] - b[0]);
    const out: Range[] = [];
    for (const [lo, hi] of sorted) {
      const last = out[out.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return out;
  }

  /** The set as one JavaScript class, for a regex compiled with the `u` flag. */
  emit(negated: boolean): string {
    const ranges = this.normalized();
    if (this.properties.length === 0) {
      if (!negated && ranges.length === 1 && ranges[0]![0] === ranges[0]![1])
        return literal(ranges[0]![0]);
      if (ranges.length === 0) return negated ? '[\\s\\S]' : '[]';
      if (ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === MAX)
        return negated ? '[]' : '[\\s\\S]';
    }
    const body = ranges
      .map(([lo, hi]) =>
        lo === hi
          ? classChar(lo)
          : hi === lo + 1
            ? classChar(lo) + classChar(hi)
            : `${classChar(lo)}-${classChar(hi)}`,
      )
      .join('');
    return `[${negated ? '^' : ''}${body}${this.properties.join('')}]`;
  }
}

function overlap(
  lo: number,
  hi: number,
  from: number,
  to: number,
  add: (a: number, b: number) => void,
): void {
  const a = Math.max(lo, from);
  const b = Math.min(hi, to);
  if (a <= b) add(a, b);
}

function otherCases(c: number): number[] {
  const ch = String.fromCodePoint(c);
  const out: number[] = [];
  for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
    const code = other.codePointAt(0);
    if (code !== undefined && code !== c && String.fromCodePoint(code) === other) out.push(code);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const sorted = new CodeSet().addAll(ranges).normalized();
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

function hex(c: number): string {
  if (c < 0x100) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c < 0x10000) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\u{${c.toString(16)}}`;
}

/** A code point inside `[...]`; what is special there is escaped. */
function classChar(c: number): string {
  if (c === 0x5c || c === 0x5d || c === 0x5b || c === 0x5e || c === 0x2d)
    return `\\${String.fromCharCode(c)}`;
  return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : hex(c);
}

const syntax = new Set('^$\\.*+?()[]{}|/');

/** A code point outside a class, escaped when JavaScript (with `u`) would read it as syntax. */
export function literal(c: number): string {
  const ch = String.fromCharCode(c);
  if (c < 0x80 && syntax.has(ch)) return `\\${ch}`;
  return c >= 0x20 && c < 0x7f ? ch : hex(c);
}
