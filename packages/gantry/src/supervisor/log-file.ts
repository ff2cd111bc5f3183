import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * An instance's log file. The child gets the file itself as stdout and stderr (an O_APPEND
 * descriptor), not a pipe through Gantry: its output reaches the disk even while Gantry is busy,
 * and a server that outlives a killed Gantry neither loses its output nor dies of SIGPIPE on its
 * next write. Gantry's own marker lines are appended between runs.
 */

/** Opens `file` for appending, creating its folder; the caller closes the descriptor. */
export function openLogForChild(file: string): number {
  mkdirSync(path.dirname(file), { recursive: true });
  return openSync(file, 'a');
}

/**
 * Appends one `[gantry] ...` line. A log that cannot be written (its folder was removed, the
 * disk is full) must not take the supervisor down with it, so failures are ignored.
 */
export function appendLogLine(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `[gantry] ${text}\n`);
  } catch {
    // The process's state is tracked in memory; the log line is only for humans.
  }
}

/** Enough bytes for the last few lines of any sane server log. */
const TAIL_BYTES = 64 * 1024;

/** The last `count` lines of `file` (fewer when it is shorter or unreadable), for error messages. */
export function readLogTail(file: string, count = 20): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.subarray(0, read).toString('utf8').split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    // The first line may have been cut in the middle when only the tail was read.
    if (size > length) lines.shift();
    return lines.slice(-count);
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}

/** Indents a log tail under an error message. */
export function formatLogTail(file: string, lines: readonly string[]): string {
  if (lines.length === 0) return `(nothing in ${file})`;
  return [`last ${lines.length} lines of ${file}:`, ...lines.map((line) => `  ${line}`)].join('\n');
}
