import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../errors/index.js';
import { YamlSource } from '../taskfile/yaml-source.js';

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
  const source = new YamlSource(shownAs, readFileSync(file, 'utf8'));
  const syntax = source.syntaxProblems();
  if (syntax.length > 0) throw new ConfigError(syntax);
  return {
    file: shownAs,
    value: source.document.toJS() as unknown,
    locate: (path) => source.problem(path, '').line,
  };
}
