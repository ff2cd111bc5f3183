import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { DEFAULT_STOP_GRACE_MS, DEFAULT_STOP_SIGNAL } from './spec.js';

/**
 * One pid file per running instance, so a Gantry that was killed (SIGKILL, OOM, a reboot of
 * the agent only) can find the process groups it left behind. Written when a process starts,
 * removed once its group is gone.
 */
export interface PidRecord {
  readonly id: string;
  /** The group leader (`bash -c`, or the command it exec'd). */
  readonly pid: number;
  /** Equal to `pid`: every instance leads its own group. */
  readonly pgid: number;
  /** ISO 8601, for humans. */
  readonly startedAt: string;
  readonly command: string;
  /** `/proc/<pid>/stat` start time in clock ticks; absent off Linux. */
  readonly startTime?: number;
  /** How the next Gantry stops the group: the instance's own signal and grace. */
  readonly stopSignal: NodeJS.Signals;
  readonly stopGraceMs: number;
}

/**
 * A file name for an instance id: readable where the id is, and a hash so that ids differing
 * only in characters that were replaced (`a/b` and `a_b`) still get different files.
 */
export function pidFileName(id: string): string {
  const readable = id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${readable}-${hash}.json`;
}

export class PidFiles {
  constructor(readonly dir: string) {}

  pathFor(id: string): string {
    return path.join(this.dir, pidFileName(id));
  }

  /** Written to a temporary name and renamed, so a reader never sees half a record. */
  write(record: PidRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.pathFor(record.id);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(temporary, file);
  }

  remove(id: string): void {
    this.removeFile(this.pathFor(id));
  }

  /**
   * Never throws: it runs in exit handlers, and a pid file that could not be removed is
   * harmless — the next reapOrphans proves a record before it acts on it.
   */
  removeFile(file: string): void {
    try {
      rmSync(file, { force: true });
    } catch {
      // EACCES, EPERM: left for the next start.
    }
  }

  /** Every readable record with the file it came from; files that do not parse are left alone. */
  list(): Array<{ file: string; record: PidRecord }> {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    const found: Array<{ file: string; record: PidRecord }> = [];
    for (const name of names.sort()) {
      const file = path.join(this.dir, name);
      const record = parseRecord(file);
      if (record !== undefined) found.push({ file, record });
    }
    return found;
  }
}

function parseRecord(file: string): PidRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<PidRecord>;
  const isPid = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 1;
  if (typeof record.id !== 'string' || !isPid(record.pid) || !isPid(record.pgid)) return undefined;
  return {
    id: record.id,
    pid: record.pid,
    pgid: record.pgid,
    startedAt: typeof record.startedAt === 'string' ? record.startedAt : '',
    command: typeof record.command === 'string' ? record.command : '',
    ...(typeof record.startTime === 'number' ? { startTime: record.startTime } : {}),
    // A signal name `process.kill` does not know would throw in the middle of reaping.
    stopSignal:
      typeof record.stopSignal === 'string' && record.stopSignal in constants.signals
        ? record.stopSignal
        : DEFAULT_STOP_SIGNAL,
    stopGraceMs:
      typeof record.stopGraceMs === 'number' && record.stopGraceMs >= 0
        ? record.stopGraceMs
        : DEFAULT_STOP_GRACE_MS,
  };
}
