import { isMapping } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { entry, literalString } from '../workflow/tokens.js';

/** The runtimes an action.yml may name and Gantry can run (Docker is refused before this). */
const nodeRuntimes = ['node12', 'node16', 'node20', 'node24'] as const;

export type ActionRuntime = 'composite' | (typeof nodeRuntimes)[number];

function isNodeRuntime(using: string | undefined): using is (typeof nodeRuntimes)[number] {
  return (nodeRuntimes as readonly (string | undefined)[]).includes(using);
}

export function isRuntime(using: string | undefined): using is ActionRuntime {
  return using === 'composite' || isNodeRuntime(using);
}

/**
 * What GitHub's runner rejects once the schema has passed: a missing or unknown `runs.using`,
 * a composite action without steps, a JavaScript action without `main`.
 */
export function runsProblem(
  root: TemplateToken,
  runs: TemplateToken | undefined,
  usingToken: TemplateToken | undefined,
  using: string | undefined,
): { token: TemplateToken | undefined; message: string } | undefined {
  if (!runs || !isMapping(runs))
    return { token: runs ?? root, message: 'Required property is missing: runs' };
  if (using === undefined)
    return { token: runs, message: 'Required property is missing: runs.using' };
  if (using === 'composite') {
    return entry(runs, 'steps')
      ? undefined
      : {
          token: runs,
          message: 'You are using a composite action but there are no steps provided.',
        };
  }
  if (!isNodeRuntime(using)) {
    return {
      token: usingToken,
      message: `'using: ${literalString(usingToken)}' is not supported, use 'composite', 'node20' or 'node24' instead.`,
    };
  }
  if (!literalString(entry(runs, 'main'))) {
    return {
      token: runs,
      message:
        'You are using a JavaScript action but there is no entry JavaScript file (`main`) provided.',
    };
  }
  return undefined;
}
