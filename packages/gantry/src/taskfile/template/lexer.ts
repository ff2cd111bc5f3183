import { GantryError } from '../../errors/index.js';

/** The pieces of a Go text/template source: literal text and `{{ ... }}` actions. */
export type Piece =
  { kind: 'text'; text: string } | { kind: 'action'; source: string; offset: number };

/**
 * Splits a template into text and actions, applying Go's trim markers: `{{- ` removes the
 * white space before the action, ` -}}` the white space after it. Comments are dropped.
 */
export function splitTemplate(source: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open === -1) {
      if (text) pieces.push({ kind: 'text', text });
      break;
    }
    let inner = open + 2;
    if (
      source.startsWith('- ', inner) ||
      source.startsWith('-\t', inner) ||
      source.startsWith('-\n', inner)
    ) {
      text = text.replace(/\s+$/, '');
      inner += 1;
    }
    if (text) pieces.push({ kind: 'text', text });
    const close = findClose(source, inner);
    if (close === -1) {
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `unclosed action in template: ${source.slice(open, open + 40)}`,
      );
    }
    let body = source.slice(inner, close);
    trimNext = /[\s]-$/.test(body);
    if (trimNext) body = body.slice(0, -1);
    const trimmed = body.trim();
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) {
      pieces.push({ kind: 'action', source: trimmed, offset: inner });
    }
    pos = close + 2;
  }
  return pieces;
}

/** The `}}` closing an action, skipping string literals that may contain it. */
function findClose(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === '`') {
      const end = c === '"' ? skipQuoted(source, i) : source.indexOf('`', i + 1);
      if (end === -1) return -1;
      i = end + 1;
      continue;
    }
    if (c === '}' && source[i + 1] === '}') return i;
    i++;
  }
  return -1;
}

function skipQuoted(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '"') return i;
  }
  return -1;
}

export type Token =
  /** `chained`: written right after `)`, as in `(split "." .X)._1`. */
  | { kind: 'field'; path: string[]; chained?: boolean }
  | { kind: 'variable'; name: string; path: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'nil' }
  | { kind: 'pipe' }
  | { kind: 'open' }
  | { kind: 'close' }
  /** `:=` declares a template variable, `=` assigns one; `,` separates `range $i, $v`. */
  | { kind: 'declare' }
  | { kind: 'assign' }
  | { kind: 'comma' };

/** Tokenises the inside of one action. */
export function tokenize(action: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new GantryError('GANTRY_CONFIG_INVALID', `${what} in template action {{${action}}}`);
  };
  while (i < action.length) {
    const c = action[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '|') {
      tokens.push({ kind: 'pipe' });
      i++;
    } else if (c === ':' && action[i + 1] === '=') {
      tokens.push({ kind: 'declare' });
      i += 2;
    } else if (c === '=') {
      tokens.push({ kind: 'assign' });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma' });
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i++;
    } else if (c === '"') {
      const end = skipQuoted(action, i);
      if (end === -1) fail('unterminated string');
      tokens.push({ kind: 'string', value: JSON.parse(action.slice(i, end + 1)) as string });
      i = end + 1;
    } else if (c === '`') {
      const end = action.indexOf('`', i + 1);
      if (end === -1) fail('unterminated raw string');
      tokens.push({ kind: 'string', value: action.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '.' || c === '$') {
      const m = /^(\$[A-Za-z0-9_]*)?((?:\.[A-Za-z0-9_]+)*)\.?/.exec(
        action.slice(i),
      ) as RegExpExecArray;
      const path = (m[2] ?? '').split('.').filter(Boolean);
      const chained = i > 0 && action[i - 1] === ')';
      tokens.push(
        m[1]
          ? { kind: 'variable', name: m[1], path }
          : { kind: 'field', path, ...(chained ? { chained } : {}) },
      );
      i += m[0].length || 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(action.slice(i));
      if (!m) fail(`unexpected '${c}'`);
      tokens.push({ kind: 'number', value: Number(m?.[0]) });
      i += m?.[0].length ?? 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(action.slice(i)) as RegExpExecArray;
      const word = m[0];
      if (word === 'true' || word === 'false')
        tokens.push({ kind: 'bool', value: word === 'true' });
      else if (word === 'nil') tokens.push({ kind: 'nil' });
      else tokens.push({ kind: 'ident', name: word });
      i += word.length;
    } else {
      fail(`unexpected '${c}'`);
    }
  }
  return tokens;
}
