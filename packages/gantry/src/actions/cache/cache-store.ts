import { randomUUID, createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { create, extract } from 'tar';
import { GantryError } from '../../errors/index.js';
import type { CacheEntry } from './cache-keys.js';

/**
 * The local actions/cache store: one tar.gz per entry plus `index.json`, shared by every run
 * and job on this host. Entries are immutable like GitHub's: a key is saved once.
 */
export class CacheStore {
  constructor(readonly dir: string) {}

  async entries(): Promise<CacheEntry[]> {
    try {
      const index = JSON.parse(await fs.readFile(this.indexFile, 'utf8')) as {
        entries?: CacheEntry[];
      };
      return index.entries ?? [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new GantryError(
        'GANTRY_CACHE_FAILED',
        `The cache index ${this.indexFile} cannot be read: ${String(error)}`,
        {
          cause: error,
          hint: `Delete ${this.dir} to start with an empty cache.`,
        },
      );
    }
  }

  /**
   * Archives `paths` (workspace-relative or absolute, as they should come back) and records the
   * entry. Returns false when the key and version are already saved, like a reserve conflict.
   */
  async save(
    key: string,
    version: string,
    paths: readonly string[],
    cwd: string,
  ): Promise<boolean> {
    if (await this.has(key, version)) return false;
    await fs.mkdir(path.join(this.dir, 'tmp'), { recursive: true });
    const temp = path.join(this.dir, 'tmp', `${randomUUID()}.tar.gz`);
    try {
      // preservePaths keeps absolute paths absolute (like `tar -P`), so ~/.npm comes back to ~/.npm.
      await create({ gzip: true, file: temp, cwd, preservePaths: true, portable: true }, [
        ...paths,
      ]);
      const archive = `${createHash('sha256').update(`${version}\n${key}`).digest('hex')}.tar.gz`;
      const { size } = await fs.stat(temp);
      return await this.locked(async () => {
        const entries = await this.entries();
        if (entries.some((e) => e.key === key && e.version === version)) return false;
        await fs.rename(temp, path.join(this.dir, archive));
        entries.push({ key, version, archive, createdAt: Date.now(), sizeBytes: size });
        const next = path.join(this.dir, 'tmp', `${randomUUID()}.json`);
        await fs.writeFile(next, `${JSON.stringify({ entries }, null, 1)}\n`);
        await fs.rename(next, this.indexFile); // readers never see half an index
        return true;
      });
    } catch (error) {
      if (error instanceof GantryError) throw error;
      throw new GantryError(
        'GANTRY_CACHE_FAILED',
        `Saving cache '${key}' failed: ${String(error)}`,
        { cause: error },
      );
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  /** Extracts an entry: relative paths under `cwd`, absolute ones where they were. */
  async restore(entry: CacheEntry, cwd: string): Promise<void> {
    try {
      await fs.mkdir(cwd, { recursive: true });
      await extract({ file: path.join(this.dir, entry.archive), cwd, preservePaths: true });
    } catch (error) {
      throw new GantryError(
        'GANTRY_CACHE_FAILED',
        `Restoring cache '${entry.key}' failed: ${String(error)}`,
        { cause: error },
      );
    }
  }

  private get indexFile(): string {
    return path.join(this.dir, 'index.json');
  }

  private async has(key: string, version: string): Promise<boolean> {
    return (await this.entries()).some((e) => e.key === key && e.version === version);
  }

  /** Serialises index updates between jobs with a lock directory; a lock older than a minute is stale. */
  private async locked<T>(body: () => Promise<T>): Promise<T> {
    const lock = path.join(this.dir, 'index.lock');
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.mkdir(lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const stats = await fs.stat(lock).catch(() => undefined);
        if (stats && Date.now() - stats.mtimeMs > 60_000)
          await fs.rm(lock, { recursive: true, force: true });
        else if (attempt > 600)
          throw new GantryError('GANTRY_CACHE_FAILED', `The cache store is locked (${lock}).`, {
            hint: `Remove ${lock} if no gantry run is active.`,
          });
        else await delay(50);
      }
    }
    try {
      return await body();
    } finally {
      await fs.rm(lock, { recursive: true, force: true });
    }
  }
}
