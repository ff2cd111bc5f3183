import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { plainReporter } from '../../src/cli/reporters/plain.js';
import { runWorkflow } from '../helpers/run.js';

const nodeAction = {
  '.github/actions/hello/action.yml': `name: hello
inputs:
  who: { description: who, required: true }
  greeting: { description: greeting, default: 'Hello' }
outputs:
  said: { description: what was said }
runs:
  using: node20
  main: main.js
  post: post.js
`,
  '.github/actions/hello/main.js': `const fs = require('fs');
const said = process.env.INPUT_GREETING + ', ' + process.env.INPUT_WHO;
console.log(said);
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'said=' + said + '\\n');
fs.appendFileSync(process.env.GITHUB_STATE, 'started=yes\\n');
`,
  '.github/actions/hello/post.js': `console.log('post sees state ' + process.env.STATE_started);
`,
};

describe('local actions and shells', () => {
  it('runs a local JavaScript action with inputs, defaults, outputs, state and a post step', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  j:
    runs-on: x
    steps:
      - id: hi
        uses: ./.github/actions/hello
        with:
          who: a new user
      - run: echo "output=\${{ steps.hi.outputs.said }}"
`,
      { files: nodeAction },
    );
    expect(run.report.status).toBe('success');
    const log = run.log('j');
    expect(log).toContain('Hello, a new user');
    expect(log).toContain('output=Hello, a new user');
    expect(log).toContain('post sees state yes');
    expect(run.job('j').steps.map((s) => s.name)).toEqual([
      'Run ./.github/actions/hello',
      'Run echo "output=${{ steps.hi.outputs.said }}"',
      'Post ./.github/actions/hello',
    ]);
  });

  it('runs a custom shell template', async () => {
    if (spawnSync('perl', ['-v']).status !== 0) throw new Error('perl is needed for this test');
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: print "perl says ", 6 * 7, "\\n";
        shell: perl {0}
`);
    expect(run.log('j')).toContain('perl says 42');
  });

  it('fences step output with stop-commands when Gantry itself runs inside GitHub Actions', () => {
    const written: string[] = [];
    const out = { write: (text: string) => written.push(text) } as unknown as NodeJS.WritableStream;
    const listener = plainReporter(out, true);
    listener({ type: 'job-start', job: 'ci.yml/j', workflow: 'CI', name: 'j' });
    listener({ type: 'log', job: 'ci.yml/j', text: '::error::from the step' });
    listener({ type: 'job-end', job: 'ci.yml/j', status: 'success', durationMs: 5 });
    const text = written.join('');
    const token = /::stop-commands::([0-9a-f]+)/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect(text.indexOf('::error::from the step')).toBeGreaterThan(
      text.indexOf(`::stop-commands::${token}`),
    );
    expect(text.indexOf(`::${token}::`)).toBeGreaterThan(text.indexOf('::error::from the step'));
    expect(text.startsWith('::group::ci.yml/j')).toBe(true);
  });
});
