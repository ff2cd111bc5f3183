import { describe, expect, it, vi } from 'vitest';
import { ApiError, createOrdersApi, errorMessage } from '../src/api';
import { InvalidResponseError } from '../src/validation';
import { order } from './fixtures';

function respond(status: number, body: unknown): typeof fetch {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return vi.fn(async () => new Response(status === 204 ? null : text, { status }));
}

describe('createOrdersApi', () => {
  it('lists orders from GET {base}/api/orders', async () => {
    const fetch = respond(200, [order()]);
    const api = createOrdersApi({ baseUrl: 'http://api.test', fetch });
    await expect(api.list()).resolves.toEqual([order()]);
    expect(fetch).toHaveBeenCalledWith(
      'http://api.test/api/orders',
      expect.objectContaining({ method: 'GET', headers: { Accept: 'application/json' } }),
    );
  });

  it('accepts paged list shapes', async () => {
    const api1 = createOrdersApi({ baseUrl: '', fetch: respond(200, { orders: [order()] }) });
    await expect(api1.list()).resolves.toHaveLength(1);
    const api2 = createOrdersApi({ baseUrl: '', fetch: respond(200, { items: [], total: 0 }) });
    await expect(api2.list()).resolves.toEqual([]);
  });

  it('rejects an unexpected list shape or an invalid order', async () => {
    const api = createOrdersApi({ baseUrl: '', fetch: respond(200, { data: [] }) });
    await expect(api.list()).rejects.toThrow(/unexpected list shape/);
    const empty = createOrdersApi({ baseUrl: '', fetch: respond(204, null) });
    await expect(empty.list()).rejects.toBeInstanceOf(ApiError);
    const bad = createOrdersApi({ baseUrl: '', fetch: respond(200, [{ id: 'x' }]) });
    await expect(bad.list()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('creates an order with POST and a JSON body', async () => {
    const fetch = respond(201, order());
    const api = createOrdersApi({ baseUrl: 'http://api.test', fetch });
    const body = { customer: 'Ada', items: [{ sku: 'A', quantity: 1, unit_price_cents: 100 }] };
    await expect(api.create(body)).resolves.toEqual(order());
    expect(fetch).toHaveBeenCalledWith('http://api.test/api/orders', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: undefined,
    });
  });

  it('turns HTTP errors into ApiError with the FastAPI detail', async () => {
    const api = createOrdersApi({
      baseUrl: '',
      fetch: respond(422, {
        detail: [{ loc: ['body', 'items', 0, 'quantity'], msg: 'must be >= 1' }],
      }),
    });
    const error = await api.create({ customer: 'A', items: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, message: 'items.0.quantity: must be >= 1' });
  });

  it('reports network failures with status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('fetch failed');
    });
    const api = createOrdersApi({ baseUrl: 'http://down.test', fetch });
    await expect(api.list()).rejects.toMatchObject({
      name: 'ApiError',
      status: 0,
      message: 'Cannot reach the orders API at http://down.test/api/orders',
    });
  });

  it('lets aborts through untouched', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const api = createOrdersApi({
      baseUrl: '',
      fetch: vi.fn(async () => {
        throw abort;
      }),
    });
    await expect(api.list()).rejects.toBe(abort);
  });

  it('uses the global fetch by default', async () => {
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('[]'));
    try {
      await expect(createOrdersApi({ baseUrl: '' }).list()).resolves.toEqual([]);
      expect(spy).toHaveBeenCalledOnce();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('errorMessage', () => {
  it.each([
    [404, { detail: 'Order not found' }, 'Order not found'],
    [
      422,
      { detail: [{ loc: ['body', 'customer'], msg: 'too long' }, { msg: 'bad' }] },
      'customer: too long; bad',
    ],
    [422, { detail: [null] }, 'invalid'],
    [500, 'Internal Server Error', 'HTTP 500: Internal Server Error'],
    [502, null, 'HTTP 502'],
    [400, { detail: '' }, 'HTTP 400'],
  ])('status %i with %j gives %j', (status, body, message) => {
    expect(errorMessage(status, body)).toBe(message);
  });
});
