import { ConfigError, type Problem } from '../errors/index.js';
import type { GatePolicy } from './evaluate.js';
import { parseRule } from './rule.js';

/** A report the gate reads: `junit:backend/junit.xml` on the command line or in `gates:`. */
export interface ReportSpec {
  /** A format name, or undefined to detect it from the content. */
  readonly format?: string;
  readonly path: string;
}

/** The `gates:` section of the project config, checked, plus the command line's additions. */
export interface GateConfig extends GatePolicy {
  readonly reports: readonly ReportSpec[];
  /** Paths whose size is measured (and may be used by `size['PATH']` rules). */
  readonly sizes: readonly string[];
  /** The branch whose last passing result is the baseline; undefined: the default branch. */
  readonly baseline?: string;
  /** Gantry's own ignore file, relative to the repository root. */
  readonly ignoreFile: string;
}

const keys = new Set(['reports', 'require', 'warn', 'components', 'sizes', 'baseline', 'ignore']);

/**
 * Checks a parsed `gates:` section (`undefined` when the config has none) and reports every
 * problem at once; `locate` turns a key path into a line for the message.
 */
export function readGateConfig(
  data: unknown,
  file: string,
  locate: (path: readonly (string | number)[]) => number | undefined = () => undefined,
): GateConfig {
  const problems: Problem[] = [];
  const problem = (path: readonly (string | number)[], message: string) => {
    const line = locate(['gates', ...path]);
    problems.push({ file, ...(line === undefined ? {} : { line }), message });
  };
  const section = data ?? {};
  if (typeof section !== 'object' || Array.isArray(section)) {
    problem(
      [],
      'gates must be a mapping (reports, require, warn, components, sizes, baseline, ignore)',
    );
    throw new ConfigError(problems);
  }
  const record = section as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!keys.has(key)) problem([key], `unknown key '${key}' in gates`);
  const strings = (key: string): string[] => {
    const value = record[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      problem([key], `gates.${key} must be a list of strings`);
      return [];
    }
    return value as string[];
  };
  const require = strings('require');
  const warn = strings('warn');
  [
    ...require.map((r, i) => ['require', i, r] as const),
    ...warn.map((r, i) => ['warn', i, r] as const),
  ].forEach(([key, index, rule]) => {
    try {
      parseRule(rule);
    } catch (error) {
      problem([key, index], (error as Error).message);
    }
  });
  const reports = strings('reports').map(parseReportSpec);
  const components: Record<string, string[]> = {};
  const rawComponents = record['components'] ?? {};
  if (typeof rawComponents !== 'object' || Array.isArray(rawComponents) || rawComponents === null)
    problem(['components'], 'gates.components must map names to lists of path globs');
  else
    for (const [name, globs] of Object.entries(rawComponents)) {
      const list = typeof globs === 'string' ? [globs] : globs;
      if (!Array.isArray(list) || list.some((g) => typeof g !== 'string'))
        problem(['components', name], `component '${name}' must be a list of path globs`);
      else components[name] = list as string[];
    }
  const baseline = record['baseline'];
  if (baseline !== undefined && typeof baseline !== 'string')
    problem(['baseline'], 'gates.baseline must be a branch name');
  const ignore = record['ignore'];
  if (ignore !== undefined && typeof ignore !== 'string')
    problem(['ignore'], 'gates.ignore must be the path of an ignore file');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    reports,
    require,
    warn,
    components,
    sizes: strings('sizes'),
    ...(typeof baseline === 'string' ? { baseline } : {}),
    ignoreFile: typeof ignore === 'string' ? ignore : '.gantryignore.yml',
  };
}

/** `FORMAT:PATH` or a bare `PATH` (format detected from the content). */
export function parseReportSpec(text: string): ReportSpec {
  const match = /^([a-z][a-z0-9-]*):(.+)$/.exec(text);
  // `c:\...` would look like a format; formats are longer than one letter.
  if (match?.[1] && match[2] && match[1].length > 1) return { format: match[1], path: match[2] };
  return { path: text };
}
