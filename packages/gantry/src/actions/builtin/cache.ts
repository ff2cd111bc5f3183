import { GantryError, isGantryError } from '../../errors/index.js';
import {
  cacheVersion,
  findCacheEntry,
  isExactKeyMatch,
  validateKeys,
} from '../cache/cache-keys.js';
import { resolveCachePaths } from '../cache/cache-paths.js';
import { CacheStore } from '../cache/cache-store.js';
import { getBooleanInput, getMultilineInput, getRequiredInput } from '../support/inputs.js';
import type { ActionContext, BuiltinAction } from '../types.js';

const restoreDefaults = {
  'fail-on-cache-miss': 'false',
  'lookup-only': 'false',
  enablecrossosarchive: 'false',
};

/** actions/cache: restore now, save in the post step unless the primary key was hit exactly. */
export const cache: BuiltinAction = {
  name: 'actions/cache',
  defaults: restoreDefaults,
  // As the real action's `post-if: success()`: a failed job must not save a broken cache.
  postIf: 'success()',
  run: (ctx) => restoreCache(ctx),
  async post(ctx) {
    const key = ctx.getState('CACHE_KEY');
    if (!key) {
      ctx.log('##[warning]Error retrieving key from state.');
      return;
    }
    if (isExactKeyMatch(key, ctx.getState('CACHE_RESULT') || undefined)) {
      ctx.log(`Cache hit occurred on the primary key ${key}, not saving cache.`);
      return;
    }
    await saveCache(ctx, key);
  },
};

/** actions/cache/restore: the restore half alone. */
export const cacheRestore: BuiltinAction = {
  name: 'actions/cache/restore',
  defaults: restoreDefaults,
  run: (ctx) => restoreCache(ctx),
};

/** actions/cache/save: the save half alone, typically keyed by the restore step's `cache-primary-key`. */
export const cacheSave: BuiltinAction = {
  name: 'actions/cache/save',
  defaults: { enablecrossosarchive: 'false' },
  run: (ctx) => saveCache(ctx, getRequiredInput(ctx, 'key')),
};

async function restoreCache(ctx: ActionContext): Promise<void> {
  const paths = requiredPaths(ctx);
  const key = getRequiredInput(ctx, 'key');
  const restoreKeys = getMultilineInput(ctx, 'restore-keys');
  validateKeys(key, restoreKeys);
  ctx.saveState('CACHE_KEY', key);
  ctx.setOutput('cache-primary-key', key);
  const store = new CacheStore(ctx.cacheDir);
  const entry = findCacheEntry(await store.entries(), cacheVersion(paths), [key, ...restoreKeys]);
  if (!entry) {
    if (getBooleanInput(ctx, 'fail-on-cache-miss')) {
      throw new GantryError(
        'GANTRY_CACHE_FAILED',
        `Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}`,
      );
    }
    // Like the real action, `cache-hit` stays unset (empty) on a miss.
    ctx.log(`Cache not found for input keys: ${[key, ...restoreKeys].join(', ')}`);
    return;
  }
  ctx.saveState('CACHE_RESULT', entry.key);
  ctx.setOutput('cache-matched-key', entry.key);
  ctx.setOutput('cache-hit', String(isExactKeyMatch(key, entry.key)));
  if (getBooleanInput(ctx, 'lookup-only')) {
    ctx.log(`Cache found and can be restored from key: ${entry.key}`);
    return;
  }
  await store.restore(entry, ctx.workspace);
  ctx.log(`Cache restored from key: ${entry.key}`);
}

/** Saving never fails the job except for invalid keys, as in the real action: problems are warnings. */
async function saveCache(ctx: ActionContext, key: string): Promise<void> {
  const paths = requiredPaths(ctx);
  validateKeys(key, []);
  try {
    const resolved = await resolveCachePaths(ctx, paths);
    if (resolved.length === 0) {
      ctx.log(
        '##[warning]Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.',
      );
      return;
    }
    const saved = await new CacheStore(ctx.cacheDir).save(
      key,
      cacheVersion(paths),
      resolved,
      ctx.workspace,
    );
    ctx.log(
      saved
        ? `Cache saved with key: ${key}`
        : `##[warning]Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`,
    );
  } catch (error) {
    if (!isGantryError(error) || error.code !== 'GANTRY_CACHE_FAILED') throw error;
    ctx.log(`##[warning]${error.message}`);
  }
}

function requiredPaths(ctx: ActionContext): string[] {
  const paths = getMultilineInput(ctx, 'path');
  if (paths.length === 0) getRequiredInput(ctx, 'path'); // throws the "required" error
  return paths;
}
