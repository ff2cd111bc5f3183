import { Evaluator, Lexer, Parser, data, ExpressionError, type Expr } from '@actions/expressions';
import type { FunctionInfo } from '@actions/expressions/funcs/info';
import { GantryError } from '../errors/index.js';
import {
  ExpressionAnalysisError,
  referencedContexts,
  validateFormatCalls,
} from './expression-analysis.js';
import { fromExpressionData, newDictionary, toExpressionData } from './expression-data.js';
import { extensionFunctions, type StatusFunctions } from './expression-functions.js';

/**
 * Evaluates GitHub Actions `${{ }}` expressions with `@actions/expressions`, GitHub's own
 * TypeScript implementation of the language
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions).
 */
export interface ExpressionScope {
  /** Plain JS values by context name: github, env, vars, secrets, inputs, matrix, steps, ... */
  contexts: Record<string, unknown>;
  /** Makes success(), failure(), cancelled() and always() available (GitHub allows them in `if:` only). */
  status?: StatusFunctions;
  /** Makes hashFiles() available (GitHub allows it in step-level keys only). */
  hashFiles?: (patterns: string[]) => string;
}

/**
 * GitHub's named contexts. Any of them may be referenced even when the caller did not provide it;
 * it then reads as null, like `matrix` in a job without a matrix.
 */
export const KNOWN_CONTEXTS = [
  'github',
  'env',
  'vars',
  'secrets',
  'inputs',
  'matrix',
  'strategy',
  'needs',
  'steps',
  'job',
  'jobs',
  'runner',
] as const;

/** Evaluates one expression (without `${{ }}`) and returns plain JS. An empty expression is null. */
export function evaluateExpression(expression: string, scope: ExpressionScope): unknown {
  return fromExpressionData(evaluateData(expression, scope));
}

/** Evaluates an expression to expression data, for callers that need GitHub's coercions. */
export function evaluateData(expression: string, scope: ExpressionScope): data.ExpressionData {
  const functions = extensionFunctions(scope);
  const contextNames = [...new Set([...KNOWN_CONTEXTS, ...Object.keys(scope.contexts)])];
  const { tree, referenced } = parseCached(expression, contextNames, functions.infos);
  if (tree === undefined) return new data.Null();

  // Only the contexts the expression reads are converted; `github.event` can be large.
  const contexts = newDictionary();
  for (const [name, value] of Object.entries(scope.contexts)) {
    if (referenced.has(name.toLowerCase())) contexts.add(name, toExpressionData(value));
  }
  for (const name of referenced) {
    if (contexts.get(name) === undefined) contexts.add(name, new data.Null());
  }

  try {
    return new Evaluator(tree, contexts, functions.definitions).evaluate();
  } catch (error) {
    const own = findGantryError(error);
    if (own) throw own;
    const message = error instanceof Error ? error.message : String(error);
    throw new GantryError(
      'GANTRY_EXPRESSION_FAILED',
      `${message}. Located within expression: ${expression}`,
      {
        cause: error,
      },
    );
  }
}

// Parsed trees, keyed by what the parse depends on: the same `success()` or
// `matrix.os` is evaluated for every step and leg, and parsing dominates evaluation.
const parsed = new Map<string, { tree: Expr | undefined; referenced: Set<string> }>();
const MAX_PARSED = 10_000;

function parseCached(expression: string, contextNames: string[], functions: FunctionInfo[]) {
  const key = `${functions.map((f) => f.name).join(',')}|${contextNames.join(',')}|${expression}`;
  let entry = parsed.get(key);
  if (entry === undefined) {
    const tree = parseExpression(expression, contextNames, functions);
    entry = { tree, referenced: referencedContexts(tree) };
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, entry);
  }
  return entry;
}

/**
 * A string literal's `''` is one quote. @actions/expressions 0.3.61 unescapes only the first
 * `''` of a literal, so `'it''s ''x'''` read as `it's ''x''` — and a `run:` with `${{ }}` and
 * quotes around it (which GitHub's parser turns into `format('... ''x'' ...', ...)`) printed
 * doubled quotes. The value is taken again from the lexeme.
 */
function unescapeStrings(tokens: ReturnType<Lexer['lex']>['tokens']): void {
  for (const token of tokens) {
    if (
      typeof token.value === 'string' &&
      token.lexeme.startsWith("'") &&
      token.lexeme.endsWith("'")
    )
      (token as { value: unknown }).value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  }
}

function parseExpression(
  expression: string,
  contextNames: string[],
  functions: FunctionInfo[],
): Expr | undefined {
  try {
    const { tokens } = new Lexer(expression).lex();
    unescapeStrings(tokens);
    const tree = new Parser(tokens, contextNames, functions).parse() as Expr | undefined;
    validateFormatCalls(tree);
    return tree;
  } catch (error) {
    // The lexer's own errors already carry "Located at position N within expression: ...".
    let message = error instanceof Error ? error.message : String(error);
    const column =
      error instanceof ExpressionError
        ? error.pos.column
        : error instanceof ExpressionAnalysisError
          ? error.token.range.start.column
          : undefined;
    if (column !== undefined)
      message = `${message}. Located at position ${column + 1} within expression: ${expression}`;
    throw new GantryError('GANTRY_EXPRESSION_INVALID', message, {
      cause: error,
      hint: hintFor(message, contextNames),
    });
  }
}

function hintFor(message: string, contextNames: string[]): string | undefined {
  if (message.startsWith('Unrecognized named-value')) {
    return `Contexts available here: ${contextNames.join(', ')}. Strings need single quotes: 'text'.`;
  }
  if (message.startsWith('Unrecognized function')) {
    return 'success(), failure(), cancelled() and always() only work in `if:` conditions; hashFiles() only in step keys.';
  }
  return undefined;
}

/** Errors raised by our own functions (hashFiles) may come back wrapped by the evaluator. */
function findGantryError(error: unknown): GantryError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof GantryError) return current;
    current = current.cause;
  }
  return undefined;
}
