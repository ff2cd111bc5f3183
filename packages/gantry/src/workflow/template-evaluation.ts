import type {
  BasicExpressionToken,
  BooleanToken,
  MappingToken,
  NumberToken,
  SequenceToken,
  StringToken,
  TemplateToken,
} from '@actions/workflow-parser/templates/tokens/index';
// Only the token-type enum is loaded at run time: the token classes' module pulls in the
// workflow schema JSON, which plain Node cannot import (see vitest.config.ts).
import { TokenType } from '@actions/workflow-parser/templates/tokens/types';
import { GantryError } from '../errors/index.js';
import { coerceToString, toExpressionData } from './expression-data.js';
import { evaluateExpression, type ExpressionScope } from './expression-evaluator.js';

/**
 * Evaluates a parsed workflow value (a template token tree) into plain JS, the way the runner
 * evaluates `env:`, `with:`, `outputs:`, `strategy:` and friends at the moment they are needed.
 *
 * The workflow parser has already turned every string with embedded `${{ }}` into a
 * BasicExpressionToken (`format('...{0}...', expr)` when there is surrounding text), so here a
 * whole-value expression keeps its type (`${{ fromJSON('[1,2]') }}` is an array) and an embedded
 * one yields a string.
 */
export function evaluateTemplate(token: TemplateToken, scope: ExpressionScope): unknown {
  switch (token.templateTokenType) {
    case TokenType.String:
      return (token as StringToken).value;
    case TokenType.Number:
      return (token as NumberToken).value;
    case TokenType.Boolean:
      return (token as BooleanToken).value;
    case TokenType.Null:
      return null;
    case TokenType.BasicExpression:
      return evaluateExpression((token as BasicExpressionToken).expression, scope);
    case TokenType.Sequence:
      return [...(token as SequenceToken)].map((item) => evaluateTemplate(item, scope));
    case TokenType.Mapping:
      return evaluateMapping(token as MappingToken, scope);
    default:
      throw new GantryError(
        'GANTRY_EXPRESSION_FAILED',
        `${at(token)}\${{ insert }} is only allowed as a mapping key`,
      );
  }
}

function evaluateMapping(mapping: MappingToken, scope: ExpressionScope): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const { key, value } of mapping) {
    if (key.templateTokenType === TokenType.InsertExpression) {
      // `${{ insert }}: ${{ expr }}` splices the mapping the expression returns into this one.
      const inserted = evaluateTemplate(value, scope);
      if (!isPlainObject(inserted)) {
        throw new GantryError(
          'GANTRY_EXPRESSION_FAILED',
          `${at(value)}\${{ insert }} expects a mapping value`,
        );
      }
      entries.push(...Object.entries(inserted));
      continue;
    }
    entries.push([keyString(evaluateTemplate(key, scope)), evaluateTemplate(value, scope)]);
  }
  // Object.fromEntries keeps a key named "__proto__" as an ordinary key.
  return Object.fromEntries(entries);
}

/** Mapping keys are strings; an expression key is coerced with GitHub's string rules. */
function keyString(value: unknown): string {
  return typeof value === 'string' ? value : coerceToString(toExpressionData(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(token: TemplateToken): string {
  return token.line === undefined ? '' : `(Line: ${token.line}, Col: ${token.col ?? 0}): `;
}
