import type { OrdersApi } from './api';
import { createStore, initialOrdersState, ordersReducer } from './store';
import type { OrdersAction, OrdersState, Store } from './store';
import { validateOrderForm } from './validation';
import type { OrderForm } from './validation';
import { createView } from './view';

export interface OrdersApp {
  store: Store<OrdersState, OrdersAction>;
  /** Reloads the list; resolves when the store has the result. */
  refresh(): Promise<void>;
  /** Validates and creates an order; resolves to whether it was created. */
  submit(form: OrderForm): Promise<boolean>;
  dispose(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wires the API, the store and the view together under `root`. */
export function mountApp(root: HTMLElement, api: OrdersApi): OrdersApp {
  const store = createStore(ordersReducer, initialOrdersState);
  let loads = 0;
  let inflight: AbortController | null = null;

  async function refresh(): Promise<void> {
    inflight?.abort();
    const controller = new AbortController();
    inflight = controller;
    const ticket = ++loads;
    store.dispatch({ type: 'load/start' });
    try {
      const orders = await api.list(controller.signal);
      if (ticket === loads) store.dispatch({ type: 'load/success', orders });
    } catch (error) {
      // A newer refresh superseded this one: its result, not ours, goes in the store.
      if (ticket === loads) store.dispatch({ type: 'load/failure', error: describe(error) });
    }
  }

  async function submit(form: OrderForm): Promise<boolean> {
    if (store.getState().submitting) return false;
    const result = validateOrderForm(form);
    if (!result.ok) {
      store.dispatch({ type: 'create/invalid', fieldErrors: result.errors });
      return false;
    }
    store.dispatch({ type: 'create/start' });
    try {
      const order = await api.create(result.value);
      store.dispatch({ type: 'create/success', order });
      view.resetForm();
      return true;
    } catch (error) {
      store.dispatch({ type: 'create/failure', error: describe(error) });
      return false;
    }
  }

  const view = createView(root, {
    onSubmit: (form) => void submit(form),
    onFilter: (filter) => store.dispatch({ type: 'filter/set', filter }),
    onRefresh: () => void refresh(),
  });
  const unsubscribe = store.subscribe((state) => view.render(state));
  view.render(store.getState());

  return {
    store,
    refresh,
    submit,
    dispose() {
      inflight?.abort();
      unsubscribe();
      root.replaceChildren();
    },
  };
}
