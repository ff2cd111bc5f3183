/**
 * Commands that need no process. go-task runs every command in an embedded shell, so a Taskfile
 * full of `:` and `echo "Building…"` lines costs it nothing; Gantry runs commands in bash, and
 * each process costs about a millisecond of Gantry's own time. A command that is exactly one of
 * bash's side-effect-free builtins (`:`, `true`, `false`, `echo`) applied to literal words has
 * one possible outcome, so it is computed here. Anything else — an expansion, a quote that
 * could expand, a redirection, an operator, an option, a second command — goes to bash.
 */

/** What bash would have printed and returned. */
export interface BuiltinOutcome {
  exitCode: number;
  stdout: string;
}

// Characters that mean nothing to bash outside quotes (no globbing, expansion, operators,
// comments, brace or tilde expansion, history, escapes).
const PLAIN = /^[A-Za-z0-9_./,:=+@%^-]$/;
// Characters that keep their meaning inside double quotes.
const LIVE_IN_DOUBLE_QUOTES = /[$`\\!"]/;

/**
 * The outcome of `script` if it is a plain builtin call, else undefined. The caller rules out
 * what would make bash behave differently: shell options other than errexit/nounset/pipefail,
 * `shopt`, BASH_ENV and exported functions (`BASH_FUNC_*`) in the environment.
 */
export function plainBuiltin(script: string): BuiltinOutcome | undefined {
  const words = splitWords(script);
  if (words === undefined || words.length === 0) return undefined;
  const [name, ...args] = words;
  switch (name) {
    case ':':
    case 'true':
      return { exitCode: 0, stdout: '' };
    case 'false':
      return { exitCode: 1, stdout: '' };
    case 'echo':
      // Options (`-n`, `-e`, `-E`) change what echo prints; leave them to bash.
      if (args.some((a) => a.startsWith('-'))) return undefined;
      return { exitCode: 0, stdout: `${args.join(' ')}\n` };
    default:
      return undefined;
  }
}

/** Literal words separated by blanks, or undefined when anything is not literal. */
function splitWords(script: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < script.length) {
    const c = script[i] ?? '';
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else if (c === "'" || c === '"') {
      const close = script.indexOf(c, i + 1);
      if (close === -1) return undefined;
      const quoted = script.slice(i + 1, close);
      if (c === '"' && LIVE_IN_DOUBLE_QUOTES.test(quoted)) return undefined;
      word = (word ?? '') + quoted;
      i = close + 1;
    } else if (PLAIN.test(c)) {
      word = (word ?? '') + c;
      i += 1;
    } else {
      return undefined;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Whether the environment could change what a builtin does in a fresh `bash -c`. */
export function environmentAltersBuiltins(env: Readonly<Record<string, string>>): boolean {
  if (env['BASH_ENV'] !== undefined) return true;
  for (const key in env) if (key.startsWith('BASH_FUNC_')) return true;
  return false;
}
