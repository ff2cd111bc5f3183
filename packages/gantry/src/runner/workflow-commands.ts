/**
 * GitHub's workflow commands (`::name k=v,k2=v2::message`) as the runner parses them
 * (actions/runner ActionCommand.TryParseV2 and ActionCommandManager): only known names are
 * commands, names and property keys are case-insensitive, and anything else is plain output.
 */

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export type WorkflowCommand =
  | { kind: 'group'; title: string }
  | { kind: 'endgroup' }
  | {
      kind: 'annotation';
      level: AnnotationLevel;
      message: string;
      file?: string;
      line?: number;
      endLine?: number;
      col?: number;
      endColumn?: number;
      title?: string;
    }
  | { kind: 'debug'; message: string }
  | { kind: 'add-mask'; value: string }
  | { kind: 'set-output'; name: string; value: string }
  | { kind: 'save-state'; name: string; value: string }
  | { kind: 'add-path'; path: string }
  | { kind: 'set-env'; name: string; value: string }
  | { kind: 'echo'; enabled: boolean }
  | { kind: 'add-matcher'; file: string }
  | { kind: 'remove-matcher'; owner?: string; file?: string }
  | { kind: 'stop-commands'; token: string }
  | { kind: 'resume-commands'; token: string }
  | CommandProblem;

/** A known command GitHub refuses; with `failsStep` the runner fails the step, as here. */
export interface CommandProblem {
  kind: 'problem';
  command: string;
  level: 'error' | 'warning';
  message: string;
  failsStep: boolean;
}

export interface WorkflowCommandOptions {
  /** ACTIONS_ALLOW_UNSECURE_COMMANDS=true: honour `set-env` and `add-path`. */
  allowUnsecureCommands?: boolean;
  /** ACTIONS_ALLOW_UNSECURE_STOP_COMMANDS=true: accept any `stop-commands` token. */
  allowUnsecureStopCommands?: boolean;
}

/** A line parsed as `::name properties::data`, before the name is checked. */
export interface ParsedCommandLine {
  name: string;
  properties: Map<string, string>;
  data: string;
}

const knownCommands = new Set(
  `group endgroup error warning notice debug add-mask set-output save-state add-path set-env echo
   add-matcher remove-matcher stop-commands`.split(/\s+/),
);

const unsecureDisabled = (command: string) =>
  `The \`${command}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`;

/**
 * Splits a `::name k=v::data` line; undefined when the line is not shaped like one. Like the
 * runner: leading whitespace is ignored, the name ends at the first space, properties are
 * comma-separated `key=value` pairs (pairs without a key or a value are dropped, the last
 * duplicate wins) and data is everything after the second `::`.
 */
export function parseCommandLine(line: string): ParsedCommandLine | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  const properties = new Map<string, string>();
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const equals = pair.indexOf('=');
      if (equals <= 0 || equals === pair.length - 1) continue;
      properties.set(
        pair.slice(0, equals).toLowerCase(),
        unescape(pair.slice(equals + 1), propertyEscapes),
      );
    }
  }
  return { name, properties, data: unescape(message.slice(end + 2), dataEscapes) };
}

const dataEscapes: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' };
const propertyEscapes: Record<string, string> = { ...dataEscapes, '%3A': ':', '%2C': ',' };

// One left-to-right pass decodes `%250A` to `%0A` (not a newline), as the runner's ordered
// replacements do. The runner matches the escapes case-sensitively, so `%0a` stays as is.
function unescape(text: string, escapes: Record<string, string>): string {
  return text.replace(/%(?:25|0D|0A|3A|2C)/g, (escape) => escapes[escape] ?? escape);
}

/**
 * Turns a step's output lines into commands, one line at a time. Stateful because of
 * `::stop-commands::TOKEN`, after which every line is plain output until `::TOKEN::`.
 */
export class WorkflowCommandProcessor {
  private stopToken: string | undefined;

  constructor(private readonly options: WorkflowCommandOptions = {}) {}

  /** The command on this line, or undefined when the line is plain output. */
  processLine(line: string): WorkflowCommand | undefined {
    const parsed = parseCommandLine(line);
    if (!parsed) return undefined;
    if (this.stopToken !== undefined) {
      if (parsed.name !== this.stopToken.toLowerCase()) return undefined;
      const token = this.stopToken;
      this.stopToken = undefined;
      return { kind: 'resume-commands', token };
    }
    if (!knownCommands.has(parsed.name)) return undefined;
    return this.toCommand(parsed);
  }

  private toCommand({ name, properties, data }: ParsedCommandLine): WorkflowCommand {
    // The runner fails the step when a command throws, and only warns about a few mistakes.
    const fail = (message: string, failsStep = true): CommandProblem => ({
      kind: 'problem',
      command: name,
      level: 'error',
      message,
      failsStep,
    });
    const warn = (message: string): CommandProblem => ({
      ...fail(message, false),
      level: 'warning',
    });
    const named = properties.get('name') ?? '';
    const missingName = `Required field 'name' is missing in ##[${name}] command.`;
    const unsecure = name === 'set-env' || name === 'add-path';
    if (unsecure && !this.options.allowUnsecureCommands) return fail(unsecureDisabled(name));
    switch (name) {
      case 'group':
        return { kind: 'group', title: data };
      case 'endgroup':
        return { kind: 'endgroup' };
      case 'error':
      case 'warning':
      case 'notice':
        return annotation(name, data, properties);
      case 'debug':
        return { kind: 'debug', message: data };
      case 'add-mask':
        if (data.trim() === '')
          return warn("Can't add secret mask for empty string in ##[add-mask] command.");
        return { kind: 'add-mask', value: data };
      case 'set-output':
      case 'save-state':
      case 'set-env':
        if (named === '') return fail(missingName);
        if (name === 'set-env' && named.toUpperCase() === 'NODE_OPTIONS') {
          return fail(
            "Can't update NODE_OPTIONS environment variable using ::set-env:: command.",
            false,
          );
        }
        return { kind: name, name: named, value: data };
      case 'add-path':
        return data === ''
          ? fail("Parameter 'path' cannot be null or empty.")
          : { kind: 'add-path', path: data };
      case 'echo': {
        const value = data.trim().toLowerCase();
        if (value === 'on' || value === 'off') return { kind: 'echo', enabled: value === 'on' };
        return fail(
          `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${data}'.`,
        );
      }
      case 'add-matcher':
        return data === ''
          ? warn('File path must be specified.')
          : { kind: 'add-matcher', file: data };
      case 'remove-matcher': {
        const owner = properties.get('owner') ?? '';
        if ((owner === '') === (data === '')) {
          return warn(
            'Either an owner name or a file path (not both) must be specified in ##[remove-matcher] command.',
          );
        }
        return owner === ''
          ? { kind: 'remove-matcher', file: data }
          : { kind: 'remove-matcher', owner };
      }
      default:
        return this.stop(data, fail);
    }
  }

  // The runner refuses tokens that would let ordinary output resume processing: an empty
  // token, `pause-logging`, or the name of a command.
  private stop(token: string, problem: (message: string) => CommandProblem): WorkflowCommand {
    const lower = token.toLowerCase();
    if (
      !this.options.allowUnsecureStopCommands &&
      (token === '' || lower === 'pause-logging' || knownCommands.has(lower))
    ) {
      return problem(
        `Invalid stop-commands token '${token}': use a unique token that is not empty and not the name of a command. See https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands`,
      );
    }
    this.stopToken = token;
    return { kind: 'stop-commands', token };
  }
}

const integer = (text: string | undefined) =>
  text !== undefined && /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : undefined;

/**
 * An annotation with the runner's position rules (IssueCommandExtension.ValidateLinesAndColumns):
 * a lone end takes the place of the missing start, columns need a line and a single-line
 * range, and a range that ends before it starts is dropped. Non-integer positions are dropped.
 */
function annotation(
  level: AnnotationLevel,
  message: string,
  properties: Map<string, string>,
): WorkflowCommand {
  let line = integer(properties.get('line'));
  let endLine = integer(properties.get('endline'));
  let col = integer(properties.get('col'));
  let endColumn = integer(properties.get('endcolumn'));
  line ??= endLine;
  col ??= endColumn;
  if (col !== undefined && (line === undefined || (endLine !== undefined && endLine !== line)))
    col = endColumn = undefined;
  if (line !== undefined && endLine !== undefined && endLine < line) line = endLine = undefined;
  if (col !== undefined && endColumn !== undefined && endColumn < col) col = endColumn = undefined;
  const file = properties.get('file');
  const title = properties.get('title');
  return {
    kind: 'annotation',
    level,
    message,
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    ...(endLine === undefined ? {} : { endLine }),
    ...(col === undefined ? {} : { col }),
    ...(endColumn === undefined ? {} : { endColumn }),
    ...(title === undefined ? {} : { title }),
  };
}
