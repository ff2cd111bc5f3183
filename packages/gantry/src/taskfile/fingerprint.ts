import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

/** One entry of `sources:`/`generates:`: a glob, or `{exclude: glob}` which removes matches. */
export interface GlobSpec {
  readonly pattern: string;
  readonly exclude: boolean;
}

/**
 * Directories a walk never enters: git's, and the state of Gantry and go-task. Without this a
 * `**` source would include the cache itself and change on every run.
 */
const skippedDirs = new Set(['.git', '.gantry', '.task']);

/**
 * The files `sources:`/`generates:` name, as go-task resolves them: each glob relative to the
 * task's directory (`**` spans directories, dot files match), applied in order so a later
 * `exclude:` removes earlier matches; directories themselves never count; sorted. Paths are
 * returned relative to `dir` with `/` separators.
 */
export function matchFiles(dir: string, specs: readonly GlobSpec[]): string[] {
  const selected = new Map<string, boolean>();
  const walks = new Map<string, string[]>();
  for (const spec of specs) {
    for (const file of matchOne(dir, spec.pattern, walks)) selected.set(file, !spec.exclude);
  }
  return [...selected]
    .filter(([, keep]) => keep)
    .map(([file]) => file)
    .sort();
}

/** Does every non-exclude glob match at least one file? (go-task's check of `generates:`.) */
export function everyGlobMatches(dir: string, specs: readonly GlobSpec[]): boolean {
  const walks = new Map<string, string[]>();
  return specs.every((spec) => spec.exclude || matchOne(dir, spec.pattern, walks).length > 0);
}

/** The globs of `sources:`/`generates:`, templated by the caller. */
export function globSpecs(raw: readonly unknown[], render: (text: string) => string): GlobSpec[] {
  return raw.flatMap((entry): GlobSpec[] => {
    if (typeof entry === 'string') return [{ pattern: render(entry), exclude: false }];
    if (entry !== null && typeof entry === 'object' && 'exclude' in entry)
      return [{ pattern: render(String((entry as { exclude: unknown }).exclude)), exclude: true }];
    return [];
  });
}

/** sha256 of each file's content, keyed by the same relative paths. */
export function hashFiles(dir: string, files: readonly string[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of files)
    hashes[file] = createHash('sha256')
      .update(readFileSync(path.join(dir, file)))
      .digest('hex');
  return hashes;
}

function matchOne(dir: string, pattern: string, walks: Map<string, string[]>): string[] {
  const absolute = path.resolve(dir, pattern);
  const scan = picomatch.scan(absolute);
  if (!scan.isGlob) return isFile(absolute) ? [toRelative(dir, absolute)] : [];
  const base = scan.base || '/';
  const depth = scan.glob.includes('**') ? Infinity : scan.glob.split('/').length;
  const key = `${base}\0${depth}`;
  let files = walks.get(key);
  if (!files) {
    files = [];
    walk(base, '', depth, files);
    walks.set(key, files);
  }
  const isMatch = picomatch(scan.glob, { dot: true });
  return files
    .filter((file) => isMatch(file))
    .map((file) => toRelative(dir, path.join(base, file)));
}

/** Collects files under `root` (relative paths), following links like go-task's zglob does. */
function walk(root: string, prefix: string, depth: number, out: string[]): void {
  if (depth <= 0) return;
  let entries: Dirent[];
  try {
    entries = readdirSync(path.join(root, prefix), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    let isDir = entry.isDirectory();
    let isRegular = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const stat = statSync(path.join(root, relative));
        isDir = stat.isDirectory();
        isRegular = stat.isFile();
      } catch {
        continue;
      }
    }
    if (isDir) {
      if (!skippedDirs.has(entry.name) && depth > 1) walk(root, relative, depth - 1, out);
    } else if (isRegular) out.push(relative);
  }
}

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}

function toRelative(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

/** The names, sizes and mtimes of the matched files: what `--watch` compares between polls. */
export function snapshotFiles(dir: string, specs: readonly GlobSpec[]): string {
  return matchFiles(dir, specs)
    .map((file) => {
      try {
        const stat = statSync(path.join(dir, file));
        return `${file}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `${file}:gone`;
      }
    })
    .join('\n');
}
