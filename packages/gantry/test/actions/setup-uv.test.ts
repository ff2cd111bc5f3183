import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setupUv } from '../../src/actions/builtin/setup-uv.js';
import { removeTempDirs, runAction, tempDir, writeScript } from './action-harness.js';

afterEach(removeTempDirs);

/** A HOME with a stand-in uv in ~/.local/bin (it can also make a venv), and an empty PATH. */
function host(version = '0.5.1') {
  const home = tempDir();
  const bin = path.join(home, '.local/bin');
  writeScript(
    path.join(bin, 'uv'),
    `if [ "$1" = venv ]; then mkdir -p "$2/bin"; echo "Creating virtual environment at: $2"; exit 0; fi\necho "uv ${version} (f399a5271 2024-11-08)"`,
  );
  writeScript(path.join(bin, 'uvx'), 'exit 0');
  return { home, bin, env: { HOME: home, PATH: tempDir() } };
}

describe('astral-sh/setup-uv', () => {
  it('puts the installed uv first on PATH and reports its version and paths', async () => {
    const { bin, env } = host();
    const h = await runAction(setupUv, {
      env,
      inputs: { version: '0.5.1', 'python-version': '3.12' },
    });
    expect(h.paths).toEqual([bin]);
    expect(h.outputs).toMatchObject({
      'uv-version': '0.5.1',
      'uv-path': path.join(bin, 'uv'),
      'uvx-path': path.join(bin, 'uvx'),
      'python-version': '3.12',
    });
    expect(h.exported['UV_PYTHON']).toBe('3.12');
  });

  it('honours version ranges and the project pin in pyproject.toml', async () => {
    const { env } = host();
    expect(
      (await runAction(setupUv, { env, inputs: { version: '>=0.5,<0.6' } })).outputs['uv-version'],
    ).toBe('0.5.1');
    const workspace = tempDir();
    writeFileSync(
      path.join(workspace, 'pyproject.toml'),
      '[project]\nname = "x"\n\n[tool.uv]\nrequired-version = "==0.4.30"\n',
    );
    await expect(runAction(setupUv, { env, workspace })).rejects.toMatchObject({
      code: 'GANTRY_TOOL_MISSING',
      message: expect.stringContaining("'==0.4.30'"),
    });
  });

  it('fails with install hints when the version differs or uv is absent', async () => {
    const { env } = host();
    await expect(runAction(setupUv, { env, inputs: { version: '0.6.0' } })).rejects.toMatchObject({
      code: 'GANTRY_TOOL_MISSING',
      message: expect.stringContaining('0.5.1 (~/.local/bin)'),
      hint: expect.stringMatching(/pip install uv==0\.6\.0.*pipx install uv/),
    });
    const empty = { HOME: tempDir(), PATH: tempDir() };
    await expect(runAction(setupUv, { env: empty })).rejects.toMatchObject({
      code: 'GANTRY_TOOL_MISSING',
      message: expect.stringContaining('Found: none'),
      hint: expect.stringContaining('pipx install uv'),
    });
  });

  it('activates a venv when asked to', async () => {
    const { env } = host();
    const workspace = tempDir();
    const h = await runAction(setupUv, {
      env: { ...env, PATH: '/usr/bin:/bin' }, // the stand-in uv needs mkdir
      workspace,
      inputs: { version: '0.5.1', 'activate-environment': 'true' },
    });
    const venv = path.join(workspace, '.venv');
    expect(existsSync(path.join(venv, 'bin'))).toBe(true);
    expect(h.exported['VIRTUAL_ENV']).toBe(venv);
    expect(h.paths[0]).toBe(path.join(venv, 'bin'));
    expect(h.outputs['venv']).toBe(venv);
  });
});
