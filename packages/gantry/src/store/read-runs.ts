import type { Kysely, Selectable } from 'kysely';
import { GantryError } from '../errors/index.js';
import type { JobTable, RunTable, StoreDatabase } from './schema.js';
import { runNotFound } from './store-errors.js';
import type { JobDetail, JobLog, RunDetail, RunSummary, StepDetail } from './types.js';

/** The read side of the store: history listings, one run in full, and logs. */

type Db = Kysely<StoreDatabase>;

export async function listRuns(db: Db, limit: number): Promise<RunSummary[]> {
  const rows = await db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRunSummary);
}

export async function getRun(db: Db, runId: number): Promise<RunDetail> {
  const run = await findRun(db, runId);
  const jobs = await jobsOf(db, runId);
  // One query for all steps of the run: a join instead of `in (...)`, which breaks on no jobs.
  const steps = await db
    .selectFrom('steps')
    .innerJoin('jobs', 'jobs.id', 'steps.job_id')
    .selectAll('steps')
    .where('jobs.run_id', '=', runId)
    .orderBy('steps.job_id')
    .orderBy('steps.idx')
    .execute();
  const stepsByJob = new Map<number, StepDetail[]>();
  for (const step of steps) {
    const list = stepsByJob.get(step.job_id) ?? [];
    list.push({
      index: step.idx,
      name: step.name,
      status: step.status,
      exitCode: step.exit_code,
      startedAt: Number(step.started_at),
      finishedAt: Number(step.finished_at),
      durationMs: Number(step.duration_ms),
    });
    stepsByJob.set(step.job_id, list);
  }
  return {
    ...toRunSummary(run),
    report: parseJson(run.report, null),
    jobs: jobs.map((job) => toJobDetail(job, stepsByJob.get(job.id) ?? [])),
  };
}

export async function getLog(db: Db, runId: number, job?: string): Promise<JobLog[]> {
  await findRun(db, runId);
  const all = await jobsOf(db, runId);
  const jobs =
    job === undefined
      ? all
      : all.filter((j) => j.key === job || j.job_id === job || j.name === job);
  if (jobs.length === 0 && job !== undefined) {
    const known = all.map((j) => j.key).join(', ');
    throw new GantryError('GANTRY_RUN_NOT_FOUND', `Run #${runId} has no job matching "${job}".`, {
      hint: known === '' ? 'The run recorded no jobs.' : `Its jobs: ${known}.`,
    });
  }
  if (jobs.length === 0) return [];
  const chunks = await db
    .selectFrom('logs')
    .select(['job_id', 'text'])
    .where(
      'job_id',
      'in',
      jobs.map((j) => j.id),
    )
    .orderBy('job_id')
    .orderBy('seq')
    .execute();
  const texts = new Map<number, string[]>();
  for (const chunk of chunks) {
    const list = texts.get(chunk.job_id) ?? [];
    list.push(chunk.text);
    texts.set(chunk.job_id, list);
  }
  return jobs.map((j) => ({ key: j.key, text: (texts.get(j.id) ?? []).join('') }));
}

async function findRun(db: Db, runId: number): Promise<Selectable<RunTable>> {
  const run = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw runNotFound(runId);
  return run;
}

function jobsOf(db: Db, runId: number): Promise<Array<Selectable<JobTable>>> {
  return db.selectFrom('jobs').selectAll().where('run_id', '=', runId).orderBy('id').execute();
}

function toRunSummary(run: Selectable<RunTable>): RunSummary {
  return {
    id: run.id,
    status: run.status,
    event: run.event,
    ref: run.ref,
    sha: run.sha,
    args: parseJson<string[]>(run.args, []),
    createdAt: Number(run.created_at),
    finishedAt: run.finished_at === null ? null : Number(run.finished_at),
  };
}

function toJobDetail(job: Selectable<JobTable>, steps: StepDetail[]): JobDetail {
  return {
    id: job.id,
    key: job.key,
    workflow: job.workflow,
    jobId: job.job_id,
    name: job.name,
    matrix: parseJson(job.matrix, null),
    status: job.status,
    startedAt: Number(job.started_at),
    finishedAt: job.finished_at === null ? null : Number(job.finished_at),
    outputs: parseJson<Record<string, string>>(job.outputs, {}),
    steps,
  };
}

/** Columns are only written by this store, so a parse failure means a damaged row: fall back. */
function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
