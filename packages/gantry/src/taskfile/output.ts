import { GantryError } from '../errors/index.js';
import { isRecord } from './data.js';

export type Stream = 'stdout' | 'stderr';
export type Emit = (text: string, stream: Stream) => void;

/** go-task's `output:` styles. */
export type OutputStyle =
  | { readonly name: 'interleaved' }
  | {
      readonly name: 'group';
      readonly begin?: string;
      readonly end?: string;
      readonly errorOnly?: boolean;
    }
  | { readonly name: 'prefixed' };

/** Where one command's output goes; `close` flushes what a style held back. */
export interface CommandOutput {
  write(text: string, stream: Stream): void;
  close(failed: boolean): void;
}

/** The Taskfile's `output:` (string or `{group: {...}}`), overridden by the command line. */
export function parseOutputStyle(raw: unknown, where: string): OutputStyle {
  if (raw === undefined || raw === null || raw === 'interleaved') return { name: 'interleaved' };
  if (raw === 'group') return { name: 'group' };
  if (raw === 'prefixed') return { name: 'prefixed' };
  if (isRecord(raw) && isRecord(raw['group'])) {
    const group = raw['group'];
    return {
      name: 'group',
      ...(typeof group['begin'] === 'string' ? { begin: group['begin'] } : {}),
      ...(typeof group['end'] === 'string' ? { end: group['end'] } : {}),
      ...(group['error_only'] === true ? { errorOnly: true } : {}),
    };
  }
  throw new GantryError('GANTRY_USAGE', `${where}: unknown output style ${JSON.stringify(raw)}`, {
    hint: 'use interleaved, group or prefixed',
  });
}

/**
 * Opens the output of one command, as go-task does per command: `interleaved` passes chunks
 * through, `group` holds everything back and prints it at the end between `begin`/`end`
 * (only for failures with `error_only`; nothing for a command that printed nothing), `prefixed` writes each line as `[prefix] line`.
 */
export function openCommandOutput(
  style: OutputStyle,
  emit: Emit,
  prefix: string,
  render: (template: string) => string,
): CommandOutput {
  if (style.name === 'interleaved') return { write: emit, close: () => {} };
  if (style.name === 'group') {
    const held: Array<[string, Stream]> = [];
    return {
      write: (text, stream) => held.push([text, stream]),
      close: (failed) => {
        if ((style.errorOnly && !failed) || held.length === 0) return;
        if (style.begin !== undefined) emit(`${render(style.begin)}\n`, 'stdout');
        for (const [text, stream] of held) emit(text, stream);
        if (style.end !== undefined) emit(`${render(style.end)}\n`, 'stdout');
      },
    };
  }
  const partial: Record<Stream, string> = { stdout: '', stderr: '' };
  return {
    write: (text, stream) => {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop() ?? '';
      if (lines.length > 0) emit(lines.map((line) => `[${prefix}] ${line}\n`).join(''), stream);
    },
    close: () => {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream] !== '') emit(`[${prefix}] ${partial[stream]}\n`, stream);
        partial[stream] = '';
      }
    },
  };
}
