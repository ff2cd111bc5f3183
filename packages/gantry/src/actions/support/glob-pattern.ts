import path from 'node:path';
import picomatch from 'picomatch';

/**
 * One line of a `path:` input, read the way `@actions/glob` (used by actions/cache and
 * actions/upload-artifact) reads it: `!` negates, a leading `~` is the home directory,
 * relative patterns are rooted at the workspace, a trailing `/` matches directories only,
 * `*` matches dot files, and there are no braces or extglobs.
 */
export interface GlobPattern {
  readonly negate: boolean;
  /** Matches directories only (the pattern ended with a separator). */
  readonly directoryOnly: boolean;
  /** Absolute path segments; `**` is a globstar. */
  readonly segments: readonly string[];
  /** The literal directory (or file) before the first wildcard: where a search starts. */
  readonly searchPath: string;
}

/** Bit flags, as in @actions/glob: a negated directory-only pattern removes only `Directory`. */
export const MatchKind = { None: 0, Directory: 1, File: 2, All: 3 } as const;

const segmentOptions = { dot: true, nobrace: true, noextglob: true } as const;

/** Parses the lines of a `path:` input; blank lines and `#` comments are skipped. */
export function parseGlobPatterns(
  lines: readonly string[],
  cwd: string,
  home: string,
  implicitDescendants: boolean,
): GlobPattern[] {
  const patterns: GlobPattern[] = [];
  for (const raw of lines) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    while (line.startsWith('!')) {
      negate = !negate;
      line = line.slice(1).trim();
    }
    if (line === '~' || line.startsWith('~/')) line = home + line.slice(1);
    const directoryOnly = /[\\/]$/.test(line);
    const absolute = path.resolve(cwd, line);
    const segments = absolute.split(path.sep);
    const pattern = { negate, directoryOnly, segments, searchPath: searchPathOf(segments) };
    patterns.push(pattern);
    // "implicit descendants": a directory that matches brings everything beneath it along.
    if (implicitDescendants && (directoryOnly || segments.at(-1) !== '**')) {
      patterns.push({ ...pattern, directoryOnly: false, segments: [...segments, '**'] });
    }
  }
  return patterns;
}

/** How all patterns together judge one path: the last pattern that matches decides. */
export function matchPatterns(patterns: readonly GlobPattern[], itemPath: string): number {
  const segments = itemPath.split(path.sep);
  let result: number = MatchKind.None;
  for (const pattern of patterns) {
    if (!matchSegments(segments, pattern.segments, false)) continue;
    const kind = pattern.directoryOnly ? MatchKind.Directory : MatchKind.All;
    result = pattern.negate ? result & ~kind : result | kind;
  }
  return result;
}

/** Whether something beneath this directory could still match an including pattern. */
export function partialMatchPatterns(patterns: readonly GlobPattern[], dirPath: string): boolean {
  const segments = dirPath.split(path.sep);
  return patterns.some((p) => !p.negate && matchSegments(segments, p.segments, true));
}

function isWild(segment: string): boolean {
  return /[*?[]/.test(segment);
}

function searchPathOf(segments: readonly string[]): string {
  const literal: string[] = [];
  for (const segment of segments) {
    if (isWild(segment)) break;
    literal.push(segment);
  }
  const joined = literal.join(path.sep);
  return joined === '' ? path.sep : joined;
}

function matchSegment(value: string, pattern: string): boolean {
  // Literal segments compare as text, so names with `(`, `+` or `$` never reach a glob parser.
  return isWild(pattern) ? picomatch.isMatch(value, pattern, segmentOptions) : value === pattern;
}

/** Segment-wise glob match; `partial` accepts a path that is a prefix of a possible match. */
function matchSegments(
  pathSegments: readonly string[],
  patternSegments: readonly string[],
  partial: boolean,
): boolean {
  const memo = new Map<number, boolean>();
  const step = (i: number, j: number): boolean => {
    const key = i * (patternSegments.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const pattern = patternSegments[j];
    const value = pathSegments[i];
    if (pattern === undefined) result = value === undefined;
    else if (value === undefined)
      result = partial || patternSegments.slice(j).every((s) => s === '**');
    else if (pattern === '**') result = step(i, j + 1) || step(i + 1, j);
    else result = matchSegment(value, pattern) && step(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return step(0, 0);
}
