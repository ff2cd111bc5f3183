export { openStore } from './open-store.js';
export type {
  JobDetail,
  JobLog,
  RunDetail,
  RunSummary,
  StepDetail,
  StepRecord,
  Store,
} from './types.js';
