import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import {
  debug,
  getBooleanInput,
  getInput,
  getMultilineInput,
  homeDir,
  resolveUserPath,
} from '../support/inputs.js';
import { describeInstalls } from '../tools/host-tools.js';
import { findPythonInstalls, type PythonInstall } from '../tools/python-installs.js';
import { pickPythonVersion, readPythonVersionFile } from '../tools/python-version.js';
import type { ActionContext, BuiltinAction } from '../types.js';

/**
 * actions/setup-python on the host: picks an installed CPython that satisfies `python-version`
 * (or the version file) and makes `python`, `python3` and `pip` resolve to it.
 */
export const setupPython: BuiltinAction = {
  name: 'actions/setup-python',
  defaults: { 'check-latest': 'false', 'update-environment': 'true', 'allow-prereleases': 'false' },
  async run(ctx) {
    const specs = versionSpecs(ctx);
    if (specs.length === 0) {
      ctx.log(
        '##[warning]The `python-version` input is not set.  The version of Python currently in `PATH` will be used.',
      );
      return;
    }
    const installs = await findPythonInstalls(ctx.env, homeDir(ctx));
    const allowPrereleases = getBooleanInput(ctx, 'allow-prereleases');
    // Several versions may be listed; each goes on PATH and the last one listed ends up first.
    for (const spec of specs) {
      if (/^(pypy|graalpy)/i.test(spec)) {
        throw new GantryError(
          'GANTRY_UNSUPPORTED',
          `python-version '${spec}': Gantry finds CPython installs only.`,
          {
            hint: 'Run PyPy or GraalPy from a `run:` step, or ask for a CPython version.',
          },
        );
      }
      const chosen = pickPythonVersion(spec, installs, allowPrereleases);
      if (!chosen) {
        throw new GantryError(
          'GANTRY_TOOL_MISSING',
          `Python '${spec}' is not installed on this host. Found: ${describeInstalls(installs)}.`,
          {
            hint: `Install it (e.g. \`pyenv install ${spec}\` or \`uv python install ${spec}\`), or change python-version.`,
          },
        );
      }
      const binDir = await interpreterDir(ctx, chosen);
      ctx.log(
        `Found Python ${chosen.version} on this host (${chosen.source}): ${chosen.executable}`,
      );
      if (getBooleanInput(ctx, 'update-environment', true)) {
        for (const name of [
          'pythonLocation',
          'Python_ROOT_DIR',
          'Python2_ROOT_DIR',
          'Python3_ROOT_DIR',
        ]) {
          ctx.exportVariable(name, chosen.prefix);
        }
        ctx.exportVariable('PKG_CONFIG_PATH', path.join(chosen.prefix, 'lib', 'pkgconfig'));
        ctx.addPath(binDir);
      }
      ctx.setOutput('python-version', chosen.version);
      ctx.setOutput('python-path', path.join(binDir, 'python'));
    }
    const cache = getInput(ctx, 'cache');
    if (cache) {
      ctx.log(
        `cache: ${cache} — the ${cache} cache on this host persists between runs; use actions/cache to cache other paths.`,
      );
      ctx.setOutput('cache-hit', 'false');
    }
    for (const ignored of ['architecture', 'token', 'cache-dependency-path']) {
      if (getInput(ctx, ignored))
        debug(ctx, `${ignored} is ignored: Gantry uses Python installed on the host.`);
    }
  },
};

/** `python-version` (one per line) wins; else the version file; else `.python-version` if present. */
function versionSpecs(ctx: ActionContext): string[] {
  const versions = getMultilineInput(ctx, 'python-version');
  const file = getInput(ctx, 'python-version-file');
  if (versions.length > 0 && file) {
    ctx.log(
      '##[warning]Both python-version and python-version-file inputs are specified, only python-version will be used.',
    );
  }
  if (versions.length > 0) return versions;
  if (file) return readPythonVersionFile(resolveUserPath(ctx, file));
  ctx.log(
    "##[warning]Neither 'python-version' nor 'python-version-file' inputs were supplied. Attempting to find '.python-version' file.",
  );
  const fallback = path.join(ctx.workspace, '.python-version');
  try {
    return readPythonVersionFile(fallback);
  } catch {
    ctx.log("##[warning].python-version doesn't exist.");
    return [];
  }
}

/**
 * The directory to put on PATH. An interpreter whose own directory already has `python` and
 * `python3` pointing at it (pyenv, a venv, the tool cache) is used as is. A system interpreter
 * such as /usr/bin/python3.11 gets a shim directory instead: putting /usr/bin first would drag
 * every other program along, and `python` or `pip` there may belong to another version.
 */
async function interpreterDir(ctx: ActionContext, install: PythonInstall): Promise<string> {
  const own = path.dirname(install.executable);
  const target = await fs.realpath(install.executable);
  const resolves = async (name: string) =>
    (await fs.realpath(path.join(own, name)).catch(() => '')) === target;
  if ((await resolves('python')) && (await resolves('python3'))) return own;

  const id = createHash('sha256').update(install.executable).digest('hex').slice(0, 12);
  const shims = path.join(ctx.toolCache, 'python-shims', `${install.version}-${id}`, 'bin');
  await fs.mkdir(shims, { recursive: true });
  const [major, minor] = install.version.split('.');
  for (const name of ['python', 'python3', `python${major}.${minor}`]) {
    await fs
      .symlink(install.executable, path.join(shims, name))
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error; // another job made the same shim
      });
  }
  for (const name of ['pip', 'pip3']) {
    await fs.writeFile(
      path.join(shims, name),
      `#!/bin/sh\nexec '${install.executable}' -m pip "$@"\n`,
      { mode: 0o755 },
    );
  }
  return shims;
}
