import { CodeSet, perlClasses, posixClasses } from './go-regex-set.js';

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

export class GoRegexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'GoRegexError';
  }
}

/**
 * The reading half of the Go RE2 translation (go-regex.ts): the position in the pattern,
 * errors with Go's wording, and what becomes a character set — classes, escapes, POSIX
 * classes and Unicode properties.
 */
export abstract class GoRegexReader {
  protected pos = 0;

  constructor(
    protected readonly src: string,
    /** The whole pattern is case-insensitive: JavaScript's `i` flag does the folding. */
    protected readonly globalFold: boolean,
  ) {}

  protected fail(message: string, at = this.pos): never {
    throw new GoRegexError(`${message} at offset ${at}`, at);
  }

  /** `[...]`: every item becomes ranges, folded under `(?i)` and negated as a whole. */
  protected charClass(flags: Flags): string {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const set = new CodeSet();
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail('missing closing ]', start);
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.src[this.pos + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos));
        const ranges = m ? posixClasses[m[2]!] : undefined;
        if (!m || !ranges) this.fail('invalid character class range', this.pos);
        set.addAll(ranges, m[1] === '^');
        this.pos += m[0].length;
        continue;
      }
      const itemStart = this.pos;
      const lo = this.classItem();
      if (typeof lo !== 'number') {
        if (lo.negated && lo.set.properties.length > 0) {
          set.properties.push(...lo.set.properties.map((p) => p.replace('\\p', '\\P')));
        } else if (lo.negated) set.addAll(lo.set.normalized(), true);
        else {
          set.addAll(lo.set.ranges);
          set.properties.push(...lo.set.properties);
        }
        continue;
      }
      if (
        this.src[this.pos] === '-' &&
        this.src[this.pos + 1] !== ']' &&
        this.pos + 1 < this.src.length
      ) {
        this.pos++;
        const hi = this.classItem();
        if (typeof hi !== 'number' || hi < lo)
          this.fail('invalid character class range', itemStart);
        set.add(lo, hi);
      } else set.add(lo);
    }
    if (flags.i && !this.globalFold) set.fold();
    return set.emit(negated);
  }

  /**
   * One escape or literal: a code point, or a class (`\d`, `\pL`, …) with its negation.
   */
  protected classItem(): number | { set: CodeSet; negated: boolean } {
    const start = this.pos;
    const c = this.src[this.pos]!;
    if (c !== '\\') {
      const code = this.src.codePointAt(this.pos)!;
      this.pos += code > 0xffff ? 2 : 1;
      return code;
    }
    const e = this.src[this.pos + 1];
    if (e === undefined) this.fail('trailing backslash at end of expression', start);
    this.pos += 2;
    const lower = e.toLowerCase();
    if (lower === 'd' || lower === 's' || lower === 'w') {
      return { set: new CodeSet().addAll(perlClasses[lower]!), negated: e !== lower };
    }
    if (e === 'p' || e === 'P') return this.property(e === 'P', start);
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (e in simple) return simple[e]!;
    if (e === 'x') {
      const m = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.src.slice(this.pos));
      const code = m ? parseInt(m[1] ?? m[2]!, 16) : NaN;
      if (!m || code > 0x10ffff) this.fail('invalid escape sequence', start);
      this.pos += m[0].length;
      return code;
    }
    if (e >= '0' && e <= '7') {
      // Go reads \0, \01 or a 2–3 digit octal; a lone \1–\7 would be a backreference.
      const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos))![0];
      if (e !== '0' && m === '')
        this.fail('invalid escape sequence (backreferences are not supported)', start);
      this.pos += m.length;
      return parseInt(e + m, 8);
    }
    // Escaped ASCII punctuation is itself; anything else after a backslash is an error.
    if (/[A-Za-z0-9]/.test(e) || e.charCodeAt(0) >= 0x80)
      this.fail(`invalid escape sequence \\${e}`, start);
    return e.charCodeAt(0);
  }

  /** `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL`: Unicode categories and scripts. */
  private property(negated: boolean, start: number): { set: CodeSet; negated: boolean } {
    let name: string;
    if (this.src[this.pos] === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) this.fail('invalid character class range', start);
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      name = this.src[this.pos] ?? '';
      this.pos++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const set = new CodeSet();
    if (name === 'Any') return { set: set.add(0, 0x10ffff), negated };
    const escape = /^[A-Z][a-z]?$/.test(name) ? `\\p{${name}}` : `\\p{Script=${name}}`;
    try {
      new RegExp(escape, 'u');
    } catch {
      this.fail(`invalid character class range \\p{${name}}`, start);
    }
    set.properties.push(escape);
    return { set, negated };
  }
}
