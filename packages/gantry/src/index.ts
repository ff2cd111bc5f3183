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
export { detectFormat, mergeModels, readReport, reportParsers } from './reports/index.js';
export type { ReportModel, ReportPart, ReportParser } from './reports/model.js';
export { evaluateGate, type GateInput, type GateOutcome } from './gate/evaluate.js';
export { scanSecrets, type SecretFinding } from './scan/secrets/index.js';
export { readComponents, toCycloneDx, toSpdx, type Component } from './scan/sbom/index.js';
export { loadOsvDatabase, matchVulnerabilities } from './scan/osv/index.js';
