import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packArtifact, readArtifact, unpackArtifact } from '../../src/cache/artifact.js';
import { LocalCache, parseSize } from '../../src/cache/local-store.js';
import { cacheSalt, type TaskManifest } from '../../src/cache/manifest.js';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');

/** A project on disk with a Taskfile; `task(...)` runs the real CLI in it. */
function project(files: Record<string, string>, root?: string) {
  const dir = root ?? mkdtempSync(path.join(os.tmpdir(), 'gantry-cache-'));
  write(dir, files);
  return {
    dir,
    task(args: string[], env: Record<string, string> = {}) {
      const result = spawnSync(process.execPath, [bin, 'task', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env },
      });
      return { code: result.status, out: result.stdout, err: result.stderr };
    },
    write: (more: Record<string, string>) => write(dir, more),
    read: (file: string) => readFileSync(path.join(dir, file), 'utf8'),
    /** How many times the build's commands really ran (a file outside its outputs). */
    runs: () =>
      existsSync(path.join(dir, 'runs.log'))
        ? readFileSync(path.join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length
        : 0,
  };
}

function write(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
}

const buildTaskfile = `version: '3'
env:
  MODE: '{{.MODE | default "dev"}}'
tasks:
  build:
    sources: ['src/**/*.txt']
    generates: ['dist/out.txt']
    cmds:
      - echo run >> runs.log
      - mkdir -p dist && cat src/*.txt > dist/out.txt && echo "$MODE" >> dist/out.txt
      - echo built with {{.LEVEL | default "1"}}
  test:
    deps: [build]
    sources: ['dist/out.txt']
    cmds: ['echo tested >> runs.log', 'echo lines $(wc -l < dist/out.txt)']
`;

describe('task cache', () => {
  it('skips an up-to-date task and runs it again when a source, a command or a declared env value changes', () => {
    const p = project({ 'Taskfile.yml': buildTaskfile, 'src/a.txt': 'a\n' });
    expect(p.task(['build']).code).toBe(0);
    expect(p.runs()).toBe(1);
    const again = p.task(['build']);
    expect(again.err).toContain('task: Task "build" is up to date');
    expect(p.runs()).toBe(1);
    // go-task's checksum covers only sources; Gantry's key also covers vars in commands...
    expect(p.task(['build', 'LEVEL=2']).out).toContain('built with 2');
    expect(p.runs()).toBe(2);
    // ...declared env values (the OS value wins, as in go-task)...
    expect(p.task(['build', 'LEVEL=2'], { MODE: 'prod' }).code).toBe(0);
    expect(p.runs()).toBe(3);
    expect(p.read('dist/out.txt')).toBe('a\nprod\n');
    // ...but not undeclared env.
    expect(p.task(['build', 'LEVEL=2'], { MODE: 'prod', OTHER: 'x' }).err).toContain(
      'is up to date',
    );
    p.write({ 'src/b.txt': 'b\n' });
    expect(p.task(['build', 'LEVEL=2'], { MODE: 'prod' }).code).toBe(0);
    expect(p.runs()).toBe(4);
  });

  it('restores deleted or modified outputs from the cache and replays the log instead of running', () => {
    const p = project({ 'Taskfile.yml': buildTaskfile, 'src/a.txt': 'a\n' });
    const first = p.task(['build']);
    expect(first.out).toBe('built with 1\n');
    rmSync(path.join(p.dir, 'dist'), { recursive: true });
    const restored = p.task(['build']);
    expect(restored.code).toBe(0);
    expect(restored.err).toMatch(
      /task: Task "build" restored from the local cache \([0-9a-f]{12}\)/,
    );
    expect(restored.err).not.toContain('task: [build]');
    expect(restored.out).toBe('built with 1\n');
    expect(p.read('dist/out.txt')).toBe('a\ndev\n');
    expect(p.runs()).toBe(1);
    // A modified output is put back too (go-task only checks that it exists).
    writeFileSync(path.join(p.dir, 'dist/out.txt'), 'tampered\n');
    expect(p.task(['build']).err).toContain('restored from the local cache');
    expect(p.read('dist/out.txt')).toBe('a\ndev\n');
    // A touched but unchanged output is still up to date.
    utimesSync(path.join(p.dir, 'dist/out.txt'), new Date(), new Date(Date.now() + 5000));
    expect(p.task(['build']).err).toContain('is up to date');
    // Going back to an earlier input restores that earlier result.
    p.write({ 'src/a.txt': 'changed\n' });
    p.task(['build']);
    expect(p.runs()).toBe(2);
    p.write({ 'src/a.txt': 'a\n' });
    expect(p.task(['build']).err).toContain('restored from the local cache');
    expect(p.read('dist/out.txt')).toBe('a\ndev\n');
    expect(p.runs()).toBe(2);
  });

  it('shares keys between checkouts at different paths through GANTRY_CACHE_DIR', () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'gantry-shared-cache-'));
    const a = project({ 'Taskfile.yml': buildTaskfile, 'src/a.txt': 'a\n' });
    expect(a.task(['test'], { GANTRY_CACHE_DIR: shared }).code).toBe(0);
    const b = project({ 'Taskfile.yml': buildTaskfile, 'src/a.txt': 'a\n' });
    const second = b.task(['test'], { GANTRY_CACHE_DIR: shared });
    expect(second.code).toBe(0);
    expect(second.err).toContain('task: Task "build" restored from the local cache');
    // `test` has sources and no generates: a check, cached as its log and replayed.
    expect(second.err).toContain('task: Task "test" restored from the local cache');
    expect(second.out).toContain('built with 1\nlines 2\n');
    expect(b.read('dist/out.txt')).toBe('a\ndev\n');
    expect(b.runs()).toBe(0);
    // A check with a `status:` decides by itself: it is not cached.
    const withStatus = buildTaskfile.replace(
      "    sources: ['dist/out.txt']\n",
      "    sources: ['dist/out.txt']\n    status: ['test -f never']\n",
    );
    const c = project({ 'Taskfile.yml': withStatus, 'src/a.txt': 'a\n' });
    expect(c.task(['test'], { GANTRY_CACHE_DIR: shared }).code).toBe(0);
    const d = project({ 'Taskfile.yml': withStatus, 'src/a.txt': 'a\n' });
    const fourth = d.task(['test'], { GANTRY_CACHE_DIR: shared });
    expect(fourth.err).toContain('task: Task "build" restored from the local cache');
    expect(fourth.err).not.toContain('task: Task "test" restored');
    expect(d.runs()).toBe(1);
  });

  it('explains a miss with what changed since the last run, including dependency keys', () => {
    const p = project({ 'Taskfile.yml': buildTaskfile, 'src/a.txt': 'a\n' });
    p.task(['test']);
    p.write({ 'src/a.txt': 'a2\n', 'src/new.txt': 'n\n' });
    const explained = p.task(['test', '--explain', 'LEVEL=3']);
    expect(explained.err).toContain(
      'task: explain "build": runs: not up to date and not in the cache',
    );
    expect(explained.err).toContain('file src/a.txt: content changed');
    expect(explained.err).toContain('file src/new.txt: added');
    expect(explained.err).toMatch(
      /definition\.cmds\[2\]: "echo built with 1" → "echo built with 3"/,
    );
    expect(explained.err).toContain('dependency build: key changed');
    const upToDate = p.task(['test', '--explain', 'LEVEL=3']);
    expect(upToDate.err).toContain('task: explain "test": skipped: up to date');
    const forced = p.task(['build', '--force', '--explain', 'LEVEL=3']);
    expect(forced.err).toContain('--force skips the up-to-date check');
    expect(p.runs()).toBe(5);
  });

  it('never caches a failure, and warns when declared outputs are missing', () => {
    const p = project({
      'Taskfile.yml': `version: '3'
tasks:
  flaky:
    sources: [in.txt]
    generates: [out.txt]
    cmds: ['echo run >> runs.log', 'test -f ok', 'cp in.txt out.txt']
  liar:
    sources: [in.txt]
    generates: [never/*.bin]
    cmds: ['echo run >> runs.log']
`,
      'in.txt': 'x',
    });
    expect(p.task(['flaky']).code).not.toBe(0);
    expect(p.task(['flaky']).code).not.toBe(0);
    expect(p.runs()).toBe(2);
    p.write({ ok: '' });
    expect(p.task(['flaky']).code).toBe(0);
    expect(p.task(['flaky']).err).toContain('is up to date');
    const liar = p.task(['liar']);
    expect(liar.code).toBe(0);
    expect(liar.err).toContain(
      'task: "liar" finished but generated no file for never/*.bin; nothing was cached [GANTRY_CACHE_OUTPUTS_MISSING]',
    );
    expect(p.task(['liar']).code).toBe(0);
    expect(p.runs()).toBe(5);
  });

  it('follows go-task for status + sources, method timestamp and method none', () => {
    const p = project({
      'Taskfile.yml': `version: '3'
tasks:
  both:
    sources: [in.txt]
    status: ['test -f marker']
    cmds: ['echo both >> runs.log']
  stamp:
    method: timestamp
    sources: [in.txt]
    generates: [stamp.out]
    cmds: ['echo stamp >> runs.log', 'cp in.txt stamp.out']
  never:
    method: none
    sources: [in.txt]
    cmds: ['echo never >> runs.log']
`,
      'in.txt': 'x',
    });
    p.task(['both']);
    // sources are up to date, but the status check fails: both must pass.
    expect(p.task(['both']).err).not.toContain('up to date');
    p.write({ marker: '' });
    expect(p.task(['both']).err).toContain('task: Task "both" is up to date');
    expect(p.runs()).toBe(2);
    p.task(['stamp']);
    expect(p.task(['stamp']).err).toContain('task: Task "stamp" is up to date');
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(p.dir, 'in.txt'), future, future);
    expect(p.task(['stamp']).err).not.toContain('up to date');
    expect(p.runs()).toBe(4);
    p.task(['never']);
    p.task(['never']);
    expect(p.runs()).toBe(6);
  });

  it('masks secrets from GANTRY_MASK_FILE in cached logs and manifests', () => {
    const p = project({
      'Taskfile.yml': `version: '3'
tasks:
  leak:
    sources: [in.txt]
    generates: [out.txt]
    cmds: ['cp in.txt out.txt', 'echo "token=$TOKEN"', 'echo {{.TOKEN}} > /dev/null']
`,
      'in.txt': 'x',
    });
    const maskFile = path.join(p.dir, 'mask.json');
    writeFileSync(maskFile, JSON.stringify(['s3cr3t-value-42']));
    const env = { TOKEN: 's3cr3t-value-42', GANTRY_MASK_FILE: maskFile };
    expect(p.task(['leak'], env).code).toBe(0);
    const cacheDir = path.join(p.dir, '.gantry/cache');
    const stored = [
      ...readdirSync(path.join(cacheDir, 'artifacts')).map((f) =>
        JSON.stringify(readArtifact(readFileSync(path.join(cacheDir, 'artifacts', f))).meta),
      ),
      ...readdirSync(path.join(cacheDir, 'state')).map((f) =>
        readFileSync(path.join(cacheDir, 'state', f), 'utf8'),
      ),
    ].join('\n');
    expect(stored).toContain('token=***');
    expect(stored).not.toContain('s3cr3t-value-42');
    rmSync(path.join(p.dir, 'out.txt'));
    expect(p.task(['leak'], env).out).toBe('token=***\n');
  });

  it('treats a corrupt artifact as a miss with a warning and runs the task', () => {
    const p = project({ 'Taskfile.yml': buildTaskfile, 'src/a.txt': 'a\n' });
    p.task(['build']);
    const artifacts = path.join(p.dir, '.gantry/cache/artifacts');
    for (const f of readdirSync(artifacts)) writeFileSync(path.join(artifacts, f), 'garbage');
    rmSync(path.join(p.dir, 'dist'), { recursive: true });
    const result = p.task(['build']);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(
      /local cache entry [0-9a-f]+ of "build" is unusable .*\[GANTRY_CACHE_FAILED\]/,
    );
    expect(p.runs()).toBe(2);
  });
});

describe('cache artifacts and the local store', () => {
  const manifest: TaskManifest = {
    salt: cacheSalt,
    task: 't',
    dir: '.',
    platform: 'linux/amd64',
    definition: {},
    env: {},
    files: {},
    deps: {},
  };
  const meta = { task: 't', key: 'k1', durationMs: 5, createdAt: '', manifest, log: [] };

  it('round-trips files with modes and links, and refuses paths outside the directory', () => {
    const from = mkdtempSync(path.join(os.tmpdir(), 'gantry-art-'));
    write(from, { 'bin/tool': '#!/bin/sh\n', 'data/x.txt': 'x' });
    spawnSync('chmod', ['755', path.join(from, 'bin/tool')]);
    spawnSync('ln', ['-s', 'x.txt', path.join(from, 'data/link')]);
    const { body } = packArtifact(meta, from, ['bin/tool', 'data/x.txt', 'data/link']);
    const to = mkdtempSync(path.join(os.tmpdir(), 'gantry-art-'));
    unpackArtifact(body, to);
    expect(readFileSync(path.join(to, 'data/link'), 'utf8')).toBe('x');
    expect(spawnSync('test', ['-x', path.join(to, 'bin/tool')]).status).toBe(0);

    const evil = packArtifact(meta, from, ['data/x.txt']).body;
    const raw = readArtifact(evil);
    const header = JSON.stringify({
      format: 1,
      ...raw.meta,
      entries: [{ path: '../escape', mode: 420, size: 1 }],
    });
    const length = Buffer.alloc(4);
    length.writeUInt32BE(Buffer.byteLength(header));
    const forged = gzipSync(
      Buffer.concat([Buffer.from('GTC1'), length, Buffer.from(header), Buffer.from('x')]),
    );
    expect(() => unpackArtifact(forged, to)).toThrow(/outside the task's directory/);
    expect(existsSync(path.join(to, '../escape'))).toBe(false);
    expect(() => readArtifact(evil.subarray(0, evil.length - 4))).toThrow(/GTC|gzip|truncated/);
  });

  it('evicts the least recently used artifacts beyond its size limit', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-store-'));
    const store = new LocalCache(dir, 3000);
    const old = Date.now() / 1000 - 100;
    for (const key of ['a', 'b', 'c', 'd']) {
      store.put(key, Buffer.alloc(1000));
      utimesSync(path.join(dir, 'artifacts', key), old, old + key.charCodeAt(0));
    }
    expect(store.get('a')).toBeDefined(); // refreshes a
    expect(store.evict()).toEqual({ removed: 2, freedBytes: 2000 });
    expect(store.has('a')).toBe(true);
    expect(store.has('b')).toBe(false);
    expect(store.has('c')).toBe(false);
    expect(store.has('d')).toBe(true);
    expect(store.evict(0)).toEqual({ removed: 2, freedBytes: 2000 });
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('500MB')).toBe(500 * 1024 ** 2);
    expect(() => parseSize('lots')).toThrow(/invalid size/);
  });
});
