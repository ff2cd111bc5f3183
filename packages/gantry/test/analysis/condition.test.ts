import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition, type ResultValue } from '../../src/analysis/index.js';
import { isGantryError } from '../../src/errors/index.js';

const check = (text: string, result: ResultValue | undefined) =>
  evaluateCondition(parseCondition(text), result);

/** The error a function throws, for asserting on its code and message. */
function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isGantryError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('conditions', () => {
  it.each<[string, ResultValue | undefined, boolean]>([
    ['result < 0.05', 0.01, true],
    ['result < 0.05', 0.31, false],
    ['result <= 0.05', 0.05, true],
    ['result > 100', 150, true],
    ['result >= 0.95', 0.95, true],
    ['result == 0', 0, true],
    ['result != 0', 0, false],
    ['result[0] >= 0.95', [0.97, 0.1], true],
    ['result[1] >= 0.95', [0.97, 0.1], false],
    ['len(result) == 0', [], true],
    ['len(result) == 2', [1, 2], true],
    ['len(result) == 0 || result[0] < 0.05', [], true],
    ['result * 100 < 5', 0.04, true],
    ['result / 2 + 1 == 1.5', 1, true],
    ['1 + 2 * 3 == 7', 0, true],
    ['(1 + 2) * 3 == 9', 0, true],
    ['-result < 0', 3, true],
    ['result < 1e-3', 0.0005, true],
    ['result < .5', 0.25, true],
    ['result > 0 && result < 1', 0.5, true],
    ['result > 0 and result < 1', 1.5, false],
    ['result < 0 || result > 1', 1.5, true],
    ['result < 0 or result > 1', 0.5, false],
    ['!(result > 5)', 3, true],
    ['not (result > 5)', 3, true],
    ['!isNaN(result) == true', 1, true],
    // && binds tighter than ||, as in expr and every C-like language.
    ['true || false && false', 0, true],
    ['(true || false) && false', 0, false],
  ])('%s with %j is %s', (text, result, expected) => {
    expect(check(text, result)).toBe(expected);
  });

  it.each<[string, ResultValue | undefined, boolean]>([
    // No traffic: 0/0 is NaN, and every ordered comparison with NaN is false...
    ['result < 0.05', NaN, false],
    ['result >= 0.05', NaN, false],
    ['result == 0', NaN, false],
    // ...while != is the negation of ==, as in Go (so in Argo Rollouts).
    ['result != 0', NaN, true],
    ['isNaN(result)', NaN, true],
    ['isNaN(result) || result < 0.05', NaN, true],
    ['isNaN(result[0])', [NaN], true],
    ['isNaN(result)', 0.1, false],
    ['isInf(result)', Infinity, true],
    ['isInf(result[0])', [-Infinity], true],
    ['isInf(result)', 1e308, false],
    ['result[0] > 1000', [Infinity], true],
    // An empty vector: indexing past the end is a missing value, which behaves as NaN.
    ['result[0] < 0.05', [], false],
    ['result[0] >= 0.05', [], false],
    ['isNaN(result[0])', [], true],
    ['isInf(result[0])', [], false],
    ['default(result[0], 0) < 0.05', [], true],
    ['default(result[0], 0) < 0.05', [NaN], true],
    ['default(result[0], 0) < 0.05', [0.3], false],
    ['default(result, 0) == 0', NaN, true],
    ['default(result, 7) == 3', 3, true],
    ['len(default(result, result)) == 0', [], true],
    ['result[-1] < 1', [0], false],
    ['result[0.5] < 1', [0], false],
  ])('edge: %s with %j is %s', (text, result, expected) => {
    expect(check(text, result)).toBe(expected);
  });

  it.each<[string, string]>([
    ['', 'the condition is empty at column 1'],
    ['result <', 'the condition ends too early at column 9'],
    ['result < 0.05 &&', 'the condition ends too early at column 17'],
    ['result = 1', "'=' assigns nothing here: compare with '==' at column 8"],
    ['result < 1 & result > 0', "use '&&' or 'and' at column 12"],
    ['result < 1 | 2', "use '||' or 'or' at column 12"],
    [
      'reslt < 0.05',
      "unknown name 'reslt' (known: result, len, isNaN, isInf, default) at column 1",
    ],
    [
      'result < threshold',
      "unknown name 'threshold' (known: result, len, isNaN, isInf, default) at column 10",
    ],
    [
      'size(result) > 0',
      "unknown name 'size' (known: result, len, isNaN, isInf, default) at column 1",
    ],
    ['len > 0', "'len' is a function: write len(...) at column 1"],
    ['isNaN(result, 1)', 'isNaN() takes 1 argument, not 2 at column 1'],
    ['default(result) > 0', 'default() takes 2 arguments, not 1 at column 1'],
    ['(result < 1', 'the condition ends too early at column 12'],
    ['result < 1)', "unexpected ')' at column 11"],
    ['result[0 < 1', "unexpected '<' at column 10"],
    ['result < 1 result', "unexpected 'result' at column 12"],
    ['0 < result < 1', "comparisons do not chain: join them with '&&' at column 12"],
    [
      'result',
      'a condition must be true or false: compare the value, e.g. result[0] < 0.05 at column 1',
    ],
    [
      'result[0] * 2',
      'a condition must be true or false: compare the value, e.g. result[0] < 0.05 at column 1',
    ],
    [
      '!result > 5',
      "'!' needs true or false, not a number (compare first; wrap it in parentheses) at column 2",
    ],
    [
      'result && true',
      "'&&' needs true or false, not a number (compare first; wrap it in parentheses) at column 1",
    ],
    ['(result < 1) + 1 > 0', "'+' needs a number, not true or false at column 2"],
    ['result < true', "'<' needs a number, not true or false at column 10"],
    ['5[0] > 1', 'only `result` (a list) can be indexed at column 2'],
    ['result < "x"', `unexpected '"' at column 10`],
    ['result < 5x', "unexpected 'x' at column 11"],
    ['result > 0; true', "unexpected ';' at column 11"],
  ])('rejects %j: %s', (text, why) => {
    const error = thrown(() => parseCondition(text));
    expect(error.code).toBe('GANTRY_ANALYSIS_CONDITION_INVALID');
    expect(error.message).toBe(`condition "${text}": ${why}`);
  });

  it.each<[string, ResultValue, string]>([
    // Argo: a Prometheus vector needs an index; comparing the whole list is an error.
    [
      'result < 0.05',
      [0.3],
      'result is a list of 1 value here, not one number: pick one, e.g. result[0] at column 1',
    ],
    [
      'isNaN(result)',
      [1, 2],
      'result is a list of 2 values here, not one number: pick one, e.g. result[0] at column 7',
    ],
    ['result[0] < 1', 0.3, 'result is a single number here, not a list: drop the [0] at column 1'],
    ['len(result) > 0', 0.3, 'len() needs a list, but result is a single number here at column 5'],
  ])('%j with %j cannot be evaluated: %s', (text, result, why) => {
    const condition = parseCondition(text);
    const error = thrown(() => evaluateCondition(condition, result));
    expect(error.code).toBe('GANTRY_ANALYSIS_CONDITION_INVALID');
    expect(error.message).toBe(`condition "${text}": ${why}`);
  });

  it('short-circuits, so a guard protects the rest of the condition', () => {
    // Without short-circuiting, `result[0]` on a number would throw.
    expect(check('len(result) == 0 || result[0] < 1', [])).toBe(true);
    expect(check('isNaN(result) || result < 0.05', NaN)).toBe(true);
    expect(check('false && result[0] < 1', 3)).toBe(false);
  });

  it('never evaluates JavaScript', () => {
    for (const text of [
      'process.exit(1)',
      'constructor.constructor("x")()',
      'this',
      'globalThis',
    ]) {
      expect(thrown(() => parseCondition(text)).code).toBe('GANTRY_ANALYSIS_CONDITION_INVALID');
    }
  });
});
