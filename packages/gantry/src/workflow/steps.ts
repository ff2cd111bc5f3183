import type { TemplateContext } from '@actions/workflow-parser/templates/template-context';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isSequence } from '@actions/workflow-parser';
import { convertSteps } from '@actions/workflow-parser/model/converter/steps';
import type { StepDef } from './model.js';
import { entry, literalString } from './tokens.js';

/**
 * Reads a `steps:` sequence (of a job or a composite action). GitHub's converter gives the
 * step ids (`__run`, `__actions_checkout`, ...) and the `if` with its implicit `success() &&`;
 * the keys it does not model (`shell`, `with`, `working-directory`, `timeout-minutes`) come
 * from the raw, schema-validated tokens.
 */
export function readSteps(
  context: TemplateContext,
  stepsToken: TemplateToken | undefined,
): StepDef[] {
  if (!stepsToken || !isSequence(stepsToken)) return [];
  const converted = convertSteps(context, stepsToken);
  const raw: TemplateToken[] = [];
  for (let i = 0; i < stepsToken.count; i++) raw.push(stepsToken.get(i));
  if (converted.length !== raw.length) return []; // conversion reported errors; the caller stops
  return converted.map((step, index) => {
    const token = raw[index];
    const userIdToken = entry(token, 'id');
    const ifExpr = 'if' in step && step.if ? step.if.expression : 'success()';
    return {
      id: step.id,
      userId: userIdToken !== undefined,
      name: entry(token, 'name'),
      if: ifExpr,
      run: entry(token, 'run'),
      uses: literalString(entry(token, 'uses')),
      with: entry(token, 'with'),
      env: entry(token, 'env'),
      shell: entry(token, 'shell'),
      workingDirectory: entry(token, 'working-directory'),
      timeoutMinutes: entry(token, 'timeout-minutes'),
      continueOnError: entry(token, 'continue-on-error'),
      position: { line: token?.line, col: token?.col },
    };
  });
}
