import type { BuiltinAction } from '../types.js';
import { cache, cacheRestore, cacheSave } from './cache.js';
import { checkout } from './checkout.js';
import { codecov } from './codecov.js';
import { downloadArtifact } from './download-artifact.js';
import { gantryApprove, gantryDeploy } from './gantry-deploy.js';
import { gitleaksAction, trufflehogAction } from './secret-scanners.js';
import { setupNode } from './setup-node.js';
import { setupPython } from './setup-python.js';
import { setupUv } from './setup-uv.js';
import { trivyAction } from './trivy.js';
import { uploadArtifact } from './upload-artifact.js';
import { uploadSarif } from './upload-sarif.js';

/**
 * Actions Gantry implements natively, keyed by `owner/repo[/path]` in lower case. A built-in
 * answers to every ref of its action (`@v3`, `@v4`, a SHA): the inputs it understands are those
 * of the current major version.
 */
export const builtinActions: ReadonlyMap<string, BuiltinAction> = new Map(
  [
    checkout,
    setupNode,
    setupPython,
    setupUv,
    cache,
    cacheRestore,
    cacheSave,
    uploadArtifact,
    downloadArtifact,
    codecov,
    uploadSarif,
    trivyAction,
    gitleaksAction,
    trufflehogAction,
    gantryDeploy,
    gantryApprove,
  ].map((action) => [action.name, action] as const),
);

/** The built-in answering to `owner/repo[/path]` (any case), if there is one. */
export function findBuiltinAction(name: string): BuiltinAction | undefined {
  return builtinActions.get(name.toLowerCase());
}
