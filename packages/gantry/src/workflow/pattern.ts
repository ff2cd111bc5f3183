import { GantryError } from '../errors/index.js';

/**
 * GitHub's filter pattern language for `branches`, `tags` and `paths` (workflow-syntax.md,
 * "Filter pattern cheat sheet"). It is regex-like, not a glob:
 * - `*` matches any characters except `/`; `**` matches any characters including `/`;
 * - `?` and `+` are quantifiers: zero-or-one / one-or-more of the PRECEDING character
 *   (`*.jsx?` matches `page.js` and `page.jsx`); at the very start they are literal;
 * - `[...]` matches one alphanumeric character listed or in a range (`a-z`, `A-Z`, `0-9` only);
 * - `\` makes the next character literal;
 * - a leading `!` negates the pattern ("It has no special meaning if not the first character").
 * The translation follows nektos/act's workflowpattern port: `**` plus `/` becomes `(.+/)?`
 * (zero or more directories), a lone `**` becomes `.*`.
 */

/** One entry of a filter list: `!` stripped into `negative`. */
export interface FilterPattern {
  readonly pattern: string;
  readonly negative: boolean;
  readonly regex: RegExp;
}

const invalid = (pattern: string, why: string, where?: string): GantryError =>
  new GantryError(
    'GANTRY_CONFIG_INVALID',
    `invalid filter pattern '${pattern}'${where ? ` in ${where}` : ''}: ${why}`,
    {
      hint: 'See "Filter pattern cheat sheet" in GitHub\'s workflow syntax docs; escape special characters with \\.',
    },
  );

const escapeRe = (c: string): string => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);
const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
const sameRange = (a: string, b: string): boolean =>
  [/^[a-z]$/, /^[A-Z]$/, /^[0-9]$/].some((re) => re.test(a) && re.test(b)) && a <= b;

/** Compiles one pattern body (a leading `!` is NOT interpreted here) to an anchored RegExp. */
export function compilePattern(pattern: string, where?: string): RegExp {
  if (pattern === '') throw invalid(pattern, 'the pattern is empty', where);
  const chars = [...pattern];
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (c === '*') {
      const globstar = chars[i + 1] === '*';
      const dirs = globstar && chars[i + 2] === '/';
      source += dirs ? '(.+/)?' : globstar ? '.*' : '[^/]*';
      i += dirs ? 2 : globstar ? 1 : 0;
    } else if (c === '?' || c === '+') {
      source += i === 0 ? `\\${c}` : c;
    } else if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) throw invalid(pattern, 'a trailing \\ escapes nothing', where);
      source += escapeRe(next);
    } else if (c === '[') {
      const close = chars.indexOf(']', i + 1);
      if (close < 0) throw invalid(pattern, "missing closing bracket ']' after '['", where);
      source += bracketClass(pattern, chars.slice(i + 1, close), where);
      i = close;
    } else {
      source += escapeRe(c);
    }
  }
  try {
    return new RegExp(`^${source}$`, 'u');
  } catch (cause) {
    // e.g. `**+`: a quantifier after a wildcard has nothing to repeat.
    throw invalid(pattern, `it is not a valid pattern (${(cause as Error).message})`, where);
  }
}

/** `[CB]`, `[0-9a-f]`: only alphanumerics and the ranges a-z, A-Z, 0-9 (the cheat sheet). */
function bracketClass(pattern: string, body: string[], where?: string): string {
  if (body.length === 0) throw invalid(pattern, "empty brackets '[]'", where);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    const end = body[i + 2];
    if (body[i + 1] === '-' && end !== undefined) {
      if (!sameRange(c, end))
        throw invalid(pattern, `range '${c}-${end}' must lie within a-z, A-Z or 0-9`, where);
      out += `${c}-${end}`;
      i += 2;
    } else if (isAlnum(c)) {
      out += c;
    } else {
      throw invalid(
        pattern,
        `'${c}' in brackets: only alphanumeric characters and ranges are allowed`,
        where,
      );
    }
  }
  return `[${out}]`;
}

/** Parses a filter list; `where` (e.g. `on.push.branches`) is named in errors. */
export function parseFilterPatterns(patterns: readonly string[], where?: string): FilterPattern[] {
  return patterns.map((raw) => {
    const negative = raw.startsWith('!');
    const pattern = negative ? raw.slice(1) : raw;
    return { pattern, negative, regex: compilePattern(pattern, where) };
  });
}

/** The last pattern that matches decides: positive → true, negative → false, none → undefined. */
function lastMatch(value: string, patterns: readonly FilterPattern[]): boolean | undefined {
  let verdict: boolean | undefined;
  for (const p of patterns) if (p.regex.test(value)) verdict = !p.negative;
  return verdict;
}

/**
 * A predicate for `branches`/`tags`/`paths`: a value is included when the last matching pattern
 * is positive ("A matching negative pattern after a positive match will exclude the Git ref. A
 * matching positive pattern after a negative match will include the Git ref again.").
 */
export function includeFilter(
  patterns: readonly string[],
  where?: string,
): (value: string) => boolean {
  const parsed = parseFilterPatterns(patterns, where);
  if (parsed.length > 0 && parsed.every((p) => p.negative)) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `${where ?? 'a filter'} has only '!' patterns, so nothing can match: [${patterns.join(', ')}]`,
      {
        hint: 'GitHub requires at least one pattern without ! next to negated ones; to only exclude, use the *-ignore filter.',
      },
    );
  }
  return (value) => lastMatch(value, parsed) === true;
}

/** A predicate for `branches-ignore`/`tags-ignore`/`paths-ignore`: true when the value is ignored. */
export function ignoreFilter(
  patterns: readonly string[],
  where?: string,
): (value: string) => boolean {
  const parsed = parseFilterPatterns(patterns, where);
  return (value) => lastMatch(value, parsed) === true;
}

export function matchesIncludeList(value: string, patterns: readonly string[]): boolean {
  return includeFilter(patterns)(value);
}

export function matchesIgnoreList(value: string, patterns: readonly string[]): boolean {
  return ignoreFilter(patterns)(value);
}
