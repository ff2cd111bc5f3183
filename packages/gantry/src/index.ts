// Gantry's programmatic API. Everything not exported here is internal.
export {
  ConfigError,
  GantryError,
  errorCodes,
  type ErrorCode,
  type Problem,
} from './errors/index.js';
export type { RunEvent, RunListener } from './runner/events.js';
export type { JobReport, RunReport, StepReport, WorkflowReport } from './runner/report.js';
export { planRun, type Plan } from './runner/plan.js';
export { runWorkflows, type RunOptions } from './runner/run.js';
export { loadWorkflows } from './workflow/load.js';
export { SecretMasker } from './secrets/masker.js';
