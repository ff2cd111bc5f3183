// `gantry scan deps`: locked packages matched against an OSV vulnerability database.
export { loadOsvDatabase, OsvDatabase, type LoadOptions } from './database.js';
export { matchVulnerabilities } from './match.js';
export { severityForScore } from './severity.js';
export type { Ecosystem, PackageRef, Severity, Vulnerability } from './types.js';
