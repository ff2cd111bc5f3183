import type { WorkflowCommand } from './workflow-commands.js';

/** An `::error`/`::warning`/`::notice` annotation a step emitted. */
export type Annotation = Omit<Extract<WorkflowCommand, { kind: 'annotation' }>, 'kind'>;
