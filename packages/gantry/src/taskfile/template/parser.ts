import { GantryError } from '../../errors/index.js';
import { splitTemplate, tokenize, type Token } from './lexer.js';

export type Operand =
  | Exclude<Token, { kind: 'pipe' | 'open' | 'close' | 'declare' | 'assign' | 'comma' }>
  | { kind: 'pipeline'; pipeline: Pipeline; path?: string[] };
export type Command = Operand[];
export type Pipeline = Command[];

/** `$x := ...` declares template variables (`range $i, $v := ...` two), `$x = ...` assigns one. */
export interface Declaration {
  readonly names: string[];
  readonly assign: boolean;
}

/** An action's pipeline with the variables it declares or assigns, if any. */
export interface Action {
  readonly pipeline: Pipeline;
  readonly decl?: Declaration;
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; action: Action }
  | {
      kind: 'if' | 'with';
      branches: Array<{ condition: Action; body: Node[] }>;
      otherwise: Node[];
    }
  | { kind: 'range'; action: Action; body: Node[]; otherwise: Node[] }
  | { kind: 'break' | 'continue' };

/** Parses a Go text/template (the subset Taskfiles use) into a tree. */
export function parseTemplate(source: string): Node[] {
  const pieces = splitTemplate(source);
  let index = 0;
  let loops = 0;
  const fail = (message: string): never => {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `${message} in template: ${source.length > 80 ? `${source.slice(0, 80)}…` : source}`,
    );
  };

  const block = (terminators: string[]): { nodes: Node[]; end: string; rest: string } => {
    const nodes: Node[] = [];
    while (index < pieces.length) {
      const piece = pieces[index++] as (typeof pieces)[number];
      if (piece.kind === 'text') {
        nodes.push({ kind: 'text', text: piece.text });
        continue;
      }
      const keyword = /^[A-Za-z_][A-Za-z0-9_]*/.exec(piece.source)?.[0] ?? '';
      const rest = piece.source.slice(keyword.length).trim();
      if (terminators.includes(keyword)) return { nodes, end: keyword, rest };
      if (keyword === 'if' || keyword === 'with') nodes.push(conditional(keyword, rest));
      else if (keyword === 'range') nodes.push(range(rest));
      else if (keyword === 'break' || keyword === 'continue') {
        if (loops === 0) fail(`{{${keyword}}} outside {{range}}`);
        nodes.push({ kind: keyword });
      } else if (keyword === 'end' || keyword === 'else') fail(`unexpected {{${keyword}}}`);
      else if (keyword === 'define' || keyword === 'template' || keyword === 'block')
        fail(`{{${keyword}}} is not supported`);
      else nodes.push({ kind: 'output', action: action(piece.source) });
    }
    if (terminators.length > 0) fail('missing {{end}}');
    return { nodes, end: '', rest: '' };
  };

  const conditional = (kind: 'if' | 'with', condition: string): Node => {
    const branches: Array<{ condition: Action; body: Node[] }> = [];
    let current = condition;
    for (;;) {
      const { nodes, end, rest } = block(['else', 'end']);
      branches.push({ condition: action(current), body: nodes });
      if (end === 'end') return { kind, branches, otherwise: [] };
      if (rest.startsWith(`${kind} `) || rest.startsWith('if ')) {
        current = rest.slice(rest.indexOf(' ') + 1);
        continue;
      }
      const { nodes: otherwise } = block(['end']);
      return { kind, branches, otherwise };
    }
  };

  const range = (expression: string): Node => {
    loops++;
    const { nodes, end } = block(['else', 'end']);
    loops--;
    const otherwise = end === 'else' ? block(['end']).nodes : [];
    return { kind: 'range', action: action(expression), body: nodes, otherwise };
  };

  return block([]).nodes;
}

/** `$a, $b := pipeline`, `$a = pipeline` or a plain pipeline. */
function action(source: string): Action {
  const tokens = tokenize(source);
  const names: string[] = [];
  let i = 0;
  while (tokens[i]?.kind === 'variable') {
    const token = tokens[i] as Extract<Token, { kind: 'variable' }>;
    if (token.path.length > 0) break;
    const next = tokens[i + 1];
    if (next?.kind === 'comma') {
      names.push(token.name);
      i += 2;
      continue;
    }
    if (next?.kind === 'declare' || next?.kind === 'assign') {
      names.push(token.name);
      const decl = { names, assign: next.kind === 'assign' };
      return { pipeline: pipeline(tokens.slice(i + 2), source), decl };
    }
    break;
  }
  return { pipeline: pipeline(tokens, source) };
}

/** Parses `cmd arg | cmd arg` with parenthesised sub-pipelines. */
function pipeline(tokens: Token[], source: string): Pipeline {
  let i = 0;
  const parse = (): Pipeline => {
    const commands: Pipeline = [];
    let command: Command = [];
    while (i < tokens.length) {
      const token = tokens[i++] as Token;
      if (token.kind === 'pipe') {
        commands.push(command);
        command = [];
      } else if (token.kind === 'open') {
        const sub = parse();
        const next = tokens[i];
        if (next?.kind === 'field' && next.chained) {
          i++;
          command.push({ kind: 'pipeline', pipeline: sub, path: next.path });
        } else command.push({ kind: 'pipeline', pipeline: sub });
      } else if (token.kind === 'close') {
        break;
      } else if (token.kind === 'declare' || token.kind === 'assign' || token.kind === 'comma') {
        throw new GantryError(
          'GANTRY_CONFIG_INVALID',
          `unexpected "${token.kind === 'comma' ? ',' : token.kind === 'declare' ? ':=' : '='}" in template action {{${source}}}`,
        );
      } else {
        command.push(token);
      }
    }
    commands.push(command);
    if (commands.some((c) => c.length === 0)) {
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `empty command in template action {{${source}}}`,
      );
    }
    return commands;
  };
  return parse();
}
