import { GantryError } from '../errors/index.js';
import { tokenize, type Operator, type Token } from './condition-lexer.js';

/**
 * A parsed `successCondition` / `failureCondition`: Argo Rollouts' expr subset that analysis
 * templates use (`result[0] < 0.05`, `isNaN(result) || result >= 0.95`, `len(result) == 0`).
 * Hand-parsed, never eval'd: the text comes from a config file.
 */
export interface Condition {
  readonly text: string;
  readonly root: ConditionNode;
}

export type FunctionName = 'len' | 'isNaN' | 'isInf' | 'default';
export type BinaryOperator = Exclude<Operator, '(' | ')' | '[' | ']' | ',' | '!'>;

/** `at` is the 0-based offset where the node starts in the text, for messages. */
export type ConditionNode =
  | { readonly type: 'number'; readonly value: number; readonly at: number }
  | { readonly type: 'boolean'; readonly value: boolean; readonly at: number }
  | { readonly type: 'result'; readonly at: number }
  | {
      readonly type: 'index';
      readonly target: ConditionNode;
      readonly index: ConditionNode;
      readonly at: number;
    }
  | {
      readonly type: 'call';
      readonly fn: FunctionName;
      readonly args: readonly ConditionNode[];
      readonly at: number;
    }
  | {
      readonly type: 'unary';
      readonly op: '!' | '-' | '+';
      readonly operand: ConditionNode;
      readonly at: number;
    }
  | {
      readonly type: 'binary';
      readonly op: BinaryOperator;
      readonly left: ConditionNode;
      readonly right: ConditionNode;
      readonly at: number;
    };

export const conditionHint =
  'a condition compares `result` (a number, or a list from Prometheus: result[0]) with numbers, e.g. ' +
  '`result[0] < 0.05 || isNaN(result[0])`; functions: len, isNaN, isInf, default; operators: ' +
  '+ - * / < <= > >= == != && || ! and or not';

const arity: Readonly<Record<FunctionName, number>> = { len: 1, isNaN: 1, isInf: 1, default: 2 };
const comparisons = ['<', '<=', '>', '>=', '==', '!='] as const;

/**
 * What a node evaluates to, known before any measurement: type mistakes such as
 * `!result > 5` or `result[0] && 1` are reported with a column when the config is loaded,
 * not as error measurements in the middle of a rollout.
 */
function kindOf(node: ConditionNode): 'boolean' | 'number' | 'value' {
  switch (node.type) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'index':
      return 'number';
    case 'result':
      return 'value';
    case 'call':
      if (node.fn === 'isNaN' || node.fn === 'isInf') return 'boolean';
      if (node.fn === 'len') return 'number';
      return node.args.every((a) => kindOf(a) === 'number') ? 'number' : 'value';
    case 'unary':
      return node.op === '!' ? 'boolean' : 'number';
    case 'binary':
      return ['+', '-', '*', '/'].includes(node.op) ? 'number' : 'boolean';
  }
}

/** Parses a condition; a mistake is GANTRY_ANALYSIS_CONDITION_INVALID with its column. */
export function parseCondition(text: string): Condition {
  const fail = (why: string, at: number): never => {
    throw new GantryError(
      'GANTRY_ANALYSIS_CONDITION_INVALID',
      `condition "${text}": ${why} at column ${at + 1}`,
      { hint: conditionHint },
    );
  };
  if (text.trim() === '') fail('the condition is empty', 0);
  const tokens = tokenize(text, fail);
  let i = 0;
  const peek = (): Token => tokens[i] ?? { kind: 'end', at: text.length };
  const opAt = <O extends Operator>(...ops: readonly O[]): O | undefined => {
    const t = peek();
    return t.kind === 'op' && (ops as readonly Operator[]).includes(t.op) ? (t.op as O) : undefined;
  };
  const unexpected = (t: Token): never =>
    fail(
      t.kind === 'end'
        ? 'the condition ends too early'
        : `unexpected '${t.kind === 'op' ? t.op : t.kind === 'name' ? t.name : t.value}'`,
      t.at,
    );
  const expect = (op: Operator) => {
    if (opAt(op) === undefined) unexpected(peek());
    i += 1;
  };
  const needBoolean = (node: ConditionNode, op: string): ConditionNode => {
    if (kindOf(node) !== 'boolean')
      fail(
        `'${op}' needs true or false, not a number (compare first; wrap it in parentheses)`,
        node.at,
      );
    return node;
  };
  const needNumber = (node: ConditionNode, op: string): ConditionNode => {
    if (kindOf(node) === 'boolean') fail(`'${op}' needs a number, not true or false`, node.at);
    return node;
  };

  const logical = (op: '||' | '&&', next: () => ConditionNode) => (): ConditionNode => {
    let left = next();
    while (opAt(op)) {
      i += 1;
      const right = needBoolean(next(), op);
      left = { type: 'binary', op, left: needBoolean(left, op), right, at: left.at };
    }
    return left;
  };
  const comparison = (): ConditionNode => {
    const left = additive();
    const op = opAt(...comparisons);
    if (op === undefined) return left;
    const { at } = left;
    i += 1;
    const right = additive();
    if (opAt(...comparisons)) fail("comparisons do not chain: join them with '&&'", peek().at);
    const booleans = kindOf(left) === 'boolean';
    if ((op === '==' || op === '!=') && booleans === (kindOf(right) === 'boolean'))
      return { type: 'binary', op, left, right, at };
    return { type: 'binary', op, left: needNumber(left, op), right: needNumber(right, op), at };
  };
  const arithmetic =
    (ops: ('+' | '-' | '*' | '/')[], next: () => ConditionNode) => (): ConditionNode => {
      let left = next();
      for (let op = opAt(...ops); op !== undefined; op = opAt(...ops)) {
        i += 1;
        const right = needNumber(next(), op);
        left = { type: 'binary', op, left: needNumber(left, op), right, at: left.at };
      }
      return left;
    };
  const unary = (): ConditionNode => {
    const op = opAt('!', '-', '+');
    if (op === undefined) return postfix();
    const at = peek().at;
    i += 1;
    const operand = unary();
    if (op === '!') return { type: 'unary', op, operand: needBoolean(operand, op), at };
    return { type: 'unary', op, operand: needNumber(operand, op), at };
  };
  const postfix = (): ConditionNode => {
    let node = primary();
    while (opAt('[')) {
      if (kindOf(node) !== 'value') fail('only `result` (a list) can be indexed', peek().at);
      i += 1;
      // An index is arithmetic at most; a comparison here means a missing ']'.
      const index = needNumber(additive(), '[');
      expect(']');
      node = { type: 'index', target: node, index, at: node.at };
    }
    return node;
  };
  const primary = (): ConditionNode => {
    const t = peek();
    i += 1;
    if (t.kind === 'number') return { type: 'number', value: t.value, at: t.at };
    if (t.kind === 'op' && t.op === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (t.kind !== 'name') return unexpected(t);
    if (t.name === 'result') return { type: 'result', at: t.at };
    if (t.name === 'true' || t.name === 'false')
      return { type: 'boolean', value: t.name === 'true', at: t.at };
    if (!(t.name in arity))
      fail(`unknown name '${t.name}' (known: result, len, isNaN, isInf, default)`, t.at);
    const fn = t.name as FunctionName;
    if (opAt('(') === undefined) fail(`'${fn}' is a function: write ${fn}(...)`, t.at);
    i += 1;
    const args: ConditionNode[] = [];
    while (opAt(')') === undefined) {
      if (args.length > 0) expect(',');
      args.push(needNumber(or(), fn));
    }
    i += 1;
    if (args.length !== arity[fn])
      fail(
        `${fn}() takes ${arity[fn]} argument${arity[fn] === 1 ? '' : 's'}, not ${args.length}`,
        t.at,
      );
    return { type: 'call', fn, args, at: t.at };
  };
  const multiplicative = arithmetic(['*', '/'], unary);
  const additive = arithmetic(['+', '-'], multiplicative);
  const and = logical('&&', comparison);
  const or = logical('||', and);

  const root = or();
  if (peek().kind !== 'end') unexpected(peek());
  if (kindOf(root) !== 'boolean')
    fail('a condition must be true or false: compare the value, e.g. result[0] < 0.05', root.at);
  return { text, root };
}
