import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codecov } from '../../src/actions/builtin/codecov.js';
import { uploadSarif } from '../../src/actions/builtin/upload-sarif.js';
import { isGantryError } from '../../src/errors/index.js';
import { removeTempDirs, runAction, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

const cobertura = `<?xml version="1.0" ?>
<coverage version="7.17.3" timestamp="1" lines-valid="10" lines-covered="8" line-rate="0.8" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">
  <sources><source>/w/backend</source></sources>
  <packages><package name="app" line-rate="0.8" branch-rate="0" complexity="0"><classes>
    <class name="main.py" filename="app/main.py" complexity="0" line-rate="0.8" branch-rate="0">
      <methods/><lines>
        <line number="1" hits="1"/><line number="2" hits="1"/><line number="3" hits="1"/><line number="4" hits="1"/><line number="5" hits="1"/>
        <line number="6" hits="1"/><line number="7" hits="1"/><line number="8" hits="1"/><line number="9" hits="0"/><line number="10" hits="0"/>
      </lines>
    </class>
  </classes></package></packages>
</coverage>
`;
const lcov = 'TN:\nSF:src/app.ts\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n';
const sarif = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'ruff', rules: [{ id: 'F401' }] } },
      results: [
        {
          ruleId: 'F401',
          level: 'error',
          message: { text: '`os` imported but unused' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'app/main.py' },
                region: { startLine: 1 },
              },
            },
          ],
        },
      ],
    },
  ],
});

function workspaceWith(files: Record<string, string>): string {
  const workspace = tempDir();
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    writeFileSync(path.join(workspace, file), text);
  }
  return workspace;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => expect.unreachable('expected a failure'),
    (e: unknown) => e,
  );
  if (!isGantryError(error)) throw error;
  return { code: error.code, message: error.message };
}

describe('codecov/codecov-action', () => {
  it('finds the coverage reports, records them with the run and logs the totals', async () => {
    const workspace = workspaceWith({
      'backend/coverage.xml': cobertura,
      'frontend/coverage/lcov.info': lcov,
      'node_modules/dep/coverage.xml': 'ignored',
    });
    const reportsDir = tempDir();
    const h = await runAction(codecov, { workspace, reportsDir, inputs: { flags: 'unit' } });
    expect(h.log()).toContain('coverage: backend/coverage.xml (cobertura): 80% of 10 lines');
    expect(h.log()).toContain('coverage: frontend/coverage/lcov.info (lcov): 50% of 2 lines');
    const recorded = JSON.parse(
      readFileSync(path.join(reportsDir, 'coverage-unit.json'), 'utf8'),
    ) as {
      coverage: { lines: { covered: number; total: number } };
    };
    expect(recorded.coverage.lines).toEqual({ covered: 9, total: 12 });
  });

  it('fails with fail_ci_if_error when no report exists, and only warns without it', async () => {
    const workspace = workspaceWith({ 'README.md': '# no coverage here' });
    expect(
      await rejection(runAction(codecov, { workspace, inputs: { fail_ci_if_error: 'true' } })),
    ).toMatchObject({ code: 'GANTRY_REPORT_MISSING' });
    const h = await runAction(codecov, { workspace });
    expect(h.log()).toContain('##[warning]no coverage report found');
  });
});

describe('github/codeql-action/upload-sarif', () => {
  it('checks the SARIF file and records it with the run under its category', async () => {
    const workspace = workspaceWith({ 'results/ruff.sarif': sarif });
    const reportsDir = tempDir();
    const h = await runAction(uploadSarif, {
      workspace,
      reportsDir,
      inputs: { sarif_file: 'results', category: 'ruff' },
    });
    expect(h.log()).toContain('Recorded results/ruff.sarif (1 result) with the run');
    expect(readFileSync(path.join(reportsDir, 'sarif', 'ruff.sarif'), 'utf8')).toBe(sarif);
  });

  it('refuses a file that is not SARIF and a path that does not exist', async () => {
    const workspace = workspaceWith({ 'bad.sarif': '{"version": "2.1.0", "runs": [' });
    expect(
      await rejection(runAction(uploadSarif, { workspace, inputs: { sarif_file: 'bad.sarif' } })),
    ).toMatchObject({
      code: 'GANTRY_REPORT_INVALID',
    });
    expect(
      await rejection(runAction(uploadSarif, { workspace, inputs: { sarif_file: 'nope.sarif' } })),
    ).toMatchObject({
      code: 'GANTRY_REPORT_MISSING',
    });
  });
});
