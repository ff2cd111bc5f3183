import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../helpers/repo.js';
import { downloadArtifact } from '../../src/actions/builtin/download-artifact.js';
import { uploadArtifact } from '../../src/actions/builtin/upload-artifact.js';
import { removeTempDirs, runAction, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

/** All files under a directory, as sorted relative paths. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function build() {
  const workspace = tempDir();
  writeFiles(workspace, {
    'dist/app.js': 'app',
    'dist/app.test.js': 'test',
    'dist/lib/util.js': 'util',
    'dist/.env': 'hidden',
    'dist/.cache/x': 'hidden dir',
    'docs/guide.md': 'guide',
    'report.xml': '<xml/>',
  });
  return { workspace, artifactsDir: tempDir() };
}

describe('actions/upload-artifact', () => {
  it('stores a directory relative to itself, leaving hidden files out', async () => {
    const { workspace, artifactsDir } = build();
    const h = await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'web', path: 'dist/' },
    });
    expect(tree(path.join(artifactsDir, 'web'))).toEqual(['app.js', 'app.test.js', 'lib/util.js']);
    expect(h.outputs).toEqual({
      'artifact-id': '1',
      'artifact-url': pathToFileURL(path.join(artifactsDir, 'web')).href,
    });
    expect(h.log()).toContain('there will be 3 files uploaded');
  });

  it('roots several paths at their least common ancestor, and a lone file at its directory', async () => {
    const { workspace, artifactsDir } = build();
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'mixed', path: 'dist/lib\ndocs/guide.md' },
    });
    expect(tree(path.join(artifactsDir, 'mixed'))).toEqual(['dist/lib/util.js', 'docs/guide.md']);
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'single', path: 'dist/lib/util.js' },
    });
    expect(tree(path.join(artifactsDir, 'single'))).toEqual(['util.js']);
  });

  it('expands globs with exclusions, and includes hidden files when asked', async () => {
    const { workspace, artifactsDir } = build();
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'js', path: 'dist/**/*.js\n!dist/**/*.test.js' },
    });
    expect(tree(path.join(artifactsDir, 'js'))).toEqual(['app.js', 'lib/util.js']);
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'all', path: 'dist', 'include-hidden-files': 'true' },
    });
    expect(tree(path.join(artifactsDir, 'all'))).toEqual([
      '.cache/x',
      '.env',
      'app.js',
      'app.test.js',
      'lib/util.js',
    ]);
  });

  it('follows if-no-files-found', async () => {
    const { workspace, artifactsDir } = build();
    const warned = await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { path: 'nope/' },
    });
    expect(warned.log()).toMatch(
      /^##\[warning\]No files were found with the provided path: nope\//,
    );
    expect(warned.outputs).toEqual({});
    const ignored = await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { path: 'nope/', 'if-no-files-found': 'ignore' },
    });
    expect(ignored.log()).toMatch(/^No files were found/);
    await expect(
      runAction(uploadArtifact, {
        workspace,
        artifactsDir,
        inputs: { path: 'nope/', 'if-no-files-found': 'error' },
      }),
    ).rejects.toMatchObject({
      code: 'GANTRY_ARTIFACT_NOT_FOUND',
    });
    await expect(
      runAction(uploadArtifact, {
        workspace,
        artifactsDir,
        inputs: { path: 'dist', 'if-no-files-found': 'maybe' },
      }),
    ).rejects.toMatchObject({
      code: 'GANTRY_CONFIG_INVALID',
    });
  });

  it('refuses a second upload of a name unless overwrite, and bad names', async () => {
    const { workspace, artifactsDir } = build();
    const first = await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { path: 'report.xml' },
    });
    expect(tree(path.join(artifactsDir, 'artifact'))).toEqual(['report.xml']);
    await expect(
      runAction(uploadArtifact, { workspace, artifactsDir, inputs: { path: 'docs' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_CONFIG_INVALID',
      message: expect.stringContaining('already exists'),
      hint: expect.stringContaining('overwrite: true'),
    });
    const replaced = await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { path: 'docs', overwrite: 'true' },
    });
    expect(tree(path.join(artifactsDir, 'artifact'))).toEqual(['guide.md']);
    expect(Number(replaced.outputs['artifact-id'])).toBeGreaterThan(
      Number(first.outputs['artifact-id']),
    );
    await expect(
      runAction(uploadArtifact, { workspace, artifactsDir, inputs: { name: 'a/b', path: 'docs' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_CONFIG_INVALID',
      message: expect.stringContaining('"/"'),
    });
  });
});

describe('actions/download-artifact', () => {
  async function uploaded() {
    const { workspace, artifactsDir } = build();
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'web', path: 'dist/lib' },
    });
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'docs', path: 'docs' },
    });
    await runAction(uploadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'report-linux', path: 'report.xml' },
    });
    return artifactsDir;
  }

  it('downloads one artifact by name straight into path (default: the workspace)', async () => {
    const artifactsDir = await uploaded();
    const workspace = tempDir();
    const h = await runAction(downloadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'web' },
    });
    expect(tree(workspace)).toEqual(['util.js']);
    expect(h.outputs['download-path']).toBe(workspace);
    await runAction(downloadArtifact, {
      workspace,
      artifactsDir,
      inputs: { name: 'docs', path: 'out/docs' },
    });
    expect(readFileSync(path.join(workspace, 'out/docs/guide.md'), 'utf8')).toBe('guide');
  });

  it('downloads all artifacts into one folder each, or merged, or those matching a pattern', async () => {
    const artifactsDir = await uploaded();
    const all = tempDir();
    await runAction(downloadArtifact, { workspace: all, artifactsDir, inputs: { path: 'all' } });
    expect(tree(path.join(all, 'all'))).toEqual([
      'docs/guide.md',
      'report-linux/report.xml',
      'web/util.js',
    ]);
    const merged = tempDir();
    await runAction(downloadArtifact, {
      workspace: merged,
      artifactsDir,
      inputs: { 'merge-multiple': 'true' },
    });
    expect(tree(merged)).toEqual(['guide.md', 'report.xml', 'util.js']);
    const matching = tempDir();
    await runAction(downloadArtifact, {
      workspace: matching,
      artifactsDir,
      inputs: { pattern: 'report-*' },
    });
    expect(tree(matching)).toEqual(['report-linux/report.xml']);
  });

  it('names the available artifacts when the one asked for is missing', async () => {
    const artifactsDir = await uploaded();
    await expect(
      runAction(downloadArtifact, { artifactsDir, inputs: { name: 'coverage' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_ARTIFACT_NOT_FOUND',
      message: expect.stringMatching(/'coverage' not found.*'web', 'docs', 'report-linux'/),
    });
  });

  it('refuses artifacts of another run', async () => {
    const artifactsDir = await uploaded();
    const env = { PATH: process.env['PATH'] ?? '', GITHUB_RUN_ID: '7' };
    await expect(
      runAction(downloadArtifact, {
        env,
        artifactsDir,
        inputs: { name: 'web', 'github-token': 't', 'run-id': '8' },
      }),
    ).rejects.toMatchObject({ code: 'GANTRY_UNSUPPORTED' });
    await expect(
      runAction(downloadArtifact, {
        env,
        artifactsDir,
        inputs: { name: 'web', 'github-token': 't', 'run-id': '7' },
      }),
    ).resolves.toBeDefined();
  });
});
