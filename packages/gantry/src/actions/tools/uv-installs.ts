import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  executablesOnPath,
  isExecutable,
  probeVersion,
  uniqueInstalls,
  type ToolInstall,
} from './host-tools.js';
import { tomlString } from './toml-value.js';

/** `uv` binaries on this host: on PATH, then where uv's installer and pipx/cargo put them. */
export async function findUvInstalls(
  env: Readonly<Record<string, string>>,
  home: string,
): Promise<ToolInstall[]> {
  const candidates = (await executablesOnPath('uv', env)).map((executable) => ({
    executable,
    source: 'PATH',
  }));
  const dirs: Array<[string | undefined, string]> = [
    [env['UV_INSTALL_DIR'], 'UV_INSTALL_DIR'],
    [env['XDG_BIN_HOME'], 'XDG_BIN_HOME'],
    [path.join(home, '.local', 'bin'), '~/.local/bin'],
    [path.join(home, '.cargo', 'bin'), '~/.cargo/bin'],
  ];
  for (const [dir, source] of dirs) {
    if (dir && (await isExecutable(path.join(dir, 'uv'))))
      candidates.push({ executable: path.join(dir, 'uv'), source });
  }
  const installs: ToolInstall[] = [];
  for (const candidate of candidates) {
    // `uv --version` prints `uv 0.5.1 (f399a5271 2024-11-08)`.
    const version = await probeVersion(candidate.executable, ['--version'], env);
    if (version) installs.push({ ...candidate, version });
  }
  return uniqueInstalls(installs);
}

/**
 * The uv version a project pins when `version` is not given, as setup-uv looks it up:
 * `required-version` in uv.toml, else `[tool.uv] required-version` in pyproject.toml.
 */
export function pinnedUvVersion(
  file: string | undefined,
  workingDirectory: string,
): string | undefined {
  const files = file
    ? [file]
    : [path.join(workingDirectory, 'uv.toml'), path.join(workingDirectory, 'pyproject.toml')];
  for (const candidate of files) {
    if (!existsSync(candidate)) continue;
    const contents = readFileSync(candidate, 'utf8');
    if (path.basename(candidate) === '.tool-versions') return /^\s*uv\s+(\S+)/m.exec(contents)?.[1];
    const table = candidate.endsWith('pyproject.toml') ? 'tool.uv' : '';
    const version = tomlString(contents, table, 'required-version');
    if (version) return version;
  }
  return undefined;
}
