import { ConfigError, formatLocation, isGantryError } from '../errors/index.js';
import { color } from './color.js';

/** Prints an error for humans and returns the exit code: 2 for usage and config errors, 1 otherwise. */
export function printError(error: unknown, stream: NodeJS.WritableStream = process.stderr): number {
  const c = color(stream);
  if (error instanceof ConfigError) {
    stream.write(
      `${c.red('error')} ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} in configuration [${error.code}]\n`,
    );
    for (const problem of error.problems) {
      stream.write(`\n${c.bold(formatLocation(problem))}: ${problem.message}\n`);
      if (problem.snippet) stream.write(`${c.dim(problem.snippet)}\n`);
    }
    stream.write('\nNothing was run.\n');
    return 2;
  }
  if (isGantryError(error)) {
    stream.write(`${c.red('error')} ${error.message} [${error.code}]\n`);
    if (error.hint) stream.write(`${c.dim('hint:')} ${error.hint}\n`);
    return error.code === 'GANTRY_USAGE' ||
      error.code === 'GANTRY_WORKFLOW_NOT_FOUND' ||
      error.code === 'GANTRY_INPUT_INVALID' ||
      error.code === 'GANTRY_GATE_EXPRESSION_INVALID'
      ? 2
      : 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stream.write(
    `${c.red('internal error')} ${message} [GANTRY_INTERNAL]\nPlease report this with the command you ran.\n`,
  );
  return 1;
}
