import { existsSync, readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument, isMap, type Node } from 'yaml';
import { ConfigError } from '../errors/index.js';

/** A YAML (or JSON) file as data, with the line of any key path for messages. */
export interface YamlFile {
  readonly file: string;
  readonly value: unknown;
  locate(path: readonly (string | number)[]): number | undefined;
}

/**
 * Reads a YAML file; syntax errors are reported all at once with their lines. A missing
 * file is undefined when `optional`, else a GANTRY_CONFIG_INVALID naming it.
 */
export function readYamlFile(
  file: string,
  shownAs: string,
  optional: boolean,
): YamlFile | undefined {
  if (!existsSync(file)) {
    if (optional) return undefined;
    throw new ConfigError([{ file: shownAs, message: `${shownAs} does not exist` }]);
  }
  const lines = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  if (document.errors.length > 0)
    throw new ConfigError(
      document.errors.map((e) => ({
        file: shownAs,
        ...(e.linePos?.[0] ? { line: e.linePos[0].line, col: e.linePos[0].col } : {}),
        message: `invalid YAML: ${e.message.split('\n')[0] ?? ''}`,
      })),
    );
  return {
    file: shownAs,
    value: document.toJS() as unknown,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = document.getIn(path.slice(0, n), true) as Node | undefined;
        const parent =
          n > 0 ? (document.getIn(path.slice(0, n - 1), true) as Node | undefined) : undefined;
        const key = path[n - 1];
        if (parent && isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
          const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
          if (offset !== undefined) return lines.linePos(offset).line;
        }
        const offset = node?.range?.[0];
        if (offset !== undefined) return lines.linePos(offset).line;
      }
      return undefined;
    },
  };
}
