import path from 'node:path';
import { capture } from '../support/capture.js';
import {
  isExecutable,
  listDir,
  normaliseVersion,
  pathDirs,
  toolCacheInstalls,
  uniqueInstalls,
  type ToolInstall,
} from './host-tools.js';

/** A Python install with the prefix setup-python exports as `pythonLocation`. */
export interface PythonInstall extends ToolInstall {
  prefix: string;
}

const interpreterName = /^python3(\.\d+)?$/;
// Prints the version and sys.prefix in one go; works on Python 2 and 3.
const probe = 'import sys, platform; print(platform.python_version()); print(sys.prefix)';

/**
 * CPython installations on this host: pyenv's versions (read from directory names), the
 * `python3` / `python3.X` interpreters on PATH and in /usr/bin and /usr/local/bin, and a tool
 * cache in GitHub's layout. pyenv's shims are skipped: they pick a version per directory,
 * which would undo the choice made here.
 */
export async function findPythonInstalls(
  env: Readonly<Record<string, string>>,
  home: string,
): Promise<PythonInstall[]> {
  const installs: PythonInstall[] = [];
  const pyenvRoot = env['PYENV_ROOT'] || path.join(home, '.pyenv');
  for (const entry of await listDir(path.join(pyenvRoot, 'versions'))) {
    const prefix = path.join(pyenvRoot, 'versions', entry);
    // Plain CPython releases only: not `3.13.0t` (free-threaded), `pypy3.10-7.3.17`, `miniconda3-…`.
    const version = /^\d+\.\d+\.\d+((a|b|rc)\d+)?$/.test(entry)
      ? normaliseVersion(entry)
      : undefined;
    const executable = path.join(prefix, 'bin', 'python3');
    if (version && (await isExecutable(executable)))
      installs.push({ version, executable, prefix, source: 'pyenv' });
  }
  for (const found of await toolCacheInstalls(env['RUNNER_TOOL_CACHE'], 'Python', 'python3')) {
    installs.push({ ...found, prefix: path.dirname(path.dirname(found.executable)) });
  }
  const dirs = pathDirs(env).filter((d) => !d.includes(`${path.sep}.pyenv${path.sep}shims`));
  for (const dir of [...dirs, '/usr/local/bin', '/usr/bin']) {
    for (const name of (await listDir(dir)).filter((n) => interpreterName.test(n))) {
      const executable = path.join(dir, name);
      if (!(await isExecutable(executable))) continue;
      const result = await capture(executable, ['-c', probe], { env });
      const [versionLine = '', prefix = ''] = result.stdout.trim().split(/\r?\n/);
      const version = result.ok ? normaliseVersion(versionLine) : undefined;
      if (version)
        installs.push({ version, executable, prefix, source: dirs.includes(dir) ? 'PATH' : dir });
    }
  }
  return uniqueInstalls(installs);
}
