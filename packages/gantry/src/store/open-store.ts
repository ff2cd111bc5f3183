import { Kysely, Migrator } from 'kysely';
import { sqliteStoreDialect } from './dialect/sqlite.js';
import type { StoreDialect } from './dialect/store-dialect.js';
import { KyselyStore } from './kysely-store.js';
import { storeMigrations } from './migrations.js';
import type { StoreDatabase } from './schema.js';
import { storeFailed } from './store-errors.js';
import type { Store } from './types.js';

/** Opens (creating if needed) the run store `<gantryDir>/gantry.db` and brings its schema up to date. */
export function openStore(gantryDir: string): Promise<Store> {
  return openStoreWith(sqliteStoreDialect(gantryDir));
}

/** Opens a store over any dialect; the seam where PostgreSQL will plug in. */
export async function openStoreWith(dialect: StoreDialect): Promise<Store> {
  let db: Kysely<StoreDatabase> | undefined;
  try {
    db = new Kysely<StoreDatabase>({ dialect: await dialect.open() });
    await migrateToLatest(db, dialect);
    return new KyselyStore(db, dialect);
  } catch (error) {
    await db?.destroy().catch(() => undefined);
    throw storeFailed(dialect, 'open', error);
  }
}

/**
 * Runs pending migrations; on an up-to-date store this only reads the migration table.
 * Kysely's migrator reports failures in its result instead of throwing.
 */
async function migrateToLatest(db: Kysely<StoreDatabase>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: storeMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  // Kysely's wording when the store lists migrations this version does not ship.
  const fromNewerGantry =
    error instanceof Error && error.message.includes('previously executed migration');
  throw storeFailed(
    dialect,
    failed === undefined ? 'migrate' : `apply migration ${failed} to`,
    error,
    fromNewerGantry
      ? 'The store was written by a newer Gantry; upgrade Gantry to use it.'
      : undefined,
  );
}
