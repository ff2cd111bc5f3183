// SBOMs from lockfiles: find them, read their locked packages, write CycloneDX or SPDX.
export {
  normalizePypiName,
  purlOf,
  type Component,
  type DependencyScope,
  type Ecosystem,
  type LockfileWarning,
} from './component.js';
export { toCycloneDx } from './cyclonedx.js';
export type { SbomMeta } from './document.js';
export {
  findLockfiles,
  readComponents,
  readLockfiles,
  type LockfileReport,
} from './read-lockfiles.js';
export { toSpdx } from './spdx.js';
