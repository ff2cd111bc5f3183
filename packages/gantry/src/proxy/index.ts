export { DeployProxy } from './deploy-proxy.js';
export { LATENCY_BUCKETS } from './release-stats.js';
export { METRICS_CONTENT_TYPE } from './metrics-text.js';
export type { ProxyOptions, ProxyRoute, Target, TrafficSample, WeightedBackend } from './types.js';
