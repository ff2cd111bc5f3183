import { GantryError } from '../errors/index.js';

/** One piece of a string that embeds `${{ }}`: literal text, or the expression inside `${{ }}`. */
export type TemplatePiece = { literal: string } | { expression: string };

/**
 * Splits a string that embeds `${{ }}` into literal and expression pieces, the way GitHub's
 * template reader does (`parseScalar` in @actions/workflow-parser, template-reader.ts). The
 * closing `}}` is searched outside single-quoted string literals, so `${{ '}}' }}` is one
 * expression. Returns undefined when the text has no `${{`.
 *
 * GitHub then joins the pieces with `format()`, which coerces every expression result to a
 * string; evaluating each piece separately and coercing it gives the same text, and lets an
 * error quote the expression the user wrote.
 */
export function splitTemplateString(text: string): TemplatePiece[] | undefined {
  let start = text.indexOf(OPEN);
  if (start < 0) return undefined;

  const pieces: TemplatePiece[] = [];
  let i = 0;
  while (i < text.length) {
    if (i === start) {
      const end = findClose(text, start);
      if (end < 0) {
        throw new GantryError(
          'GANTRY_EXPRESSION_INVALID',
          `The expression is not closed. An unescaped \${{ sequence was found, but the closing }} sequence was not found: ${text}`,
        );
      }
      const expression = text.slice(start + OPEN.length, end - 1).trim();
      if (expression === '') {
        throw new GantryError('GANTRY_EXPRESSION_INVALID', `An expression was expected: ${text}`);
      }
      pieces.push({ expression });
      i = end + 1;
      start = text.indexOf(OPEN, i);
    } else {
      const next = start < 0 ? text.length : start;
      pieces.push({ literal: text.slice(i, next) });
      i = next;
    }
  }
  return pieces;
}

const OPEN = '${{';

/** Index of the second `}` of the closing `}}`, or -1 when the expression is not closed. */
function findClose(text: string, start: number): number {
  let inString = false;
  for (let i = start + OPEN.length; i < text.length; i++) {
    // Toggling on every quote also handles the '' escape inside a string literal.
    if (text[i] === "'") inString = !inString;
    else if (!inString && text[i] === '}' && text[i - 1] === '}') return i;
  }
  return -1;
}
