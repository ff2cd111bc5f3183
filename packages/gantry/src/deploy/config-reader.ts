import { parseDuration } from '../analysis/index.js';
import { ConfigError, type Problem } from '../errors/index.js';

type Path = readonly (string | number)[];

/**
 * Reads one section of gantry.yml value by value and collects every problem with its line,
 * so a user sees them all at once (`GANTRY_CONFIG_INVALID`). Each accessor returns a usable
 * value (the default, or undefined) after recording a problem, so checking goes on.
 */
export class ConfigReader {
  readonly problems: Problem[] = [];

  constructor(
    readonly file: string,
    private readonly locate: (path: Path) => number | undefined,
  ) {}

  problem(path: Path, message: string): void {
    const line = this.locate(path);
    this.problems.push({ file: this.file, ...(line === undefined ? {} : { line }), message });
  }

  /** Throws every problem recorded so far. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  name(path: Path): string {
    return path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .slice(1);
  }

  /** A mapping; unknown keys are problems. */
  mapping(value: unknown, path: Path, keys?: readonly string[]): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(path, `${this.name(path)} must be a mapping`);
      return {};
    }
    const record = value as Record<string, unknown>;
    if (keys)
      for (const key of Object.keys(record))
        if (!keys.includes(key))
          this.problem(
            [...path, key],
            `unknown key '${key}' in ${this.name(path)} (known: ${keys.join(', ')})`,
          );
    return record;
  }

  string(record: Record<string, unknown>, key: string, path: Path): string | undefined {
    const value = record[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    this.problem([...path, key], `${this.name([...path, key])} must be a non-empty string`);
    return undefined;
  }

  required(record: Record<string, unknown>, key: string, path: Path): string {
    const value = this.string(record, key, path);
    if (value === undefined && record[key] === undefined)
      this.problem(path, `${this.name(path)} needs '${key}'`);
    return value ?? '';
  }

  integer(
    record: Record<string, unknown>,
    key: string,
    path: Path,
    range: { min: number; max?: number },
  ): number | undefined {
    const value = record[key];
    if (value === undefined) return undefined;
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= range.min &&
      (range.max === undefined || value <= range.max)
    )
      return value;
    this.problem(
      [...path, key],
      `${this.name([...path, key])} must be a whole number from ${range.min}${range.max === undefined ? '' : ` to ${range.max}`}`,
    );
    return undefined;
  }

  boolean(record: Record<string, unknown>, key: string, path: Path): boolean | undefined {
    const value = record[key];
    if (value === undefined || typeof value === 'boolean') return value;
    this.problem([...path, key], `${this.name([...path, key])} must be true or false`);
    return undefined;
  }

  /** `30s`, `5m`, `250ms`, `1h`, or a number of seconds, as milliseconds. */
  duration(record: Record<string, unknown>, key: string, path: Path): number | undefined {
    const value = record[key];
    if (value === undefined) return undefined;
    const ms = durationMs(value);
    if (ms !== undefined) return ms;
    this.problem(
      [...path, key],
      `${this.name([...path, key])} must be a duration such as 30s, 5m, 250ms or 1h`,
    );
    return undefined;
  }

  strings(record: Record<string, unknown>, key: string, path: Path): string[] | undefined {
    const value = record[key];
    if (value === undefined) return undefined;
    const list = typeof value === 'string' ? [value] : value;
    if (Array.isArray(list) && list.every((v) => typeof v === 'string' && v !== ''))
      return list as string[];
    this.problem(
      [...path, key],
      `${this.name([...path, key])} must be a string or a list of strings`,
    );
    return undefined;
  }

  /** A mapping of names to scalar values, as environment variables. */
  env(record: Record<string, unknown>, key: string, path: Path): Record<string, string> {
    const values = this.mapping(record[key], [...path, key]);
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        this.problem([...path, key, name], `'${name}' is not a valid environment variable name`);
      else if (['string', 'number', 'boolean'].includes(typeof value)) env[name] = String(value);
      else this.problem([...path, key, name], `${name} must be a string, number or boolean`);
    }
    return env;
  }
}

/** `30s`, `5m`, `250ms`, `1h`, `1m30s` or a number of seconds as milliseconds; undefined if not. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  try {
    return parseDuration(value);
  } catch {
    return undefined;
  }
}
