import { isGantryError } from '../errors/index.js';

/** One line for an error in a log or report: the message and, for Gantry's own, its code. */
export function describeError(error: unknown): string {
  return isGantryError(error) ? `${error.message} [${error.code}]` : String(error);
}

/** Writes an error (and its hint) to a log as GitHub's runner does, and returns its line. */
export function logError(log: { line(text: string): void }, error: unknown): string {
  const message = describeError(error);
  log.line(`##[error]${message}`);
  if (isGantryError(error) && error.hint) log.line(`hint: ${error.hint}`);
  return message;
}
