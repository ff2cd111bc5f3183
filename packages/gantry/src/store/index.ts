export { openStore } from './open-store.js';
export type {
  GateResult,
  GateResultInput,
  JobDetail,
  JobLog,
  RunDetail,
  RunSummary,
  StepDetail,
  StepRecord,
  Store,
} from './types.js';
