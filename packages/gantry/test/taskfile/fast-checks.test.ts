/**
 * What makes a fully cached run cheap must never make it wrong: parsed Taskfiles are reused
 * by content, source hashes by stat, and generated files are checked without walking.
 */
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { matcher } from '../../src/taskfile/fingerprint.js';
import { ParseCache } from '../../src/taskfile/parse-cache.js';
import { loadTaskGraph } from '../../src/taskfile/load.js';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');

function project(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-fast-'));
  const write = (more: Record<string, string>) => {
    for (const [file, content] of Object.entries(more)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
  };
  write(files);
  return {
    dir,
    write,
    task(...args: string[]) {
      const r = spawnSync(process.execPath, [bin, 'task', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', HOME: dir },
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    runs: (file = 'runs.log') => {
      try {
        return readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}

const taskfile = `version: '3'
tasks:
  build:
    sources: ['src/**/*']
    generates: ['dist/**/*']
    cmds:
      - echo run >> runs.log
      - rm -rf dist && mkdir -p dist && cp -r src/. dist/
`;

describe('parsed Taskfiles reused by content', () => {
  it('parses a Taskfile once, and again as soon as its text changes', () => {
    const p = project({ 'Taskfile.yml': "version: '3'\ntasks:\n  hi: echo one\n" });
    expect(p.task('hi').out).toBe('one\n');
    const cacheFile = path.join(p.dir, '.gantry', 'cache', 'taskfiles.json');
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries)).toHaveLength(1);
    expect(p.task('hi').out).toBe('one\n');
    p.write({ 'Taskfile.yml': "version: '3'\ntasks:\n  hi: echo two\n" });
    expect(p.task('hi').out).toBe('two\n');
  });

  it('still reports problems with file:line from a cached parse', () => {
    const p = project({
      'Taskfile.yml': "version: '3'\ntasks:\n  hi:\n    cmds: [echo hi]\n    bogus: 1\n",
    });
    for (let i = 0; i < 2; i++) {
      const r = p.task('hi');
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/Taskfile\.yml:5:\d+.*unknown key 'bogus'/);
    }
  });

  it('gives a file included twice its own data, and never stores what JSON would change', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-fast-'));
    writeFileSync(
      path.join(dir, 'Taskfile.yml'),
      "version: '3'\nincludes:\n  a: ./lib.yml\n  b: ./lib.yml\ntasks: {}\n",
    );
    writeFileSync(
      path.join(dir, 'lib.yml'),
      "version: '3'\nvars:\n  BIG: .inf\ntasks:\n  t:\n    cmds: ['echo {{.BIG}}']\n",
    );
    const cache = new ParseCache(path.join(dir, 'cache.json'));
    const first = await loadTaskGraph(dir, { parseCache: cache });
    cache.flush();
    const stored = JSON.parse(readFileSync(path.join(dir, 'cache.json'), 'utf8')) as {
      entries: Record<string, unknown>;
    };
    // The root is stored; lib.yml holds Infinity, which JSON cannot keep.
    expect(Object.keys(stored.entries)).toHaveLength(1);
    const again = await loadTaskGraph(dir, {
      parseCache: new ParseCache(path.join(dir, 'cache.json')),
    });
    expect([...again.tasks.keys()].sort()).toEqual([...first.tasks.keys()].sort());
    expect(again.tasks.get('a:t')?.spec).not.toBe(again.tasks.get('b:t')?.spec);
    expect(again.tasks.get('a:t')?.varLayers).toEqual(first.tasks.get('a:t')?.varLayers);
  });
});

describe('source hashes reused by stat', () => {
  it('notices an edit that keeps the size and puts the mtime back', () => {
    const p = project({ 'Taskfile.yml': taskfile, 'src/a.txt': 'aaaa\n' });
    expect(p.task('build').code).toBe(0);
    const file = path.join(p.dir, 'src', 'a.txt');
    // Age the file beyond the racy window (the check records the trusted stamp), then edit
    // it in place.
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    expect(p.task('build').err).toContain('is up to date');
    expect(p.task('build').err).toContain('is up to date');
    expect(p.runs()).toBe(1);
    const before = statSync(file);
    writeFileSync(file, 'bbbb\n');
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    const r = p.task('build', '--explain');
    expect(r.err).toContain('src/a.txt');
    expect(p.runs()).toBe(2);
  });

  it('stays up to date when a source is only touched, and records the new stamp', () => {
    const p = project({ 'Taskfile.yml': taskfile, 'src/a.txt': 'a\n' });
    expect(p.task('build').code).toBe(0);
    const file = path.join(p.dir, 'src', 'a.txt');
    const later = new Date(Date.now() - 30_000);
    utimesSync(file, later, later);
    expect(p.task('build').err).toContain('is up to date');
    const stateDir = path.join(p.dir, '.gantry', 'cache', 'state');
    const state = JSON.parse(
      readFileSync(path.join(stateDir, readdirSync(stateDir)[0] ?? ''), 'utf8'),
    ) as { sources: Record<string, number[]> };
    expect(state.sources['src/a.txt']?.[1]).toBe(statSync(file).mtimeMs);
    expect(p.runs()).toBe(1);
  });
  it('records a stamp again while it is too recent to trust, so it is trusted later', () => {
    const p = project({ 'Taskfile.yml': taskfile, 'src/a.txt': 'a\n' });
    expect(p.task('build').code).toBe(0);
    const stateDir = path.join(p.dir, '.gantry', 'cache', 'state');
    const stampedAt = () =>
      (
        JSON.parse(readFileSync(path.join(stateDir, readdirSync(stateDir)[0] ?? ''), 'utf8')) as {
          stampedAt: number;
        }
      ).stampedAt;
    const first = stampedAt();
    // The source was written within the racy window of the first record: the next check
    // hashes it again and records it with a later stampedAt.
    expect(p.task('build').err).toContain('is up to date');
    expect(stampedAt()).toBeGreaterThan(first);
  });
});

describe('generated files checked without walking', () => {
  it('runs again when a generated file or a whole generated directory is gone', () => {
    const p = project({ 'Taskfile.yml': taskfile, 'src/a.txt': 'a\n', 'src/lib/b.txt': 'b\n' });
    expect(p.task('build').code).toBe(0);
    rmSync(path.join(p.dir, 'dist', 'lib', 'b.txt'));
    expect(p.task('build').err).not.toContain('is up to date');
    rmSync(path.join(p.dir, 'dist'), { recursive: true });
    expect(p.task('build').err).not.toContain('is up to date');
    expect(p.task('build').err).toContain('is up to date');
  });
});

describe('globs that are prefix tests', () => {
  it('match exactly what the compiled glob matches', () => {
    const files = [
      'a',
      '.a',
      'dist',
      'dist/x',
      'dist/.x',
      'dist/lib/y',
      'distx/y',
      'src/dist/a',
      'a/b/c',
      '.git/x',
      'out/dir/f.js',
      'out/dir',
    ];
    for (const glob of ['**', '**/*', 'dist/**', 'dist/**/*', 'out/dir/**', 'out/dir/**/*']) {
      const compiled = picomatch(glob, { dot: true });
      expect(files.filter(matcher(glob)), glob).toEqual(files.filter((f) => compiled(f)));
    }
  });
});
