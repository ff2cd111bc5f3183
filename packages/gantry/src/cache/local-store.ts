import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';
import type { TaskManifest } from './manifest.js';

/**
 * What Gantry remembers about the last successful run of a task in one checkout, read by
 * every up-to-date check. The run's manifest (what `--explain` compares) is kept beside it
 * and read only when a key changed.
 */
export interface TaskState {
  readonly key: string;
  /** Output path → [size, mtimeMs, sha256]: a cheap stat check, the hash when stats differ. */
  readonly outputs: Readonly<Record<string, readonly [number, number, string]>>;
  /**
   * Source path → [size, mtimeMs, ctimeMs, inode, sha256] when the key was computed, and when
   * (epoch ms): an unchanged stat lets the next check skip hashing the file.
   */
  readonly sources?: Readonly<Record<string, readonly [number, number, number, number, string]>>;
  readonly stampedAt?: number;
}

/** 2 GiB unless GANTRY_CACHE_MAX_SIZE says otherwise. */
export const defaultMaxBytes = 2 * 1024 ** 3;

/**
 * The local task cache: content-addressed artifacts under `artifacts/`, and per-task state
 * under `state/` (the key and manifest of the last run, for up-to-date checks and
 * `--explain`). Writes go to a temp file and are renamed into place, so a crash or a
 * concurrent writer never leaves half an artifact. Reads refresh an artifact's mtime, which
 * eviction uses as its last-used time.
 */
export class LocalCache {
  private readonly artifacts: string;
  private readonly states: string;
  private wrote = false;

  constructor(
    readonly dir: string,
    readonly maxBytes: number = defaultMaxBytes,
  ) {
    this.artifacts = path.join(dir, 'artifacts');
    this.states = path.join(dir, 'state');
  }

  get(key: string): Buffer | undefined {
    const file = this.artifactPath(key);
    try {
      const body = readFileSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return body;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw failed(`read ${file}`, error);
    }
  }

  has(key: string): boolean {
    return existsSync(this.artifactPath(key));
  }

  put(key: string, body: Buffer): void {
    this.atomicWrite(this.artifactPath(key), body);
    this.wrote = true;
  }

  readState(id: string): TaskState | undefined {
    try {
      return JSON.parse(readFileSync(this.statePath(id), 'utf8')) as TaskState;
    } catch {
      return undefined;
    }
  }

  readManifest(id: string): TaskManifest | undefined {
    try {
      return JSON.parse(readFileSync(this.statePath(id, 'manifest'), 'utf8')) as TaskManifest;
    } catch {
      return undefined;
    }
  }

  /** Writes the state, and the manifest when given (a refresh of stamps keeps the old one). */
  writeState(id: string, state: TaskState, manifest?: TaskManifest): void {
    if (manifest) this.replace(this.statePath(id, 'manifest'), JSON.stringify(manifest));
    this.replace(this.statePath(id), JSON.stringify(state));
  }

  removeState(id: string): void {
    rmSync(this.statePath(id), { force: true });
    rmSync(this.statePath(id, 'manifest'), { force: true });
  }

  /**
   * Renaming over an existing file makes ext4 write the new file's data out first
   * (auto_da_alloc): ~0.3 ms per task, most of a 300-task restore. A state is only a hint — a
   * missing or unreadable one makes the task run — so the old file goes first and the new one
   * is renamed into an empty place.
   */
  private replace(file: string, text: string): void {
    rmSync(file, { force: true });
    this.atomicWrite(file, Buffer.from(text));
  }

  /** Total size and count of the stored artifacts. */
  usage(): { entries: number; bytes: number } {
    const list = this.list();
    return { entries: list.length, bytes: list.reduce((sum, a) => sum + a.size, 0) };
  }

  /**
   * Removes the least recently used artifacts until the store is at most 90 % of `maxBytes`
   * (or `limit`), so a store at its limit does not evict on every write. Only runs when this
   * process stored something, unless `limit` is given (`gantry cache prune`).
   */
  evict(limit?: number): { removed: number; freedBytes: number } {
    const max = limit ?? this.maxBytes;
    if (limit === undefined && !this.wrote) return { removed: 0, freedBytes: 0 };
    const list = this.list();
    let total = list.reduce((sum, a) => sum + a.size, 0);
    if (total <= max) return { removed: 0, freedBytes: 0 };
    const target = limit === undefined ? max * 0.9 : max;
    let removed = 0;
    let freedBytes = 0;
    for (const artifact of list.sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= target) break;
      rmSync(artifact.file, { force: true });
      total -= artifact.size;
      freedBytes += artifact.size;
      removed += 1;
    }
    return { removed, freedBytes };
  }

  clear(): void {
    rmSync(this.artifacts, { recursive: true, force: true });
    rmSync(this.states, { recursive: true, force: true });
  }

  private list(): Array<{ file: string; size: number; usedAt: number }> {
    if (!existsSync(this.artifacts)) return [];
    return readdirSync(this.artifacts)
      .filter((name) => !name.includes('.tmp-'))
      .flatMap((name) => {
        const file = path.join(this.artifacts, name);
        try {
          const stat = statSync(file);
          return [{ file, size: stat.size, usedAt: stat.mtimeMs }];
        } catch {
          return [];
        }
      });
  }

  private artifactPath(key: string): string {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(key) || key.startsWith('.'))
      throw new GantryError('GANTRY_CACHE_FAILED', `invalid cache key ${JSON.stringify(key)}`);
    return path.join(this.artifacts, key);
  }

  private statePath(id: string, part?: 'manifest'): string {
    return path.join(this.states, part ? `${id}.${part}.json` : `${id}.json`);
  }

  private atomicWrite(file: string, body: Buffer): void {
    const temp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      try {
        writeFileSync(temp, body);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(temp, body);
      }
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw failed(`write ${file}`, error);
    }
  }
}

/** `500MB`, `2GiB`, `1g`, `1048576` → bytes. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!match)
    throw new GantryError('GANTRY_USAGE', `invalid size ${JSON.stringify(text)}`, {
      hint: 'use a number of bytes or a size like 500MB or 2GiB',
    });
  const power = ' kmgt'.indexOf((match[2] ?? '').toLowerCase() || ' ');
  return Math.floor(Number(match[1]) * 1024 ** power);
}

function failed(what: string, cause: unknown): GantryError {
  return new GantryError(
    'GANTRY_CACHE_FAILED',
    `cannot ${what}: ${(cause as Error).message ?? String(cause)}`,
    {
      cause,
      hint: 'check that the cache directory (GANTRY_CACHE_DIR, default .gantry/cache) is writable and the disk is not full',
    },
  );
}
