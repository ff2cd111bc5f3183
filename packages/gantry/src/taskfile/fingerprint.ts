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

/**
 * Does every non-exclude glob match at least one file? (go-task's check of `generates:`.)
 * `existing` are files known to exist (relative to `dir`): a glob matching one of them needs
 * no directory walk.
 */
export function everyGlobMatches(
  dir: string,
  specs: readonly GlobSpec[],
  existing: readonly string[] = [],
): boolean {
  const walks = new Map<string, string[]>();
  return specs.every(
    (spec) =>
      spec.exclude ||
      matchesAnyOf(spec.pattern, existing) ||
      matchOne(dir, spec.pattern, walks).length > 0,
  );
}

function matchesAnyOf(pattern: string, files: readonly string[]): boolean {
  if (files.length === 0) return false;
  const normal = path.normalize(pattern);
  // Only patterns below the task's directory compare directly with its relative paths.
  if (!isBelow(normal)) return false;
  const isMatch = matcher(normal);
  return files.some((file) => isMatch(file));
}

/** A compiled glob (dot files match, as in go-task), shared by every task. */
export function matcher(glob: string): (file: string) => boolean {
  let isMatch = matchers.get(glob);
  if (!isMatch) {
    isMatch = everythingBelow(glob) ?? picomatch(glob, { dot: true });
    matchers.set(glob, isMatch);
  }
  return isMatch;
}

// The usual sources and generates match every file, or every file below a literal directory
// (`**` or `dir/**`, optionally followed by a slash and `*`): a prefix test, with no glob compiled.
function everythingBelow(glob: string): ((file: string) => boolean) | undefined {
  if (glob === '**' || glob === '**/*') return () => true;
  const match = /^([^*?[\]{}()!+@\\]+)\/\*\*(\/\*)?$/.exec(glob);
  const dir = match?.[1];
  if (dir === undefined) return undefined;
  const prefix = `${dir}/`;
  // `dir/**` also matches a file named `dir`; `dir/**/*` does not.
  return match?.[2]
    ? (file) => file.startsWith(prefix)
    : (file) => file === dir || file.startsWith(prefix);
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

/** What a file looked like when it was hashed: size, mtime, ctime, inode, sha256. */
export type FileStamp = readonly [number, number, number, number, string];

/**
 * Files modified this close (ms) before they were stamped are hashed again next time, as git
 * treats "racily clean" index entries: on a filesystem with coarse timestamps a second edit
 * in the same tick would keep the mtime.
 */
export const racyWindowMs = 2000;

/**
 * sha256 of each file, reusing the hash of an earlier stamp when size, mtime, ctime and inode
 * are all unchanged (ctime cannot be set back by a program) and the stamp is not racy; one
 * stat instead of reading and hashing the file.
 */
export function stampFiles(
  dir: string,
  files: readonly string[],
  known: Readonly<Record<string, FileStamp>> | undefined,
  knownAt: number,
): Record<string, FileStamp> {
  const stamps: Record<string, FileStamp> = {};
  for (const file of files) {
    const absolute = path.join(dir, file);
    const stat = statSync(absolute);
    const old = known?.[file];
    const reusable =
      old !== undefined &&
      old[0] === stat.size &&
      old[1] === stat.mtimeMs &&
      old[2] === stat.ctimeMs &&
      old[3] === stat.ino &&
      stat.mtimeMs < knownAt - racyWindowMs;
    stamps[file] = [
      stat.size,
      stat.mtimeMs,
      stat.ctimeMs,
      stat.ino,
      reusable ? old[4] : createHash('sha256').update(readFileSync(absolute)).digest('hex'),
    ];
  }
  return stamps;
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

// Compiled globs, shared by every task (300 packages usually say `src/**/*` 300 times).
const matchers = new Map<string, (file: string) => boolean>();

// Scanned patterns: the base directory (as written, relative to a task's dir) and the glob.
const scans = new Map<string, { isGlob: boolean; base: string; glob: string }>();

function scanPattern(pattern: string): { isGlob: boolean; base: string; glob: string } {
  let scan = scans.get(pattern);
  if (!scan) {
    // Scanned after normalising, as go-task joins the pattern to the task's dir first.
    const normal = path.normalize(pattern);
    const { isGlob, base, glob } = picomatch.scan(normal);
    scan = { isGlob, base: base || (path.isAbsolute(normal) ? '/' : '.'), glob };
    scans.set(pattern, scan);
  }
  return scan;
}

function matchOne(dir: string, pattern: string, walks: Map<string, string[]>): string[] {
  const scan = scanPattern(pattern);
  if (!scan.isGlob) {
    const absolute = path.resolve(dir, pattern);
    return isFile(absolute) ? [toRelative(dir, absolute)] : [];
  }
  const base = path.resolve(dir, scan.base);
  const depth = scan.glob.includes('**') ? Infinity : scan.glob.split('/').length;
  const key = `${base}\0${depth}`;
  let files = walks.get(key);
  if (!files) {
    files = [];
    walk(base, '', depth, files);
    walks.set(key, files);
  }
  const isMatch = matcher(scan.glob);
  // Walked paths are normalised and below `base`, so joining the relative base is exactly
  // what path.relative(dir, base/file) gives, without its cost per file.
  const prefix = scan.base === '.' ? '' : isBelow(scan.base) ? scan.base : toRelative(dir, base);
  const matched = files.filter(isMatch);
  return prefix === '' ? matched : matched.map((file) => `${prefix}/${file}`);
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

/** A normalised relative path that stays below its directory (`src/lib`, not `../x`). */
function isBelow(normal: string): boolean {
  return !path.isAbsolute(normal) && normal !== '..' && !normal.startsWith('../');
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
