import { GantryError } from '../../errors/index.js';
import { templateFunctions, type TemplateFunction } from './functions.js';
import type { Action, Command, Node, Operand, Pipeline } from './parser.js';
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
  // ~100 functions: copied only when a caller adds its own.
  const functions =
    Object.keys(extra).length === 0 ? templateFunctions : { ...templateFunctions, ...extra };
  const state: State = { fns: functions, vars: [['$', data]] };
  return renderNodes(tree, data, state);
}

/** Template variables in scope (`$` first); a block's declarations are dropped at its end. */
interface State {
  readonly fns: Record<string, TemplateFunction>;
  readonly vars: Array<[string, unknown]>;
}

/** `{{break}}` and `{{continue}}` unwind to the enclosing `range`. */
class LoopControl {
  /** What the loop body rendered before the `break`/`continue`. */
  partial = '';
  constructor(readonly kind: 'break' | 'continue') {}
}

function renderNodes(nodes: Node[], dot: unknown, state: State): string {
  const mark = state.vars.length;
  let out = '';
  try {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'output': {
          const value = runAction(node.action, dot, state);
          if (!node.action.decl) out += printValue(value);
          break;
        }
        case 'if':
        case 'with': {
          const inner = state.vars.length;
          let done = false;
          for (const branch of node.branches) {
            const value = runAction(branch.condition, dot, state);
            if (isTruthy(value)) {
              out += renderNodes(branch.body, node.kind === 'with' ? value : dot, state);
              done = true;
              break;
            }
          }
          if (!done) out += renderNodes(node.otherwise, dot, state);
          state.vars.length = inner;
          break;
        }
        case 'range':
          out += renderRange(node, dot, state);
          break;
        case 'break':
        case 'continue':
          throw new LoopControl(node.kind);
      }
    }
  } catch (error) {
    if (error instanceof LoopControl) error.partial = out + error.partial;
    throw error;
  } finally {
    state.vars.length = mark;
  }
  return out;
}

function renderRange(node: Extract<Node, { kind: 'range' }>, dot: unknown, state: State): string {
  const mark = state.vars.length;
  const { pipeline, decl } = node.action;
  const value = runPipeline(pipeline, dot, state);
  let entries: Array<[unknown, unknown]>;
  if (Array.isArray(value)) entries = value.map((v, i) => [i, v]);
  else if (value && typeof value === 'object')
    entries = Object.keys(value as object)
      .sort()
      .map((k) => [k, (value as Record<string, unknown>)[k]]);
  else if (typeof value === 'number' && Number.isInteger(value))
    entries = Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
  else if (value === undefined || value === null) entries = [];
  else
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `range can't iterate over ${printValue(value)} in template`,
    );
  if (entries.length === 0) return renderNodes(node.otherwise, dot, state);
  let out = '';
  for (const [key, item] of entries) {
    if (decl) {
      if (decl.names.length === 1) state.vars.push([decl.names[0] as string, item]);
      else {
        state.vars.push([decl.names[0] as string, key]);
        state.vars.push([decl.names[1] as string, item]);
      }
    }
    try {
      out += renderNodes(node.body, item, state);
    } catch (error) {
      if (!(error instanceof LoopControl)) throw error;
      out += error.partial;
      if (error.kind === 'break') break;
    } finally {
      state.vars.length = mark;
    }
  }
  return out;
}

function runAction(action: Action, dot: unknown, state: State): unknown {
  const value = runPipeline(action.pipeline, dot, state);
  const decl = action.decl;
  if (decl) {
    const name = decl.names[0] as string;
    if (decl.assign) {
      const slot = state.vars.findLast(([n]) => n === name);
      if (!slot)
        throw new GantryError('GANTRY_CONFIG_INVALID', `undefined variable "${name}" in template`);
      slot[1] = value;
    } else state.vars.push([name, value]);
  }
  return value;
}

function runPipeline(pipeline: Pipeline, dot: unknown, state: State): unknown {
  let piped: { value: unknown } | undefined;
  for (const command of pipeline) piped = { value: runCommand(command, dot, state, piped) };
  return piped?.value;
}

function runCommand(
  command: Command,
  dot: unknown,
  state: State,
  piped: { value: unknown } | undefined,
): unknown {
  const [head, ...rest] = command as [Operand, ...Operand[]];
  if (head.kind === 'ident') {
    const fn = state.fns[head.name];
    if (!fn)
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `function "${head.name}" not defined in template`,
      );
    const args = rest.map((operand) => operandValue(operand, dot, state));
    if (piped) args.push(piped.value);
    return fn(...args);
  }
  if (rest.length > 0 || piped) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `can't give arguments to a non-function value in template`,
    );
  }
  return operandValue(head, dot, state);
}

function operandValue(operand: Operand, dot: unknown, state: State): unknown {
  switch (operand.kind) {
    case 'field':
      return walk(dot, operand.path);
    case 'variable': {
      const slot = state.vars.findLast(([n]) => n === operand.name);
      if (!slot)
        throw new GantryError(
          'GANTRY_CONFIG_INVALID',
          `undefined variable "${operand.name}" in template`,
        );
      return walk(slot[1], operand.path);
    }
    case 'string':
    case 'number':
    case 'bool':
      return operand.value;
    case 'nil':
      return undefined;
    case 'ident': {
      const fn = state.fns[operand.name];
      if (!fn)
        throw new GantryError(
          'GANTRY_CONFIG_INVALID',
          `function "${operand.name}" not defined in template`,
        );
      return fn();
    }
    case 'pipeline':
      return walk(runPipeline(operand.pipeline, dot, state), operand.path ?? []);
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
