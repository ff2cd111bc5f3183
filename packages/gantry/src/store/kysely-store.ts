import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect/store-dialect.js';
import { KyselyDeployStore } from './deploy-store.js';
import type { DeployStore } from './deploy-types.js';
import { getLog, getRun, listRuns } from './read-runs.js';
import type { StoreDatabase } from './schema.js';
import { runNotFound, storeFailed } from './store-errors.js';
import type {
  GateResult,
  GateResultInput,
  JobLog,
  RunDetail,
  RunSummary,
  Store,
  StepRecord,
} from './types.js';

/** The Store over any Kysely dialect. Every query here is dialect-neutral. */
export class KyselyStore implements Store {
  readonly #db: Kysely<StoreDatabase>;
  readonly #dialect: StoreDialect;
  /**
   * Next log `seq` per job row. Allocated synchronously in call order, so concurrent
   * `appendLog` calls never collide and chunks keep the order they were appended in.
   */
  readonly #nextSeq = new Map<number, Promise<{ next: number }>>();

  readonly deploy: DeployStore;

  constructor(db: Kysely<StoreDatabase>, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
    this.deploy = new KyselyDeployStore(db, (action, work) => this.#guard(action, work));
  }

  createRun(input: {
    event: string;
    ref: string;
    sha: string;
    args: readonly string[];
  }): Promise<number> {
    return this.#guard('record the run', async () => {
      const row = await this.#db
        .insertInto('runs')
        .values({
          created_at: Date.now(),
          status: 'running',
          event: input.event,
          ref: input.ref,
          sha: input.sha,
          args: JSON.stringify(input.args),
          report: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
  }

  finishRun(runId: number, status: string, report: unknown): Promise<void> {
    return this.#guard('finish the run', async () => {
      const result = await this.#db
        .updateTable('runs')
        .set({ status, finished_at: Date.now(), report: JSON.stringify(report ?? null) })
        .where('id', '=', runId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw runNotFound(runId);
    });
  }

  createJob(
    runId: number,
    input: { key: string; workflow: string; jobId: string; name: string; matrix?: unknown },
  ): Promise<number> {
    return this.#guard('record the job', async () => {
      const row = await this.#db
        .insertInto('jobs')
        .values({
          run_id: runId,
          key: input.key,
          workflow: input.workflow,
          job_id: input.jobId,
          name: input.name,
          matrix: input.matrix === undefined ? null : JSON.stringify(input.matrix),
          status: 'running',
          started_at: Date.now(),
          finished_at: null,
          outputs: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      this.#nextSeq.set(row.id, Promise.resolve({ next: 0 }));
      return row.id;
    });
  }

  finishJob(jobRowId: number, status: string, outputs: Record<string, string>): Promise<void> {
    return this.#guard('finish the job', async () => {
      const result = await this.#db
        .updateTable('jobs')
        .set({ status, finished_at: Date.now(), outputs: JSON.stringify(outputs) })
        .where('id', '=', jobRowId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new Error(`job row ${jobRowId} does not exist`);
    });
  }

  recordStep(jobRowId: number, step: StepRecord): Promise<void> {
    return this.#guard('record the step', async () => {
      const values = {
        name: step.name,
        status: step.status,
        exit_code: step.exitCode,
        started_at: step.startedAt,
        finished_at: step.startedAt + step.durationMs,
        duration_ms: step.durationMs,
      };
      await this.#db
        .insertInto('steps')
        .values({ job_id: jobRowId, idx: step.index, ...values })
        .onConflict((conflict) => conflict.columns(['job_id', 'idx']).doUpdateSet(values))
        .execute();
    });
  }

  appendLog(jobRowId: number, text: string): Promise<void> {
    if (text === '') return Promise.resolve();
    const seq = this.#allocateSeq(jobRowId);
    return this.#guard('append to the job log', async () => {
      await this.#db
        .insertInto('logs')
        .values({ job_id: jobRowId, seq: await seq, text })
        .execute();
    });
  }

  listRuns(limit = 20): Promise<RunSummary[]> {
    return this.#guard('list runs', () => listRuns(this.#db, limit));
  }

  getRun(runId: number): Promise<RunDetail> {
    return this.#guard('read the run', () => getRun(this.#db, runId));
  }

  getLog(runId: number, job?: string): Promise<JobLog[]> {
    return this.#guard('read the logs', () => getLog(this.#db, runId, job));
  }

  recordGateResult(result: GateResultInput): Promise<void> {
    return this.#guard('record the gate result', async () => {
      await this.#db
        .insertInto('gate_results')
        .values({
          created_at: Date.now(),
          branch: result.branch,
          sha: result.sha,
          passed: result.passed ? 1 : 0,
          metrics: JSON.stringify(result.metrics),
        })
        .execute();
    });
  }

  lastPassingGateResult(branch: string): Promise<GateResult | undefined> {
    return this.#guard('read the gate baseline', async () => {
      const row = await this.#db
        .selectFrom('gate_results')
        .selectAll()
        .where('branch', '=', branch)
        .where('passed', '=', 1)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        branch: row.branch,
        sha: row.sha,
        passed: true,
        metrics: JSON.parse(row.metrics) as Record<string, number>,
        createdAt: Number(row.created_at),
      };
    });
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  /** Jobs created by another process (or before a reopen) continue after their last chunk. */
  #allocateSeq(jobRowId: number): Promise<number> {
    let counter = this.#nextSeq.get(jobRowId);
    if (counter === undefined) {
      counter = this.#db
        .selectFrom('logs')
        .select((eb) => eb.fn.max('seq').as('last'))
        .where('job_id', '=', jobRowId)
        .executeTakeFirst()
        .then((row) => ({ next: row?.last == null ? 0 : Number(row.last) + 1 }));
      // A failed lookup must not poison every later append of this job.
      counter.catch(() => this.#nextSeq.delete(jobRowId));
      this.#nextSeq.set(jobRowId, counter);
    }
    return counter.then((c) => c.next++);
  }

  /** Driver errors become GANTRY_STORE_FAILED naming the store; GantryErrors pass through. */
  async #guard<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw storeFailed(this.#dialect, `${action} in`, error);
    }
  }
}
