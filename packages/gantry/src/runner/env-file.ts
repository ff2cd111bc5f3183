import { GantryError } from '../errors/index.js';

/**
 * Parses a file a step wrote to GITHUB_ENV, GITHUB_OUTPUT or GITHUB_STATE, with the rules of
 * the runner's file-command parser (actions/runner FileCommandManager):
 * - `NAME=value`: the value is everything after the first `=` (it may be empty);
 * - `NAME<<DELIMITER`, then value lines, then a line that is exactly DELIMITER: the value
 *   lines joined with `\n`, without a trailing newline;
 * - whichever of `=` and `<<` comes first decides the form, so `A=x<<y` is a plain value;
 * - empty lines between entries are skipped; any other line is an error that fails the step.
 * CRLF line endings are accepted everywhere (the runner only does so on Windows), so a
 * heredoc written by a Windows tool still finds its delimiter.
 *
 * Pairs are returned in file order, duplicates included: the caller applies them in order,
 * so the last one wins as on GitHub.
 */
export function parseEnvFile(content: string, fileLabel: string): Array<[string, string]> {
  const lines = content.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  // A final newline ends the last line; it does not start an empty one.
  if (content.endsWith('\n')) lines.pop();
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const fail = (message: string, hint: string) => invalid(fileLabel, index + 1, message, hint);
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') fail(`Invalid format '${line}'. Name must not be empty`, formatHint);
      pairs.push([name, line.slice(equals + 1)]);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        fail(
          `Invalid format '${line}'. Name must not be empty and delimiter must not be empty`,
          formatHint,
        );
      }
      const end = lines.indexOf(delimiter, index + 1);
      if (end < 0)
        fail(
          `Invalid value. Matching delimiter not found '${delimiter}'`,
          delimiterHint(delimiter),
        );
      pairs.push([name, lines.slice(index + 1, end).join('\n')]);
      index = end;
    } else {
      fail(`Invalid format '${line}'`, formatHint);
    }
  }
  return pairs;
}

const formatHint =
  'Each entry is `NAME=value`, or `NAME<<DELIMITER`, the value lines, and `DELIMITER` on a line of its own.';

const delimiterHint = (delimiter: string) =>
  `End the value with a newline so that '${delimiter}' stands alone on the last line, e.g. \`printf '%s\\n' "$value"\`.`;

function invalid(fileLabel: string, line: number, message: string, hint: string): never {
  throw new GantryError(
    'GANTRY_CONFIG_INVALID',
    `Unable to process file command '${fileLabel}' successfully: ${message}`,
    {
      hint,
      location: { file: fileLabel, line },
    },
  );
}
