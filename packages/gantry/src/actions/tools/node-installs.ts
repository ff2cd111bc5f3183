import path from 'node:path';
import {
  executablesOnPath,
  isExecutable,
  listDir,
  normaliseVersion,
  probeVersion,
  toolCacheInstalls,
  uniqueInstalls,
  type ToolInstall,
} from './host-tools.js';

/**
 * Node.js installations on this host: the `node` binaries on PATH, then the version managers'
 * directories (nvm, n, Volta, fnm) and a runner tool cache laid out like GitHub's
 * (`$RUNNER_TOOL_CACHE/node/<version>/<arch>/bin`). Managers' versions are read from their
 * directory names, so listing them runs nothing.
 */
export async function findNodeInstalls(
  env: Readonly<Record<string, string>>,
  home: string,
): Promise<ToolInstall[]> {
  const installs: ToolInstall[] = [];
  for (const executable of await executablesOnPath('node', env)) {
    const version = await probeVersion(executable, ['--version'], env);
    if (version) installs.push({ version, executable, source: 'PATH' });
  }
  const managers: Array<[source: string, root: string, bin: (entry: string) => string]> = [
    [
      'nvm',
      path.join(env['NVM_DIR'] || path.join(home, '.nvm'), 'versions', 'node'),
      (v) => path.join(v, 'bin'),
    ],
    [
      'n',
      path.join(env['N_PREFIX'] || '/usr/local', 'n', 'versions', 'node'),
      (v) => path.join(v, 'bin'),
    ],
    [
      'volta',
      path.join(env['VOLTA_HOME'] || path.join(home, '.volta'), 'tools', 'image', 'node'),
      (v) => path.join(v, 'bin'),
    ],
    [
      'fnm',
      path.join(env['FNM_DIR'] || path.join(home, '.local', 'share', 'fnm'), 'node-versions'),
      (v) => path.join(v, 'installation', 'bin'),
    ],
  ];
  for (const [source, root, bin] of managers) {
    for (const entry of await listDir(root)) {
      const version = normaliseVersion(entry);
      const executable = path.join(bin(path.join(root, entry)), 'node');
      if (version && (await isExecutable(executable)))
        installs.push({ version, executable, source });
    }
  }
  installs.push(...(await toolCacheInstalls(env['RUNNER_TOOL_CACHE'], 'node', 'node')));
  return uniqueInstalls(installs);
}
