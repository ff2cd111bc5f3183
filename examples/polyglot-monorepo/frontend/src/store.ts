import type { Order, OrderStatus } from './types';

/** A minimal Redux-style store: one state value, a pure reducer, synchronous subscribers. */
export interface Store<S, A> {
  getState(): S;
  dispatch(action: A): void;
  subscribe(listener: (state: S) => void): () => void;
}

export function createStore<S, A>(reducer: (state: S, action: A) => S, initial: S): Store<S, A> {
  let state = initial;
  const listeners = new Set<(state: S) => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type StatusFilter = OrderStatus | 'all';

export interface OrdersState {
  orders: Order[];
  phase: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  submitting: boolean;
  submitError: string | null;
  fieldErrors: Record<string, string>;
  filter: StatusFilter;
  /** Id of the order created last, to highlight it. */
  lastCreatedId: string | null;
}

export type OrdersAction =
  | { type: 'load/start' }
  | { type: 'load/success'; orders: Order[] }
  | { type: 'load/failure'; error: string }
  | { type: 'create/invalid'; fieldErrors: Record<string, string> }
  | { type: 'create/start' }
  | { type: 'create/success'; order: Order }
  | { type: 'create/failure'; error: string }
  | { type: 'filter/set'; filter: StatusFilter };

export const initialOrdersState: OrdersState = {
  orders: [],
  phase: 'idle',
  error: null,
  submitting: false,
  submitError: null,
  fieldErrors: {},
  filter: 'all',
  lastCreatedId: null,
};

/** Newest first (by `created_at`, then by id for a stable order). */
export function sortOrders(orders: readonly Order[]): Order[] {
  return [...orders].sort((a, b) => {
    const byTime = (b.created_at ?? '').localeCompare(a.created_at ?? '');
    return byTime !== 0 ? byTime : a.id.localeCompare(b.id);
  });
}

export function ordersReducer(state: OrdersState, action: OrdersAction): OrdersState {
  switch (action.type) {
    case 'load/start':
      return { ...state, phase: 'loading', error: null };
    case 'load/success':
      return { ...state, phase: 'ready', error: null, orders: sortOrders(action.orders) };
    case 'load/failure':
      return { ...state, phase: 'error', error: action.error };
    case 'create/invalid':
      return { ...state, fieldErrors: action.fieldErrors, submitError: null };
    case 'create/start':
      return { ...state, submitting: true, submitError: null, fieldErrors: {} };
    case 'create/success': {
      const others = state.orders.filter((order) => order.id !== action.order.id);
      return {
        ...state,
        submitting: false,
        orders: sortOrders([action.order, ...others]),
        lastCreatedId: action.order.id,
      };
    }
    case 'create/failure':
      return { ...state, submitting: false, submitError: action.error };
    case 'filter/set':
      return action.filter === state.filter ? state : { ...state, filter: action.filter };
  }
}

/** The orders the current filter shows. */
export function visibleOrders(state: OrdersState): Order[] {
  return state.filter === 'all'
    ? state.orders
    : state.orders.filter((order) => order.status === state.filter);
}

export interface OrdersSummary {
  count: number;
  /** Sum of totals over orders that are not cancelled. */
  revenueCents: number;
  byStatus: Record<OrderStatus, number>;
}

export function summarize(orders: readonly Order[]): OrdersSummary {
  const byStatus: Record<OrderStatus, number> = { pending: 0, paid: 0, shipped: 0, cancelled: 0 };
  let revenueCents = 0;
  for (const order of orders) {
    byStatus[order.status] += 1;
    if (order.status !== 'cancelled') revenueCents += order.total_cents;
  }
  return { count: orders.length, revenueCents, byStatus };
}
