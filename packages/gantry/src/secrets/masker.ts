import { MatchAutomaton } from './automaton.js';
import { derivedForms } from './derived-forms.js';
import { MASK, StreamingMasker, type MaskingStream } from './masking-stream.js';
import { applyRanges, type Ranges } from './ranges.js';
import { scan } from './scan.js';

export type { MaskingStream } from './masking-stream.js';

/**
 * Masks secrets in log text, whole strings or live streams. Every registered value brings its
 * derived forms along (lines, JSON/URL/base64 encodings; see derived-forms.ts). All patterns
 * are matched at once by one Aho-Corasick automaton, rebuilt lazily on the first use after
 * values were added, so scanning costs the same per character whatever the number of secrets.
 *
 * Overlapping or touching matches merge into one `***`, so the longest secret always wins
 * and nothing of a secret that is a prefix or suffix of another survives.
 */
export class SecretMasker {
  private readonly patterns = new Set<string>();
  private readonly registered = new Set<string>();
  private automaton: MatchAutomaton | undefined;

  /** Registers a secret; empty and whitespace-only values are ignored (GitHub does the same). */
  add(value: string): void {
    if (value.trim() !== '') this.registered.add(value);
    for (const form of derivedForms(value)) {
      if (this.patterns.has(form)) continue;
      this.patterns.add(form);
      this.automaton = undefined;
    }
  }

  /** The values registered with `add`, for a child process that must mask the same ones. */
  values(): string[] {
    return [...this.registered];
  }

  /** The number of registered patterns (values and their derived forms). */
  get size(): number {
    return this.patterns.size;
  }

  mask(text: string): string {
    const automaton = this.current();
    const ranges: Ranges = [];
    scan(automaton, text, 0, 0, ranges);
    return ranges.length === 0 ? text : applyRanges(text, 0, ranges, MASK);
  }

  /**
   * A stream that masks text arriving in chunks. Secrets added later apply to everything
   * the stream has not returned yet.
   */
  createStream(): MaskingStream {
    return new StreamingMasker(() => this.current());
  }

  private current(): MatchAutomaton {
    this.automaton ??= new MatchAutomaton(this.patterns);
    return this.automaton;
  }
}
