import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';
import { parsePatterns } from './hash-files-pattern.js';
import { walk } from './hash-files-walk.js';

/**
 * `hashFiles(path, ...)` as GitHub documents it ("Returns a single hash for the set of files
 * that matches the path pattern ... calculates an individual SHA-256 hash for each matched
 * file, and then uses those hashes to calculate a final SHA-256 hash for the set of files",
 * https://docs.github.com/en/actions/reference/workflows-and-actions/expressions#hashfiles)
 * and as actions/runner implements it (src/Misc/expressionFunc/hashFiles/src/hashFiles.ts):
 *
 * - patterns are @actions/glob patterns relative to the workspace, `!` excludes;
 * - files are visited in @actions/glob's order (depth first, directory entries sorted);
 * - paths outside the workspace and directories are skipped;
 * - the result is sha256 over the concatenated raw sha256 digests of the files, in lower-case
 *   hex, or '' when no file matched.
 *
 * Synchronous, because expression evaluation is synchronous.
 */
export function hashFiles(workspace: string, patterns: string[]): string {
  const files = matchedFiles(workspace, patterns);
  if (files.length === 0) return '';
  const result = createHash('sha256');
  for (const file of files) result.update(guard(workspace, patterns, () => sha256File(file)));
  return result.digest('hex');
}

/** The files hashFiles hashes, in the order it hashes them. */
export function matchedFiles(workspace: string, patterns: string[]): string[] {
  let follow = false;
  let globs = patterns;
  // HashFilesFunction.cs: a first argument starting with `--` is an option, not a pattern.
  const first = patterns[0];
  if (first?.startsWith('--')) {
    if (first.toLowerCase() !== '--follow-symbolic-links') {
      throw failure(
        patterns,
        workspace,
        `Invalid glob option ${first}, available option: '--follow-symbolic-links'.`,
      );
    }
    follow = true;
    globs = patterns.slice(1);
  }
  return guard(workspace, globs, () => {
    // The runner globs from process.cwd(): the workspace with symlinks resolved.
    const root = realpathSync.native(path.resolve(workspace), { encoding: 'utf8' });
    const files: string[] = [];
    for (const file of walk(parsePatterns(globs, root), root, follow)) {
      if (file.startsWith(`${root}${path.sep}`) && !statSync(file).isDirectory()) files.push(file);
    }
    return files;
  });
}

function sha256File(file: string): Buffer {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 16);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer))
      hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest();
}

function guard<T>(workspace: string, patterns: string[], run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof GantryError) throw error;
    throw failure(
      patterns,
      workspace,
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
}

function failure(patterns: string[], root: string, reason: string, cause?: unknown): GantryError {
  // The runner's message: hashFiles('<patterns>') failed. Fail to hash files under directory '<workspace>'
  return new GantryError(
    'GANTRY_EXPRESSION_FAILED',
    `hashFiles('${patterns.join(', ')}') failed. Fail to hash files under directory '${root}': ${reason}`,
    { cause },
  );
}
