import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { evaluateExpression } from '../../src/workflow/expressions.js';

/**
 * GitHub's cross-language expression vectors (actions/languageservices, expressions/testdata),
 * run through Gantry's evaluateExpression exactly as expressions/src/xlang.test.ts runs them
 * through the package: contexts come from the case, the named contexts are the only
 * extension contexts, no extension functions are registered, and
 *   - `result` cases compare the kind and the JSON of the value,
 *   - `err` cases expect the message to contain the given text; lexing and parsing errors
 *     are GANTRY_EXPRESSION_INVALID, evaluation errors GANTRY_EXPRESSION_FAILED.
 *
 * Differences from xlang.test.ts, none of which changes what a vector checks:
 * - GitHub's named contexts (github, env, ...) are always known to Gantry, so a case may
 *   reference more names than it lists; no vector expects those names to be unknown.
 * - Results come back as plain JS, so the kind is derived from the JS type.
 */

interface VectorCase {
  expr: string;
  contexts?: Record<string, unknown>;
  result?: { kind: string; value: unknown };
  err?: { kind: 'lexing' | 'parsing' | 'evaluation'; value: string };
  options?: { skip?: string[] };
}

const vectorsDir = fileURLToPath(new URL('../vectors/expressions/', import.meta.url));
const files = readdirSync(vectorsDir).sort();
const jsonFiles = files.filter((file) => extname(file) === '.json');
const suites = jsonFiles.map((file) => ({
  name: basename(file, '.json'),
  categories: JSON.parse(readFileSync(join(vectorsDir, file), 'utf8')) as Record<
    string,
    VectorCase[]
  >,
}));
const allCases = suites.flatMap((suite) => Object.values(suite.categories).flat());

describe('expression vectors: the directory', () => {
  test('holds only the vector files, their licence and the README', () => {
    // xlang.test.ts rejects sub-directories and non-JSON files; LICENSE and README.md are ours.
    for (const file of files) {
      expect(statSync(join(vectorsDir, file)).isDirectory()).toBe(false);
      expect(file.endsWith('.json') || file === 'LICENSE' || file === 'README.md').toBe(true);
    }
    expect(jsonFiles).toHaveLength(14);
  });

  test('runs every vector: 485 cases, none marked to skip for TypeScript', () => {
    expect(allCases).toHaveLength(485);
    // xlang.test.ts drops cases whose options.skip lists "typescript"; there are none today,
    // and if a future copy adds some, this fails instead of silently dropping them.
    expect(allCases.filter((c) => c.options?.skip?.includes('typescript'))).toEqual([]);
  });

  test('the only empty category is the coerce_boolean placeholder, which xlang.test.ts skips too', () => {
    const empty = suites.flatMap((suite) =>
      Object.entries(suite.categories)
        .filter(([, cases]) => cases.length === 0)
        .map(([category]) => `${suite.name}/${category}`),
    );
    // coerce_boolean.json only points at an operator_not.json the repository does not contain.
    expect(empty).toEqual(['coerce_boolean/refer ./operator_not.json']);
  });
});

for (const suite of suites) {
  const categories = Object.entries(suite.categories).filter(([, cases]) => cases.length > 0);
  if (categories.length === 0) continue; // asserted above: only the coerce_boolean placeholder
  describe(`expression vectors: ${suite.name}`, () => {
    for (const [category, cases] of categories) {
      test.each(cases)(`${category}: $expr`, (vector) => {
        const scope = { contexts: vector.contexts ?? {} };
        if (vector.err) {
          const error = catchError(() => evaluateExpression(vector.expr, scope));
          expect(error).toBeInstanceOf(GantryError);
          const expectedCode =
            vector.err.kind === 'evaluation'
              ? 'GANTRY_EXPRESSION_FAILED'
              : 'GANTRY_EXPRESSION_INVALID';
          expect((error as GantryError).code).toBe(expectedCode);
          expect((error as GantryError).message).toContain(vector.err.value);
          return;
        }
        const actual = evaluateExpression(vector.expr, scope);
        expect(kindOf(actual)).toBe(vector.result?.kind);
        expect(JSON.stringify(actual)).toEqual(JSON.stringify(vector.result?.value));
      });
    }
  });
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return new Error('expected an error, but the expression evaluated');
}

/** The kind names the vectors use (kindStr in @actions/expressions). */
function kindOf(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'boolean':
      return 'Boolean';
    case 'number':
      return 'Number';
    case 'string':
      return 'String';
    default:
      return 'Object';
  }
}
