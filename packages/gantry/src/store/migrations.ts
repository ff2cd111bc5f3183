import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from './dialect/store-dialect.js';

/**
 * The schema's history, in code so it ships inside the bundle (no migration folder to find at
 * runtime). Names sort in execution order; a migration, once released, is never edited — a
 * change is a new entry. Dialect differences go through `StoreDialect`, nothing else.
 */
export function storeMigrations(dialect: StoreDialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_initial': { up: (db) => createInitialSchema(db, dialect) },
    '0002_gate_results': { up: (db) => createGateResults(db, dialect) },
    '0003_deployments': { up: (db) => createDeployments(db, dialect) },
    '0004_deployment_specs': { up: (db) => addDeploymentSpecs(db, dialect) },
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}

/**
 * Environments, releases and deployments: what the deployment controller persists before each
 * step it takes (so a killed Gantry resumes or aborts safely), and what DORA metrics read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createDeployments(db: Kysely<any>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('environments')
    .addColumn('name', 'varchar(128)', (col) => col.primaryKey())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('host', 'text', (col) => col.notNull())
    .addColumn('pr_number', 'integer')
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('stable_release', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('destroyed_at', 'bigint')
    .execute();
  await db.schema
    .createTable('releases')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('name', 'varchar(255)', (col) => col.notNull().unique())
    .addColumn('sha', 'varchar(64)', (col) => col.notNull())
    .addColumn('ref', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('deployments')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('environment', 'varchar(128)', (col) => col.notNull())
    .addColumn('release', 'varchar(255)', (col) => col.notNull())
    .addColumn('previous_release', 'varchar(255)')
    .addColumn('strategy', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(32)', (col) => col.notNull())
    .addColumn('step', 'integer', (col) => col.notNull())
    .addColumn('weight', 'integer', (col) => col.notNull())
    .addColumn('message', 'text')
    .addColumn('checkpoint', 'text', (col) => col.notNull())
    .addColumn('command', 'varchar(32)')
    .addColumn('requested_by', 'text', (col) => col.notNull())
    .addColumn('trigger', 'varchar(32)', (col) => col.notNull())
    .addColumn('approvals_required', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('deployments_environment')
    .on('deployments')
    .columns(['environment', 'id'])
    .execute();
  await db.schema
    .createTable('deployment_events')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('deployment_id', 'integer', (col) =>
      col.notNull().references('deployments.id').onDelete('cascade'),
    )
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('reason', 'varchar(64)', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('deployment_events_deployment')
    .on('deployment_events')
    .column('deployment_id')
    .execute();
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('deployment_id', 'integer', (col) =>
      col.notNull().references('deployments.id').onDelete('cascade'),
    )
    .addColumn('user', 'varchar(255)', (col) => col.notNull())
    .addColumn('decision', 'varchar(16)', (col) => col.notNull())
    .addColumn('comment', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('measurements')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('deployment_id', 'integer', (col) =>
      col.notNull().references('deployments.id').onDelete('cascade'),
    )
    .addColumn('analysis', 'varchar(64)', (col) => col.notNull())
    .addColumn('metric', 'varchar(128)', (col) => col.notNull())
    .addColumn('phase', 'varchar(16)', (col) => col.notNull())
    .addColumn('value', 'text')
    .addColumn('message', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
}

/**
 * What a deployment runs (apps, host, environment values), frozen when it is requested so a
 * later edit of gantry.yml never changes a rollout in flight; and the contract steps of
 * zero-downtime migrations, pending from the release that brought them until they run.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function addDeploymentSpecs(db: Kysely<any>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .alterTable('deployments')
    .addColumn('spec', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('contracts')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('environment', 'varchar(128)', (col) => col.notNull())
    .addColumn('app', 'varchar(128)', (col) => col.notNull())
    .addColumn('release', 'varchar(255)', (col) => col.notNull())
    .addColumn('deployment_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('applied_at', 'bigint')
    .addColumn('applied_by', 'varchar(255)')
    .execute();
  await db.schema
    .createIndex('contracts_environment')
    .on('contracts')
    .columns(['environment', 'applied_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createGateResults(db: Kysely<any>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('gate_results')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('branch', 'text', (col) => col.notNull())
    .addColumn('sha', 'varchar(64)', (col) => col.notNull())
    .addColumn('passed', 'integer', (col) => col.notNull())
    .addColumn('metrics', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('gate_results_branch')
    .on('gate_results')
    .columns(['branch', 'passed', 'created_at'])
    .execute();
}

// Migrations see the database as it was then, not as `StoreDatabase` describes it today.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createInitialSchema(db: Kysely<any>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('runs')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('status', 'varchar(32)', (col) => col.notNull())
    .addColumn('event', 'varchar(64)', (col) => col.notNull())
    .addColumn('ref', 'text', (col) => col.notNull())
    .addColumn('sha', 'varchar(64)', (col) => col.notNull())
    .addColumn('args', 'text', (col) => col.notNull())
    .addColumn('report', 'text')
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('run_id', 'integer', (col) =>
      col.notNull().references('runs.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('workflow', 'text', (col) => col.notNull())
    .addColumn('job_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('matrix', 'text')
    .addColumn('status', 'varchar(32)', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('outputs', 'text')
    .execute();
  await db.schema.createIndex('jobs_run_id').on('jobs').column('run_id').execute();

  await db.schema
    .createTable('steps')
    .addColumn('id', 'integer', (col) => dialect.idColumn(col))
    .addColumn('job_id', 'integer', (col) =>
      col.notNull().references('jobs.id').onDelete('cascade'),
    )
    .addColumn('idx', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(32)', (col) => col.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('finished_at', 'bigint', (col) => col.notNull())
    .addColumn('duration_ms', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('steps_job_id_idx', ['job_id', 'idx'])
    .execute();

  // No surrogate id: (job_id, seq) is the order of the chunks and the only way they are read.
  await db.schema
    .createTable('logs')
    .addColumn('job_id', 'integer', (col) =>
      col.notNull().references('jobs.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('logs_pk', ['job_id', 'seq'])
    .execute();
}
