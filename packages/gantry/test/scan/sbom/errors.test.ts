import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GantryError } from '../../../src/errors/index.js';
import { readLockfiles } from '../../../src/scan/sbom/index.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gantry-sbom-errors-'));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** The error reading these files throws; fails the test when none is thrown. */
function failure(files: Record<string, string>, only?: string[]): GantryError {
  try {
    readLockfiles(folder(files), only);
  } catch (error) {
    expect(error).toBeInstanceOf(GantryError);
    return error as GantryError;
  }
  throw new Error('expected readLockfiles to throw');
}

describe('no lockfile', () => {
  it('is GANTRY_NO_LOCKFILE, and the hint names every file Gantry reads', () => {
    const error = failure({
      'README.md': '# nothing locked here\n',
      'node_modules/x/yarn.lock': '',
    });
    expect(error.code).toBe('GANTRY_NO_LOCKFILE');
    expect(error.message).toMatch(/^no lockfile found in /);
    for (const name of [
      'package-lock.json',
      'npm-shrinkwrap.json',
      'pnpm-lock.yaml',
      'yarn.lock',
      'requirements*.txt',
      'poetry.lock',
      'uv.lock',
      'Pipfile.lock',
    ])
      expect(error.hint).toContain(name);
  });
});

describe('invalid lockfiles are GANTRY_LOCKFILE_INVALID, naming the file and line or entry', () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'truncated package-lock.json',
      { 'app/package-lock.json': '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {}\n' },
      /* the error's first line */ 'app/package-lock.json:5: not valid JSON',
    ],
    [
      'an unknown package-lock version',
      { 'npm-shrinkwrap.json': '{ "lockfileVersion": 4, "packages": {} }' },
      'npm-shrinkwrap.json: lockfileVersion 4 is not supported',
    ],
    [
      'a package-lock entry without a version',
      {
        'package-lock.json': JSON.stringify({
          lockfileVersion: 3,
          packages: { '': {}, 'node_modules/debug': { resolved: 'x' } },
        }),
      },
      "package-lock.json: entry 'node_modules/debug' has no version",
    ],
    [
      'a v1 package-lock entry that is not an object',
      { 'package-lock.json': '{ "lockfileVersion": 1, "dependencies": { "ms": "2.1.2" } }' },
      "package-lock.json: entry 'node_modules/ms' is not an object",
    ],
    [
      'pnpm-lock.yaml that is not YAML',
      { 'pnpm-lock.yaml': "lockfileVersion: '9.0'\npackages:\n  ms@2.1.2: {resolution: [\n" },
      'pnpm-lock.yaml:4: not valid YAML',
    ],
    [
      'an unsupported pnpm lockfile version',
      { 'pnpm-lock.yaml': "lockfileVersion: '4.0'\n" },
      'pnpm-lock.yaml: lockfileVersion "4.0" is not supported',
    ],
    [
      'a pnpm entry whose key has no version',
      { 'pnpm-lock.yaml': "lockfileVersion: '9.0'\nsnapshots:\n  ms: {}\n" },
      "pnpm-lock.yaml: entry 'ms' has no name and version",
    ],
    [
      'yarn 1 lockfile with broken indentation',
      { 'yarn.lock': '# yarn lockfile v1\n\nms@2.1.2:\n   version "2.1.2"\n' },
      'yarn.lock:4: indentation is not a multiple of two spaces',
    ],
    [
      'yarn 1 lockfile with an unterminated string',
      { 'yarn.lock': 'ms@2.1.2:\n  version "2.1.2\n' },
      'yarn.lock:2: unterminated string',
    ],
    [
      'a yarn 1 entry without a version',
      { 'web/yarn.lock': 'left-pad@1.3.0:\n  version "1.3.0"\n\nms@2.1.2:\n  resolved "x"\n' },
      "web/yarn.lock:4: entry 'ms@2.1.2' has no version",
    ],
    [
      'a yarn berry entry without a resolution',
      { 'yarn.lock': '__metadata:\n  version: 8\n\n"ms@npm:2.1.2":\n  version: 2.1.2\n' },
      "yarn.lock: entry 'ms@npm:2.1.2' has no resolution",
    ],
    [
      'poetry.lock that is not TOML',
      { 'poetry.lock': '[[package]]\nname = "six"\nversion = 1.17.0"\n' },
      'poetry.lock:3: not valid TOML',
    ],
    [
      'a poetry.lock package without a version',
      { 'py/poetry.lock': '[[package]]\nname = "six"\noptional = false\n' },
      "py/poetry.lock: [[package]] 'six' has no version",
    ],
    [
      'a uv.lock package without a name',
      { 'uv.lock': 'version = 1\n\n[[package]]\nversion = "1.0"\n' },
      'uv.lock: [[package]] #1 has no name',
    ],
    [
      'Pipfile.lock that is not JSON',
      { 'Pipfile.lock': '{\n  "default": {\n    "six": {"version": "==1.17.0"},,\n' },
      'Pipfile.lock:3: not valid JSON',
    ],
    [
      'a requirement without a name',
      { 'requirements.txt': 'six==1.17.0\n==2.0\n' },
      "requirements.txt:2: cannot read the requirement '==2.0'",
    ],
    [
      'a requirement with an unknown version specifier',
      { 'requirements-test.txt': '# tools\nsix 1.17.0\n' },
      "requirements-test.txt:2: cannot read the version specifier of 'six 1.17.0'",
    ],
  ];

  it.each(cases)('%s', (_, files, start) => {
    const error = failure(files);
    expect(error.code).toBe('GANTRY_LOCKFILE_INVALID');
    expect(error.message.startsWith(start), `${error.message}\ndoes not start with\n${start}`).toBe(
      true,
    );
    expect(error.location?.file).toBe(Object.keys(files)[0]);
  });

  it('refuses a file it does not know, and one that does not exist', () => {
    const unknown = failure({ 'README.md': 'hi' }, ['README.md']);
    expect(unknown.code).toBe('GANTRY_LOCKFILE_INVALID');
    expect(unknown.message).toMatch(/^README\.md: not a lockfile Gantry reads/);
    const missing = failure({}, ['sub/package-lock.json']);
    expect(missing.code).toBe('GANTRY_LOCKFILE_INVALID');
    expect(missing.message).toBe('sub/package-lock.json: cannot be read (ENOENT)');
  });
});
