import type { NewOrder, Order } from './types';
import { parseOrder } from './validation';

/** An HTTP or network failure talking to the backend. `status` is 0 for network errors. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface OrdersApi {
  list(signal?: AbortSignal): Promise<Order[]>;
  create(order: NewOrder, signal?: AbortSignal): Promise<Order>;
}

export interface OrdersApiOptions {
  /** Base URL of the backend, e.g. `http://localhost:8000`; `''` for same origin. */
  baseUrl: string;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export function createOrdersApi(options: OrdersApiOptions): OrdersApi {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const url = `${options.baseUrl}/api/orders`;

  async function request(init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(url, {
        ...init,
        headers: { Accept: 'application/json', ...(init.headers ?? {}) },
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ApiError(`Cannot reach the orders API at ${url}`, 0);
    }
    const body = await readJson(response);
    if (!response.ok) {
      throw new ApiError(errorMessage(response.status, body), response.status);
    }
    return body;
  }

  return {
    async list(signal) {
      const body = await request({ method: 'GET', signal });
      return unwrapList(body).map(parseOrder);
    },
    async create(order, signal) {
      const body = await request({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(order),
        signal,
      });
      return parseOrder(body);
    },
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Accepts a bare array or a `{ orders: [...] }` / `{ items: [...] }` page. */
function unwrapList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) {
    const page = body as { orders?: unknown; items?: unknown };
    if (Array.isArray(page.orders)) return page.orders;
    if (Array.isArray(page.items)) return page.items;
  }
  throw new ApiError('The orders API returned an unexpected list shape', 200);
}

/**
 * A readable message from an error body. FastAPI sends `{ "detail": "..." }` for HTTP errors
 * and `{ "detail": [{ "loc": [...], "msg": "..." }] }` for validation errors (422).
 */
export function errorMessage(status: number, body: unknown): string {
  const detail =
    typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === 'string' && detail !== '') return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((entry: unknown) => {
        const { loc, msg } = (entry ?? {}) as { loc?: unknown; msg?: unknown };
        const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
        const what = typeof msg === 'string' ? msg : 'invalid';
        return where ? `${where}: ${what}` : what;
      })
      .join('; ');
  }
  if (typeof body === 'string' && body.trim() !== '') return `HTTP ${status}: ${body.trim()}`;
  return `HTTP ${status}`;
}
