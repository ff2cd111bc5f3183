import * as glob from '@actions/glob';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { evaluateExpression } from '../../src/workflow/expressions.js';
import { hashFiles, matchedFiles } from '../../src/workflow/hash-files.js';

/**
 * Differential tests: for every pattern list, the real @actions/glob (the library the runner's
 * hashFiles script uses) decides which files match and in which order, and the hash is also
 * computed independently from those files. Gantry's synchronous implementation must agree.
 */

// Created now, because the test cases below are built before beforeAll runs.
const ws = mkdtempSync(path.join(tmpdir(), 'gantry-hash-'));
const outside = mkdtempSync(path.join(tmpdir(), 'gantry-hash-outside-'));
const previousCwd = process.cwd();

const tree: Record<string, string> = {
  'package.json': '{"name":"x"}',
  'package-lock.json': 'lock',
  'README.md': '# readme',
  '.hidden': 'dot file',
  '.github/workflows/ci.yml': 'on: push',
  'src/a.txt': 'a',
  'src/b.txt': 'b',
  'src/c.js': 'c',
  'src/[x].txt': 'bracket name',
  'src/{a,b}.txt': 'brace name',
  'src/b/keep.txt': 'keep',
  'src/b/drop.txt': 'drop',
  'src/b/deep/er/z.txt': 'deep',
  'src/.env': 'secret-ish',
  'node_modules/dep/index.js': 'dep',
  'node_modules/dep/package.json': '{}',
  'dir with space/file (1).txt': 'spaces',
  'empty.txt': '',
  'Upper/Case.TXT': 'case',
};

beforeAll(() => {
  for (const [file, content] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(ws, file)), { recursive: true });
    writeFileSync(path.join(ws, file), content);
  }
  writeFileSync(path.join(outside, 'o.txt'), 'outside');
  symlinkSync(path.join(ws, 'src/a.txt'), path.join(ws, 'link-to-file.txt'));
  symlinkSync(path.join(ws, 'src/b'), path.join(ws, 'link-to-dir'));
  symlinkSync(outside, path.join(ws, 'link-outside'));
  // @actions/glob resolves relative patterns against the current directory, as the runner's
  // hashFiles script does (it runs with the workspace as its working directory).
  process.chdir(ws);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** What the runner's hashFiles hashes, in order: glob's output under the workspace, minus directories. */
async function globFiles(patterns: string[], followSymbolicLinks = false): Promise<string[]> {
  const write = process.stdout.write;
  process.stdout.write = () => true; // @actions/core prints ::debug:: lines
  try {
    const globber = await glob.create(patterns.join('\n'), { followSymbolicLinks });
    return (await globber.glob()).filter(
      (f) => f.startsWith(`${ws}${path.sep}`) && !statSync(f).isDirectory(),
    );
  } finally {
    process.stdout.write = write;
  }
}

function independentHash(files: string[]): string {
  if (files.length === 0) return '';
  const outer = createHash('sha256');
  for (const file of files) outer.update(createHash('sha256').update(readFileSync(file)).digest());
  return outer.digest('hex');
}

const cases: string[][] = [
  ['**/*.txt'],
  ['**'],
  ['*'],
  ['.'],
  ['src'],
  ['src/'],
  ['src/*'],
  ['src/**'],
  ['src/**/*.txt'],
  ['./src/*.txt'],
  ['src/?.txt'],
  ['src/[ab].txt'],
  ['src/[!a].txt'],
  ['src/\\[x\\].txt'],
  ['src/{a,b}.txt'],
  ['**/package*.json', '!node_modules/**'],
  ['**/*.txt', '!src/b/**', 'src/b/keep.txt'],
  ['!src/**', 'src/a.txt'],
  ['src/**', '!src/b'],
  ['**/deep/**'],
  ['**/.hidden', '.github/**'],
  ['dir with space/*'],
  ['# a comment\nsrc/a.txt\n\n   src/c.js   '],
  ['link-to-file.txt', 'link-to-dir', 'link-outside/**'],
  ['upper/*.txt'],
  ['nothing-here/**'],
  ['**/*.nomatch'],
  [`${outside}/**`],
];

describe('hashFiles matches what @actions/glob matches, in the same order', () => {
  test.each(cases)('%j', async (...patterns) => {
    const expected = await globFiles(patterns);
    expect(matchedFiles(ws, patterns)).toEqual(expected);
    expect(hashFiles(ws, patterns)).toBe(independentHash(expected));
  });

  test('agrees with @actions/glob hashFiles on a typical cache key', async () => {
    const patterns = ['**/package-lock.json', '**/*.js', '!node_modules/**'];
    const write = process.stdout.write;
    process.stdout.write = () => true;
    const reference = await glob.hashFiles(patterns.join('\n'), ws, { followSymbolicLinks: false });
    process.stdout.write = write;
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
    expect(hashFiles(ws, patterns)).toBe(reference);
  });

  test('--follow-symbolic-links walks into linked directories, like the runner option', async () => {
    const patterns = ['**/*.txt'];
    const expected = await globFiles(patterns, true);
    expect(expected).toContain(path.join(ws, 'link-to-dir', 'keep.txt'));
    expect(hashFiles(ws, ['--follow-symbolic-links', ...patterns])).toBe(independentHash(expected));
    expect(hashFiles(ws, ['--follow-symbolic-links', ...patterns])).not.toBe(
      hashFiles(ws, patterns),
    );
  });
});

describe('hashFiles results', () => {
  test('exclusions change the hash; no match gives the empty string', () => {
    expect(hashFiles(ws, ['src/**'])).not.toBe(hashFiles(ws, ['src/**', '!src/b/drop.txt']));
    expect(hashFiles(ws, ['nothing-here/**'])).toBe('');
    expect(hashFiles(ws, ['src/**', '!src/**'])).toBe('');
  });

  test('a file content change changes the hash', () => {
    const before = hashFiles(ws, ['src/a.txt']);
    expect(before).toBe(independentHash([path.join(ws, 'src/a.txt')]));
    writeFileSync(path.join(ws, 'src/a.txt'), 'changed');
    try {
      expect(hashFiles(ws, ['src/a.txt'])).not.toBe(before);
    } finally {
      writeFileSync(path.join(ws, 'src/a.txt'), 'a');
    }
  });

  test('relative pathing and unknown options are errors', () => {
    for (const patterns of [['../x'], ['src/../x'], ['--nope', 'x']]) {
      expect(() => hashFiles(ws, patterns)).toThrow(GantryError);
    }
    expect(() => hashFiles(ws, ['../x'])).toThrow(/Relative pathing/);
  });

  test('is what the hashFiles() expression function returns', () => {
    const scope = { contexts: {}, hashFiles: (patterns: string[]) => hashFiles(ws, patterns) };
    expect(evaluateExpression("hashFiles('**/*.txt', '!src/b/**')", scope)).toBe(
      hashFiles(ws, ['**/*.txt', '!src/b/**']),
    );
    const error = (() => {
      try {
        evaluateExpression("hashFiles('../up')", scope);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe('GANTRY_EXPRESSION_FAILED');
  });
});
