/**
 * Tokens of the condition language. The words `and`, `or` and `not` are the same tokens as
 * `&&`, `||` and `!`, as in the expr language Argo Rollouts evaluates conditions with.
 */
export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'name'; readonly name: string; readonly at: number }
  | { readonly kind: 'op'; readonly op: Operator; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

export type Operator =
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | '+'
  | '-'
  | '*'
  | '/'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '!'
  | '&&'
  | '||';

// Longest first, so `<=` is not read as `<` followed by `=`.
const operators: readonly Operator[] = [
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  ',',
  '+',
  '-',
  '*',
  '/',
  '<',
  '>',
  '!',
];

const words: Readonly<Record<string, Operator>> = { and: '&&', or: '||', not: '!' };

// Leading-dot decimals (`.5`) and exponents (`1e-3`) are accepted: thresholds are often tiny.
const numberRe = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;
const nameRe = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Splits a condition into tokens; `fail(why, at)` reports a problem at a 0-based offset. */
export function tokenize(text: string, fail: (why: string, at: number) => never): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = numberRe.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at });
      at += number[0].length;
      if (nameRe.test(text.slice(at))) fail(`unexpected '${text.slice(at, at + 1)}'`, at);
      continue;
    }
    const name = nameRe.exec(rest);
    if (name) {
      const word = words[name[0]];
      tokens.push(word ? { kind: 'op', op: word, at } : { kind: 'name', name: name[0], at });
      at += name[0].length;
      continue;
    }
    const op = operators.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', op, at });
      at += op.length;
      continue;
    }
    // Say what was probably meant for the mistakes people make coming from other languages.
    if (rest.startsWith('=')) fail("'=' assigns nothing here: compare with '=='", at);
    if (rest.startsWith('&')) fail("use '&&' or 'and'", at);
    if (rest.startsWith('|')) fail("use '||' or 'or'", at);
    fail(`unexpected '${rest[0] ?? ''}'`, at);
  }
  tokens.push({ kind: 'end', at });
  return tokens;
}
