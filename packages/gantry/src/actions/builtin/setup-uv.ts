import { existsSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { GantryError } from '../../errors/index.js';
import { debug, getBooleanInput, getInput, homeDir, resolveUserPath } from '../support/inputs.js';
import { bestMatch, describeInstalls } from '../tools/host-tools.js';
import { pythonRange } from '../tools/python-version.js';
import { findUvInstalls, pinnedUvVersion } from '../tools/uv-installs.js';
import type { BuiltinAction } from '../types.js';

/**
 * astral-sh/setup-uv on the host: finds an installed `uv` matching `version` (or the project's
 * `required-version`) and puts it first on PATH, instead of downloading one.
 */
export const setupUv: BuiltinAction = {
  name: 'astral-sh/setup-uv',
  defaults: { 'enable-cache': 'auto', 'activate-environment': 'false' },
  async run(ctx) {
    const workingDirectory = resolveUserPath(ctx, getInput(ctx, 'working-directory') || '.');
    const versionFile = getInput(ctx, 'version-file');
    const spec =
      getInput(ctx, 'version') ||
      pinnedUvVersion(
        versionFile ? resolveUserPath(ctx, versionFile) : undefined,
        workingDirectory,
      ) ||
      'latest';
    // uv pins are PEP 440 specifiers (`>=0.5,<0.6`); "latest" means any uv will do offline.
    const range = spec === 'latest' ? '*' : pythonRange(spec);
    const installs = await findUvInstalls(ctx.env, homeDir(ctx));
    const chosen = range ? bestMatch(installs, range) : undefined;
    if (!chosen) {
      throw new GantryError(
        'GANTRY_TOOL_MISSING',
        `uv ${spec === 'latest' ? '' : `'${spec}' `}is not installed on this host. Found: ${describeInstalls(installs)}.`,
        {
          hint: `Install it with \`pip install uv${range && spec !== 'latest' ? `==${semver.minVersion(range) ?? spec}` : ''}\` or \`pipx install uv\` (or \`curl -LsSf https://astral.sh/uv/install.sh | sh\`).`,
        },
      );
    }
    const binDir = path.dirname(chosen.executable);
    ctx.log(`Found uv ${chosen.version} on this host (${chosen.source}): ${chosen.executable}`);
    ctx.addPath(binDir);
    ctx.setOutput('uv-version', chosen.version);
    ctx.setOutput('uv-path', chosen.executable);
    if (existsSync(path.join(binDir, 'uvx'))) ctx.setOutput('uvx-path', path.join(binDir, 'uvx'));

    const python = getInput(ctx, 'python-version');
    if (python) {
      ctx.exportVariable('UV_PYTHON', python);
      ctx.setOutput('python-version', python);
    }
    for (const [input, variable] of [
      ['tool-dir', 'UV_TOOL_DIR'],
      ['tool-bin-dir', 'UV_TOOL_BIN_DIR'],
    ] as const) {
      const value = getInput(ctx, input);
      if (value) ctx.exportVariable(variable, resolveUserPath(ctx, value));
    }
    if (getBooleanInput(ctx, 'activate-environment')) {
      const venv = resolveUserPath(
        ctx,
        getInput(ctx, 'venv-path') || path.join(workingDirectory, '.venv'),
      );
      const result = await ctx.exec(chosen.executable, ['venv', venv], { cwd: workingDirectory });
      if (result.exitCode !== 0) {
        throw new GantryError(
          'GANTRY_TOOL_MISSING',
          `\`uv venv ${venv}\` failed${result.failedToStart ? `: ${result.failedToStart}` : ` with exit code ${result.exitCode}`}.`,
        );
      }
      ctx.exportVariable('VIRTUAL_ENV', venv);
      ctx.addPath(path.join(venv, 'bin'));
      ctx.setOutput('venv', venv);
    }
    // uv's own cache (~/.cache/uv) already persists on the host, which is what enable-cache buys on GitHub.
    if (getInput(ctx, 'enable-cache') === 'true')
      ctx.log("enable-cache: uv's cache on this host persists between runs.");
    ctx.setOutput('cache-hit', 'false');
    for (const ignored of ['checksum', 'github-token', 'manifest-file', 'cache-dependency-glob']) {
      if (getInput(ctx, ignored))
        debug(ctx, `${ignored} is ignored: Gantry uses uv installed on the host.`);
    }
  },
};
