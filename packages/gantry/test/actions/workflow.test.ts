import { afterEach, describe, expect, it } from 'vitest';
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
