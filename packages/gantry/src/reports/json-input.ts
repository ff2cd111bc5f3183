import type { Fail } from './report-error.js';

/**
 * Parses a report's JSON. A syntax error names the position, with line and column, and says
 * so when the text simply stops (an upload cut short, a tool killed mid-write): that is the
 * common way a report breaks, and the fix is different from a wrong format.
 */
export function parseJson(text: string, label: string, fail: Fail): unknown {
  const trimmed = text.trimEnd();
  if (trimmed.trim() === '') fail('the file is empty');
  if (trimmed.trimStart().startsWith('<')) fail(`not a ${label}: the file is XML, not JSON`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = errorPosition(trimmed, message);
    if (position >= trimmed.length) {
      return fail(`invalid JSON at position ${position} (the file looks truncated)`);
    }
    const { line, column } = lineAndColumn(text, position);
    // V8 phrases it "<what> in JSON at position N" or "<what>, "<excerpt>" is not valid JSON".
    const what = message
      .replace(/\s*in JSON at position[\s\S]*$/, '')
      .replace(/, "[\s\S]*" is not valid JSON$/, '');
    return fail(`invalid JSON at line ${line}, column ${column} (position ${position}): ${what}`);
  }
}

/**
 * Where JSON.parse gave up. V8 names the position in most messages, but not in "Unexpected
 * token" (Node 20); then the position is found by bisection: a prefix of the text that only
 * runs out (or parses) has no error in it yet, and the shortest prefix that fails otherwise
 * ends with the offending character.
 */
function errorPosition(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return Number(at);
  if (/end of JSON input/i.test(message)) return text.length;
  const fine = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : '';
      const position = /at position (\d+)/.exec(reason)?.[1];
      return (
        /end of JSON input/i.test(reason) || (position !== undefined && Number(position) >= length)
      );
    }
  };
  let low = 0; // a prefix known to be fine
  let high = text.length; // a prefix known to fail
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fine(middle)) low = middle;
    else high = middle;
  }
  return high - 1;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: position - lineStart + 1 };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON object read field by field. Every field it reads names its own path when it is
 * missing or has the wrong type (`Results[2].Vulnerabilities[0].PkgName is not a string`),
 * so a report that is almost right says exactly where it is not. `null` counts as absent for
 * optional fields, as several tools write `null` for an empty list.
 */
export class JsonObject {
  private constructor(
    private readonly data: Readonly<Record<string, unknown>>,
    readonly path: string,
    private readonly fail: Fail,
  ) {}

  static of(value: unknown, path: string, fail: Fail): JsonObject {
    if (!isRecord(value)) fail(`${path || 'the top level'} is ${describe(value)}, not an object`);
    return new JsonObject(value as Record<string, unknown>, path, fail);
  }

  /** The elements of an array that must all be objects. */
  static list(value: unknown, path: string, fail: Fail): JsonObject[] {
    if (!Array.isArray(value))
      fail(`${path || 'the top level'} is ${describe(value)}, not an array`);
    return (value as unknown[]).map((item, i) => JsonObject.of(item, `${path}[${i}]`, fail));
  }

  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  raw(key: string): unknown {
    return this.data[key];
  }

  string(key: string): string {
    return this.required(key, this.optString(key));
  }

  optString(key: string): string | undefined {
    return this.typed(key, 'a string', (v): v is string => typeof v === 'string');
  }

  number(key: string): number {
    return this.required(key, this.optNumber(key));
  }

  optNumber(key: string): number | undefined {
    return this.typed(key, 'a number', (v): v is number => typeof v === 'number');
  }

  object(key: string): JsonObject {
    return this.required(key, this.optObject(key));
  }

  optObject(key: string): JsonObject | undefined {
    return this.has(key) ? JsonObject.of(this.data[key], this.at(key), this.fail) : undefined;
  }

  /** An array of objects; absent counts as empty. */
  objects(key: string): JsonObject[] {
    return this.has(key) ? JsonObject.list(this.data[key], this.at(key), this.fail) : [];
  }

  /** The objects in an array that may hold other values too; absent counts as empty. */
  objectsAmong(key: string): JsonObject[] {
    if (!this.has(key)) return [];
    const value = this.data[key];
    if (!Array.isArray(value)) this.fail(`${this.at(key)} is ${describe(value)}, not an array`);
    return (value as unknown[]).flatMap((item, i) =>
      isRecord(item) ? [new JsonObject(item, `${this.at(key)}[${i}]`, this.fail)] : [],
    );
  }

  /** An array of strings; absent counts as empty. */
  strings(key: string): string[] {
    if (!this.has(key)) return [];
    const value = this.data[key];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.fail(`${this.at(key)} is not an array of strings`);
    }
    return value as string[];
  }

  /** An array of numbers; absent counts as empty. */
  numbers(key: string): number[] {
    if (!this.has(key)) return [];
    const value = this.data[key];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'number')) {
      this.fail(`${this.at(key)} is not an array of numbers`);
    }
    return value as number[];
  }

  /** The object's own entries, each value an object (maps keyed by file or package name). */
  entries(): [string, JsonObject][] {
    return Object.entries(this.data).map(([key, value]) => [
      key,
      JsonObject.of(value, this.at(key), this.fail),
    ]);
  }

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  private typed<T>(key: string, what: string, is: (value: unknown) => value is T): T | undefined {
    if (!this.has(key)) return undefined;
    const value = this.data[key];
    if (!is(value)) this.fail(`${this.at(key)} is ${describe(value)}, not ${what}`);
    return value as T;
  }

  private required<T>(key: string, value: T | undefined): T {
    if (value === undefined) this.fail(`${this.at(key)} is missing`);
    return value as T;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
