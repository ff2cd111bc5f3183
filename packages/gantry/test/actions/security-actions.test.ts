import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitleaksAction, trufflehogAction } from '../../src/actions/builtin/secret-scanners.js';
import { trivyAction } from '../../src/actions/builtin/trivy.js';
import { isGantryError } from '../../src/errors/index.js';
import { readReport } from '../../src/reports/index.js';
import { Tokens } from '../scan/secrets/tokens.js';
import { removeTempDirs, runAction, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

const osvDb = path.resolve(import.meta.dirname, '../scan/osv/fixtures/db');
const token = new Tokens(7).github('ghp');

/** A project locking lodash 4.17.20 (vulnerable in the OSV fixtures), in a git repository. */
function project(files: Record<string, string> = {}): string {
  const dir = tempDir();
  const write = (all: Record<string, string>) => {
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  };
  write({
    'package.json': JSON.stringify({
      name: 'app',
      version: '1.0.0',
      dependencies: { lodash: '4.17.20' },
    }),
    'package-lock.json': JSON.stringify({
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.20' } },
        'node_modules/lodash': {
          version: '4.17.20',
          resolved: 'https://registry.example/lodash/-/lodash-4.17.20.tgz',
        },
      },
    }),
    ...files,
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'init');
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => expect.unreachable('expected a failure'),
    (e: unknown) => e,
  );
  if (!isGantryError(error)) throw error;
  return { code: error.code, message: error.message };
}

describe('aquasecurity/trivy-action (scan-type: fs)', () => {
  it('writes Trivy-shaped JSON the gate reads, and fails only with exit-code', async () => {
    const workspace = project();
    const env = { PATH: process.env['PATH'] ?? '', GANTRY_OSV_DB: osvDb };
    const inputs = { 'scan-type': 'fs', format: 'json', output: 'trivy.json', scanners: 'vuln' };
    await runAction(trivyAction, { workspace, env, inputs });
    const part = readReport('trivy', path.join(workspace, 'trivy.json'));
    expect(part.vulns?.map((v) => [v.package, v.version])).toContainEqual(['lodash', '4.17.20']);
    expect(part.vulns?.every((v) => v.fixedVersions.length > 0)).toBe(true);

    expect(
      await failure(
        runAction(trivyAction, { workspace, env, inputs: { ...inputs, 'exit-code': '1' } }),
      ),
    ).toMatchObject({ code: 'GANTRY_VULNERABILITIES_FOUND' });
    // Severity filter: nothing LOW-only is vulnerable here.
    await runAction(trivyAction, {
      workspace,
      env,
      inputs: { ...inputs, severity: 'LOW', 'exit-code': '1' },
    });
  });

  it('honours .trivyignore until its expiry date', async () => {
    const env = { PATH: process.env['PATH'] ?? '', GANTRY_OSV_DB: osvDb };
    const inputs = { 'scan-type': 'fs', format: 'json', output: 'trivy.json', scanners: 'vuln' };
    const first = project();
    await runAction(trivyAction, { workspace: first, env, inputs });
    const ids = readReport('trivy', path.join(first, 'trivy.json')).vulns?.map((v) => v.id) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    const ignored = project({
      '.trivyignore': `${ids.map((id) => `${id} exp:2999-01-01`).join('\n')}\n`,
    });
    await runAction(trivyAction, {
      workspace: ignored,
      env,
      inputs: { ...inputs, 'exit-code': '1' },
    });
    const expired = project({
      '.trivyignore': `${ids.map((id) => `${id} exp:2001-01-01`).join('\n')}\n`,
    });
    expect(
      (
        await failure(
          runAction(trivyAction, {
            workspace: expired,
            env,
            inputs: { ...inputs, 'exit-code': '1' },
          }),
        )
      ).code,
    ).toBe('GANTRY_VULNERABILITIES_FOUND');
  });

  it('says what it cannot do: other scan types, and no OSV database', async () => {
    const workspace = project();
    expect(
      await failure(runAction(trivyAction, { workspace, inputs: { 'scan-type': 'image' } })),
    ).toMatchObject({
      code: 'GANTRY_UNSUPPORTED',
    });
    expect(
      await failure(
        runAction(trivyAction, {
          workspace,
          env: { PATH: process.env['PATH'] ?? '' },
          inputs: { 'scan-type': 'fs' },
        }),
      ),
    ).toMatchObject({ code: 'GANTRY_OSV_DB_INVALID' });
  });
});

describe('gitleaks/gitleaks-action and trufflesecurity/trufflehog', () => {
  it('find a secret in the history, redacted in the log, and fail the step', async () => {
    const workspace = project({ 'config/settings.py': `GITHUB_TOKEN = "${token}"\n` });
    const reportsDir = tempDir();
    const gitleaks = await failure(runAction(gitleaksAction, { workspace, reportsDir }));
    expect(gitleaks.code).toBe('GANTRY_SECRETS_FOUND');
    const sarif = readFileSync(path.join(reportsDir, 'secrets-gitleaks.sarif'), 'utf8');
    expect(sarif).toContain('config/settings.py');
    expect(sarif).not.toContain(token);
    expect((await failure(runAction(trufflehogAction, { workspace }))).code).toBe(
      'GANTRY_SECRETS_FOUND',
    );
  });

  it('pass a clean repository', async () => {
    const h = await runAction(gitleaksAction, { workspace: project() });
    expect(h.log()).toContain('No secrets found.');
  });
});
