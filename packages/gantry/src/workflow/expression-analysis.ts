import type { Expr } from '@actions/expressions';
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Literal,
  Logical,
  Unary,
} from '@actions/expressions/ast';
import { data } from '@actions/expressions';
import type { Token } from '@actions/expressions/lexer';

/**
 * Static checks over a parsed expression tree, done before evaluation.
 */

/** A problem found in the tree, with the token it points at (for "Located at position N"). */
export class ExpressionAnalysisError extends Error {
  readonly token: Token;

  constructor(message: string, token: Token) {
    super(message);
    this.name = 'ExpressionAnalysisError';
    this.token = token;
  }
}

/** Visits every node of the tree, depth first. */
export function walkExpression(node: Expr | undefined, visit: (node: Expr) => void): void {
  if (node === undefined) return;
  visit(node);
  if (node instanceof FunctionCall || node instanceof Logical) {
    for (const arg of node.args) walkExpression(arg, visit);
  } else if (node instanceof Binary) {
    walkExpression(node.left, visit);
    walkExpression(node.right, visit);
  } else if (node instanceof Unary) {
    walkExpression(node.expr, visit);
  } else if (node instanceof Grouping) {
    walkExpression(node.group, visit);
  } else if (node instanceof IndexAccess) {
    walkExpression(node.expr, visit);
    walkExpression(node.index, visit);
  }
}

/** The lower-cased names of the contexts the expression reads, so only those are converted. */
export function referencedContexts(tree: Expr | undefined): Set<string> {
  const names = new Set<string>();
  walkExpression(tree, (node) => {
    if (node instanceof ContextAccess) names.add(node.name.lexeme.toLowerCase());
  });
  return names;
}

/**
 * `format()` calls whose format string is a literal are checked when the expression is
 * parsed, as GitHub's expression package does (the shared vectors in `format.json` expect
 * "Invalid format string" and "Format string references {N} but only M argument(s)
 * provided" as parse errors). Every `${{ }}` embedded in a longer YAML string becomes such
 * a call, so this also catches mistakes before a job starts.
 */
export function validateFormatCalls(tree: Expr | undefined): void {
  walkExpression(tree, (node) => {
    if (!(node instanceof FunctionCall) || node.functionName.lexeme.toLowerCase() !== 'format')
      return;
    const first = node.args[0];
    if (!(first instanceof Literal) || first.literal.kind !== data.Kind.String) return;
    const maxIndex = maxPlaceholderIndex(first.literal.value);
    if (maxIndex === undefined) {
      throw new ExpressionAnalysisError(
        `Invalid format string: '${first.literal.value}'`,
        node.functionName,
      );
    }
    const supplied = node.args.length - 1;
    if (maxIndex >= supplied) {
      throw new ExpressionAnalysisError(
        `Format string references {${maxIndex}} but only ${supplied} argument(s) provided`,
        node.functionName,
      );
    }
  });
}

/**
 * Returns the highest `{N}` placeholder index (-1 when there is none), or undefined when the
 * string is malformed. Rules follow GitHub's `format`: `{{` and `}}` are escaped braces, a
 * placeholder is `{` digits `}`, and any other brace is an error.
 */
export function maxPlaceholderIndex(format: string): number | undefined {
  let max = -1;
  let i = 0;
  while (i < format.length) {
    const char = format[i];
    if (char === '{') {
      if (format[i + 1] === '{') {
        i += 2;
        continue;
      }
      const close = format.indexOf('}', i + 1);
      const digits = close < 0 ? '' : format.slice(i + 1, close);
      if (!/^[0-9]+$/.test(digits)) return undefined;
      max = Math.max(max, Number(digits));
      i = close + 1;
    } else if (char === '}') {
      if (format[i + 1] !== '}') return undefined;
      i += 2;
    } else {
      i += 1;
    }
  }
  return max;
}
