import { afterEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../helpers/repo.js';
import { resolveAction, type ResolvedAction } from '../../src/actions/resolve.js';
import { builtinActions, findBuiltinAction } from '../../src/actions/builtin/index.js';
import { GantryError } from '../../src/errors/index.js';
import { removeTempDirs, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

function thrown(fn: () => unknown): GantryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const nodeAction = 'name: Hello\nruns:\n  using: node20\n  main: index.js\n';

function setup() {
  const workspace = tempDir();
  const repositoryRoot = tempDir();
  const actionsPath = tempDir();
  return { workspace, repositoryRoot, actionsPath };
}

describe('resolveAction', () => {
  it('finds a local action in the workspace (action.yml or action.yaml)', () => {
    const opts = setup();
    writeFiles(opts.workspace, {
      '.github/actions/greet/action.yml':
        'name: Greet\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n',
      'tools/hello/action.yaml': nodeAction,
    });
    const greet = resolveAction('./.github/actions/greet', opts);
    expect(greet).toMatchObject({
      kind: 'local',
      dir: `${opts.workspace}/.github/actions/greet`,
      manifest: { name: 'Greet', using: 'composite' },
    });
    const hello = resolveAction('./tools/hello', opts) as Extract<
      ResolvedAction,
      { manifest: unknown }
    >;
    expect(hello.manifest.file).toBe(`${opts.workspace}/tools/hello/action.yaml`);
  });

  it('says a local action is missing, and that a Dockerfile-only one is unsupported', () => {
    const opts = setup();
    writeFiles(opts.workspace, { 'docker-only/Dockerfile': 'FROM alpine\n' });
    expect(thrown(() => resolveAction('./nowhere', opts)).code).toBe('GANTRY_ACTION_NOT_FOUND');
    expect(thrown(() => resolveAction('./docker-only', opts)).code).toBe('GANTRY_UNSUPPORTED');
  });

  it('refuses docker:// actions and local Docker action.yml files', () => {
    const opts = setup();
    writeFiles(opts.workspace, {
      'd/action.yml': 'name: D\nruns:\n  using: docker\n  image: Dockerfile\n',
    });
    const direct = thrown(() => resolveAction('docker://alpine:3.20', opts));
    expect([direct.code, direct.hint]).toEqual([
      'GANTRY_UNSUPPORTED',
      expect.stringContaining('run:'),
    ]);
    expect(thrown(() => resolveAction('./d', opts)).code).toBe('GANTRY_UNSUPPORTED');
  });

  it('answers with a built-in for any ref and any case', () => {
    const opts = setup();
    for (const uses of [
      'actions/checkout@v4',
      'actions/checkout@main',
      `Actions/Checkout@${'a'.repeat(40)}`,
    ]) {
      expect(resolveAction(uses, opts)).toEqual({
        kind: 'builtin',
        action: findBuiltinAction('actions/checkout'),
      });
    }
    const restore = resolveAction('actions/cache/restore@v4', opts);
    expect(restore.kind === 'builtin' && restore.action.name).toBe('actions/cache/restore');
  });

  it('prefers a built-in over a mirrored copy of the same action', () => {
    const opts = setup();
    writeFiles(opts.actionsPath, { 'actions/checkout/v4/action.yml': nodeAction });
    expect(resolveAction('actions/checkout@v4', opts).kind).toBe('builtin');
  });

  it('finds a vendored action in the mirror, with a sub-path', () => {
    const opts = setup();
    writeFiles(opts.actionsPath, {
      'octo/hello/v2/action.yml': nodeAction,
      'octo/tools/v1.2.0/lint/action.yml': 'name: Lint\nruns:\n  using: node24\n  main: lint.js\n',
    });
    expect(resolveAction('octo/hello@v2', opts)).toMatchObject({
      kind: 'mirror',
      dir: `${opts.actionsPath}/octo/hello/v2`,
      manifest: { name: 'Hello' },
    });
    expect(resolveAction('octo/tools/lint@v1.2.0', opts)).toMatchObject({
      kind: 'mirror',
      manifest: { using: 'node24', main: 'lint.js' },
    });
  });

  it('explains how to vendor an action it cannot find', () => {
    const opts = setup();
    const error = thrown(() => resolveAction('octo/hello@v2', opts));
    expect(error.code).toBe('GANTRY_ACTION_NOT_FOUND');
    expect(error.message).toContain("'octo/hello@v2'");
    expect(error.hint).toContain(
      'git clone --depth 1 --branch v2 https://github.com/octo/hello.git "$GANTRY_ACTIONS_PATH/octo/hello/v2"',
    );
  });

  it('tells how to set the mirror up when GANTRY_ACTIONS_PATH is not set, and fetches pinned SHAs by id', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const error = thrown(() =>
      resolveAction(`octo/hello@${sha}`, { workspace: tempDir(), repositoryRoot: tempDir() }),
    );
    expect(error.message).toContain('GANTRY_ACTIONS_PATH');
    expect(error.hint).toContain('export GANTRY_ACTIONS_PATH=');
    expect(error.hint).toContain(`fetch --depth 1 https://github.com/octo/hello.git ${sha}`);
    expect(error.hint).not.toContain('--branch');
  });

  it('rejects a reference without a ref', () => {
    expect(thrown(() => resolveAction('octo/hello', setup())).code).toBe('GANTRY_CONFIG_INVALID');
  });
});

describe('built-in registry', () => {
  it('holds every built-in under its lower-case name', () => {
    expect([...builtinActions.keys()].sort()).toEqual([
      'actions/cache',
      'actions/cache/restore',
      'actions/cache/save',
      'actions/checkout',
      'actions/download-artifact',
      'actions/setup-node',
      'actions/setup-python',
      'actions/upload-artifact',
      'aquasecurity/trivy-action',
      'astral-sh/setup-uv',
      'codecov/codecov-action',
      'gantry/approve',
      'gantry/deploy',
      'github/codeql-action/upload-sarif',
      'gitleaks/gitleaks-action',
      'trufflesecurity/trufflehog',
    ]);
    for (const [name, action] of builtinActions) expect(action.name).toBe(name);
    expect(findBuiltinAction('Astral-SH/Setup-UV')?.name).toBe('astral-sh/setup-uv');
    expect(findBuiltinAction('actions/setup-go')).toBeUndefined();
  });
});
