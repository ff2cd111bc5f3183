import type { ColumnDefinitionBuilder, Dialect } from 'kysely';

/**
 * What the store needs from a database beyond Kysely's query building: how to connect and the
 * few DDL details that differ between databases. Everything else (queries, migrations) is
 * written once against Kysely. SQLite is the embedded default; PostgreSQL slots in next to it.
 */
export interface StoreDialect {
  /** Where the data lives, for error messages: a file path, or a URL without credentials. */
  readonly location: string;
  /** Connects (creating the database if needed) and returns the Kysely dialect. May throw driver errors. */
  open(): Promise<Dialect>;
  /**
   * Turns an `integer` column into an auto-incrementing primary key
   * (SQLite `primary key autoincrement`, PostgreSQL `generated always as identity`).
   */
  idColumn(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** How to fix a driver error, when the dialect recognises it. */
  hintFor(error: unknown): string | undefined;
}
