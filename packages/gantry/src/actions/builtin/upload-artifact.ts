import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GantryError } from '../../errors/index.js';
import { artifactRoot } from '../artifacts/artifact-root.js';
import { ArtifactStore, validateArtifactName } from '../artifacts/artifact-store.js';
import { globPaths } from '../support/glob-search.js';
import {
  debug,
  getBooleanInput,
  getInput,
  getMultilineInput,
  getRequiredInput,
  homeDir,
} from '../support/inputs.js';
import type { BuiltinAction } from '../types.js';

const noFilesOptions = ['warn', 'error', 'ignore'];

/**
 * actions/upload-artifact (v4): the files matching `path:` go into the run's artifact store
 * under `name`, with paths relative to the same root directory the real action picks.
 */
export const uploadArtifact: BuiltinAction = {
  name: 'actions/upload-artifact',
  defaults: {
    name: 'artifact',
    'if-no-files-found': 'warn',
    'retention-days': '0',
    'compression-level': '6',
    overwrite: 'false',
    'include-hidden-files': 'false',
  },
  async run(ctx) {
    const name = getInput(ctx, 'name') || 'artifact';
    validateArtifactName(name);
    getRequiredInput(ctx, 'path');
    const lines = getMultilineInput(ctx, 'path');
    const ifNoFilesFound = getInput(ctx, 'if-no-files-found') || 'warn';
    if (!noFilesOptions.includes(ifNoFilesFound)) {
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `Unrecognized if-no-files-found input. Provided: ${ifNoFilesFound}. Available options: ${noFilesOptions.join(', ')}`,
      );
    }
    const { matches: files, searchPaths } = await globPaths(lines, {
      cwd: ctx.workspace,
      home: homeDir(ctx),
      implicitDescendants: true,
      matchDirectories: false,
      // Since v4.4 files and folders starting with `.` are left out unless asked for.
      excludeHiddenFiles: !getBooleanInput(ctx, 'include-hidden-files'),
    });
    if (files.length === 0) {
      const message = `No files were found with the provided path: ${lines.join('\n')}. No artifacts will be uploaded.`;
      if (ifNoFilesFound === 'error') {
        throw new GantryError('GANTRY_ARTIFACT_NOT_FOUND', message, {
          hint: 'Check the path (relative to the workspace) and that an earlier step produced the files.',
        });
      }
      ctx.log(ifNoFilesFound === 'warn' ? `##[warning]${message}` : message);
      return;
    }
    ctx.log(
      `With the provided path, there will be ${files.length} file${files.length === 1 ? '' : 's'} uploaded`,
    );
    const root = artifactRoot(searchPaths, files);
    debug(ctx, `Root artifact directory is ${root}`);
    const store = new ArtifactStore(ctx.artifactsDir);
    const entries = files.map((source) => ({ source, relative: path.relative(root, source) }));
    const info = await store.upload(name, entries, getBooleanInput(ctx, 'overwrite'));
    ctx.log(
      `Artifact ${name} has been successfully uploaded! Final size is ${info.sizeBytes} bytes. Artifact ID is ${info.id}`,
    );
    ctx.setOutput('artifact-id', String(info.id));
    ctx.setOutput('artifact-url', pathToFileURL(store.filesDir(name)).href);
  },
};
