import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import type { OrdersApi } from '../src/api';
import { mountApp } from '../src/app';
import type { OrdersApp } from '../src/app';
import type { NewOrder, Order } from '../src/types';
import { order } from './fixtures';

/** An in-memory backend with the same behaviour as the real one, for the UI tests. */
function fakeApi(initial: Order[] = []): OrdersApi & { orders: Order[] } {
  const orders = [...initial];
  let next = 1;
  return {
    orders,
    list: vi.fn(async () => [...orders]),
    create: vi.fn(async (body: NewOrder) => {
      const created: Order = {
        id: `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`,
        customer: body.customer,
        items: body.items,
        total_cents: body.items.reduce((s, i) => s + i.quantity * i.unit_price_cents, 0),
        status: 'pending',
        created_at: '2030-01-01T00:00:00Z',
      };
      orders.push(created);
      return created;
    }),
  };
}

let root: HTMLElement;
let app: OrdersApp | undefined;

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  app?.dispose();
  app = undefined;
  root.remove();
});

const $ = <T extends Element = HTMLElement>(selector: string) => {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
};
const rows = () => [...root.querySelectorAll('tbody tr')].map((tr) => tr.textContent);
const type = (name: string, value: string) => {
  $<HTMLInputElement>(`input[name="${name}"]`).value = value;
};
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('mountApp', () => {
  it('renders the list, the summary and the statuses', async () => {
    app = mountApp(root, fakeApi([order(), order({ id: 'b2', status: 'cancelled' })]));
    expect($('.message').textContent).toBe('');
    const pending = app.refresh();
    expect($('.message').textContent).toBe('Loading orders…');
    await pending;
    expect(rows()).toHaveLength(2);
    expect($('.summary').textContent).toBe('2 orders · $39.98 revenue');
    expect(rows()[0]).toContain('Ada Lovelace');
    expect(rows()[0]).toContain('$39.98');
    expect($('.badge-danger').textContent).toBe('Cancelled');
  });

  it('shows an empty state and load errors', async () => {
    const api = fakeApi();
    app = mountApp(root, api);
    await app.refresh();
    expect($('.message').textContent).toBe('No orders.');
    expect($('.summary').textContent).toBe('0 orders · $0.00 revenue');
    vi.mocked(api.list).mockRejectedValueOnce(new ApiError('Cannot reach the orders API', 0));
    await app.refresh();
    expect($('.message').textContent).toBe('Cannot reach the orders API');
    vi.mocked(api.list).mockRejectedValueOnce('weird');
    await app.refresh();
    expect($('.message').textContent).toBe('weird');
  });

  it('keeps only the newest of overlapping refreshes', async () => {
    const api = fakeApi([order()]);
    let release!: (orders: Order[]) => void;
    vi.mocked(api.list).mockImplementationOnce(
      () => new Promise<Order[]>((resolve) => (release = resolve)),
    );
    app = mountApp(root, api);
    const first = app.refresh();
    await app.refresh();
    release([]);
    await first;
    expect(rows()).toHaveLength(1);
  });

  it('never interprets customer names as HTML', async () => {
    app = mountApp(root, fakeApi([order({ customer: '<img src=x onerror=alert(1)>' })]));
    await app.refresh();
    expect(root.querySelector('tbody img')).toBeNull();
    expect(rows()[0]).toContain('<img src=x onerror=alert(1)>');
  });

  it('creates an order from the form and highlights it', async () => {
    const api = fakeApi();
    app = mountApp(root, api);
    await app.refresh();
    type('customer', 'Grace Hopper');
    type('items.0.sku', 'COBOL-1');
    type('items.0.quantity', '3');
    type('items.0.price', '2.50');
    $('button.secondary').click(); // add a second row
    type('items.1.sku', 'NANO');
    type('items.1.quantity', '1');
    type('items.1.price', '$1,000');
    $<HTMLFormElement>('form').dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(api.create).toHaveBeenCalledWith({
      customer: 'Grace Hopper',
      items: [
        { sku: 'COBOL-1', quantity: 3, unit_price_cents: 250 },
        { sku: 'NANO', quantity: 1, unit_price_cents: 100000 },
      ],
    });
    expect(rows()).toHaveLength(1);
    expect($('tbody tr').classList.contains('is-new')).toBe(true);
    expect(rows()[0]).toContain('$1,007.50');
    // The form is reset for the next order.
    expect($<HTMLInputElement>('input[name="customer"]').value).toBe('');
    expect(root.querySelectorAll('.item-row')).toHaveLength(1);
  });

  it('shows validation errors next to the fields and does not call the API', async () => {
    const api = fakeApi();
    app = mountApp(root, api);
    type('items.0.sku', 'A');
    type('items.0.quantity', '0');
    await expect(app.submit(formValues())).resolves.toBe(false);
    expect(api.create).not.toHaveBeenCalled();
    expect($('[data-error="customer"]').textContent).toBe('Customer is required.');
    expect($('[data-error="items.0.quantity"]').textContent).toMatch(/whole number/);
    expect($('input[name="items.0.quantity"]').hasAttribute('aria-invalid')).toBe(true);
    expect($('input[name="items.0.sku"]').hasAttribute('aria-invalid')).toBe(false);
  });

  it('shows server errors and re-enables the button', async () => {
    const api = fakeApi();
    vi.mocked(api.create).mockRejectedValueOnce(new ApiError('customer: too long', 422));
    app = mountApp(root, api);
    type('customer', 'Ada');
    type('items.0.sku', 'A');
    type('items.0.quantity', '1');
    type('items.0.price', '1');
    const pending = app.submit(formValues());
    expect($<HTMLButtonElement>('button[type="submit"]').disabled).toBe(true);
    expect($('button[type="submit"]').textContent).toBe('Creating…');
    // A second submit while the first is in flight is ignored.
    await expect(app.submit(formValues())).resolves.toBe(false);
    await expect(pending).resolves.toBe(false);
    expect($('.form-error').textContent).toBe('customer: too long');
    expect($<HTMLButtonElement>('button[type="submit"]').disabled).toBe(false);
    expect(api.create).toHaveBeenCalledTimes(1);
  });

  it('filters with the select and refreshes with the button', async () => {
    const api = fakeApi([order({ id: 'p1' }), order({ id: 'p2', status: 'shipped' })]);
    app = mountApp(root, api);
    await app.refresh();
    const select = $<HTMLSelectElement>('select[name="filter"]');
    select.value = 'shipped';
    select.dispatchEvent(new Event('change'));
    expect(rows()).toHaveLength(1);
    expect($('.badge').textContent).toBe('Shipped');
    api.orders.push(order({ id: 'p3', status: 'shipped' }));
    [...root.querySelectorAll<HTMLButtonElement>('button')]
      .find((button) => button.textContent === 'Refresh')
      ?.click();
    await flush();
    expect(api.list).toHaveBeenCalledTimes(2);
    expect(rows()).toHaveLength(2);
  });

  it('cleans up on dispose', () => {
    app = mountApp(root, fakeApi());
    app.dispose();
    app = undefined;
    expect(root.childElementCount).toBe(0);
  });
});

function formValues() {
  if (!app) throw new Error('no app');
  const value = (name: string) =>
    root.querySelector<HTMLInputElement>(`input[name="${name}"]`)?.value ?? '';
  return {
    customer: value('customer'),
    items: [
      {
        sku: value('items.0.sku'),
        quantity: value('items.0.quantity'),
        price: value('items.0.price'),
      },
    ],
  };
}
