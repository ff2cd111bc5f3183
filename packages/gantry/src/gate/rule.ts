import { GantryError } from '../errors/index.js';

/**
 * A gate rule: one comparison of a metric with a number, e.g. `coverage.lines >= 80`,
 * `backend.findings.medium_plus == 0`, `size['frontend/dist'].delta_pct < 5`. One comparison
 * per rule keeps every row of the gate table a single value against a single threshold.
 */
export interface Rule {
  /** The rule as written. */
  readonly text: string;
  /** The metric path: `['coverage', 'lines', 'delta']`, `['size', 'frontend/dist', 'bytes']`. */
  readonly path: readonly string[];
  readonly op: Comparison;
  readonly threshold: number;
}

export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

const comparisons: readonly Comparison[] = ['==', '!=', '<=', '>=', '<', '>'];

/** Parses a rule; a mistake is GANTRY_GATE_EXPRESSION_INVALID pointing at the position. */
export function parseRule(text: string): Rule {
  let at = 0;
  const fail = (why: string): never => {
    throw new GantryError(
      'GANTRY_GATE_EXPRESSION_INVALID',
      `gate rule "${text}": ${why} at column ${at + 1}`,
      {
        hint: 'a rule compares one metric with a number, e.g. coverage.lines >= 80 or findings.high == 0',
      },
    );
  };
  const skipSpaces = () => {
    while (text[at] === ' ' || text[at] === '\t') at += 1;
  };
  const path: string[] = [];
  skipSpaces();
  for (;;) {
    if (text[at] === '[') {
      at += 1;
      skipSpaces();
      const quote = text[at];
      if (quote !== "'" && quote !== '"') fail("expected a quoted name after '['");
      const close = text.indexOf(quote as string, at + 1);
      if (close === -1) fail('unterminated quoted name');
      path.push(text.slice(at + 1, close));
      at = close + 1;
      skipSpaces();
      if (text[at] !== ']') fail("expected ']'");
      at += 1;
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(at));
      if (!match) fail(path.length === 0 ? 'expected a metric name' : 'expected a name');
      path.push(match?.[0] ?? '');
      at += match?.[0].length ?? 0;
    }
    if (text[at] === '.') {
      at += 1;
      continue;
    }
    if (text[at] === '[') continue;
    break;
  }
  skipSpaces();
  const op = comparisons.find((c) => text.startsWith(c, at));
  if (!op) fail('expected a comparison (==, !=, <, <=, >, >=)');
  at += op?.length ?? 0;
  skipSpaces();
  const number = /^[-+]?(\d+(\.\d*)?|\.\d+)(%)?/.exec(text.slice(at));
  if (!number) fail('expected a number');
  at += number?.[0].length ?? 0;
  skipSpaces();
  if (at < text.length) fail(`unexpected '${text.slice(at)}'`);
  return {
    text: text.trim(),
    path,
    op: op as Comparison,
    threshold: Number((number?.[0] ?? '').replace('%', '')),
  };
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}
