import { promises as fs } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { GantryError } from '../../errors/index.js';
import { ArtifactStore, type ArtifactInfo } from '../artifacts/artifact-store.js';
import { getBooleanInput, getInput, resolveUserPath } from '../support/inputs.js';
import type { ActionContext, BuiltinAction } from '../types.js';

/**
 * actions/download-artifact (v4): one artifact by `name` straight into `path`, or several (all,
 * or those matching `pattern` / `artifact-ids`) each into `path/<name>/` unless `merge-multiple`.
 */
export const downloadArtifact: BuiltinAction = {
  name: 'actions/download-artifact',
  defaults: { 'merge-multiple': 'false' },
  async run(ctx) {
    refuseOtherRuns(ctx);
    const name = getInput(ctx, 'name');
    const ids = getInput(ctx, 'artifact-ids');
    if (name && ids)
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        'Inputs `name` and `artifact-ids` cannot be used together. Please specify only one.',
      );
    const destination = resolveUserPath(ctx, getInput(ctx, 'path') || ctx.workspace);
    const store = new ArtifactStore(ctx.artifactsDir);
    const available = await store.list();
    let selected: ArtifactInfo[];
    if (name) {
      const found = available.find((a) => a.name === name);
      if (!found) {
        const names = available.map((a) => `'${a.name}'`).join(', ') || 'none';
        throw new GantryError(
          'GANTRY_ARTIFACT_NOT_FOUND',
          `Unable to download artifact(s): Artifact '${name}' not found. Artifacts of this run: ${names}.`,
          {
            hint: 'Artifacts are shared by the jobs of one `gantry run`; make the downloading job `needs:` the uploading one.',
          },
        );
      }
      selected = [found];
    } else {
      selected = available;
      const pattern = getInput(ctx, 'pattern');
      if (pattern) selected = selected.filter((a) => picomatch.isMatch(a.name, pattern));
      if (ids) {
        const wanted = new Set(ids.split(',').map((id) => Number(id.trim())));
        selected = selected.filter((a) => wanted.has(a.id));
      }
    }
    const merge = Boolean(name) || getBooleanInput(ctx, 'merge-multiple');
    for (const artifact of selected) {
      ctx.log(`- ${artifact.name} (ID: ${artifact.id}, Size: ${artifact.sizeBytes})`);
      const into = merge ? destination : path.join(destination, artifact.name);
      await fs.mkdir(into, { recursive: true });
      await fs.cp(store.filesDir(artifact.name), into, { recursive: true, force: true });
    }
    ctx.log(`Total of ${selected.length} artifact(s) downloaded`);
    ctx.setOutput('download-path', destination);
  },
};

/** With a token the real action can read other runs and repositories; Gantry has only this run's store. */
function refuseOtherRuns(ctx: ActionContext): void {
  if (!getInput(ctx, 'github-token')) return;
  const repository = getInput(ctx, 'repository');
  const runId = getInput(ctx, 'run-id');
  const otherRepo = repository && repository.toLowerCase() !== ctx.github.repository.toLowerCase();
  const otherRun = runId && runId !== ctx.env['GITHUB_RUN_ID'];
  if (otherRepo || otherRun) {
    throw new GantryError(
      'GANTRY_UNSUPPORTED',
      `Downloading artifacts of another ${otherRepo ? `repository ('${repository}')` : `run (${runId})`} needs GitHub's artifact service.`,
      {
        hint: 'Gantry keeps artifacts per `gantry run`; produce the artifact in a job of the same run.',
      },
    );
  }
}
