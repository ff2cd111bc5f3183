import { createHash } from 'node:crypto';
import { GantryError } from '../../errors/index.js';

/** One saved cache in the local store's index. */
export interface CacheEntry {
  key: string;
  /** Hash of the `path:` lines: a cache restores only for the same paths, as on GitHub. */
  version: string;
  /** Archive file name, relative to the store directory. */
  archive: string;
  /** Milliseconds since the epoch; the newest of several prefix matches wins. */
  createdAt: number;
  sizeBytes: number;
}

/**
 * GitHub's cache version: the `path:` lines as written plus the compression method, so a cache
 * saved for other paths (or another compression) never restores.
 */
export function cacheVersion(paths: readonly string[]): string {
  return createHash('sha256')
    .update([...paths, 'gzip', '1.0'].join('|'))
    .digest('hex');
}

/** The limits the cache service enforces on keys. */
export function validateKeys(key: string, restoreKeys: readonly string[]): void {
  if (restoreKeys.length > 10) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `Key Validation Error: Keys are limited to a maximum of 10.`,
    );
  }
  for (const k of [key, ...restoreKeys]) {
    if (k.length > 512) {
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `Key Validation Error: ${k} cannot be larger than 512 characters.`,
      );
    }
    if (k.includes(','))
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `Key Validation Error: ${k} cannot contain commas.`,
      );
  }
}

/**
 * GitHub's matching: for the primary key and then each restore key in order, an exact match
 * first, else the newest entry whose key starts with it. Only entries of the same version count.
 */
export function findCacheEntry(
  entries: readonly CacheEntry[],
  version: string,
  keys: readonly string[],
): CacheEntry | undefined {
  const candidates = entries.filter((e) => e.version === version);
  for (const key of keys) {
    const exact = newest(candidates.filter((e) => e.key === key));
    if (exact) return exact;
    const prefixed = newest(candidates.filter((e) => e.key.startsWith(key)));
    if (prefixed) return prefixed;
  }
  return undefined;
}

/** `cache-hit` is true only when the restored key is the primary key (ignoring case, as the action does). */
export function isExactKeyMatch(key: string, matched: string | undefined): boolean {
  return (
    matched !== undefined && key.localeCompare(matched, undefined, { sensitivity: 'accent' }) === 0
  );
}

/** Latest `createdAt`; on a tie the later index entry (saved later) wins. */
function newest(entries: readonly CacheEntry[]): CacheEntry | undefined {
  return entries.reduce<CacheEntry | undefined>(
    (best, e) => (!best || e.createdAt >= best.createdAt ? e : best),
    undefined,
  );
}
