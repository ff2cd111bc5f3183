/** A counting semaphore as plain data: how many of `limit` are taken, and who waits (FIFO). */
export class Slots {
  private taken = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.taken < this.limit) {
      this.taken++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.taken--;
  }
}
