import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findLockfiles,
  readComponents,
  readLockfiles,
  type Component,
} from '../../../src/scan/sbom/index.js';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const fixture = (name: string) => path.join(fixtures, name);
const expected = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(fixture(name), 'expected.json'), 'utf8'));

// One project (package.json in each folder) locked by eight package-manager generations.
const jsCases = [
  ['npm-v1', 'package-lock.json'],
  ['npm-v2', 'package-lock.json'],
  ['npm-v3', 'package-lock.json'],
  ['pnpm-v5', 'pnpm-lock.yaml'],
  ['pnpm-v6', 'pnpm-lock.yaml'],
  ['pnpm-v9', 'pnpm-lock.yaml'],
  ['yarn-v1', 'yarn.lock'],
  ['yarn-berry', 'yarn.lock'],
] as const;

const pythonCases = [
  ['uv', ['uv.lock']],
  ['poetry', ['poetry.lock']],
  ['pipenv', ['Pipfile.lock']],
  ['requirements', ['requirements-dev.txt', 'requirements.txt']],
] as const;

const summary = (components: readonly Component[]) =>
  components.map((c) => `${c.purl} ${c.name} ${c.scope ?? '-'}`);

/** What every JS lockfile of the fixture project must yield: purl, name as written, scope. */
const jsProject = [
  'pkg:npm/%40types/node@20.11.0 @types/node required',
  'pkg:npm/debug@4.3.4 debug required',
  'pkg:npm/is-number@6.0.0 is-number optional', // under the optional is-odd
  'pkg:npm/is-number@7.0.0 is-number dev',
  'pkg:npm/is-odd@3.0.1 is-odd optional',
  'pkg:npm/isarray@2.0.5 isarray required', // installed as the alias isarray-alias
  'pkg:npm/js-tokens@4.0.0 js-tokens required',
  'pkg:npm/left-pad@1.3.0 left-pad dev',
  'pkg:npm/loose-envify@1.4.0 loose-envify required',
  'pkg:npm/ms@2.1.2 ms required',
  'pkg:npm/react@18.2.0 react required',
  'pkg:npm/undici-types@5.26.5 undici-types required',
  'pkg:npm/use-sync-external-store@1.2.0 use-sync-external-store required',
];

describe('lockfiles of npm, pnpm and yarn', () => {
  it.each(jsCases)('%s: finds %s and matches its golden components', (name, lockfile) => {
    expect(findLockfiles(fixture(name))).toEqual([lockfile]);
    const report = readLockfiles(fixture(name));
    expect(report).toEqual(expected(name));
    expect(summary(report.components)).toEqual(jsProject);
    expect(report.components.every((c) => c.file === lockfile && c.ecosystem === 'npm')).toBe(true);
  });

  it.each(jsCases)('%s: records the dependency graph', (name) => {
    const edges = Object.fromEntries(
      readComponents(fixture(name)).map((c) => [c.purl, c.dependsOn]),
    );
    expect(edges['pkg:npm/debug@4.3.4']).toEqual(['pkg:npm/ms@2.1.2']);
    expect(edges['pkg:npm/is-odd@3.0.1']).toEqual(['pkg:npm/is-number@6.0.0']);
    expect(edges['pkg:npm/react@18.2.0']).toEqual(['pkg:npm/loose-envify@1.4.0']);
    expect(edges['pkg:npm/left-pad@1.3.0']).toEqual([]);
    // Peer dependencies are edges where the lockfile resolves them (npm 7+, pnpm).
    const peers = name === 'npm-v1' || name.startsWith('yarn') ? [] : ['pkg:npm/react@18.2.0'];
    expect(edges['pkg:npm/use-sync-external-store@1.2.0']).toEqual(peers);
  });

  it.each(['npm-workspaces', 'pnpm-workspaces', 'yarn-v1-workspaces', 'yarn-berry-workspaces'])(
    '%s: lists third-party packages of every workspace, not the workspaces',
    (name) => {
      const report = readLockfiles(fixture(name));
      expect(report).toEqual(expected(name));
      expect(summary(report.components)).toEqual([
        'pkg:npm/left-pad@1.3.0 left-pad dev',
        'pkg:npm/ms@2.1.2 ms required',
        'pkg:npm/ms@2.1.3 ms required',
      ]);
    },
  );
});

describe('lockfiles of uv, Poetry, Pipenv and requirements files', () => {
  it.each(pythonCases)('%s: finds its files and matches its golden components', (name, files) => {
    expect(findLockfiles(fixture(name))).toEqual(files);
    const report = readLockfiles(fixture(name));
    expect(report).toEqual(expected(name));
    expect(report.components.every((c) => c.ecosystem === 'PyPI')).toBe(true);
  });

  it('normalises PyPI names in purls (PEP 503) and keeps names as the lockfile writes them', () => {
    const pipenv = readComponents(fixture('pipenv'));
    expect(pipenv.find((c) => c.name === 'zope.interface')?.purl).toBe(
      'pkg:pypi/zope-interface@6.4.post2',
    );
    const requirements = readComponents(fixture('requirements'));
    expect(requirements.find((c) => c.name === 'Flask_Cors')?.purl).toBe(
      'pkg:pypi/flask-cors@4.0.1',
    );
    expect(requirements.find((c) => c.purl === 'pkg:pypi/black@24.4.2')?.file).toBe(
      'requirements-dev.txt',
    );
  });

  it('takes scopes from uv dependency groups, Poetry groups and extras, Pipfile sections', () => {
    const scopes = (name: string) =>
      Object.fromEntries(readComponents(fixture(name)).map((c) => [c.purl, c.scope]));
    expect(scopes('uv')['pkg:pypi/iniconfig@2.0.0']).toBe('dev');
    expect(scopes('uv')['pkg:pypi/six@1.17.0']).toBe('required');
    expect(scopes('poetry')['pkg:pypi/iniconfig@2.0.0']).toBe('dev');
    expect(scopes('poetry')['pkg:pypi/flask-cors@4.0.1']).toBe('optional');
    expect(scopes('pipenv')['pkg:pypi/iniconfig@2.0.0']).toBe('dev');
    // A requirements file does not say what it is for.
    expect(scopes('requirements')['pkg:pypi/iniconfig@2.0.0']).toBeUndefined();
  });

  it('keeps both versions uv locks for different Python markers, linked from their dependent', () => {
    const uv = readComponents(fixture('uv'));
    expect(uv.filter((c) => c.name === 'setuptools').map((c) => c.version)).toEqual([
      '82.0.1',
      '84.2.1',
    ]);
    expect(uv.find((c) => c.name === 'zope-interface')?.dependsOn).toEqual([
      'pkg:pypi/setuptools@82.0.1',
      'pkg:pypi/setuptools@84.2.1',
    ]);
  });

  it('reports unpinned requirements with file and line instead of guessing a version', () => {
    const { warnings } = readLockfiles(fixture('requirements'));
    expect(warnings).toEqual([
      { file: 'requirements-dev.txt', line: 10, message: 'pytest is not pinned (>=8); not listed' },
      { file: 'requirements-dev.txt', line: 11, message: 'requests has no version; not listed' },
      {
        file: 'requirements-dev.txt',
        line: 12,
        message: 'numpy is not pinned (==1.26.*); not listed',
      },
      {
        file: 'requirements-dev.txt',
        line: 13,
        message: "editable install '-e ./tools/local-tool' has no version; not listed",
      },
      {
        file: 'requirements-dev.txt',
        line: 14,
        message:
          'mypkg is installed from a URL (https://files.example.invalid/mypkg-1.0.tar.gz); not listed',
      },
    ]);
  });
});

describe('a repository with several lockfiles', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const repo = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gantry-sbom-'));
    made.push(root);
    cpSync(fixture('npm-v3'), path.join(root, 'web'), { recursive: true });
    cpSync(fixture('uv'), path.join(root, 'services/api'), { recursive: true });
    cpSync(fixture('pnpm-v9'), root, { recursive: true });
    // Installed and generated copies are not the project's lockfiles.
    for (const skipped of ['node_modules/left-pad', '.git', '.gantry', '.venv/lib', 'dist']) {
      mkdirSync(path.join(root, skipped), { recursive: true });
      writeFileSync(path.join(root, skipped, 'package-lock.json'), '{ not json');
    }
    return root;
  };

  it('finds lockfiles in subfolders and skips node_modules, .git, .gantry, .venv and dist', () => {
    expect(findLockfiles(repo())).toEqual([
      'pnpm-lock.yaml',
      'services/api/uv.lock',
      'web/package-lock.json',
    ]);
  });

  it('merges the same package from two lockfiles into one component, from the first file', () => {
    const components = readComponents(repo());
    expect(components.filter((c) => c.purl === 'pkg:npm/debug@4.3.4')).toEqual([
      {
        name: 'debug',
        version: '4.3.4',
        ecosystem: 'npm',
        purl: 'pkg:npm/debug@4.3.4',
        file: 'pnpm-lock.yaml',
        scope: 'required',
        dependsOn: ['pkg:npm/ms@2.1.2'],
      },
    ]);
    expect(components.find((c) => c.name === 'six')?.file).toBe('services/api/uv.lock');
    const purls = components.map((c) => c.purl);
    expect(purls).toEqual([...new Set(purls)].sort());
    expect(purls).toHaveLength(13 + 8);
  });

  it('reads only the files it is given, relative to the root', () => {
    const components = readComponents(repo(), ['services/api/uv.lock']);
    expect(new Set(components.map((c) => c.file))).toEqual(new Set(['services/api/uv.lock']));
  });
});
