import { afterEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../helpers/repo.js';
import { loadActionManifest, parseActionManifest } from '../../src/actions/manifest.js';
import { ConfigError, GantryError } from '../../src/errors/index.js';
import { readActionSteps } from '../../src/workflow/action-steps.js';
import { removeTempDirs, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

/** The error a function throws, for assertions on its fields. */
function thrown(fn: () => unknown): GantryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const composite = `name: Greet
inputs:
  who:
    required: true
    default: \${{ github.actor }}
  greeting:
    default: hello-\${{ github.ref_name }}!
  count:
    default: 3
  optional:
    description: no default
outputs:
  message:
    value: \${{ steps.say.outputs.message }}
runs:
  using: composite
  steps:
    - id: say
      shell: bash
      run: echo "message=hi" >> "$GITHUB_OUTPUT"
`;

describe('action.yml manifests', () => {
  it('loads a composite action with raw defaults, outputs and its steps token', () => {
    const dir = tempDir();
    writeFiles(dir, { 'action.yml': composite });
    const manifest = loadActionManifest(dir);
    expect(manifest).toMatchObject({
      name: 'Greet',
      using: 'composite',
      dir,
      file: `${dir}/action.yml`,
    });
    expect(manifest.inputs).toEqual([
      { id: 'who', required: true, default: '${{ github.actor }}' },
      { id: 'greeting', required: false, default: 'hello-${{ github.ref_name }}!' },
      { id: 'count', required: false, default: '3' },
      { id: 'optional', required: false },
    ]);
    expect(manifest.outputs).toEqual([
      { id: 'message', value: '${{ steps.say.outputs.message }}' },
    ]);
    // The raw steps token is readable by the runner's own step reader.
    expect(readActionSteps(manifest).map((s) => s.id)).toEqual(['say']);
  });

  it('loads a node action from action.yaml, with no description (GitHub accepts that)', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'action.yaml':
        'name: N\nruns:\n  using: NODE20\n  main: dist/index.js\n  pre: pre.js\n  post: post.js\n  post-if: success()\n',
    });
    const manifest = loadActionManifest(dir);
    expect(manifest).toMatchObject({
      using: 'node20',
      main: 'dist/index.js',
      pre: 'pre.js',
      post: 'post.js',
      postIf: 'success()',
    });
    expect(manifest.steps).toBeUndefined();
    expect(manifest.inputs).toEqual([]);
  });

  it('refuses a Docker action as unsupported, with a hint', () => {
    const error = thrown(() =>
      parseActionManifest(
        '/a/action.yml',
        'name: D\nruns:\n  using: docker\n  image: Dockerfile\n',
      ),
    );
    expect(error.code).toBe('GANTRY_UNSUPPORTED');
    expect(error.message).toContain('Docker container actions need a container runtime');
    expect(error.hint).toMatch(/composite|run:/);
    expect(error.location).toMatchObject({ file: '/a/action.yml', line: 3 });
  });

  it('reports every schema problem with its line and column', () => {
    const source = `name: Bad
inputs:
  x:
    default: \${{ steps.early.outputs.x }}
  y: [1, 2]
runs:
  using: node20
  main: index.js
  steps: 3
`;
    const error = thrown(() => parseActionManifest('bad/action.yml', source));
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => [p.line, p.col, p.message]);
    expect(problems).toEqual([
      [4, 14, "Unrecognized named-value: 'steps'"],
      [5, 6, 'A sequence was not expected'],
      [9, 3, "Unexpected value 'steps'"],
    ]);
    expect((error as ConfigError).problems[0]?.snippet).toContain('4 | ');
  });

  it('reports YAML syntax errors with their position', () => {
    const error = thrown(() => parseActionManifest('y/action.yml', 'name: [\nruns: x\n'));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({
      file: 'y/action.yml',
      line: 2,
      col: 1,
    });
    expect((error as ConfigError).problems[0]?.message).toMatch(/^invalid YAML/);
  });

  it('rejects an unknown runs.using at its position', () => {
    const error = thrown(() =>
      parseActionManifest('n/action.yml', 'name: N\nruns:\n  using: node18\n  main: index.js\n'),
    );
    expect(error.code).toBe('GANTRY_ACTION_INVALID');
    expect(error.message).toBe(
      "n/action.yml:3:10: 'using: node18' is not supported, use 'composite', 'node20' or 'node24' instead.",
    );
  });

  it('rejects a node action without main, a composite without steps and a missing runs', () => {
    const noMain = thrown(() =>
      parseActionManifest('m/action.yml', 'name: M\nruns:\n  using: node20\n  post: post.js\n'),
    );
    expect([noMain.code, noMain.message]).toEqual([
      'GANTRY_ACTION_INVALID',
      expect.stringMatching(/^m\/action.yml:3:3: .*no entry JavaScript file/),
    ]);
    // Neither steps nor main: the schema itself cannot tell which kind of action it is.
    const bare = thrown(() =>
      parseActionManifest('c/action.yml', 'name: C\nruns:\n  using: composite\n'),
    );
    expect(bare).toBeInstanceOf(ConfigError);
    expect(bare.message).toMatch(/^c\/action.yml:3:3: There's not enough info/);
    expect(thrown(() => parseActionManifest('r/action.yml', 'name: R\n')).message).toBe(
      'r/action.yml:1:1: Required property is missing: runs',
    );
  });

  it('is not found without action.yml', () => {
    expect(thrown(() => loadActionManifest(tempDir())).code).toBe('GANTRY_ACTION_NOT_FOUND');
  });
});
