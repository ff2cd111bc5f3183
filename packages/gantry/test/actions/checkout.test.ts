import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitAll, createRepo, git, writeFiles } from '../helpers/repo.js';
import { checkout } from '../../src/actions/builtin/checkout.js';
import { prepareWorkspace } from '../../src/runner/workspace.js';
import { removeTempDirs, runAction, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

/** A repository with two commits, an uncommitted change, an untracked and an ignored file. */
async function fixture() {
  const repo = createRepo({ 'README.md': 'v1\n', '.gitignore': 'secret.txt\n' });
  const first = git(repo, 'rev-parse', 'HEAD').trim();
  writeFiles(repo, { 'README.md': 'v2\n', 'src/app.js': 'app\n' });
  commitAll(repo, 'second');
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  git(repo, 'tag', 'v1.0.0', first);
  writeFiles(repo, {
    'README.md': 'v2 + local edit\n',
    'notes.txt': 'untracked\n',
    'secret.txt': 'ignored\n',
  });
  const workspace = path.join(tempDir(), 'workspace');
  await prepareWorkspace(repo, workspace, head, false);
  const options = {
    repositoryRoot: repo,
    workspace,
    github: { sha: head, repository: 'octo/app', ref: 'refs/heads/main' },
  };
  return { repo, first, head, workspace, options };
}

describe('actions/checkout', () => {
  it('leaves the prepared workspace alone when given no inputs', async () => {
    const { workspace, head, options } = await fixture();
    writeFileSync(path.join(workspace, 'build.out'), 'made by an earlier step\n');
    const h = await runAction(checkout, options);
    expect(h.log()).toMatch(/nothing to check out/);
    expect(h.outputs).toEqual({ ref: 'refs/heads/main', commit: head });
    expect(readFileSync(path.join(workspace, 'build.out'), 'utf8')).toBe(
      'made by an earlier step\n',
    );
  });

  it('copies the working tree into `path:`, as a git repository at the run commit', async () => {
    const { workspace, head, options } = await fixture();
    const h = await runAction(checkout, { ...options, inputs: { path: 'app' } });
    const target = path.join(workspace, 'app');
    expect(readFileSync(path.join(target, 'README.md'), 'utf8')).toBe('v2 + local edit\n');
    expect(readFileSync(path.join(target, 'src/app.js'), 'utf8')).toBe('app\n');
    expect(existsSync(path.join(target, 'notes.txt'))).toBe(true);
    expect(existsSync(path.join(target, 'secret.txt'))).toBe(false);
    expect(git(target, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(h.outputs['commit']).toBe(head);
  });

  it('puts the tree of `ref:` into `path:`', async () => {
    const { workspace, first, options } = await fixture();
    const h = await runAction(checkout, { ...options, inputs: { path: 'old', ref: 'v1.0.0' } });
    const target = path.join(workspace, 'old');
    expect(readFileSync(path.join(target, 'README.md'), 'utf8')).toBe('v1\n');
    expect(existsSync(path.join(target, 'src/app.js'))).toBe(false);
    expect(h.outputs).toEqual({ ref: 'v1.0.0', commit: first });
  });

  it('switches the workspace itself to `ref:` and cleans it', async () => {
    const { workspace, first, options } = await fixture();
    writeFileSync(path.join(workspace, 'stray.txt'), 'left by a step\n');
    await runAction(checkout, { ...options, inputs: { ref: first.slice(0, 10) } });
    expect(readFileSync(path.join(workspace, 'README.md'), 'utf8')).toBe('v1\n');
    expect(existsSync(path.join(workspace, 'src/app.js'))).toBe(false);
    expect(existsSync(path.join(workspace, 'stray.txt'))).toBe(false);
    expect(git(workspace, 'rev-parse', 'HEAD').trim()).toBe(first);
  });

  it('fails clearly on a ref the repository does not have', async () => {
    const { options } = await fixture();
    await expect(
      runAction(checkout, { ...options, inputs: { ref: 'no-such-branch' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_GIT_FAILED',
      message: expect.stringContaining("'no-such-branch' could not be found"),
    });
  });

  it('refuses another repository and paths outside the workspace', async () => {
    const { options } = await fixture();
    await expect(
      runAction(checkout, { ...options, inputs: { repository: 'other/lib' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_UNSUPPORTED',
      hint: expect.stringContaining('https://github.com/other/lib.git'),
    });
    await expect(
      runAction(checkout, { ...options, inputs: { repository: 'Octo/App' } }),
    ).resolves.toBeDefined();
    await expect(
      runAction(checkout, { ...options, inputs: { path: '../outside' } }),
    ).rejects.toMatchObject({ code: 'GANTRY_CONFIG_INVALID' });
  });

  it('accepts the fetch inputs and ignores them', async () => {
    const { options } = await fixture();
    const h = await runAction(checkout, {
      ...options,
      env: { PATH: process.env['PATH'] ?? '', ACTIONS_STEP_DEBUG: 'true' },
      inputs: { 'fetch-depth': '0', token: 'ghp_secret', submodules: 'recursive' },
    });
    expect(h.log()).toContain("'fetch-depth: 0' is ignored");
    expect(h.log()).not.toContain('ghp_secret');
  });
});
