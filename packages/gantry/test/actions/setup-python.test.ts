import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setupPython } from '../../src/actions/builtin/setup-python.js';
import { pythonRange, readPythonVersionFile } from '../../src/actions/tools/python-version.js';
import { removeTempDirs, runAction, tempDir, writeScript } from './action-harness.js';

afterEach(removeTempDirs);

/**
 * A pyenv root with two stand-in interpreters and a bare `python3.7` on PATH. The versions
 * have patch levels no real host has, so /usr/bin interpreters never win.
 */
function host() {
  const home = tempDir();
  const pyenv = path.join(home, 'pyenv');
  for (const version of ['3.9.99', '3.12.99']) {
    const bin = path.join(pyenv, 'versions', version, 'bin');
    writeScript(path.join(bin, 'python3'), `echo ${version}`);
    symlinkSync('python3', path.join(bin, 'python'));
  }
  const sysbin = path.join(home, 'sysbin');
  const bare = writeScript(
    path.join(sysbin, 'python3.7'),
    `echo 3.7.99; echo ${path.join(home, 'prefix37')}`,
  );
  const env = { HOME: home, PYENV_ROOT: pyenv, PATH: sysbin };
  return { home, pyenv, bare, env };
}

describe('actions/setup-python', () => {
  it('uses a pyenv version as is: its bin directory goes first on PATH', async () => {
    const { pyenv, env } = host();
    const h = await runAction(setupPython, { env, inputs: { 'python-version': '3.12' } });
    const bin = path.join(pyenv, 'versions/3.12.99/bin');
    expect(h.paths).toEqual([bin]);
    expect(h.outputs).toEqual({
      'python-version': '3.12.99',
      'python-path': path.join(bin, 'python'),
    });
    expect(h.exported['pythonLocation']).toBe(path.join(pyenv, 'versions/3.12.99'));
    expect(h.exported['PKG_CONFIG_PATH']).toBe(path.join(pyenv, 'versions/3.12.99/lib/pkgconfig'));
  });

  it('gives a bare interpreter a shim directory with python, python3 and pip', async () => {
    const { home, bare, env } = host();
    const toolCache = tempDir();
    const h = await runAction(setupPython, { env, toolCache, inputs: { 'python-version': '3.7' } });
    const [shims = ''] = h.paths;
    expect(shims.startsWith(path.join(toolCache, 'python-shims', '3.7.99-'))).toBe(true);
    expect(readlinkSync(path.join(shims, 'python'))).toBe(bare);
    expect(readlinkSync(path.join(shims, 'python3.7'))).toBe(bare);
    expect(readFileSync(path.join(shims, 'pip'), 'utf8')).toContain(`'${bare}' -m pip`);
    expect(h.exported['pythonLocation']).toBe(path.join(home, 'prefix37'));
    // A second job on the same host reuses the shims.
    const again = await runAction(setupPython, {
      env,
      toolCache,
      inputs: { 'python-version': '3.7' },
    });
    expect(again.paths).toEqual([shims]);
  });

  it('sets up every listed version, the last one first on PATH', async () => {
    const { pyenv, env } = host();
    const h = await runAction(setupPython, { env, inputs: { 'python-version': '3.9\n3.12' } });
    expect(h.paths).toEqual([
      path.join(pyenv, 'versions/3.12.99/bin'),
      path.join(pyenv, 'versions/3.9.99/bin'),
    ]);
    expect(h.outputs['python-version']).toBe('3.12.99');
  });

  it('reads python-version-file and falls back to .python-version', async () => {
    const { env } = host();
    const workspace = tempDir();
    writeFileSync(
      path.join(workspace, 'pyproject.toml'),
      '[project]\nname = "x"\nrequires-python = ">=3.9,<3.10"\n',
    );
    const toml = await runAction(setupPython, {
      env,
      workspace,
      inputs: { 'python-version-file': 'pyproject.toml' },
    });
    expect(toml.outputs['python-version']).toBe('3.9.99');
    writeFileSync(path.join(workspace, '.python-version'), '3.12\n');
    const fallback = await runAction(setupPython, { env, workspace });
    expect(fallback.outputs['python-version']).toBe('3.12.99');
    expect(fallback.log()).toContain("Attempting to find '.python-version' file");
  });

  it('uses the Python on PATH, with a warning, when no version is asked for anywhere', async () => {
    const { env } = host();
    const h = await runAction(setupPython, { env });
    expect(h.paths).toEqual([]);
    expect(h.log()).toContain('The version of Python currently in `PATH` will be used');
  });

  it('names the versions found when none matches, and refuses PyPy', async () => {
    const { env } = host();
    await expect(
      runAction(setupPython, { env, inputs: { 'python-version': '2.5' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_TOOL_MISSING',
      message: expect.stringMatching(/'2\.5'.*3\.9\.99 \(pyenv\).*3\.7\.99 \(PATH\)/),
      hint: expect.stringContaining('pyenv install 2.5'),
    });
    await expect(
      runAction(setupPython, { env, inputs: { 'python-version': 'pypy3.10' } }),
    ).rejects.toMatchObject({ code: 'GANTRY_UNSUPPORTED' });
  });

  const real = (() => {
    try {
      return execFileSync('python3', ['-c', 'import platform; print(platform.python_version())'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      return undefined;
    }
  })();

  it.skipIf(!real)('makes `python` run the host interpreter it chose', async () => {
    const [major, minor] = (real ?? '').split('.');
    const h = await runAction(setupPython, { inputs: { 'python-version': `${major}.${minor}` } });
    const python = h.outputs['python-path'] ?? '';
    const version = execFileSync(
      python,
      ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
      { encoding: 'utf8' },
    ).trim();
    expect(version).toBe(`${major}.${minor}`);
    expect(path.dirname(python)).toBe(h.paths[0]);
  });
});

describe('python version specs', () => {
  it('translates setup-python and PEP 440 specs to semver ranges', () => {
    expect(pythonRange('3.12-dev')).toBe('>=3.12.0-0 <3.13.0-0');
    expect(pythonRange('>=3.9,<3.12')).toBe('>=3.9.0 <3.12.0-0');
    expect(pythonRange('~=3.10')).toBe('>=3.10.0 <4.0.0-0');
    expect(pythonRange('==3.11.*')).toBe('>=3.11.0 <3.12.0-0');
    expect(pythonRange('3.x')).toBe('>=3.0.0 <4.0.0-0');
    expect(pythonRange('3.14', true)).toBe('>=3.14.0-0 <3.15.0-0');
    expect(pythonRange('banana')).toBeUndefined();
  });

  it('reads .tool-versions and Poetry pyproject files', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.tool-versions'), 'nodejs 20.1.0\npython 3.11.4 3.10.2\n');
    expect(readPythonVersionFile(path.join(dir, '.tool-versions'))).toEqual(['3.11.4', '3.10.2']);
    writeFileSync(
      path.join(dir, 'pyproject.toml'),
      '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.10"\nrequests = "^2"\n',
    );
    expect(readPythonVersionFile(path.join(dir, 'pyproject.toml'))).toEqual(['^3.10']);
  });
});
