import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { StoreDialect } from './store-dialect.js';

/** The store file inside the `.gantry` directory. */
export const SQLITE_FILE_NAME = 'gantry.db';

/** How long a writer waits for another gantry process (e.g. a concurrent `gantry run`) to commit. */
const BUSY_TIMEOUT_MS = 5000;

/** The embedded default: one SQLite file, `<gantryDir>/gantry.db`, through better-sqlite3. */
export function sqliteStoreDialect(gantryDir: string): StoreDialect {
  const file = join(gantryDir, SQLITE_FILE_NAME);
  return {
    location: file,
    async open() {
      mkdirSync(gantryDir, { recursive: true });
      const database = new Database(file);
      try {
        // Set before switching to WAL: the switch itself needs a lock another process may hold.
        database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        // WAL lets `gantry logs` read while a run is appending. On file systems without shared
        // memory SQLite quietly stays in rollback mode, which is slower but still correct.
        // This is also the first real read of the file, so a corrupt one fails here.
        database.pragma('journal_mode = WAL');
        // In WAL mode NORMAL only risks the last commits on power loss, never corruption,
        // and spares an fsync per appended log chunk.
        database.pragma('synchronous = NORMAL');
        // Off by default in SQLite; the schema's cascades depend on it.
        database.pragma('foreign_keys = ON');
      } catch (error) {
        database.close();
        throw error;
      }
      return new SqliteDialect({ database });
    },
    idColumn: (column) => column.primaryKey().autoIncrement(),
    hintFor,
  };
}

const FIX_PERMISSIONS =
  'Check that the .gantry directory can be created and written by the current user.';

/** Base codes; better-sqlite3 reports extended ones such as `SQLITE_BUSY_SNAPSHOT`. */
const HINTS: ReadonlyArray<[string, string]> = [
  [
    'SQLITE_NOTADB',
    'The file is not a SQLite database. Move it aside to start a fresh run history.',
  ],
  ['SQLITE_CORRUPT', 'The database file is damaged. Move it aside to start a fresh run history.'],
  ['SQLITE_CANTOPEN', FIX_PERMISSIONS],
  ['SQLITE_READONLY', FIX_PERMISSIONS],
  ['SQLITE_PERM', FIX_PERMISSIONS],
  ['EACCES', FIX_PERMISSIONS],
  ['EPERM', FIX_PERMISSIONS],
  ['ENOTDIR', FIX_PERMISSIONS],
  ['EROFS', FIX_PERMISSIONS],
  ['SQLITE_BUSY', 'Another gantry process kept the store locked; try again when it has finished.'],
  ['SQLITE_FULL', 'The disk is full.'],
  ['ENOSPC', 'The disk is full.'],
];

function hintFor(error: unknown): string | undefined {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return HINTS.find(([base]) => code === base || code.startsWith(`${base}_`))?.[1];
}
