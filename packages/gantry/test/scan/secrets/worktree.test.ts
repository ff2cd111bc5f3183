import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/reports/model.js';
import { scanSecrets, type SecretFinding } from '../../../src/scan/secrets/index.js';
import { Tokens } from './tokens.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dir(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gantry-secrets-tree-'));
  dirs.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const t = new Tokens(11);
const token = () => `ghp = "${t.github('ghp')}"\n`;
const files = (findings: SecretFinding[]) => findings.map((f) => f.file);

describe('working tree scans', () => {
  it('in a git repository: tracked and untracked files, not ignored ones', async () => {
    const root = dir({
      '.gitignore': 'local.env\nbuild/\n',
      'tracked.txt': token(),
      'untracked.txt': token(),
      'local.env': token(),
      'build/out.js': token(),
    });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root });
    git('init', '-q');
    git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'add', '.gitignore', 'tracked.txt');
    git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'one');
    expect(files(await scanSecrets({ root }))).toEqual(['tracked.txt', 'untracked.txt']);
  });

  it('outside git: every file but .git; binary, oversized and symlinked files are skipped', async () => {
    const root = dir({
      'a.txt': token(),
      '.git/config': token(),
      'image.bin': Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]),
        Buffer.from(token()),
      ]),
      'big.txt': `${'x'.repeat(200)}\n${token()}`,
      'empty.txt': '',
    });
    symlinkSync(path.join(root, 'a.txt'), path.join(root, 'link.txt'));
    expect(files(await scanSecrets({ root }))).toEqual(['a.txt', 'big.txt']);
    expect(files(await scanSecrets({ root, maxFileBytes: 100 }))).toEqual(['a.txt']);
  });

  it('findings have the reports model shape', async () => {
    const root = dir({ 'a.txt': `x\n${token()}` });
    const findings: readonly Finding[] = await scanSecrets({ root });
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'secret',
        tool: 'gantry',
        rule: 'github-pat',
        severity: 'high',
        file: 'a.txt',
        line: 2,
        column: 8,
      }),
    ]);
  });

  it('a root that is not a directory is a usage error; --history outside git a git error', async () => {
    await expect(scanSecrets({ root: '/nonexistent/dir' })).rejects.toMatchObject({
      code: 'GANTRY_USAGE',
    });
    const root = dir({ 'a.txt': 'x\n' });
    await expect(scanSecrets({ root, history: true })).rejects.toMatchObject({
      code: 'GANTRY_GIT_FAILED',
    });
  });
});
