import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runWorkflow } from '../helpers/run.js';

const secret = 'xK9-very-secret-Token-42';
const multiline = 'line-one-abc\nline-two-def';

describe('masking', () => {
  it('masks secrets in the live log, the stored log, outputs and the JSON report', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  j:
    runs-on: x
    outputs:
      leak: \${{ steps.s.outputs.value }}
    steps:
      - id: s
        env:
          TOKEN: \${{ secrets.TOKEN }}
          MULTI: \${{ secrets.MULTI }}
        run: |
          echo "plain: $TOKEN"
          # split the secret over two writes with a pause, so it crosses chunk boundaries
          printf '%s' "\${TOKEN:0:7}"; sleep 0.2; printf '%s\\n' "\${TOKEN:7}"
          echo "$MULTI"
          node -e 'console.log(JSON.stringify({ token: process.env.MULTI }))'
          echo "value=$TOKEN" >> "$GITHUB_OUTPUT"
`,
      { secrets: { TOKEN: secret, MULTI: multiline } },
    );
    const live = run.log('j').join('\n');
    expect(live).toContain('plain: ***');
    for (const leaked of [secret, 'line-one-abc', 'line-two-def'])
      expect(live).not.toContain(leaked);
    const report = JSON.stringify(run.report);
    expect(report).not.toContain(secret);
    expect(run.job('j').outputs['leak']).toBe('');
    const store = await openStore(path.join(run.repo, '.gantry'));
    const stored = (await store.getLog(run.report.runId ?? 0)).map((l) => l.text).join('');
    await store.close();
    expect(stored).toContain('plain: ***');
    expect(stored).not.toContain(secret);
    const files = readFileSync(
      path.join(run.repo, '.gantry', 'runs', String(run.report.runId), 'event.json'),
      'utf8',
    );
    expect(files).not.toContain(secret);
  });
});
