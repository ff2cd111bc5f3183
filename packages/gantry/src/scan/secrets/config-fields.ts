import type { RuleProblem } from './compile-rules.js';
import type { AllowlistSpec, RequiredSpec, RuleSpec } from './types.js';

/** Collects problems while a TOML table is read into a spec (keys already lower-cased). */
export interface Reader {
  problem(problem: RuleProblem): void;
}

type Table = Record<string, unknown>;

/** `[[rules]]`: gitleaks' fields, type-checked; unknown keys are ignored as gitleaks does. */
export function readRule(table: Table, reader: Reader): RuleSpec {
  const id = typeof table['id'] === 'string' ? table['id'] : '';
  const where = (message: string) => reader.problem({ rule: id || '(no id)', message });
  const field = fields(table, where);
  const single = table['allowlist'];
  const many = table['allowlists'];
  if (single !== undefined && many !== undefined)
    where('[rules.allowlist] is the old form of [[rules.allowlists]]; use one of them, not both');
  const allowlists = [single, many]
    .flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .map((v, i) =>
      isTable(v)
        ? readAllowlist(v, `allowlist ${i + 1}`, { problem: (p) => where(p.message) }, false)
        : (where('an allowlist must be a table'), {}),
    );
  const required = (Array.isArray(table['required']) ? table['required'] : [])
    .filter(isTable)
    .map((r): RequiredSpec => {
      const rid = typeof r['id'] === 'string' ? r['id'] : '';
      if (rid === '') where('[[rules.required]] needs an id');
      const lines = r['withinlines'];
      const columns = r['withincolumns'];
      return {
        id: rid,
        ...(typeof lines === 'number' ? { withinLines: lines } : {}),
        ...(typeof columns === 'number' ? { withinColumns: columns } : {}),
      };
    });
  return {
    id,
    ...optional('description', field.string('description')),
    ...optional('regex', field.string('regex')),
    ...optional('secretGroup', field.integer('secretgroup')),
    ...optional('entropy', field.number('entropy')),
    ...optional('keywords', field.strings('keywords')),
    ...optional('path', field.string('path')),
    ...optional('tags', field.strings('tags')),
    ...optional('skipReport', field.boolean('skipreport')),
    allowlists,
    required,
  };
}

export function readAllowlist(
  table: Table,
  where: string,
  reader: Reader,
  global: boolean,
): AllowlistSpec {
  const field = fields(table, (message) => reader.problem({ message: `${where}: ${message}` }));
  return {
    ...optional('description', field.string('description')),
    ...optional('condition', field.string('condition')),
    ...optional('commits', field.strings('commits')),
    ...optional('paths', field.strings('paths')),
    ...optional('regexes', field.strings('regexes')),
    ...optional('regexTarget', field.string('regextarget')),
    ...optional('stopwords', field.strings('stopwords')),
    ...(global ? optional('targetRules', field.strings('targetrules')) : {}),
  };
}

function fields(table: Table, problem: (message: string) => void) {
  const check = <T>(key: string, ok: (v: unknown) => v is T, what: string): T | undefined => {
    const value = table[key];
    if (value === undefined) return undefined;
    if (ok(value)) return value;
    problem(`${key} must be ${what}, got ${JSON.stringify(value)}`);
    return undefined;
  };
  return {
    string: (key: string) => check(key, (v): v is string => typeof v === 'string', 'a string'),
    number: (key: string) => check(key, (v): v is number => typeof v === 'number', 'a number'),
    integer: (key: string) =>
      check(
        key,
        (v): v is number => Number.isInteger(v) && (v as number) >= 0,
        'a whole number ≥ 0',
      ),
    boolean: (key: string) =>
      check(key, (v): v is boolean => typeof v === 'boolean', 'true or false'),
    strings: (key: string) =>
      check(
        key,
        (v): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string'),
        'a list of strings',
      ),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
