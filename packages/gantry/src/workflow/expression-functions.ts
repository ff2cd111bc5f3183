import { data, ExpressionEvaluationError } from '@actions/expressions';
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info';
import { toExpressionData } from './expression-data.js';

/**
 * The functions GitHub adds on top of the well-known ones (`contains`, `format`, `toJSON`, ...):
 * the status check functions and `hashFiles`. `@actions/expressions` leaves them to the host:
 * the parser takes their names and arity, the evaluator a map of implementations.
 */

/** Job or step status, as seen by `success()`, `failure()` and `cancelled()`. */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

/** What the scope offers; a function is only known to the parser when its implementation is given. */
export interface ExtensionSources {
  status?: StatusFunctions | undefined;
  hashFiles?: ((patterns: string[]) => string) | undefined;
}

export interface ExtensionFunctions {
  /** For `new Parser(tokens, contexts, infos)`. */
  infos: FunctionInfo[];
  /** For `new Evaluator(tree, contexts, definitions)`; keys are lower-case because the evaluator looks names up lower-cased. */
  definitions: Map<string, FunctionDefinition>;
}

// GitHub's expression engine caps every function at 255 parameters (the same cap `format` uses).
const MAX_ARGUMENTS = 255;

/**
 * Builds the extension functions for one evaluation.
 *
 * GitHub only allows the status functions in `if:` and `hashFiles` in step-level keys; elsewhere
 * they are "Unrecognized function" parse errors (the "Context availability" table in
 * https://docs.github.com/en/actions/reference/workflows-and-actions/contexts). Gantry follows
 * that by registering a function only when the caller supplies its implementation.
 */
export function extensionFunctions(sources: ExtensionSources): ExtensionFunctions {
  const list: FunctionDefinition[] = [];
  const status = sources.status;
  if (status) {
    list.push(
      statusFunction('success', () => status.success()),
      statusFunction('failure', () => status.failure()),
      statusFunction('cancelled', () => status.cancelled()),
      // "Causes the step to always execute, and returns true, even when canceled."
      statusFunction('always', () => true),
    );
  }
  const hashFiles = sources.hashFiles;
  if (hashFiles) {
    list.push({
      name: 'hashFiles',
      description: 'Returns a single hash for the set of files that matches the path pattern.',
      minArgs: 1,
      maxArgs: MAX_ARGUMENTS,
      // The runner converts every argument to a string before globbing (HashFilesFunction.cs).
      call: (...args) => new data.StringData(hashFiles(args.map((arg) => arg.coerceString()))),
    });
  }
  return {
    // fromJSON is well known to the parser; only its implementation is replaced (see below).
    infos: list.map(({ name, description, minArgs, maxArgs }) => ({
      name,
      description,
      minArgs,
      maxArgs,
    })),
    definitions: new Map(
      [...list, fromJson].map((definition) => [definition.name.toLowerCase(), definition]),
    ),
  };
}

function statusFunction(name: string, result: () => boolean): FunctionDefinition {
  return {
    name,
    description: `\`${name}()\` status check function`,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(result()),
  };
}

/**
 * `fromJSON` exactly as @actions/expressions implements it (same errors), except that objects are
 * built with newDictionary() so keys such as "constructor" survive. The evaluator prefers a
 * supplied implementation over its built-in one.
 */
const fromJson: FunctionDefinition = {
  name: 'fromJSON',
  minArgs: 1,
  maxArgs: 1,
  call: (...args) => {
    const text = args[0]?.coerceString() ?? '';
    if (text.trim() === '') throw new Error('empty input');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ExpressionEvaluationError('Error parsing JSON when evaluating fromJson', {
        cause: error,
      });
    }
    return toExpressionData(parsed);
  },
};
