import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What loading needs from a parsed Taskfile when it has nothing to report. */
export interface ParsedTaskfile {
  /** The document as plain data (YAML's `toJS`). */
  readonly root: unknown;
  /** Task name → the line of its key, for `--list` and messages. */
  readonly taskLines: Readonly<Record<string, number>>;
}

interface Stored {
  readonly format: number;
  readonly entries: Record<string, ParsedTaskfile>;
}

// Bump when parsing changes what a Taskfile means (tags, scalars), so old entries are ignored.
const FORMAT = 1;
// Entries kept beyond the ones a load used, so switching between Taskfiles stays cheap.
const KEEP = 2000;

/**
 * Parsed Taskfiles keyed by the hash of their text. Parsing YAML is most of what loading a
 * large tree of Taskfiles costs (300 packages: ~130 ms cold); reading the same text again
 * costs a hash and a lookup. Content-addressed, so an edit is never missed and no clock or
 * mtime is trusted. Only data JSON keeps exactly is stored (no NaN, Infinity or -0).
 */
export class ParseCache {
  private entries: Record<string, ParsedTaskfile> | undefined;
  private readonly used = new Set<string>();
  private readonly handedOut = new Set<string>();
  private changed = false;

  constructor(readonly file: string) {}

  key(text: string): string {
    return createHash('sha256').update(text).digest('base64url').slice(0, 32);
  }

  get(key: string): ParsedTaskfile | undefined {
    const entry = this.load()[key];
    if (entry === undefined) return undefined;
    this.used.add(key);
    // The same file included twice must not share (and so mutate) one object.
    if (this.handedOut.has(key)) return structuredClone(entry);
    this.handedOut.add(key);
    return entry;
  }

  set(key: string, parsed: ParsedTaskfile): void {
    if (!keepsExactly(parsed.root)) return;
    this.load()[key] = structuredClone(parsed);
    this.used.add(key);
    this.changed = true;
  }

  /** Writes the entries if any were added; a cache that cannot be written is only slower. */
  flush(): void {
    if (!this.changed || this.entries === undefined) return;
    const all = Object.entries(this.entries);
    const kept =
      all.length <= KEEP
        ? all
        : [
            ...all.filter(([k]) => this.used.has(k)),
            ...all.filter(([k]) => !this.used.has(k)).slice(-(KEEP - this.used.size)),
          ];
    const stored: Stored = { format: FORMAT, entries: Object.fromEntries(kept) };
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(stored));
      renameSync(temp, this.file);
      this.changed = false;
    } catch {
      // Read-only checkout or full disk: the next load parses again.
    }
  }

  private load(): Record<string, ParsedTaskfile> {
    if (this.entries !== undefined) return this.entries;
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Stored>;
      this.entries =
        stored.format === FORMAT && stored.entries !== null && typeof stored.entries === 'object'
          ? stored.entries
          : {};
    } catch {
      this.entries = {};
    }
    return this.entries;
  }
}

/** Whether `JSON.parse(JSON.stringify(value))` gives back the same value. */
function keepsExactly(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(keepsExactly);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.values(value as Record<string, unknown>).every(keepsExactly);
  return false;
}
