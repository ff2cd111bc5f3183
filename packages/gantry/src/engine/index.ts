export { ConcurrencyGroups, type ConcurrencyDecision } from './concurrency.js';
export { JobGraph, type GraphNode, type JobStatus, type Result } from './job-graph.js';
export { Slots } from './slots.js';
export { combineResults, stepStatus } from './step-status.js';
