import { parseTemplate } from './parser.js';
import { renderTemplate } from './evaluate.js';

/**
 * Evaluates `ref:` values: a template pipeline such as `.LIST` or `fromJson .RAW`, returning
 * the value itself (a list stays a list) rather than its printed form.
 */
export function renderExpression(expression: string, data: Record<string, unknown>): unknown {
  const source = `{{${expression.replace(/^\s*\{\{|\}\}\s*$/g, '')}}}`;
  parseTemplate(source); // reports syntax errors with the usual message
  let captured: unknown;
  renderTemplate(source.replace(/\}\}$/, ' | __capture}}'), data, {
    __capture: (value) => {
      captured = value;
      return '';
    },
  });
  return captured;
}
