import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';

/** What the store records about one uploaded artifact. */
export interface ArtifactInfo {
  name: string;
  id: number;
  createdAt: string;
  files: number;
  sizeBytes: number;
}

export interface ArtifactFile {
  /** The file on disk (symbolic links are followed, as the real upload does). */
  source: string;
  /** Its path inside the artifact. */
  relative: string;
}

// Names the artifact service refuses (upload-artifact's validation).
const invalidCharacters = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];
const internal = '.gantry-artifacts';

/**
 * A run's artifacts on disk: the files of artifact `<name>` live in `<dir>/<name>/` with their
 * paths inside the artifact; ids and metadata live beside them in `.gantry-artifacts/`.
 * Jobs of one run upload concurrently, so every write is staged and renamed into place.
 */
export class ArtifactStore {
  constructor(readonly dir: string) {}

  filesDir(name: string): string {
    return path.join(this.dir, name);
  }

  async list(): Promise<ArtifactInfo[]> {
    const metaDir = path.join(this.dir, internal, 'meta');
    const names = await fs.readdir(metaDir).catch(() => [] as string[]);
    const infos = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map(
          async (n) => JSON.parse(await fs.readFile(path.join(metaDir, n), 'utf8')) as ArtifactInfo,
        ),
    );
    return infos.sort((a, b) => a.id - b.id);
  }

  async get(name: string): Promise<ArtifactInfo | undefined> {
    return (await this.list()).find((a) => a.name === name);
  }

  /** Stores the files as artifact `name`; a second upload of a name fails unless `overwrite`. */
  async upload(
    name: string,
    files: readonly ArtifactFile[],
    overwrite: boolean,
  ): Promise<ArtifactInfo> {
    validateArtifactName(name);
    const staging = path.join(this.dir, internal, 'staging', randomUUID());
    let sizeBytes = 0;
    for (const file of files) {
      const dest = path.join(staging, file.relative);
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.copyFile(file.source, dest);
      sizeBytes += (await fs.stat(dest)).size;
    }
    await fs.mkdir(staging, { recursive: true });
    const final = this.filesDir(name);
    const metaFile = path.join(this.dir, internal, 'meta', `${name}.json`);
    try {
      if (overwrite) await fs.rm(final, { recursive: true, force: true });
      await fs.rename(staging, final);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `Failed to upload artifact '${name}': an artifact with this name already exists on the workflow run.`,
        {
          hint: 'Give each upload its own name (e.g. add `${{ matrix.os }}`), or set `overwrite: true` to replace it.',
        },
      );
    }
    const info: ArtifactInfo = {
      name,
      id: await this.nextId(),
      createdAt: new Date().toISOString(),
      files: files.length,
      sizeBytes,
    };
    await fs.mkdir(path.dirname(metaFile), { recursive: true });
    await fs.writeFile(metaFile, `${JSON.stringify(info, null, 1)}\n`);
    return info;
  }

  /** Artifact ids are numbers, unique within the run; claiming one is an exclusive create. */
  private async nextId(): Promise<number> {
    const ids = path.join(this.dir, internal, 'ids');
    await fs.mkdir(ids, { recursive: true });
    for (let id = (await fs.readdir(ids)).length + 1; ; id++) {
      try {
        await (await fs.open(path.join(ids, String(id)), 'wx')).close();
        return id;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }
}

export function validateArtifactName(name: string): void {
  const bad = invalidCharacters.find((c) => name.includes(c));
  if (bad !== undefined || name === internal || name.trim() === '') {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `The artifact name is not valid: '${name}'${bad === undefined ? '' : `. Contains the following character: ${JSON.stringify(bad)}`}`,
      {
        hint: 'Invalid characters include: " : < > | * ? \\r \\n \\ /',
      },
    );
  }
}
