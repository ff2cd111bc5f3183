import { isTruthy, coerceToString } from './expression-data.js';
import { evaluateData, type ExpressionScope } from './expression-evaluator.js';
import { splitTemplateString } from './expression-template-string.js';

/**
 * GitHub Actions `${{ }}` expressions, evaluated with `@actions/expressions`, GitHub's own
 * TypeScript implementation of the language
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions).
 *
 * This module is the public face; the work is split by concern:
 * expression-evaluator.ts (parse + evaluate), expression-data.ts (JS ⇄ expression data),
 * expression-functions.ts (status functions, hashFiles), expression-analysis.ts (static checks),
 * expression-template-string.ts (`${{ }}` inside strings), template-evaluation.ts (token trees).
 */

export {
  coerceToString,
  fromExpressionData,
  isTruthy,
  toExpressionData,
} from './expression-data.js';
export {
  evaluateData,
  evaluateExpression,
  KNOWN_CONTEXTS,
  type ExpressionScope,
} from './expression-evaluator.js';
export type { StatusFunctions } from './expression-functions.js';
export { splitTemplateString, type TemplatePiece } from './expression-template-string.js';
export { evaluateTemplate } from './template-evaluation.js';

/**
 * Evaluates an `if:` condition with GitHub truthiness (false, 0, -0, NaN, '' and null are
 * falsy). A value written as `${{ expr }}` is accepted too; text around `${{ }}` makes the
 * condition a non-empty string, which is always true, exactly as on GitHub.
 *
 * The implicit `success() &&` is not added here: the workflow parser's
 * `convertToIfCondition` already adds it to job and step conditions.
 */
export function evaluateCondition(expression: string, scope: ExpressionScope): boolean {
  const trimmed = expression.trim();
  const pieces = splitTemplateString(trimmed);
  if (pieces === undefined) return isTruthy(evaluateData(trimmed, scope));
  const only = pieces[0];
  if (pieces.length === 1 && only && 'expression' in only)
    return isTruthy(evaluateData(only.expression, scope));
  return interpolate(trimmed, scope) !== '';
}

/**
 * Replaces every `${{ expr }}` in a plain string (action.yml defaults, for example), coercing
 * each result as GitHub does: null → '', true → 'true', 1.50 → '1.5', objects → 'Object',
 * arrays → 'Array'. Text without `${{` is returned unchanged.
 */
export function interpolate(text: string, scope: ExpressionScope): string {
  const pieces = splitTemplateString(text);
  if (pieces === undefined) return text;
  return pieces
    .map((piece) =>
      'literal' in piece ? piece.literal : coerceToString(evaluateData(piece.expression, scope)),
    )
    .join('');
}
