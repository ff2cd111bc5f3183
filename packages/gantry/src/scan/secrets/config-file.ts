import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { GantryError } from '../../errors/index.js';
import { builtinAllowlists, builtinRules } from './builtin-rules.js';
import { compileRules, type RuleProblem } from './compile-rules.js';
import { readAllowlist, readRule, type Reader } from './config-fields.js';
import type { AllowlistSpec, RuleSpec, SecretConfig } from './types.js';

/** gitleaks stops extending after two levels; so does Gantry. */
const MAX_EXTEND_DEPTH = 2;

interface Specs {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
}

/**
 * The rules for a scan: `--config FILE`, else `<root>/.gitleaks.toml`, else the built-in
 * rules. Throws GANTRY_SCAN_CONFIG_INVALID listing every problem, each with the file, the
 * line of the rule it concerns where it can be found, and the rule id.
 */
export function loadSecretsConfig(root: string, configFile?: string): SecretConfig {
  const file =
    configFile !== undefined
      ? path.resolve(configFile)
      : existsSync(path.join(root, '.gitleaks.toml'))
        ? path.join(root, '.gitleaks.toml')
        : undefined;
  if (file === undefined)
    return compileChecked(
      { rules: [...builtinRules], allowlists: [...builtinAllowlists] },
      undefined,
    );
  const { specs, problems, text } = readConfigFile(file, 0);
  const compiled = compileRules(specs.rules, specs.allowlists);
  const all = [...problems, ...compiled.problems];
  if (all.length > 0) throw configError(file, all, file, text);
  const config = compiled.config;
  const relative = path.relative(path.resolve(root), file);
  return relative.startsWith('..') || path.isAbsolute(relative)
    ? config
    : { ...config, file: relative.split(path.sep).join('/') };
}

function compileChecked(specs: Specs, file: string | undefined): SecretConfig {
  const { config, problems } = compileRules(specs.rules, specs.allowlists);
  if (problems.length > 0) throw configError(file ?? 'built-in rules', problems, file);
  return config;
}

/** Reads one file (and what it extends); type problems are returned, to be reported with the rest. */
function readConfigFile(
  file: string,
  depth: number,
): { specs: Specs; problems: RuleProblem[]; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GantryError(
      'GANTRY_SCAN_CONFIG_INVALID',
      `cannot read ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  let data: Record<string, unknown>;
  try {
    data = lowerKeys(parse(text)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError)
      throw new GantryError(
        'GANTRY_SCAN_CONFIG_INVALID',
        `${file}:${error.line}:${error.column}: ${error.message.split('\n')[0]}`,
        {
          location: { file, line: error.line, col: error.column },
          cause: error,
        },
      );
    throw error;
  }
  const problems: RuleProblem[] = [];
  const reader: Reader = { problem: (p) => problems.push(p) };
  const rules = asTables(data['rules'], 'rules', reader).map((table) => readRule(table, reader));
  const single = data['allowlist'];
  const many = asTables(data['allowlists'], 'allowlists', reader);
  if (single !== undefined && many.length > 0)
    problems.push({
      message: '[allowlist] is the old form of [[allowlists]]; use one of them, not both',
    });
  const allowlists = [...asTables(single, 'allowlist', reader), ...many].map((table) =>
    readAllowlist(table, 'global allowlist', reader, true),
  );
  const specs = extend({ rules, allowlists }, data['extend'], file, depth, reader);
  return { specs, problems, text };
}

function extend(own: Specs, value: unknown, file: string, depth: number, reader: Reader): Specs {
  if (value === undefined || depth >= MAX_EXTEND_DEPTH) return own;
  const table = asTables(value, 'extend', reader)[0] ?? {};
  const useDefault = table['usedefault'] === true;
  const base = typeof table['path'] === 'string' ? table['path'] : undefined;
  if (useDefault && base !== undefined) {
    reader.problem({ message: '[extend] sets both useDefault and path; choose one' });
    return own;
  }
  if (typeof table['url'] === 'string')
    reader.problem({
      message: '[extend] url is not supported (gitleaks does not support it either)',
    });
  if (!useDefault && base === undefined) return own;
  const parent: Specs = useDefault
    ? { rules: [...builtinRules], allowlists: [...builtinAllowlists] }
    : readExtended(path.resolve(path.dirname(file), base!), depth + 1);
  const disabled = new Set(
    Array.isArray(table['disabledrules']) ? table['disabledrules'].map(String) : [],
  );
  return merge(own, parent, disabled);
}

/** An extended file's own problems are reported against it, before the extending file's. */
function readExtended(file: string, depth: number): Specs {
  const { specs, problems, text } = readConfigFile(file, depth);
  if (problems.length > 0) throw configError(file, problems, file, text);
  return specs;
}

/** gitleaks' extension: a rule of the same id overrides what it sets and adds its lists. */
function merge(own: Specs, parent: Specs, disabled: ReadonlySet<string>): Specs {
  const rules = new Map(own.rules.map((r) => [r.id, r]));
  for (const base of parent.rules) {
    if (disabled.has(base.id)) continue;
    const mine = rules.get(base.id);
    if (!mine) {
      rules.set(base.id, base);
      continue;
    }
    rules.set(base.id, {
      ...base,
      ...(mine.description ? { description: mine.description } : {}),
      ...(mine.entropy ? { entropy: mine.entropy } : {}),
      ...(mine.secretGroup ? { secretGroup: mine.secretGroup } : {}),
      ...(mine.regex !== undefined ? { regex: mine.regex } : {}),
      ...(mine.path !== undefined ? { path: mine.path } : {}),
      tags: [...(base.tags ?? []), ...(mine.tags ?? [])],
      keywords: [...(base.keywords ?? []), ...(mine.keywords ?? [])],
      allowlists: [...(base.allowlists ?? []), ...(mine.allowlists ?? [])],
    });
  }
  return { rules: [...rules.values()], allowlists: [...own.allowlists, ...parent.allowlists] };
}

function asTables(value: unknown, key: string, reader: Reader): Array<Record<string, unknown>> {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is Record<string, unknown> => {
    const ok = typeof item === 'object' && item !== null && !Array.isArray(item);
    if (!ok) reader.problem({ message: `${key} must be a table` });
    return ok;
  });
}

/** Viper, which gitleaks reads its config with, matches keys case-insensitively. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

function configError(
  where: string,
  problems: readonly RuleProblem[],
  file?: string,
  text?: string,
): GantryError {
  const source = text ?? (file ? safeRead(file) : undefined);
  const lines = problems.map((p) => {
    const line = p.rule !== undefined && source ? ruleLine(source, p.rule) : undefined;
    const at = line === undefined ? where : `${where}:${line}`;
    return `${at}: ${p.rule !== undefined ? `rule '${p.rule}': ` : ''}${p.message}`;
  });
  const first = problems[0];
  const firstLine = first?.rule !== undefined && source ? ruleLine(source, first.rule) : undefined;
  return new GantryError(
    'GANTRY_SCAN_CONFIG_INVALID',
    problems.length === 1
      ? lines[0]!
      : `${problems.length} problems in ${where}:\n  ${lines.join('\n  ')}`,
    {
      ...(file ? { location: { file, ...(firstLine ? { line: firstLine } : {}) } } : {}),
      hint: 'gitleaks regexes are Go RE2: lookaround and backreferences are not supported',
    },
  );
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The line of `id = "<rule>"` in the TOML text, to point at the rule. */
function ruleLine(text: string, rule: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => {
    const m = /^\s*id\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/i.exec(line);
    return m !== null && (m[2] ?? JSON.parse(`"${m[1]}"`)) === rule;
  });
  return index < 0 ? undefined : index + 1;
}
