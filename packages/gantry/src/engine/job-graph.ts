/** How a job (or matrix leg, or step) ended, in GitHub's words. */
export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface GraphNode {
  readonly id: string;
  readonly needs: readonly string[];
}

/**
 * A ready-queue over a job DAG: a job becomes ready the moment its own `needs` have all
 * finished, not when a whole "level" has (the act-style stage barrier). Pure state, no I/O.
 */
export class JobGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  readonly results = new Map<string, Result>();

  constructor(nodes: readonly GraphNode[]) {
    for (const node of nodes) {
      this.nodes.set(node.id, node);
      this.pending.add(node.id);
    }
  }

  /** Jobs whose needs have all finished; they leave the pending set and count as running. */
  takeReady(): string[] {
    const ready: string[] = [];
    for (const id of this.pending) {
      const node = this.nodes.get(id);
      if (node && node.needs.every((n) => this.results.has(n))) ready.push(id);
    }
    for (const id of ready) {
      this.pending.delete(id);
      this.running.add(id);
    }
    return ready;
  }

  complete(id: string, result: Result): void {
    this.running.delete(id);
    this.pending.delete(id);
    this.results.set(id, result);
  }

  get done(): boolean {
    return this.pending.size === 0 && this.running.size === 0;
  }

  /** The transitive `needs` of a job, nearest first. */
  ancestors(id: string): string[] {
    const seen = new Set<string>();
    const queue = [...(this.nodes.get(id)?.needs ?? [])];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.nodes.get(next)?.needs ?? []));
    }
    return [...seen];
  }

  /** Job-level status functions: GitHub evaluates them over all ancestors, not just direct needs. */
  statusOf(id: string, runCancelled: boolean): JobStatus {
    const results = this.ancestors(id).map((a) => this.results.get(a));
    return {
      success: () => !runCancelled && results.every((r) => r === 'success'),
      failure: () => results.some((r) => r === 'failure'),
      cancelled: () => runCancelled,
    };
  }
}

export interface JobStatus {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}
