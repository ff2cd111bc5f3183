import type { SecretMasker } from '../secrets/masker.js';
import type { RunListener } from './events.js';

/** Where a job leg's log lines go: the listeners (terminal) and, in batches, the store. */
export interface LogSink {
  append(text: string): Promise<void>;
}

/**
 * One job leg's log. Every line is masked once more on its way in (values registered by
 * `::add-mask::` after the pipe saw them, and text Gantry itself writes).
 */
export class JobLog {
  private buffer: string[] = [];
  private readonly tail: string[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly job: string,
    private readonly masker: SecretMasker,
    private readonly listener: RunListener,
    private readonly sink: LogSink | undefined,
  ) {}

  line(text: string, group?: 'start' | 'end'): void {
    const masked = this.masker.mask(text);
    this.listener({ type: 'log', job: this.job, text: masked, ...(group ? { group } : {}) });
    this.tail.push(masked);
    if (this.tail.length > 30) this.tail.shift();
    if (this.sink) {
      this.buffer.push(masked);
      if (this.buffer.length >= 200) void this.flush();
    }
  }

  /** The last lines written, for the failure summary. */
  lastLines(count: number): string[] {
    return this.tail.slice(-count);
  }

  resetTail(): void {
    this.tail.length = 0;
  }

  async flush(): Promise<void> {
    if (!this.sink || this.buffer.length === 0) return this.flushing;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    const sink = this.sink;
    this.flushing = this.flushing.then(() => sink.append(text));
    return this.flushing;
  }
}
