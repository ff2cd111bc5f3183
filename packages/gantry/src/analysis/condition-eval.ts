import { GantryError } from '../errors/index.js';
import { conditionHint, type Condition, type ConditionNode } from './condition.js';

/** What a provider measured: one number (local), or one number per series (Prometheus). */
export type ResultValue = number | readonly number[];

type Value = number | boolean | readonly number[] | undefined;

/**
 * Evaluates a parsed condition against a measurement.
 *
 * Float semantics follow Go (and so Argo Rollouts): `NaN < x`, `NaN > x` and `NaN == x` are
 * false and `NaN != x` is true, so with no traffic (an error rate of 0/0) neither
 * `result < 0.05` nor `result >= 0.05` matches and the measurement is inconclusive.
 * A missing value (`result[0]` of an empty Prometheus vector) behaves as NaN, which lets
 * `default(result[0], 0)` and `isNaN(result[0])` handle "no series at all".
 *
 * Using a list where one number is needed (`result < 0.05` on a Prometheus vector) throws
 * GANTRY_ANALYSIS_CONDITION_INVALID; the runner records it as an error measurement, as Argo does.
 */
export function evaluateCondition(condition: Condition, result: ResultValue | undefined): boolean {
  const fail = (why: string, at: number): never => {
    throw new GantryError(
      'GANTRY_ANALYSIS_CONDITION_INVALID',
      `condition "${condition.text}": ${why} at column ${at + 1}`,
      { hint: conditionHint },
    );
  };
  const name = (node: ConditionNode) => (node.type === 'result' ? 'result' : 'the value');

  const number = (node: ConditionNode): number => {
    const v = value(node);
    if (v === undefined) return NaN;
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return fail('expected a number, not true or false', node.at);
    return fail(
      `${name(node)} is a list of ${v.length} value${v.length === 1 ? '' : 's'} here, not one number: pick one, e.g. result[0]`,
      node.at,
    );
  };
  const boolean = (node: ConditionNode): boolean => {
    const v = value(node);
    return typeof v === 'boolean' ? v : fail('expected true or false', node.at);
  };
  const list = (node: ConditionNode, fn: string): readonly number[] | undefined => {
    const v = value(node);
    if (v === undefined || Array.isArray(v)) return v as readonly number[] | undefined;
    return fail(`${fn} needs a list, but ${name(node)} is a single number here`, node.at);
  };
  const missing = (v: Value) =>
    v === undefined ||
    (typeof v === 'number' && Number.isNaN(v)) ||
    (Array.isArray(v) && v.length === 0);

  const value = (node: ConditionNode): Value => {
    switch (node.type) {
      case 'number':
      case 'boolean':
        return node.value;
      case 'result':
        return result;
      case 'index': {
        const target = value(node.target);
        const index = number(node.index);
        if (typeof target === 'number')
          fail(
            `${name(node.target)} is a single number here, not a list: drop the [${index}]`,
            node.at,
          );
        if (!Array.isArray(target)) return undefined;
        // Past the end is a missing value, not an error: an empty vector means "no data yet".
        return Number.isInteger(index) && index >= 0
          ? (target as readonly number[])[index]
          : undefined;
      }
      case 'call': {
        const [first, second] = node.args as [ConditionNode, ConditionNode];
        switch (node.fn) {
          case 'len':
            return list(first, 'len()')?.length ?? 0;
          case 'isNaN':
            return Number.isNaN(number(first));
          case 'isInf':
            return Math.abs(number(first)) === Infinity;
          case 'default': {
            const v = value(first);
            return missing(v) ? value(second) : v;
          }
        }
        break;
      }
      case 'unary':
        if (node.op === '!') return !boolean(node.operand);
        return node.op === '-' ? -number(node.operand) : number(node.operand);
      case 'binary':
        return binary(node);
    }
    return undefined;
  };

  const binary = (node: Extract<ConditionNode, { type: 'binary' }>): Value => {
    const { op, left, right } = node;
    if (op === '&&') return boolean(left) && boolean(right);
    if (op === '||') return boolean(left) || boolean(right);
    if ((op === '==' || op === '!=') && typeof value(left) === 'boolean') {
      return (boolean(left) === boolean(right)) === (op === '==');
    }
    const a = number(left);
    const b = number(right);
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
      case '==':
        return a === b;
      case '!=':
        return a !== b;
    }
  };

  return boolean(condition.root);
}
