import {
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type ScalarTag,
} from 'yaml';
import { snippetAt, type Problem } from '../errors/index.js';

/** A parsed YAML file that can say where its keys are, for problems with file:line:column. */
export class YamlSource {
  readonly document: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.document = parseDocument(text, {
      lineCounter: this.lines,
      uniqueKeys: true,
      customTags: (tags) => [goInt, ...(Array.isArray(tags) ? tags : [])],
    });
  }

  /** Syntax errors, each with its position. */
  syntaxProblems(): Problem[] {
    return this.document.errors.map((e) => {
      const [line, col] = e.linePos?.[0]
        ? [e.linePos[0].line, e.linePos[0].col]
        : [undefined, undefined];
      return {
        file: this.file,
        ...(line ? { line, col } : {}),
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
        snippet: snippetAt(this.text, line, col),
      };
    });
  }

  /** The node at a path of mapping keys (and list indexes), if present. */
  nodeAt(path: ReadonlyArray<string | number>): Node | undefined {
    const node = this.document.getIn(path, true);
    return node && typeof node === 'object' ? (node as Node) : undefined;
  }

  /** A problem located at the key (or item) at `path`. */
  problem(path: ReadonlyArray<string | number>, message: string): Problem {
    const parent = this.nodeAt(path.slice(0, -1));
    let offset: number | undefined;
    const last = path[path.length - 1];
    if (parent && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    }
    offset ??= this.nodeAt(path)?.range?.[0] ?? parent?.range?.[0];
    if (offset === undefined) return { file: this.file, message };
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, message, snippet: snippetAt(this.text, line, col) };
  }
}

/**
 * Plain integers as go-yaml v3 reads them (it strips `_` and parses with Go's base prefixes):
 * `0755` is octal, `1_000` is a thousand. YAML 1.2's core schema reads those as 755 and a
 * string, which would change what a Taskfile means.
 */
const goInt: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?(?:0[0-7_]+|0[oO][0-7_]+|0[bB][01_]+|0[xX][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*)$/,
  resolve(text) {
    const clean = text.replace(/_/g, '');
    const sign = clean.startsWith('-') ? -1 : 1;
    const digits = clean.replace(/^[-+]/, '');
    const base = /^0[xX]/.test(digits)
      ? 16
      : /^0[bB]/.test(digits)
        ? 2
        : /^0[oO]?/.test(digits) && digits.length > 1
          ? 8
          : 10;
    const body = base === 10 ? digits : digits.replace(/^0[xXbBoO]?/, '') || '0';
    return sign * Number.parseInt(body, base);
  },
};
