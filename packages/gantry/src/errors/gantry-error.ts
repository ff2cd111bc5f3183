import type { ErrorCode } from './codes.js';

/** A location in a config file; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

/** One problem found in a config file, reported together with all others. */
export interface Problem extends SourceLocation {
  message: string;
  /** The source line(s) around the problem, with a caret under the column. */
  snippet?: string;
}

export interface GantryErrorOptions {
  cause?: unknown;
  /** Extra hint printed under the message: how to fix it. */
  hint?: string;
  location?: SourceLocation;
}

/** Base class for every error a user can cause. The code is stable and documented. */
export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: GantryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GantryError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }
}

/** A config file (workflow, action.yml, ...) with one or more problems, all listed. */
export class ConfigError extends GantryError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], options: GantryErrorOptions = {}) {
    const first = problems[0];
    const summary =
      problems.length === 1 && first
        ? `${formatLocation(first)}: ${first.message}`
        : `${problems.length} problems in configuration`;
    super('GANTRY_CONFIG_INVALID', summary, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return loc.col === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.col}`;
}

/** Builds a two-line snippet (the source line and a caret) for a problem. */
export function snippetAt(
  source: string,
  line: number | undefined,
  col: number | undefined,
): string | undefined {
  if (line === undefined) return undefined;
  const text = source.split(/\r?\n/)[line - 1];
  if (text === undefined) return undefined;
  const gutter = `${line} | `;
  const caret = col === undefined ? '' : `\n${' '.repeat(gutter.length + col - 1)}^`;
  return `${gutter}${text}${caret}`;
}

export function isGantryError(error: unknown): error is GantryError {
  return error instanceof GantryError;
}
