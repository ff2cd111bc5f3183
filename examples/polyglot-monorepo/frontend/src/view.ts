import { formatItemCount, formatMoney, formatStatus, formatTimestamp, shortId } from './format';
import type { OrdersState, StatusFilter } from './store';
import { summarize, visibleOrders } from './store';
import { ORDER_STATUSES } from './types';
import type { Order } from './types';
import type { OrderForm } from './validation';

/**
 * DOM helpers. Everything user-controlled goes through `textContent`, never `innerHTML`,
 * so a customer called `<img onerror=...>` is shown, not run.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  for (const child of children) {
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function orderRow(order: Order, highlight: boolean): HTMLTableRowElement {
  const badge = formatStatus(order.status);
  const row = h(
    'tr',
    { 'data-order-id': order.id },
    h('td', { class: 'mono', title: order.id }, shortId(order.id)),
    h('td', {}, order.customer),
    h('td', {}, formatItemCount(order.items)),
    h('td', { class: 'num' }, formatMoney(order.total_cents)),
    h('td', {}, h('span', { class: `badge badge-${badge.tone}` }, badge.label)),
    h('td', { class: 'mono' }, formatTimestamp(order.created_at)),
  );
  if (highlight) row.classList.add('is-new');
  return row;
}

export function itemRow(index: number): HTMLFieldSetElement {
  const field = (name: string, label: string, placeholder: string, inputmode?: string) => {
    const input = h('input', { name: `items.${index}.${name}`, placeholder, 'aria-label': label });
    if (inputmode) input.setAttribute('inputmode', inputmode);
    return h(
      'label',
      { class: `field field-${name}` },
      input,
      h('span', { class: 'field-error', 'data-error': `items.${index}.${name}` }),
    );
  };
  return h(
    'fieldset',
    { class: 'item-row', 'data-index': String(index) },
    field('sku', `Item ${index + 1} SKU`, 'SKU-001'),
    field('quantity', `Item ${index + 1} quantity`, '1', 'numeric'),
    field('price', `Item ${index + 1} unit price`, '19.99', 'decimal'),
  );
}

export interface ViewHandlers {
  onSubmit(form: OrderForm): void;
  onFilter(filter: StatusFilter): void;
  onRefresh(): void;
}

export interface View {
  render(state: OrdersState): void;
  resetForm(): void;
  readForm(): OrderForm;
}

/** Builds the static skeleton once; `render` then updates only what depends on state. */
export function createView(root: HTMLElement, handlers: ViewHandlers): View {
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const customer = h('input', { name: 'customer', 'aria-label': 'Customer', maxlength: '200' });
  const items = h('div', { class: 'items' }, itemRow(0));
  const addItem = h('button', { type: 'button', class: 'secondary' }, 'Add item');
  const submit = h('button', { type: 'submit' }, 'Create order');
  const submitError = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'new-order', novalidate: '' },
    h('h2', {}, 'New order'),
    h(
      'label',
      { class: 'field field-customer' },
      'Customer',
      customer,
      h('span', { class: 'field-error', 'data-error': 'customer' }),
    ),
    items,
    h('span', { class: 'field-error', 'data-error': 'items' }),
    h('div', { class: 'actions' }, addItem, submit),
    submitError,
  );

  const filter = h('select', { name: 'filter', 'aria-label': 'Filter by status' });
  filter.append(h('option', { value: 'all' }, 'All statuses'));
  for (const status of ORDER_STATUSES) {
    filter.append(h('option', { value: status }, formatStatus(status).label));
  }
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
  const message = h('p', { class: 'message', role: 'status' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'orders' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Order', 'Customer', 'Items', 'Total', 'Status', 'Created (UTC)'].map((title) =>
          h('th', { scope: 'col' }, title),
        ),
      ),
    ),
    tbody,
  );

  root.replaceChildren(
    h('header', {}, h('h1', {}, 'Orders'), summary),
    form,
    h(
      'section',
      { class: 'list' },
      h('div', { class: 'toolbar' }, filter, refresh),
      message,
      table,
    ),
  );

  addItem.addEventListener('click', () => {
    items.append(itemRow(items.children.length));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.onSubmit(readForm());
  });
  filter.addEventListener('change', () => handlers.onFilter(filter.value as StatusFilter));
  refresh.addEventListener('click', () => handlers.onRefresh());

  function readForm(): OrderForm {
    const value = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    return {
      customer: customer.value,
      items: [...items.children].map((_, index) => ({
        sku: value(`items.${index}.sku`),
        quantity: value(`items.${index}.quantity`),
        price: value(`items.${index}.price`),
      })),
    };
  }

  return {
    readForm,
    resetForm() {
      customer.value = '';
      items.replaceChildren(itemRow(0));
    },
    render(state) {
      const totals = summarize(state.orders);
      summary.textContent = `${totals.count} ${totals.count === 1 ? 'order' : 'orders'} · ${formatMoney(totals.revenueCents)} revenue`;

      for (const slot of form.querySelectorAll<HTMLElement>('[data-error]')) {
        const error = state.fieldErrors[slot.dataset.error ?? ''] ?? '';
        slot.textContent = error;
        const input = slot.parentElement?.querySelector('input');
        if (input) input.toggleAttribute('aria-invalid', error !== '');
      }
      submitError.textContent = state.submitError ?? '';
      submit.disabled = state.submitting;
      submit.textContent = state.submitting ? 'Creating…' : 'Create order';
      filter.value = state.filter;

      const shown = visibleOrders(state);
      if (state.phase === 'loading') message.textContent = 'Loading orders…';
      else if (state.phase === 'error') message.textContent = state.error ?? 'Failed to load.';
      else if (state.phase === 'ready' && shown.length === 0) message.textContent = 'No orders.';
      else message.textContent = '';
      tbody.replaceChildren(
        ...shown.map((order) => orderRow(order, order.id === state.lastCreatedId)),
      );
    },
  };
}
