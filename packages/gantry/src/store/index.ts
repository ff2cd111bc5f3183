export { openStore } from './open-store.js';
export { finalDeploymentStatuses } from './deploy-types.js';
export type {
  ApprovalRecord,
  DeploymentEventRecord,
  DeploymentPatch,
  DeploymentRecord,
  DeployStore,
  EnvironmentRecord,
  ContractRecord,
  MeasurementRecord,
  ReleaseRecord,
} from './deploy-types.js';
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
