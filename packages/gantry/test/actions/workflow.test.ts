import { afterEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../helpers/repo.js';
import { runWorkflow } from '../helpers/run.js';
import { removeTempDirs } from './action-harness.js';

afterEach(removeTempDirs);

const workflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        id: node
        with:
          node-version: '${process.versions.node}'
      - run: echo "node=\${{ steps.node.outputs.node-version }}"; mkdir -p dist; echo hi > dist/a.txt
      - uses: actions/cache@v4
        id: cache
        with:
          path: dist
          key: dist-\${{ github.sha }}
      - run: echo "hit=\${{ steps.cache.outputs.cache-hit }}"
      - uses: actions/upload-artifact@v4
        with:
          name: out
          path: dist
  use:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: out
          path: got
      - run: cat got/a.txt
      - uses: ./.github/actions/greet
        id: greet
        with:
          who: you
      - run: echo "msg=\${{ steps.greet.outputs.message }}"
`;

const greet = `name: Greet
inputs:
  who:
    required: true
outputs:
  message:
    value: \${{ steps.say.outputs.m }}
runs:
  using: composite
  steps:
    - id: say
      shell: bash
      run: echo "m=hello \${{ inputs.who }}" >> "$GITHUB_OUTPUT"
`;

describe('built-in and local actions in a workflow run', () => {
  it('sets up node, caches across runs, passes an artifact between jobs and runs a local composite action', async () => {
    const first = await runWorkflow(workflow, {
      files: { '.github/actions/greet/action.yml': greet },
    });
    expect(first.log('build')).toEqual(expect.arrayContaining([`node=${process.version}`, 'hit=']));
    expect(first.log('use')).toEqual(expect.arrayContaining(['hi', 'msg=hello you']));
    const second = await runWorkflow(workflow, { repoRoot: first.repo });
    expect(second.log('build')).toContain('hit=true');
  });
});

describe('actions/cache post step', () => {
  it('does not save the cache when the job failed (post-if: success())', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    steps:
      - uses: actions/cache@v4
        with:
          path: out
          key: broken-\${{ github.sha }}
      - run: mkdir -p out && echo partial > out/file && exit 1
`);
    expect(run.job('j').status).toBe('failure');
    expect(run.job('j').steps.map((s) => s.name)).not.toContain('Post actions/cache@v4');
    writeFiles(run.repo, {
      '.github/workflows/w.yml': `on: push
jobs:
  j:
    runs-on: x
    steps:
      - uses: actions/cache@v4
        id: c
        with:
          path: out
          key: broken-\${{ github.sha }}
      - run: echo "hit=\${{ steps.c.outputs.cache-hit }}"
`,
    });
    const again = await runWorkflow('', { repoRoot: run.repo });
    expect(again.log('j').some((l) => l.startsWith('hit='))).toBe(true);
    expect(again.log('j')).not.toContain('hit=true');
  });
});
