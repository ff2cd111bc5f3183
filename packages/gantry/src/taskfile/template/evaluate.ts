import { GantryError } from '../../errors/index.js';
import { templateFunctions, type TemplateFunction } from './functions.js';
import type { Command, Node, Operand, Pipeline } from './parser.js';
import { parseTemplate } from './parser.js';
import { isTruthy, printValue } from './values.js';

const cache = new Map<string, Node[]>();

/**
 * Renders a Go text/template with Taskfile data as go-task does: a missing variable renders
 * as an empty string (go-task drops Go's `<no value>`), functions from sprig and Task.
 */
export function renderTemplate(
  source: string,
  data: Record<string, unknown>,
  extra: Record<string, TemplateFunction> = {},
): string {
  if (!source.includes('{{')) return source;
  let tree = cache.get(source);
  if (!tree) {
    tree = parseTemplate(source);
    cache.set(source, tree);
  }
  const functions = { ...templateFunctions, ...extra };
  return renderNodes(tree, data, data, functions);
}

function renderNodes(
  nodes: Node[],
  dot: unknown,
  root: unknown,
  fns: Record<string, TemplateFunction>,
): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'output':
        out += printValue(runPipeline(node.pipeline, dot, root, fns));
        break;
      case 'if':
      case 'with': {
        const branch = node.branches.find((b) =>
          isTruthy(runPipeline(b.condition, dot, root, fns)),
        );
        if (branch) {
          const value = node.kind === 'with' ? runPipeline(branch.condition, dot, root, fns) : dot;
          out += renderNodes(branch.body, value, root, fns);
        } else out += renderNodes(node.otherwise, dot, root, fns);
        break;
      }
      case 'range': {
        const value = runPipeline(node.pipeline, dot, root, fns);
        const items = Array.isArray(value)
          ? value
          : value && typeof value === 'object'
            ? Object.keys(value as object)
                .sort()
                .map((k) => (value as Record<string, unknown>)[k])
            : [];
        if (items.length === 0) out += renderNodes(node.otherwise, dot, root, fns);
        for (const item of items) out += renderNodes(node.body, item, root, fns);
        break;
      }
    }
  }
  return out;
}

function runPipeline(
  pipeline: Pipeline,
  dot: unknown,
  root: unknown,
  fns: Record<string, TemplateFunction>,
): unknown {
  let piped: { value: unknown } | undefined;
  for (const command of pipeline) piped = { value: runCommand(command, dot, root, fns, piped) };
  return piped?.value;
}

function runCommand(
  command: Command,
  dot: unknown,
  root: unknown,
  fns: Record<string, TemplateFunction>,
  piped: { value: unknown } | undefined,
): unknown {
  const [head, ...rest] = command as [Operand, ...Operand[]];
  if (head.kind === 'ident') {
    const fn = fns[head.name];
    if (!fn)
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `function "${head.name}" not defined in template`,
      );
    const args = rest.map((operand) => operandValue(operand, dot, root, fns));
    if (piped) args.push(piped.value);
    return fn(...args);
  }
  if (rest.length > 0 || piped) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `can't give arguments to a non-function value in template`,
    );
  }
  return operandValue(head, dot, root, fns);
}

function operandValue(
  operand: Operand,
  dot: unknown,
  root: unknown,
  fns: Record<string, TemplateFunction>,
): unknown {
  switch (operand.kind) {
    case 'field':
      return walk(dot, operand.path);
    case 'variable':
      return walk(operand.name === '$' ? root : undefined, operand.path);
    case 'string':
    case 'number':
    case 'bool':
      return operand.value;
    case 'nil':
      return undefined;
    case 'ident': {
      const fn = fns[operand.name];
      if (!fn)
        throw new GantryError(
          'GANTRY_CONFIG_INVALID',
          `function "${operand.name}" not defined in template`,
        );
      return fn();
    }
    case 'pipeline':
      return walk(runPipeline(operand.pipeline, dot, root, fns), operand.path ?? []);
  }
}

function walk(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
