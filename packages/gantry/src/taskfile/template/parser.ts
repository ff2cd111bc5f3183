import { GantryError } from '../../errors/index.js';
import { splitTemplate, tokenize, type Token } from './lexer.js';

export type Operand =
  | Exclude<Token, { kind: 'pipe' | 'open' | 'close' }>
  | { kind: 'pipeline'; pipeline: Pipeline; path?: string[] };
export type Command = Operand[];
export type Pipeline = Command[];

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipeline: Pipeline }
  | {
      kind: 'if' | 'with';
      branches: Array<{ condition: Pipeline; body: Node[] }>;
      otherwise: Node[];
    }
  | { kind: 'range'; pipeline: Pipeline; body: Node[]; otherwise: Node[] };

/** Parses a Go text/template (the subset Taskfiles use) into a tree. */
export function parseTemplate(source: string): Node[] {
  const pieces = splitTemplate(source);
  let index = 0;
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
      const [keyword = '', ...restWords] = piece.source.split(/\s+/);
      const rest = piece.source.slice(keyword.length).trim();
      if (terminators.includes(keyword)) return { nodes, end: keyword, rest };
      void restWords;
      if (keyword === 'if' || keyword === 'with') nodes.push(conditional(keyword, rest));
      else if (keyword === 'range') nodes.push(range(rest));
      else if (keyword === 'end' || keyword === 'else') fail(`unexpected {{${keyword}}}`);
      else if (keyword === 'define' || keyword === 'template' || keyword === 'block')
        fail(`{{${keyword}}} is not supported`);
      else nodes.push({ kind: 'output', pipeline: pipeline(piece.source) });
    }
    if (terminators.length > 0) fail('missing {{end}}');
    return { nodes, end: '', rest: '' };
  };

  const conditional = (kind: 'if' | 'with', condition: string): Node => {
    const branches: Array<{ condition: Pipeline; body: Node[] }> = [];
    let current = condition;
    for (;;) {
      const { nodes, end, rest } = block(['else', 'end']);
      branches.push({ condition: pipeline(current), body: nodes });
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
    const { nodes, end } = block(['else', 'end']);
    const otherwise = end === 'else' ? block(['end']).nodes : [];
    return { kind: 'range', pipeline: pipeline(expression), body: nodes, otherwise };
  };

  return block([]).nodes;
}

/** Parses `cmd arg | cmd arg` with parenthesised sub-pipelines. */
function pipeline(source: string): Pipeline {
  const tokens = tokenize(source);
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
