import type { Result } from '../engine/index.js';
import type { Annotation } from './annotations.js';

/** What a run tells its observers (the terminal reporters, the store) as it happens. */
export type RunEvent =
  | { type: 'workflow-skipped'; workflow: string; file: string; reason: string }
  | { type: 'workflow-start'; workflow: string; file: string }
  | { type: 'workflow-end'; workflow: string; status: Result }
  | { type: 'job-queued'; job: string; workflow: string; name: string }
  | { type: 'job-start'; job: string; workflow: string; name: string }
  | { type: 'job-end'; job: string; status: Result; durationMs: number; reason?: string }
  | { type: 'step-start'; job: string; index: number; name: string }
  | {
      type: 'step-end';
      job: string;
      index: number;
      name: string;
      status: Result;
      durationMs: number;
    }
  | { type: 'log'; job: string; text: string; group?: 'start' | 'end' }
  | { type: 'annotation'; job: string; annotation: Annotation };

export type RunListener = (event: RunEvent) => void;
