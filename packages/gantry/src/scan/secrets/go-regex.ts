import { GoRegexError, GoRegexReader, type Flags } from './go-regex-reader.js';
import { CodeSet, literal } from './go-regex-set.js';

export { GoRegexError } from './go-regex-reader.js';

/**
 * Translates a Go RE2 regular expression (gitleaks' dialect) into an equivalent JavaScript
 * one, for Node 20's RegExp with the `u` flag. What JavaScript lacks is rewritten: a leading
 * `(?i)` becomes the `i` flag, scoped or mid-pattern flags (`(?i:…)`, `(?-i)`, `(?s)`, `(?m)`,
 * `(?U)`) are expanded by hand, `\z`/`\A` become anchors, `(?P<name>…)` a plain group, POSIX
 * classes ranges, and Go's ASCII `\s` and newline-only `.` keep their Go meaning. What RE2
 * itself rejects (lookaround, backreferences) is rejected here too, with Go's reason.
 */
export interface TranslatedRegex {
  readonly source: string;
  readonly flags: string;
  /** Capturing groups, numbered as Go numbers them. */
  readonly groups: number;
}

/** Thrown when a pattern that starts with `(?i)` turns it off again: translate by hand. */
class NeedsManualFolding extends Error {}

export function translateGoRegex(pattern: string): TranslatedRegex {
  if (/^\(\?[msU]*i[msU]*\)/.test(pattern)) {
    try {
      return new Translator(pattern, true).run();
    } catch (error) {
      if (!(error instanceof NeedsManualFolding)) throw error;
    }
  }
  return new Translator(pattern, false).run();
}

/** Compiles a translated pattern; `extraFlags` adds e.g. `g`. */
export function compileGoRegex(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = translateGoRegex(pattern);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch (error) {
    throw new GoRegexError(`cannot be compiled: ${(error as Error).message}`, 0);
  }
}

class Translator extends GoRegexReader {
  private groups = 0;

  run(): TranslatedRegex {
    const source = this.alternation({ i: this.globalFold, m: false, s: false, U: false });
    if (this.pos < this.src.length) this.fail('unexpected )');
    // Go's regexp accepts nothing JavaScript would read differently from here on; checking
    // now turns an impossible translation into a config error rather than a crash later.
    try {
      new RegExp(source, this.globalFold ? 'iu' : 'u');
    } catch (error) {
      this.fail(`has no JavaScript equivalent (${(error as Error).message})`);
    }
    return { source, flags: this.globalFold ? 'iu' : 'u', groups: this.groups };
  }

  /** Alternatives up to an unmatched `)` or the end; flags set inside last to the group's end. */
  private alternation(outer: Flags): string {
    const flags = { ...outer };
    const alternatives: string[] = [];
    let current = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === ')') break;
      if (c === '|') {
        alternatives.push(current);
        current = '';
        this.pos++;
        continue;
      }
      const start = this.pos;
      if ('*+?'.includes(c) || (c === '{' && this.repeatAt(this.pos))) {
        this.fail('missing argument to repetition operator', start);
      }
      const atom = this.atom(flags);
      if (atom === undefined) continue;
      current += this.quantified(atom, flags);
    }
    alternatives.push(current);
    return alternatives.join('|');
  }

  private quantified(atom: Atom, flags: Flags): string {
    let text = atom.text;
    const prefix = atom.prefix ?? '';
    let quantifiers = 0;
    for (;;) {
      const at = this.pos;
      const c = this.src[at];
      let op: string | undefined;
      if (c === '*' || c === '+' || c === '?') {
        op = c;
        this.pos++;
      } else if (c === '{') {
        const repeat = this.repeatAt(at);
        if (!repeat) break;
        op = repeat.text;
        this.pos = repeat.end;
      } else break;
      if (quantifiers > 0) this.fail('invalid nested repetition operator', at);
      quantifiers++;
      let lazy = false;
      if (this.src[this.pos] === '?') {
        lazy = true;
        this.pos++;
      }
      if (flags.U) lazy = !lazy;
      if (atom.assertion) text = `(?:${text})`;
      text += op + (lazy ? '?' : '');
    }
    return prefix + text;
  }

  /** `{n}`, `{n,}`, `{n,m}` at `at`; anything else is a literal `{` in Go. */
  private repeatAt(at: number): { text: string; end: number } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(at, at + 24));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[3] === undefined || m[3] === '' ? undefined : Number(m[3]);
    if (min > 1000 || (max !== undefined && (max > 1000 || max < min)))
      this.fail(`invalid repeat count ${m[0]}`, at);
    return { text: m[0], end: at + m[0].length };
  }

  private atom(flags: Flags): Atom | undefined {
    const c = this.src[this.pos]!;
    switch (c) {
      case '(':
        return this.group(flags);
      case '[':
        return { text: this.charClass(flags) };
      case '.':
        this.pos++;
        return { text: flags.s ? '[\\s\\S]' : '[^\\n]' };
      case '^':
        this.pos++;
        return { text: flags.m ? '(?<![^\\n])' : '^', assertion: true };
      case '$':
        this.pos++;
        return { text: flags.m ? '(?![^\\n])' : '$', assertion: true };
      case '\\':
        return this.escape(flags);
      default: {
        const code = this.src.codePointAt(this.pos)!;
        this.pos += code > 0xffff ? 2 : 1;
        return { text: this.char(code, flags) };
      }
    }
  }

  private char(code: number, flags: Flags): string {
    if (!flags.i || this.globalFold) return literal(code);
    return new CodeSet().add(code).fold().emit(false);
  }

  private group(flags: Flags): Atom | undefined {
    const start = this.pos;
    const rest = this.src.slice(start, start + 4);
    let capturing = false;
    let inner = flags;
    if (rest.startsWith('(?P<') || (rest.startsWith('(?<') && !/^\(\?<[=!]/.test(rest))) {
      const m = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(this.src.slice(start));
      if (!m) this.fail('invalid named capture', start);
      this.pos += m[0].length;
      capturing = true;
    } else if (rest.startsWith('(?')) {
      const m = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(this.src.slice(start));
      if (!m) this.fail('invalid or unsupported Perl syntax (lookaround, atomic group, …)', start);
      if (m[1] === '' && (m[2] === undefined || m[2] === '') && (m[2] === '' || m[3] === ')'))
        this.fail('missing flags in group', start);
      const next = { ...flags };
      for (const f of m[1]!) next[f as keyof Flags] = true;
      for (const f of m[2] ?? '') next[f as keyof Flags] = false;
      if (this.globalFold && !next.i) throw new NeedsManualFolding();
      this.pos += m[0].length;
      if (m[3] === ')') {
        // `(?i)` mid-pattern: the flags hold until the end of the enclosing group.
        Object.assign(flags, next);
        return undefined;
      }
      inner = next;
    } else {
      this.pos++;
      capturing = true;
    }
    if (capturing) this.groups++;
    const body = this.alternation(inner);
    if (this.src[this.pos] !== ')') this.fail('missing closing )', start);
    this.pos++;
    return { text: capturing ? `(${body})` : `(?:${body})` };
  }

  private escape(flags: Flags): Atom {
    const start = this.pos;
    const c = this.src[this.pos + 1];
    if (c === undefined) this.fail('trailing backslash at end of expression', start);
    switch (c) {
      case 'A':
        this.pos += 2;
        return { text: '^', assertion: true };
      case 'z':
        this.pos += 2;
        return { text: '$', assertion: true };
      case 'b':
      case 'B':
        this.pos += 2;
        return { text: `\\${c}`, assertion: true };
      case 'Q': {
        // \Q…\E is a run of literals; a following quantifier applies to its last one.
        const end = this.src.indexOf('\\E', this.pos + 2);
        const text = this.src.slice(this.pos + 2, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.src.length : end + 2;
        const chars = [...text].map((ch) => this.char(ch.codePointAt(0)!, flags));
        const last = chars.pop();
        return { prefix: chars.join(''), text: last ?? '(?:)', assertion: last === undefined };
      }
      case 'C':
        this.fail('invalid escape sequence \\C', start);
    }
    const item = this.classItem();
    if (typeof item === 'number') return { text: this.char(item, flags) };
    return { text: item.set.emit(item.negated) };
  }
}

interface Atom {
  /** Text before the quantifiable part (the leading literals of `\Q…\E`). */
  prefix?: string;
  text: string;
  /** Anchors and word boundaries: wrapped in a group before a quantifier. */
  assertion?: boolean;
}
