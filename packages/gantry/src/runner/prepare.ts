import { buildEvent, type EventRequest } from '../workflow/event.js';
import { loadWorkflows } from '../workflow/load.js';
import { evaluateTrigger } from '../workflow/triggers.js';
import type { RunListener } from './events.js';

export interface RunOptions {
  readonly repoRoot: string;
  readonly workflowFiles?: readonly string[];
  readonly event: EventRequest;
  /** `--job`: run only these jobs (and the jobs they need). */
  readonly jobs?: readonly string[];
  readonly inputs?: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly vars?: Readonly<Record<string, string>>;
  readonly parallel?: number;
  readonly clean?: boolean;
  readonly actionsPath?: string;
  readonly signal?: AbortSignal;
  readonly listener?: RunListener;
  /** Record the run in `.gantry/gantry.db` (default true). */
  readonly record?: boolean;
  readonly argv?: readonly string[];
  readonly killSequence?: { interruptMs: number; terminateMs: number };
}

/** Triggered workflows and the reason for each that is not, computed before anything runs. */
export async function prepareRun(options: RunOptions) {
  // Parsing is CPU work and the event is git processes: overlap them. A configuration
  // error still wins over a git error, so the user first sees what to fix in the files.
  const [loaded, built] = await Promise.allSettled([
    loadWorkflows(options.repoRoot, options.workflowFiles),
    buildEvent(options.repoRoot, {
      ...options.event,
      ...(options.inputs ? { inputs: { ...options.inputs } } : {}),
    }),
  ]);
  if (loaded.status === 'rejected') throw loaded.reason;
  if (built.status === 'rejected') throw built.reason;
  const workflows = loaded.value;
  const event = built.value;
  const triggers = workflows.map((workflow) => ({
    workflow,
    ...evaluateTrigger(workflow.events, {
      name: event.eventName,
      ref: event.ref,
      ...(event.baseRef ? { baseRef: event.baseRef } : {}),
      ...(event.action ? { action: event.action } : {}),
      ...(event.changedFiles ? { changedFiles: event.changedFiles } : {}),
    }),
  }));
  return { workflows, event, triggers };
}
