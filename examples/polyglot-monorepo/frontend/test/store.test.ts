import { describe, expect, it, vi } from 'vitest';
import {
  createStore,
  initialOrdersState,
  ordersReducer,
  sortOrders,
  summarize,
  visibleOrders,
} from '../src/store';
import type { OrdersState } from '../src/store';
import { order } from './fixtures';

const a = order({ id: 'a', created_at: '2025-01-01T00:00:00Z', status: 'paid', total_cents: 100 });
const b = order({
  id: 'b',
  created_at: '2025-01-03T00:00:00Z',
  status: 'pending',
  total_cents: 200,
});
const c = order({ id: 'c', created_at: undefined, status: 'cancelled', total_cents: 400 });

describe('createStore', () => {
  it('notifies subscribers on change only, and unsubscribes', () => {
    const store = createStore((state: number, action: number) => state + action, 0);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.dispatch(2);
    store.dispatch(0);
    expect(store.getState()).toBe(2);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(2);
    unsubscribe();
    store.dispatch(1);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('ordersReducer', () => {
  const reduce = (state: OrdersState, ...actions: Parameters<typeof ordersReducer>[1][]) =>
    actions.reduce(ordersReducer, state);

  it('loads orders newest first', () => {
    const loading = reduce(initialOrdersState, { type: 'load/start' });
    expect(loading.phase).toBe('loading');
    const ready = reduce(loading, { type: 'load/success', orders: [a, c, b] });
    expect(ready.phase).toBe('ready');
    expect(ready.orders.map((o) => o.id)).toEqual(['b', 'a', 'c']);
  });

  it('records load failures and clears them on the next load', () => {
    const failed = reduce(initialOrdersState, { type: 'load/failure', error: 'down' });
    expect(failed).toMatchObject({ phase: 'error', error: 'down' });
    expect(reduce(failed, { type: 'load/start' }).error).toBeNull();
  });

  it('handles the create lifecycle', () => {
    const invalid = reduce(initialOrdersState, {
      type: 'create/invalid',
      fieldErrors: { customer: 'required' },
    });
    expect(invalid.fieldErrors).toEqual({ customer: 'required' });
    const started = reduce(invalid, { type: 'create/start' });
    expect(started).toMatchObject({ submitting: true, fieldErrors: {}, submitError: null });
    const failed = reduce(started, { type: 'create/failure', error: 'HTTP 500' });
    expect(failed).toMatchObject({ submitting: false, submitError: 'HTTP 500' });
    const loaded = reduce(failed, { type: 'load/success', orders: [a] });
    const created = reduce(loaded, { type: 'create/start' }, { type: 'create/success', order: b });
    expect(created.orders.map((o) => o.id)).toEqual(['b', 'a']);
    expect(created).toMatchObject({ submitting: false, lastCreatedId: 'b' });
    // Creating an order already listed (e.g. after a refresh) replaces it.
    const again = reduce(created, { type: 'create/success', order: { ...b, status: 'paid' } });
    expect(again.orders).toHaveLength(2);
    expect(again.orders[0]?.status).toBe('paid');
  });

  it('filters by status and keeps the state when the filter does not change', () => {
    const loaded = reduce(initialOrdersState, { type: 'load/success', orders: [a, b, c] });
    expect(ordersReducer(loaded, { type: 'filter/set', filter: 'all' })).toBe(loaded);
    const paid = reduce(loaded, { type: 'filter/set', filter: 'paid' });
    expect(visibleOrders(paid)).toEqual([a]);
    expect(visibleOrders(loaded)).toHaveLength(3);
  });
});

describe('selectors', () => {
  it('sorts ties by id', () => {
    const x = order({ id: 'x' });
    const y = order({ id: 'y' });
    expect(sortOrders([y, x]).map((o) => o.id)).toEqual(['x', 'y']);
  });

  it('summarizes counts and revenue without cancelled orders', () => {
    expect(summarize([a, b, c])).toEqual({
      count: 3,
      revenueCents: 300,
      byStatus: { pending: 1, paid: 1, shipped: 0, cancelled: 1 },
    });
  });
});
