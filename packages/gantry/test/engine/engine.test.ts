import { describe, expect, it } from 'vitest';
import {
  ConcurrencyGroups,
  JobGraph,
  Slots,
  combineResults,
  stepStatus,
} from '../../src/engine/index.js';

describe('JobGraph', () => {
  it('releases a job as soon as its own needs finish, not by levels', () => {
    // a -> c ; b (slow) -> d. c must be ready while b still runs.
    const g = new JobGraph([
      { id: 'a', needs: [] },
      { id: 'b', needs: [] },
      { id: 'c', needs: ['a'] },
      { id: 'd', needs: ['b'] },
    ]);
    expect(g.takeReady().sort()).toEqual(['a', 'b']);
    g.complete('a', 'success');
    expect(g.takeReady()).toEqual(['c']);
    expect(g.done).toBe(false);
    g.complete('c', 'success');
    expect(g.takeReady()).toEqual([]);
    g.complete('b', 'success');
    expect(g.takeReady()).toEqual(['d']);
    g.complete('d', 'success');
    expect(g.done).toBe(true);
  });

  it('evaluates job status functions over all ancestors', () => {
    const g = new JobGraph([
      { id: 'a', needs: [] },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['b'] },
    ]);
    g.takeReady();
    g.complete('a', 'failure');
    g.takeReady();
    g.complete('b', 'skipped');
    const status = g.statusOf('c', false);
    expect(status.success()).toBe(false);
    expect(status.failure()).toBe(true); // a failed two levels up
    expect(g.ancestors('c')).toEqual(['b', 'a']);
  });

  it('treats a skipped need as not successful (the skip cascades)', () => {
    const g = new JobGraph([
      { id: 'a', needs: [] },
      { id: 'b', needs: ['a'] },
    ]);
    g.takeReady();
    g.complete('a', 'skipped');
    const status = g.statusOf('b', false);
    expect(status.success()).toBe(false);
    expect(status.failure()).toBe(false);
  });
});

describe('step status and results', () => {
  it('success() turns false after a failed conclusion; cancelled() follows the job', () => {
    expect(stepStatus(['success', 'skipped'], false).success()).toBe(true);
    expect(stepStatus(['success', 'failure'], false).failure()).toBe(true);
    expect(stepStatus(['success'], true).success()).toBe(false);
    expect(stepStatus(['success'], true).cancelled()).toBe(true);
  });

  it('combines leg results with failure over cancelled over success', () => {
    expect(combineResults(['success', 'cancelled', 'failure'])).toBe('failure');
    expect(combineResults(['success', 'cancelled'])).toBe('cancelled');
    expect(combineResults(['success', 'skipped'])).toBe('success');
    expect(combineResults(['skipped'])).toBe('skipped');
  });
});

describe('ConcurrencyGroups', () => {
  it('keeps one running and one pending; a newer pending cancels the older', () => {
    const groups = new ConcurrencyGroups();
    expect(groups.request('Deploy', 'j1', false)).toEqual({ start: true, cancel: [] });
    expect(groups.request('deploy', 'j2', false)).toEqual({ start: false, cancel: [] });
    expect(groups.request('DEPLOY', 'j3', false)).toEqual({ start: false, cancel: ['j2'] });
    expect(groups.release('deploy', 'j1')).toBe('j3');
    expect(groups.release('deploy', 'j3')).toBeUndefined();
    expect(groups.request('deploy', 'j4', false).start).toBe(true);
  });

  it('cancel-in-progress cancels the running member', () => {
    const groups = new ConcurrencyGroups();
    groups.request('g', 'a', true);
    expect(groups.request('g', 'b', true)).toEqual({ start: false, cancel: ['a'] });
    expect(groups.release('g', 'a')).toBe('b');
  });
});

describe('Slots', () => {
  it('never lets more than the limit through at once', async () => {
    const slots = new Slots(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        await slots.acquire();
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        slots.release();
      }),
    );
    expect(peak).toBe(2);
  });
});
