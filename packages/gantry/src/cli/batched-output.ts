/**
 * Output for a run that prints many short lines (`task: Task "x" is up to date` for hundreds
 * of tasks): writes made in one turn of the event loop reach stdout and stderr as one write
 * per stream change, in order, at the end of the turn. `flush()` delivers at once; call it
 * before anything else uses the terminal (a prompt, an interactive command) and at the end.
 */
export class BatchedOutput {
  private pending: Array<['stdout' | 'stderr', string]> = [];
  private scheduled = false;

  constructor(
    private readonly streams: Readonly<Record<'stdout' | 'stderr', NodeJS.WritableStream>> = {
      stdout: process.stdout,
      stderr: process.stderr,
    },
  ) {}

  readonly write = (text: string, stream: 'stdout' | 'stderr'): void => {
    const last = this.pending.at(-1);
    if (last?.[0] === stream) last[1] += text;
    else this.pending.push([stream, text]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  };

  readonly flush = (): void => {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = [];
    for (const [stream, text] of pending) this.streams[stream].write(text);
  };
}
