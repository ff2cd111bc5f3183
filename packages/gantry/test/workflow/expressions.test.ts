import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import {
  BasicExpressionToken,
  InsertExpressionToken,
  MappingToken,
  NumberToken,
  SequenceToken,
  StringToken,
  type TemplateToken,
} from '@actions/workflow-parser/templates/tokens/index';
import { describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import {
  evaluateCondition,
  evaluateExpression,
  evaluateTemplate,
  fromExpressionData,
  interpolate,
  toExpressionData,
  type ExpressionScope,
} from '../../src/workflow/expressions.js';

const status = (success: boolean, failure: boolean, cancelled = false) => ({
  success: () => success,
  failure: () => failure,
  cancelled: () => cancelled,
});

function errorOf(run: () => unknown): GantryError {
  try {
    run();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected a GantryError');
}

describe('evaluateExpression', () => {
  const scope: ExpressionScope = {
    contexts: {
      github: { ref: 'refs/heads/main', event: { labels: [{ name: 'a' }, { name: 'b' }] } },
    },
  };

  test('reads contexts case-insensitively and returns plain JS', () => {
    expect(evaluateExpression("GitHub.REF == 'REFS/HEADS/MAIN'", scope)).toBe(true);
    expect(evaluateExpression('github.event.labels.*.name', scope)).toEqual(['a', 'b']);
    expect(evaluateExpression('fromJSON(\'{"a":[1,null]}\')', scope)).toEqual({ a: [1, null] });
  });

  test('a GitHub context the caller did not provide reads as null; a property that is missing too', () => {
    expect(evaluateExpression('matrix', scope)).toBeNull();
    expect(evaluateExpression('matrix.os', scope)).toBeNull();
    expect(evaluateExpression('github.nope.deeper', scope)).toBeNull();
    expect(evaluateExpression('', scope)).toBeNull();
  });

  test('an unknown name is a parse error that names the expression and lists the contexts', () => {
    const error = errorOf(() => evaluateExpression('github.ref == main', scope));
    expect(error.code).toBe('GANTRY_EXPRESSION_INVALID');
    expect(error.message).toBe(
      "Unrecognized named-value: 'main'. Located at position 15 within expression: github.ref == main",
    );
    expect(error.hint).toContain('github, env, vars');
  });

  test('evaluation failures are GANTRY_EXPRESSION_FAILED', () => {
    const error = errorOf(() => evaluateExpression("fromJSON('{nope')", scope));
    expect(error.code).toBe('GANTRY_EXPRESSION_FAILED');
    expect(error.message).toContain("within expression: fromJSON('{nope')");
  });

  test('status functions exist only when the scope supplies a status', () => {
    const failed = { ...scope, status: status(false, true) };
    expect(evaluateExpression('success()', failed)).toBe(false);
    expect(evaluateExpression('FAILURE()', failed)).toBe(true);
    expect(evaluateExpression('cancelled()', failed)).toBe(false);
    expect(evaluateExpression('always()', { ...scope, status: status(false, false, true) })).toBe(
      true,
    );
    const error = errorOf(() => evaluateExpression('success()', scope));
    expect(error.code).toBe('GANTRY_EXPRESSION_INVALID');
    expect(error.message).toContain("Unrecognized function: 'success'");
  });

  test('hashFiles receives its arguments as strings and needs at least one', () => {
    const seen: string[][] = [];
    const withHash = { ...scope, hashFiles: (patterns: string[]) => (seen.push(patterns), 'abc') };
    expect(evaluateExpression("hashFiles('**/*.lock', 1, true)", withHash)).toBe('abc');
    expect(seen).toEqual([['**/*.lock', '1', 'true']]);
    expect(errorOf(() => evaluateExpression('hashFiles()', withHash)).message).toContain(
      'Too few parameters',
    );
    expect(errorOf(() => evaluateExpression("hashFiles('x')", scope)).code).toBe(
      'GANTRY_EXPRESSION_INVALID',
    );
  });

  test('a GantryError raised by hashFiles comes through unchanged, even from inside an index', () => {
    const boom = new GantryError('GANTRY_EXPRESSION_FAILED', 'hash failed');
    const failing = {
      ...scope,
      hashFiles: () => {
        throw boom;
      },
    };
    expect(errorOf(() => evaluateExpression("hashFiles('x')", failing))).toBe(boom);
    expect(errorOf(() => evaluateExpression("github[hashFiles('x')]", failing))).toBe(boom);
  });

  test('literal format strings are checked when parsed', () => {
    const error = errorOf(() => evaluateExpression("format('{0} {1}', 'a')", scope));
    expect(error.code).toBe('GANTRY_EXPRESSION_INVALID');
    expect(error.message).toContain('Format string references {1} but only 1 argument(s) provided');
  });
});

describe('string literals', () => {
  test("unescape every '' to one quote (the library unescapes only the first)", () => {
    const scope: ExpressionScope = { contexts: { github: { ref: 'refs/heads/main' } } };
    expect(evaluateExpression("'a''b''c'", scope)).toBe("a'b'c");
    // What GitHub's parser makes of `run: echo "${{ github.ref }} 'x' it's"`.
    expect(evaluateExpression("format('{0} ''x'' it''s', github.ref)", scope)).toBe(
      "refs/heads/main 'x' it's",
    );
  });
});

describe('evaluateCondition', () => {
  const scope: ExpressionScope = {
    contexts: { env: { EMPTY: '', ZERO: 0, WORD: 'false' } },
    status: status(true, false),
  };

  test('uses GitHub truthiness', () => {
    expect(evaluateCondition('env.EMPTY', scope)).toBe(false);
    expect(evaluateCondition('env.ZERO', scope)).toBe(false);
    expect(evaluateCondition('env.MISSING', scope)).toBe(false);
    expect(evaluateCondition('env.WORD', scope)).toBe(true); // the string 'false' is non-empty
    expect(evaluateCondition("fromJSON('[]')", scope)).toBe(true);
    expect(evaluateCondition('success() && !failure()', scope)).toBe(true);
  });

  test('accepts ${{ }}; text around it makes a non-empty string, which is true as on GitHub', () => {
    expect(evaluateCondition('  ${{ env.EMPTY }}  ', scope)).toBe(false);
    expect(evaluateCondition("${{ env.WORD }} == 'x'", scope)).toBe(true);
  });
});

describe('interpolate', () => {
  const scope: ExpressionScope = {
    contexts: {
      inputs: { none: null, yes: true, num: 1.5, obj: { a: 1 }, list: [1], name: 'Ann' },
    },
  };

  test('coerces results to strings like GitHub', () => {
    expect(interpolate('[${{ inputs.none }}|${{ inputs.yes }}|${{ inputs.num }}]', scope)).toBe(
      '[|true|1.5]',
    );
    expect(interpolate('${{ inputs.obj }} ${{ inputs.list }}', scope)).toBe('Object Array');
    expect(interpolate('${{ 1.50 }}', scope)).toBe('1.5');
  });

  test('keeps literal text, quotes and braces, and finds }} outside string literals only', () => {
    expect(interpolate("it's {x} ${{ inputs.name }}", scope)).toBe("it's {x} Ann");
    expect(interpolate("${{ '}}' }}!", scope)).toBe('}}!');
    expect(interpolate('no expressions {{ here }}', scope)).toBe('no expressions {{ here }}');
  });

  test('an unclosed or empty expression is invalid', () => {
    expect(errorOf(() => interpolate('a ${{ inputs.name', scope)).code).toBe(
      'GANTRY_EXPRESSION_INVALID',
    );
    expect(errorOf(() => interpolate('a ${{ }}', scope)).code).toBe('GANTRY_EXPRESSION_INVALID');
  });
});

describe('expression data conversion', () => {
  test('round-trips plain values and drops undefined properties', () => {
    const value = { a: [1, 'x', true, null], nested: { b: -2.5 }, gone: undefined };
    expect(fromExpressionData(toExpressionData(value))).toEqual({
      a: [1, 'x', true, null],
      nested: { b: -2.5 },
    });
    expect(Object.keys(fromExpressionData(toExpressionData(value)) as object)).toEqual([
      'a',
      'nested',
    ]);
  });

  test('keeps "__proto__" and "constructor" keys as data (the package alone drops them)', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as unknown;
    const back = fromExpressionData(toExpressionData(value)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'constructor']);
    const scope = { contexts: { github: { event: { constructor: 'c' } } } };
    expect(evaluateExpression('github.event.constructor', scope)).toBe('c');
    expect(evaluateExpression(`fromJSON('{"constructor": 1, "a": 2}')`, scope)).toEqual({
      constructor: 1,
      a: 2,
    });
    expect(errorOf(() => evaluateExpression("fromJSON('  ')", scope)).message).toContain(
      'empty input',
    );
  });
});

describe('evaluateTemplate', () => {
  const scope: ExpressionScope = { contexts: { matrix: { os: 'linux', list: [1, 2] } } };
  const str = (value: string) => new StringToken(undefined, undefined, value, undefined);
  const expr = (expression: string) =>
    new BasicExpressionToken(undefined, undefined, expression, undefined, undefined, undefined);

  test('walks mappings and sequences; whole expressions keep their type', () => {
    const mapping = new MappingToken(undefined, undefined, undefined);
    mapping.add(str('name'), expr("format('build-{0}', matrix.os)"));
    mapping.add(str('list'), expr('matrix.list'));
    const seq = new SequenceToken(undefined, undefined, undefined);
    seq.add(new NumberToken(undefined, undefined, 3, undefined));
    seq.add(expr('matrix.os'));
    mapping.add(expr("format('k-{0}', matrix.os)"), seq);
    expect(evaluateTemplate(mapping, scope)).toEqual({
      name: 'build-linux',
      list: [1, 2],
      'k-linux': [3, 'linux'],
    });
  });

  test('${{ insert }} splices a mapping in', () => {
    const mapping = new MappingToken(undefined, undefined, undefined);
    mapping.add(str('a'), str('1'));
    mapping.add(
      new InsertExpressionToken(undefined, undefined, undefined),
      expr('fromJSON(\'{"b":2}\')'),
    );
    expect(evaluateTemplate(mapping, scope)).toEqual({ a: '1', b: 2 });
  });

  test('evaluates env from a real parsed workflow, where embedded ${{ }} became format()', () => {
    const source = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    env:',
      '      OS: ${{ matrix.os }}',
      '      LABEL: os=${{ matrix.os }} n=${{ matrix.list[1] }}',
      '      PLAIN: "{literal}"',
      '    steps:',
      '      - run: echo',
    ].join('\n');
    const parsed = parseWorkflow({ name: 'w.yml', content: source }, new NoOperationTraceWriter());
    const env = find(find(find(parsed.value, 'jobs'), 'build'), 'env');
    expect(evaluateTemplate(env, scope)).toEqual({
      OS: 'linux',
      LABEL: 'os=linux n=2',
      PLAIN: '{literal}',
    });
  });
});

function find(token: TemplateToken | undefined, key: string): TemplateToken {
  const found = token instanceof MappingToken ? token.find(key) : undefined;
  if (!found) throw new Error(`no ${key}`);
  return found;
}
