import { homedir } from 'node:os';
import path from 'node:path';
import {
  compileSegment,
  literalOf,
  literalSegment,
  matchSegment,
  type Segment,
} from './glob-segment.js';

/**
 * Glob patterns with the semantics of `@actions/glob` (the library the runner's hashFiles uses),
 * reimplemented synchronously because expression evaluation is synchronous. Matching follows
 * its minimatch options (see glob-segment.ts). Paths are split into segments; the root is ''.
 * POSIX paths only.
 */

export interface GlobPattern {
  negate: boolean;
  segments: Segment[];
  /** A pattern ending in '/' matches directories only. */
  directoryOnly: boolean;
  /** The `<pattern>/**` added for every pattern (implicitDescendants). */
  implicit: boolean;
  /** The literal leading part, where the walk starts. */
  searchPath: string;
}

/**
 * Parses the patterns as `glob.create(patterns.join('\n'))` does: one per line, trimmed; empty
 * lines and `#` comments skipped; leading `!`s toggle exclusion; relative patterns are
 * resolved against the workspace (the runner runs hashFiles with the workspace as cwd).
 * Every pattern is followed by its implicit `/**` twin, so naming a directory means its files.
 */
export function parsePatterns(patterns: string[], workspace: string): GlobPattern[] {
  const result: GlobPattern[] = [];
  for (const line of patterns
    .join('\n')
    .split('\n')
    .map((x) => x.trim())) {
    if (!line || line.startsWith('#')) continue;
    let text = line;
    let negate = false;
    while (text.startsWith('!')) {
      negate = !negate;
      text = text.slice(1).trim();
    }
    const pattern = parseOne(text, workspace, negate);
    result.push(pattern);
    const last = pattern.segments[pattern.segments.length - 1];
    if (pattern.directoryOnly || last?.kind !== 'globstar') {
      result.push({
        ...pattern,
        segments: [...pattern.segments, { kind: 'globstar' }],
        directoryOnly: false,
        implicit: true,
      });
    }
  }
  return result;
}

function parseOne(text: string, workspace: string, negate: boolean): GlobPattern {
  if (!text) throw new Error('pattern cannot be empty');
  let normalized = text.replace(/\/\/+/g, '/');
  const raw = trimTrailingSlash(normalized).split('/');
  if (raw.some((x, i) => (literalOf(x) === '.' && i !== 0) || literalOf(x) === '..')) {
    throw new Error(`Invalid pattern '${text}'. Relative pathing '.' and '..' is not allowed.`);
  }
  let base: string[] = [];
  if (normalized === '.' || normalized.startsWith('./')) {
    base = splitPath(workspace);
    normalized = normalized.slice(1);
  } else if (normalized === '~' || normalized.startsWith('~/')) {
    base = splitPath(homedir());
    normalized = normalized.slice(1);
  } else if (!normalized.startsWith('/')) {
    base = splitPath(workspace);
    normalized = `/${normalized}`;
  }
  const directoryOnly = normalized.endsWith('/') && normalized !== '/';
  const rest = trimTrailingSlash(normalized)
    .split('/')
    .slice(1)
    .filter((x) => x !== '');
  const segments: Segment[] = [
    ...(base.length ? base : ['']).map(literalSegment),
    ...rest.map(compileSegment),
  ];
  const searchParts: string[] = [];
  for (const segment of segments) {
    if (segment.kind !== 'literal') break;
    searchParts.push(segment.text);
  }
  const searchPath = searchParts.length === 1 ? '/' : searchParts.join('/');
  return { negate, segments, directoryOnly, implicit: false, searchPath };
}

/** Full match of an absolute path, as Pattern.match in @actions/glob. */
export function matchesPath(pattern: GlobPattern, itemPath: string): boolean {
  const last = pattern.segments[pattern.segments.length - 1];
  let item = trimTrailingSlash(itemPath.replace(/\/\/+/g, '/'));
  // An explicit trailing `**` also matches the directory it starts in: glob appends a separator.
  if (last?.kind === 'globstar' && !pattern.implicit) item += '/';
  return matchFrom(pattern.segments, 0, item.split('/'), 0);
}

/** Whether descendants of the directory may match (Pattern.partialMatch). */
export function mayMatchBelow(pattern: GlobPattern, dirPath: string): boolean {
  const file = trimTrailingSlash(dirPath).split('/');
  if (dirPath === '/') return true;
  for (let i = 0; i < file.length; i++) {
    const segment = pattern.segments[i];
    if (segment === undefined) return i === file.length - 1 && file[i] === '';
    if (segment.kind === 'globstar') return true;
    if (!matchSegment(segment, file[i] ?? '')) return false;
  }
  return true;
}

function matchFrom(pattern: Segment[], pi: number, file: string[], fi: number): boolean {
  for (; pi < pattern.length && fi < file.length; pi++, fi++) {
    const segment = pattern[pi];
    if (segment === undefined) return false;
    if (segment.kind === 'globstar') {
      // A trailing `**` must consume at least one segment (minimatch 10: `a/**` does not match `a`).
      if (pi === pattern.length - 1) return true;
      for (let next = fi; next <= file.length; next++) {
        if (matchFrom(pattern, pi + 1, file, next)) return true;
      }
      return false;
    }
    if (!matchSegment(segment, file[fi] ?? '')) return false;
  }
  if (fi === file.length) return pi === pattern.length;
  // Out of pattern: only a final '' (a path ending in '/') may remain, as `a/*` matches `a/b/`.
  return fi === file.length - 1 && file[fi] === '';
}

function splitPath(dir: string): string[] {
  const resolved = path.resolve(dir);
  return resolved === '/' ? [''] : resolved.split('/');
}

function trimTrailingSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
