import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setupNode } from '../../src/actions/builtin/setup-node.js';
import type { ToolInstall } from '../../src/actions/tools/host-tools.js';
import { pickNodeVersion, readNodeVersionFile } from '../../src/actions/tools/node-version.js';
import { removeTempDirs, runAction, tempDir, writeScript } from './action-harness.js';

afterEach(removeTempDirs);

/**
 * A HOME with stand-in Node.js installs from three version managers, and a PATH holding only
 * the real node running these tests.
 */
function host() {
  const home = tempDir();
  const fake = (dir: string, version: string) =>
    writeScript(path.join(dir, 'node'), `echo v${version}`);
  fake(path.join(home, '.nvm/versions/node/v16.20.2/bin'), '16.20.2');
  fake(path.join(home, '.nvm/versions/node/v18.19.1/bin'), '18.19.1');
  fake(path.join(home, '.volta/tools/image/node/97.1.0/bin'), '97.1.0');
  fake(path.join(home, '.local/share/fnm/node-versions/v19.9.0/installation/bin'), '19.9.0');
  const env = { HOME: home, PATH: path.dirname(process.execPath) };
  return { home, env };
}

describe('actions/setup-node', () => {
  it('puts a version manager install matching node-version first on PATH', async () => {
    const { home, env } = host();
    const h = await runAction(setupNode, { env, inputs: { 'node-version': '18' } });
    expect(h.paths).toEqual([path.join(home, '.nvm/versions/node/v18.19.1/bin')]);
    expect(h.outputs['node-version']).toBe('v18.19.1');
    expect(h.log()).toContain('(nvm)');
  });

  it('finds the node on PATH and picks the highest match of a range', async () => {
    const { home, env } = host();
    const own = await runAction(setupNode, { env, inputs: { 'node-version': process.version } });
    expect(own.paths).toEqual([path.dirname(process.execPath)]);
    expect(own.outputs['node-version']).toBe(process.version);
    const latest = await runAction(setupNode, { env, inputs: { 'node-version': 'latest' } });
    expect(latest.paths).toEqual([path.join(home, '.volta/tools/image/node/97.1.0/bin')]);
    const fnm = await runAction(setupNode, { env, inputs: { 'node-version': '>=19 <20' } });
    expect(fnm.outputs['node-version']).toBe('v19.9.0');
  });

  it("finds installs in a tool cache laid out like GitHub's", async () => {
    const { env } = host();
    const toolCache = tempDir();
    writeScript(path.join(toolCache, 'node/21.6.2/x64/bin/node'), 'echo v21.6.2');
    const h = await runAction(setupNode, {
      env: { ...env, RUNNER_TOOL_CACHE: toolCache },
      inputs: { 'node-version': '21' },
    });
    expect(h.paths).toEqual([path.join(toolCache, 'node/21.6.2/x64/bin')]);
    expect(h.log()).toContain('(tool cache)');
  });

  it('reads node-version-file: .nvmrc and package.json engines', async () => {
    const { env } = host();
    const workspace = tempDir();
    writeFileSync(path.join(workspace, '.nvmrc'), 'v16\n');
    writeFileSync(
      path.join(workspace, 'package.json'),
      JSON.stringify({ engines: { node: '>=18.0.0 <19' } }),
    );
    const nvmrc = await runAction(setupNode, {
      env,
      workspace,
      inputs: { 'node-version-file': '.nvmrc' },
    });
    expect(nvmrc.outputs['node-version']).toBe('v16.20.2');
    const pkg = await runAction(setupNode, {
      env,
      workspace,
      inputs: { 'node-version-file': 'package.json' },
    });
    expect(pkg.outputs['node-version']).toBe('v18.19.1');
    const both = await runAction(setupNode, {
      env,
      workspace,
      inputs: { 'node-version': '16', 'node-version-file': 'package.json' },
    });
    expect(both.outputs['node-version']).toBe('v16.20.2');
  });

  it('names the requested and the installed versions when nothing matches', async () => {
    const { env } = host();
    await expect(
      runAction(setupNode, { env, inputs: { 'node-version': '12.22' } }),
    ).rejects.toMatchObject({
      code: 'GANTRY_TOOL_MISSING',
      message: expect.stringMatching(/'12\.22'.*16\.20\.2 \(nvm\).*97\.1\.0 \(volta\)/),
      hint: expect.stringContaining('nvm install 12.22'),
    });
  });

  it('accepts cache: npm without caching, and writes .npmrc for registry-url', async () => {
    const { env } = host();
    const h = await runAction(setupNode, {
      env,
      inputs: {
        'node-version': '16',
        cache: 'npm',
        'registry-url': 'https://npm.pkg.github.com',
        scope: 'octo',
      },
    });
    expect(h.outputs['cache-hit']).toBe('false');
    expect(h.log()).toContain('actions/cache');
    const npmrc = h.exported['NPM_CONFIG_USERCONFIG'] ?? '';
    expect(readFileSync(npmrc, 'utf8')).toBe(
      '//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\n@octo:registry=https://npm.pkg.github.com/\n',
    );
    expect(h.exported['NODE_AUTH_TOKEN']).toBe('XXXXX-XXXXX-XXXXX-XXXXX');
  });
});

describe('node version specs', () => {
  const installs: ToolInstall[] = ['16.20.2', '18.19.1', '19.9.0', '20.11.1', '21.7.3'].map(
    (version) => ({
      version,
      executable: `/n/${version}/bin/node`,
      source: 'test',
    }),
  );

  it('judges LTS aliases from the even majors installed', () => {
    expect(pickNodeVersion('lts/*', installs)?.version).toBe('20.11.1');
    expect(pickNodeVersion('lts/-1', installs)?.version).toBe('18.19.1');
    expect(pickNodeVersion('lts/Gallium', installs)?.version).toBe('16.20.2');
    expect(pickNodeVersion('lts/jod', installs)).toBeUndefined();
    expect(pickNodeVersion('20.x', installs)?.version).toBe('20.11.1');
    expect(pickNodeVersion('not-a-version', installs)).toBeUndefined();
  });

  it('reads volta and devEngines from package.json, and nodejs lines of .tool-versions', () => {
    const dir = tempDir();
    const file = (name: string, content: string) => {
      writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    expect(
      readNodeVersionFile(
        file('a.json', JSON.stringify({ volta: { node: '20.1.0' }, engines: { node: '18' } })),
      ),
    ).toBe('20.1.0');
    expect(
      readNodeVersionFile(
        file(
          'b.json',
          JSON.stringify({ devEngines: { runtime: [{ name: 'node', version: '^22' }] } }),
        ),
      ),
    ).toBe('^22');
    expect(readNodeVersionFile(file('.tool-versions', 'python 3.12.1\nnodejs 20.11.1\n'))).toBe(
      '20.11.1',
    );
    expect(() => readNodeVersionFile(path.join(dir, 'missing'))).toThrow(/does not exist/);
  });
});
