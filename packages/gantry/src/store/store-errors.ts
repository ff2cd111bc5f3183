import { GantryError, isGantryError } from '../errors/index.js';
import type { StoreDialect } from './dialect/store-dialect.js';

/** The store's two user-facing failures, built in one place so their wording stays consistent. */

export function runNotFound(runId: number): GantryError {
  return new GantryError('GANTRY_RUN_NOT_FOUND', `Run #${runId} is not in the run store.`, {
    hint: 'Run numbers are shown by `gantry run` and in the run history.',
  });
}

/**
 * Wraps a driver or migration error as GANTRY_STORE_FAILED naming the database, with the
 * dialect's hint (unless one is given). GantryErrors already carry their meaning and pass through.
 */
export function storeFailed(
  dialect: StoreDialect,
  doing: string,
  error: unknown,
  hint?: string,
): GantryError {
  if (isGantryError(error)) return error;
  const fix = hint ?? dialect.hintFor(error);
  return new GantryError(
    'GANTRY_STORE_FAILED',
    `Could not ${doing} the run store at ${dialect.location}: ${messageOf(error)}`,
    fix === undefined ? { cause: error } : { cause: error, hint: fix },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
