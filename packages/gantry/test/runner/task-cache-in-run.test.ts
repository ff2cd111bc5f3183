import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArtifact } from '../../src/cache/artifact.js';
import { runWorkflow } from '../helpers/run.js';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');

describe('gantry task inside gantry run', () => {
  it('shares the repository task cache across runs and masks the run secrets in it', async () => {
    const workflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: node "${bin}" task build
        env:
          TOKEN: \${{ secrets.TOKEN }}
`;
    const files = {
      'Taskfile.yml': `version: '3'
tasks:
  build:
    sources: ['src/*.txt']
    generates: ['dist/out.txt']
    cmds: ['mkdir -p dist && cat src/*.txt > dist/out.txt', 'echo "built with $TOKEN"']
`,
      'src/a.txt': 'a\n',
    };
    const secrets = { TOKEN: 'tok-3f9a-very-secret' };
    const first = await runWorkflow(workflow, { files, secrets });
    expect(first.job('build').status, first.log('build').join('\n')).toBe('success');
    expect(first.log('build').join('\n')).toContain('built with ***');
    // The next run's workspace is a fresh copy without dist/: the result comes from the cache.
    const second = await runWorkflow(workflow, { repoRoot: first.repo, secrets });
    const log = second.log('build').join('\n');
    expect(second.job('build').status, first.log('build').join('\n')).toBe('success');
    expect(log).toMatch(/task: Task "build" restored from the local cache/);
    expect(log).toContain('built with ***');
    const artifacts = path.join(first.repo, '.gantry/cache/artifacts');
    const [entry] = readdirSync(artifacts);
    const meta = JSON.stringify(readArtifact(readFileSync(path.join(artifacts, entry ?? ''))).meta);
    expect(meta).toContain('built with ***');
    expect(meta).not.toContain('tok-3f9a-very-secret');
  });
});
