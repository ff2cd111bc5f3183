/**
 * The release process supervisor: runs a deployment's instances as local process groups,
 * tells when they are ready, restarts them after crashes, stops them gracefully, and reaps
 * what an earlier Gantry left behind.
 */
export { Supervisor, type SupervisorOptions } from './supervisor.js';
export type { Instance } from './instance.js';
export type { InstanceState, StateListener } from './state-notifier.js';
export { INSTANCE_ID_ENV, type InstanceSpec, type Readiness, type RestartPolicy } from './spec.js';
