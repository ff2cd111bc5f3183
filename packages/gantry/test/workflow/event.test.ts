import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { buildEvent, coerceDispatchInputs, type EventContext } from '../../src/workflow/event.js';
import { git, repositorySlug, ZERO_SHA } from '../../src/workflow/git.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function run(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

/** A real repository with its own identity, on branch `branch`. */
function newRepo(branch = 'main'): string {
  const dir = tempDir('gantry-event-');
  run(dir, 'init', '--quiet', `--initial-branch=${branch}`);
  run(dir, 'config', 'user.name', 'Test User');
  run(dir, 'config', 'user.email', 'test@example.com');
  run(dir, 'config', 'commit.gpgsign', 'false');
  run(dir, 'config', 'tag.gpgsign', 'false');
  return dir;
}

function commit(dir: string, files: Record<string, string>, message: string): string {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  run(dir, 'add', '-A');
  run(dir, 'commit', '--quiet', '-m', message);
  return run(dir, 'rev-parse', 'HEAD');
}

async function errorOf(promise: Promise<unknown>): Promise<GantryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected a GantryError');
}

const payloadOf = (event: EventContext) => event.payload as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('push', () => {
  test('on the current branch: before is the first parent, changed files are the two-dot diff', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'a.txt': '1', 'b.txt': '1' }, 'first');
    const c2 = commit(dir, { 'a.txt': '2', 'src/c.txt': 'new' }, 'second\n\nbody');
    const event = await buildEvent(dir, { eventName: 'push' });
    expect(event).toMatchObject({
      eventName: 'push',
      ref: 'refs/heads/main',
      refName: 'main',
      refType: 'branch',
      sha: c2,
      before: c1,
    });
    expect(event.changedFiles?.sort()).toEqual(['a.txt', 'src/c.txt']);
    expect(event.repository).toBe(`local/${path.basename(dir)}`);
    expect(event.actor).toBe('Test User');
    const payload = payloadOf(event);
    expect(payload).toMatchObject({
      ref: 'refs/heads/main',
      before: c1,
      after: c2,
      created: false,
    });
    expect(payload.head_commit).toMatchObject({
      id: c2,
      message: 'second\n\nbody',
      author: { name: 'Test User', email: 'test@example.com' },
    });
    expect(payload.commits.map((c: { id: string }) => c.id)).toEqual([c2]);
  });

  test('--before picks the other end of the diff; uncommitted changes are not part of it', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'a.txt': '1' }, 'one');
    const c2 = commit(dir, { 'b.txt': '1' }, 'two');
    const c3 = commit(dir, { 'c.txt': '1', 'a.txt': 'gone soon' }, 'three');
    writeFileSync(path.join(dir, 'dirty.txt'), 'not committed');
    const event = await buildEvent(dir, { eventName: 'push', before: c1 });
    expect(event.sha).toBe(c3);
    expect(event.changedFiles?.sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(payloadOf(event).commits.map((c: { id: string }) => c.id)).toEqual([c2, c3]);
  });

  test('a root commit has 40 zeros as before and all its files as changes', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'x.txt': 'x', 'dir/y.txt': 'y' }, 'root');
    const event = await buildEvent(dir, { eventName: 'push' });
    expect(event.before).toBe(ZERO_SHA);
    expect(event.sha).toBe(c1);
    expect(event.changedFiles?.sort()).toEqual(['dir/y.txt', 'x.txt']);
    expect(payloadOf(event)).toMatchObject({ created: true, before: ZERO_SHA, after: c1 });
  });

  test('--ref naming a tag pushes refs/tags/<tag> at the tagged commit', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'a.txt': '1' }, 'one');
    run(dir, 'tag', '-a', 'v1.2.3', '-m', 'release');
    commit(dir, { 'a.txt': '2' }, 'two');
    const event = await buildEvent(dir, { eventName: 'push', ref: 'v1.2.3' });
    expect(event).toMatchObject({
      ref: 'refs/tags/v1.2.3',
      refName: 'v1.2.3',
      refType: 'tag',
      sha: c1,
      before: ZERO_SHA,
    });
    expect(payloadOf(event).commits).toEqual([]);
    const full = await buildEvent(dir, { eventName: 'push', ref: 'refs/tags/v1.2.3' });
    expect(full.refType).toBe('tag');
  });

  test('--ref naming another branch uses that branch tip', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'a.txt': '1' }, 'one');
    run(dir, 'branch', 'release');
    commit(dir, { 'a.txt': '2' }, 'two');
    const event = await buildEvent(dir, { eventName: 'push', ref: 'release' });
    expect(event).toMatchObject({
      ref: 'refs/heads/release',
      refName: 'release',
      refType: 'branch',
      sha: c1,
    });
  });

  test('a detached HEAD without --ref, or an unknown ref, is GANTRY_GIT_FAILED with a hint', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'a.txt': '1' }, 'one');
    commit(dir, { 'a.txt': '2' }, 'two');
    run(dir, 'checkout', '--quiet', '--detach', c1);
    const detached = await errorOf(buildEvent(dir, { eventName: 'push' }));
    expect(detached.code).toBe('GANTRY_GIT_FAILED');
    expect(detached.hint).toContain('--ref');
    const unknown = await errorOf(buildEvent(dir, { eventName: 'push', ref: 'nope' }));
    expect(unknown.message).toContain("'nope'");
  });
});

describe('pull_request', () => {
  /** main: c1 → m2; feature (from c1): f1. The feature branch is checked out. */
  function forkedRepo(base = 'main') {
    const dir = newRepo(base);
    commit(dir, { 'shared.txt': '1' }, 'c1');
    run(dir, 'checkout', '--quiet', '-b', 'feature');
    const f1 = commit(dir, { 'feature.txt': 'f' }, 'Add the feature');
    run(dir, 'checkout', '--quiet', base);
    const m2 = commit(dir, { 'main-only.txt': 'm', 'shared.txt': '2' }, 'm2');
    run(dir, 'checkout', '--quiet', 'feature');
    return { dir, f1, m2 };
  }

  test('diffs from the merge base (three-dot), so base-only changes are not included', async () => {
    const { dir, f1, m2 } = forkedRepo();
    const event = await buildEvent(dir, { eventName: 'pull_request' });
    expect(event).toMatchObject({
      eventName: 'pull_request',
      ref: 'refs/pull/1/merge',
      refName: '1/merge',
      sha: f1,
      headRef: 'feature',
      baseRef: 'main',
      action: 'opened',
      changedFiles: ['feature.txt'],
    });
    const pr = payloadOf(event);
    expect(pr).toMatchObject({ action: 'opened', number: 1 });
    expect(pr.pull_request).toMatchObject({
      number: 1,
      title: 'Add the feature',
      head: { ref: 'feature', sha: f1 },
      base: { ref: 'main', sha: m2 },
    });
  });

  test('number, activity type and base can be chosen', async () => {
    const { dir, f1 } = forkedRepo();
    run(dir, 'branch', 'develop', f1);
    const event = await buildEvent(dir, {
      eventName: 'pull_request',
      pr: 7,
      action: 'synchronize',
      base: 'develop',
    });
    expect(event).toMatchObject({
      ref: 'refs/pull/7/merge',
      baseRef: 'develop',
      action: 'synchronize',
      changedFiles: [],
    });
    expect(payloadOf(event)).toMatchObject({ number: 7, after: f1 });
  });

  test('the default branch is master when there is no main', async () => {
    const { dir } = forkedRepo('master');
    const event = await buildEvent(dir, { eventName: 'pull_request' });
    expect(event.baseRef).toBe('master');
    expect(event.changedFiles).toEqual(['feature.txt']);
  });

  test('the default branch comes from origin/HEAD in a clone', async () => {
    const upstream = newRepo('trunk');
    commit(upstream, { 'a.txt': '1' }, 'one');
    const clone = tempDir('gantry-clone-');
    run(clone, 'clone', '--quiet', upstream, 'work');
    const work = path.join(clone, 'work');
    run(work, 'config', 'user.name', 'Clone User');
    run(work, 'config', 'user.email', 'clone@example.com');
    run(work, 'checkout', '--quiet', '-b', 'topic');
    commit(work, { 'b.txt': '1' }, 'topic work');
    const event = await buildEvent(work, { eventName: 'pull_request' });
    expect(event.baseRef).toBe('trunk');
    expect(event.changedFiles).toEqual(['b.txt']);
    expect(event.actor).toBe('Clone User');
  });

  test('without main, master or origin/HEAD the base must be given', async () => {
    const dir = newRepo('trunk');
    commit(dir, { 'a.txt': '1' }, 'one');
    run(dir, 'checkout', '--quiet', '-b', 'topic');
    const error = await errorOf(buildEvent(dir, { eventName: 'pull_request' }));
    expect(error.code).toBe('GANTRY_GIT_FAILED');
    expect(error.hint).toContain('--base');
  });
});

describe('other events and repository facts', () => {
  test('workflow_dispatch keeps inputs as strings in the payload and has no changed files', async () => {
    const dir = newRepo();
    const c1 = commit(dir, { 'a.txt': '1' }, 'one');
    const event = await buildEvent(dir, {
      eventName: 'workflow_dispatch',
      inputs: { debug: 'true' },
    });
    expect(event).toMatchObject({ ref: 'refs/heads/main', sha: c1, changedFiles: undefined });
    expect(payloadOf(event)).toMatchObject({ inputs: { debug: 'true' }, ref: 'refs/heads/main' });
  });

  test('the repository is owner/name from a hosted origin URL', async () => {
    const dir = newRepo();
    commit(dir, { 'a.txt': '1' }, 'one');
    for (const [url, slug] of [
      ['git@github.com:octo/hello.git', 'octo/hello'],
      ['https://github.com/octo/hello-world', 'octo/hello-world'],
      ['ssh://git@ghe.example.com:2222/team/tool.git', 'team/tool'],
      ['/srv/git/plain.git', `local/${path.basename(dir)}`],
    ]) {
      run(dir, 'remote', ...(run(dir, 'remote') ? ['set-url'] : ['add']), 'origin', url as string);
      expect(await repositorySlug(dir)).toBe(slug);
    }
  });

  test('git failures carry git stderr', async () => {
    const error = await errorOf(git(tempDir('gantry-nogit-'), ['rev-parse', 'HEAD']));
    expect(error.code).toBe('GANTRY_GIT_FAILED');
    expect(error.message).toMatch(/not a git repository/i);
  });
});

describe('coerceDispatchInputs', () => {
  const definitions = {
    debug: { type: 'boolean', default: false },
    count: { type: 'number', default: 3 },
    level: { type: 'choice', options: ['info', 'warn'], default: 'info' },
    env: { type: 'environment' },
    name: { required: true },
    note: {},
  };

  test('types values and applies defaults; optional inputs without a value are left out', () => {
    expect(
      coerceDispatchInputs(definitions, {
        debug: 'TRUE',
        count: '2.5',
        level: 'warn',
        env: 'prod',
        name: 'x',
      }),
    ).toEqual({
      debug: true,
      count: 2.5,
      level: 'warn',
      env: 'prod',
      name: 'x',
    });
    expect(coerceDispatchInputs(definitions, { name: 'x' })).toEqual({
      debug: false,
      count: 3,
      level: 'info',
      name: 'x',
    });
  });

  test.each([
    [{ name: 'x', nope: '1' }, "Unexpected input(s) 'nope'"],
    [{}, "Required input 'name' not provided"],
    [{ name: 'x', debug: 'yes' }, 'must be a boolean'],
    [{ name: 'x', count: 'many' }, 'must be a number'],
    [{ name: 'x', count: '' }, 'must be a number'],
    [{ name: 'x', level: 'debug' }, 'one of: info, warn'],
  ])('rejects %j', (given, message) => {
    expect(() => coerceDispatchInputs(definitions, given)).toThrow(message);
    try {
      coerceDispatchInputs(definitions, given);
    } catch (error) {
      expect((error as GantryError).code).toBe('GANTRY_INPUT_INVALID');
    }
  });

  test('a workflow without inputs accepts none', () => {
    expect(coerceDispatchInputs(undefined, {})).toEqual({});
    expect(() => coerceDispatchInputs(undefined, { a: '1' })).toThrow(GantryError);
  });
});
