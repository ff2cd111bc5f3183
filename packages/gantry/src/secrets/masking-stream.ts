import type { MatchAutomaton } from './automaton.js';
import { mergeRanges, type Ranges } from './ranges.js';
import { scan } from './scan.js';

export const MASK = '***';

/** Masks a live stream of text chunks (callers decode bytes with a StringDecoder first). */
export interface MaskingStream {
  /**
   * Takes the next chunk and returns the text that is safe to emit now. It holds back only
   * the tail that could still be the start of a secret (at most the longest secret − 1).
   */
  write(chunk: string): string;
  /** Flushes everything held back, masked; the stream can then be reused from scratch. */
  end(): string;
}

/**
 * Offsets are absolute positions in everything written so far. Invariants after each call:
 * - text before `emitted` has been returned; `ranges` holds the masked ranges that still
 *   reach past `emitted`;
 * - `raw` is the text from `rawStart` to `pos`, kept back to the start of the current partial
 *   match and at least the longest secret − 1 characters, so a rebuilt automaton (a secret
 *   added mid-stream) can rescan it;
 * - `inRun` tells whether the last emitted character was masked, so a masked run that goes
 *   on across calls still yields a single `***`, exactly as `SecretMasker.mask` does.
 */
export class StreamingMasker implements MaskingStream {
  private automaton: MatchAutomaton | undefined;
  private row = 0;
  private pos = 0;
  private raw = '';
  private rawStart = 0;
  // The chunk being written is kept apart from `raw` (and starts where `raw` ends): slicing
  // `raw + chunk` would make V8 copy the whole chunk into a flat string on every write.
  private chunk = '';
  private emitted = 0;
  private ranges: Ranges = [];
  private inRun = false;

  constructor(private readonly current: () => MatchAutomaton) {}

  write(chunk: string): string {
    const automaton = this.sync();
    this.chunk = chunk;
    this.row = scan(automaton, chunk, this.pos, this.row, this.ranges);
    this.pos += chunk.length;
    return this.emit(this.pos - automaton.depth[this.row / automaton.classCount]!);
  }

  end(): string {
    this.sync();
    const out = this.emit(this.pos);
    this.row = 0;
    this.raw = '';
    this.rawStart = this.emitted = this.pos;
    this.ranges = [];
    this.inRun = false;
    return out;
  }

  // After a secret is added the automaton is rebuilt; rescan what is kept with the new one.
  // Its state after the rescan is at least as deep as before, because it knows every old
  // pattern too, so a partial match in progress is not lost.
  private sync(): MatchAutomaton {
    const automaton = this.current();
    if (automaton === this.automaton) return automaton;
    this.automaton = automaton;
    const found: Ranges = [];
    this.row = scan(automaton, this.raw, this.rawStart, 0, found);
    this.ranges = mergeRanges(this.ranges, found);
    return automaton;
  }

  /**
   * Returns the text from `emitted` up to `limit` (no match can start before it) and on
   * through a masked range that contains `limit`: masked text is final once a match covers
   * it, which keeps the held-back tail shorter than the longest secret.
   */
  private emit(limit: number): string {
    // A rebuilt automaton may be deeper than the text already returned; that text stays out.
    limit = Math.max(limit, this.emitted);
    const ranges = this.ranges;
    for (let i = 0; i < ranges.length; i += 2) {
      if (ranges[i]! > limit) break;
      if (ranges[i + 1]! > limit) limit = ranges[i + 1]!;
    }
    let out = '';
    let cursor = this.emitted;
    let consumed = 0;
    for (; consumed < ranges.length && ranges[consumed]! < limit; consumed += 2) {
      const start = ranges[consumed]!;
      const end = Math.min(ranges[consumed + 1]!, limit);
      if (end <= cursor) continue; // found again by a rescan, already emitted
      if (start > cursor) {
        out += this.slice(cursor, start);
        this.inRun = false;
      }
      if (!this.inRun) out += MASK;
      this.inRun = true;
      cursor = end;
    }
    if (limit > cursor) {
      out += this.slice(cursor, limit);
      this.inRun = false;
    }
    if (consumed > 0) this.ranges = ranges.slice(consumed);
    this.emitted = limit;
    this.trim();
    return out;
  }

  private trim(): void {
    const automaton = this.automaton!;
    const partial = this.pos - automaton.depth[this.row / automaton.classCount]!;
    const keepFrom = Math.max(
      this.rawStart,
      Math.min(this.emitted, partial, this.pos - automaton.maxLength + 1),
    );
    this.raw = this.slice(keepFrom, this.pos);
    this.rawStart = keepFrom;
    this.chunk = '';
  }

  private slice(from: number, to: number): string {
    const split = this.rawStart + this.raw.length;
    if (from >= split) return this.chunk.slice(from - split, to - split);
    if (to <= split) return this.raw.slice(from - this.rawStart, to - this.rawStart);
    return this.raw.slice(from - this.rawStart) + this.chunk.slice(0, to - split);
  }
}
