import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { GantryError } from '../errors/index.js';
import { ArtifactStore, isValidName, type ArtifactInfo, type PutResult } from './server-store.js';

export interface CacheServerOptions {
  /** Where artifacts are stored (see ArtifactStore for the layout). */
  dir: string;
  /** Default 127.0.0.1: only this machine, until you put it behind TLS on purpose. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Bearer tokens that may use the cache; at least one. */
  tokens: readonly string[];
  /** Answer uploads with 403. */
  readOnly?: boolean;
  /** Largest artifact accepted, in bytes; default 512 MiB. */
  maxBodyBytes?: number;
  /** One line per request (and per storage error). Never contains a token. */
  log?: (line: string) => void;
}

export interface CacheServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const defaultMaxBodyBytes = 512 * 1024 * 1024;
/** JSON bodies (batch queries, events) are small; this bounds what is held in memory. */
const maxJsonBytes = 1024 * 1024;

/** What a request handler needs, and what it may add to the request's log line. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  store: ArtifactStore;
  options: CacheServerOptions;
  note?: string;
}

/**
 * A Turborepo remote cache server (HTTP API v8) on local disk, for Gantry and for turbo
 * itself. Bodies are streamed to and from disk, never held in memory; uploads are answered
 * 412 rather than 5xx on a storage error because turbo retries 5xx.
 */
export async function startCacheServer(options: CacheServerOptions): Promise<CacheServer> {
  if (options.tokens.length === 0)
    throw new GantryError('GANTRY_USAGE', 'the cache server needs at least one token');
  const store = new ArtifactStore(options.dir);
  try {
    await store.init();
  } catch (error) {
    throw new GantryError(
      'GANTRY_CACHE_FAILED',
      `cannot create the cache directory ${options.dir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const digests = options.tokens.map(digest);
  const server = createServer((req, res) => {
    const started = performance.now();
    const exchange: Exchange = { req, res, store, options };
    res.on('finish', () => {
      const ms = Math.round(performance.now() - started);
      const path = (req.url ?? '/').replace(/\?.*$/, '');
      const note = exchange.note ? ` (${exchange.note})` : '';
      options.log?.(`${req.method} ${path} ${res.statusCode} ${ms}ms${note}`);
    });
    const handled = authorized(req.headers.authorization, digests)
      ? route(exchange)
      : Promise.resolve(fail(res, 401, 'unauthorized', 'missing or unknown bearer token'));
    handled.catch((error: unknown) => {
      options.log?.(`error: ${(error as Error).message}`);
      if (!res.headersSent) fail(res, 500, 'internal', 'internal server error');
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(x: Exchange): Promise<void> {
  const url = new URL(x.req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '');
  const method = x.req.method ?? 'GET';
  if (path === '/v8/artifacts/status' && method === 'GET')
    return json(x.res, 200, { status: 'enabled' });
  if (path === '/v8/artifacts/events' && method === 'POST') return recordEvents(x);
  const team = url.searchParams.get('teamId') || url.searchParams.get('slug') || '_';
  if (!isValidName(team)) return fail(x.res, 400, 'bad_request', 'invalid teamId or slug');
  if (path === '/v8/artifacts' && method === 'POST') return queryArtifacts(x, team);
  const match = /^\/v8\/artifacts\/([^/]+)$/.exec(path);
  if (!match?.[1]) return fail(x.res, 404, 'not_found', 'no such endpoint');
  const hash = decodeName(match[1]);
  if (hash === undefined) return fail(x.res, 400, 'bad_request', 'invalid artifact hash');
  if (method === 'GET' || method === 'HEAD') return download(x, team, hash);
  if (method === 'PUT') return upload(x, team, hash);
  x.res.setHeader('allow', 'GET, HEAD, PUT');
  return fail(x.res, 405, 'method_not_allowed', `${method} is not allowed here`);
}

async function download(x: Exchange, team: string, hash: string): Promise<void> {
  const found = await x.store.open(team, hash);
  if (!found) return fail(x.res, 404, 'not_found', 'Artifact not found');
  const { info, file } = found;
  x.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': info.size,
    'x-artifact-duration': info.durationMs,
    ...(info.tag === undefined ? {} : { 'x-artifact-tag': info.tag }),
  });
  if (x.req.method === 'HEAD') {
    await file.close();
    x.res.end();
    return;
  }
  // A client that goes away mid-download is not the server's error.
  await pipeline(file.createReadStream(), x.res).catch(() => undefined);
}

async function upload(x: Exchange, team: string, hash: string): Promise<void> {
  const { req, res, options } = x;
  if (options.readOnly) return fail(res, 403, 'forbidden', 'this cache is read-only');
  const max = options.maxBodyBytes ?? defaultMaxBodyBytes;
  // Refused before a byte is read; closing the connection spares reading the body.
  if (Number(req.headers['content-length'] ?? 0) > max) return tooLarge(res, max, true);
  const tag = header(req, 'x-artifact-tag');
  if (tag !== undefined && tag.length > 600)
    return fail(res, 400, 'bad_request', 'x-artifact-tag is longer than 600 characters');
  const duration = Number(header(req, 'x-artifact-duration') ?? 0);
  const meta: Omit<ArtifactInfo, 'size'> = {
    durationMs: Number.isFinite(duration) && duration > 0 ? Math.round(duration) : 0,
    ...(tag === undefined ? {} : { tag }),
  };
  let result: PutResult;
  try {
    result = await x.store.put(team, hash, req, meta, max);
  } catch (error) {
    options.log?.(`storage error: ${(error as Error).message}`);
    return fail(res, 412, 'storage_error', 'the artifact could not be stored');
  }
  if (result === 'too-large') return tooLarge(res, max, false);
  json(res, 202, { urls: [`/v8/artifacts/${hash}`] });
}

/** `POST /v8/artifacts`: which of these hashes are stored, with their size, duration and tag. */
async function queryArtifacts(x: Exchange, team: string): Promise<void> {
  const body = await readJson(x);
  if (body === undefined) return;
  const hashes = (body as { hashes?: unknown } | null)?.hashes;
  if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string'))
    return fail(x.res, 400, 'bad_request', 'expected {"hashes": ["..."]}');
  const answer: Record<string, unknown> = {};
  for (const hash of hashes) {
    const info = isValidName(hash) ? await x.store.info(team, hash) : undefined;
    answer[hash] = info
      ? { size: info.size, taskDurationMs: info.durationMs, tag: info.tag }
      : { error: { message: isValidName(hash) ? 'Artifact not found' : 'invalid hash' } };
  }
  json(x.res, 200, answer);
}

/** `POST /v8/artifacts/events`: turbo's cache analytics; counted in the log, not stored. */
async function recordEvents(x: Exchange): Promise<void> {
  const events = await readJson(x);
  if (events === undefined) return;
  if (!Array.isArray(events)) return fail(x.res, 400, 'bad_request', 'expected an array of events');
  x.note = `${events.length} event${events.length === 1 ? '' : 's'}`;
  x.res.writeHead(200).end();
}

/** The parsed JSON body, or undefined once an error was answered (too large, not JSON). */
async function readJson(x: Exchange): Promise<unknown> {
  if (Number(x.req.headers['content-length'] ?? 0) > maxJsonBytes)
    return void tooLarge(x.res, maxJsonBytes, true);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of x.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxJsonBytes) chunks.push(chunk);
  }
  if (size > maxJsonBytes) return void tooLarge(x.res, maxJsonBytes, false);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return void fail(x.res, 400, 'bad_request', 'the body is not JSON');
  }
}

/** Hashes are compared by their SHA-256, so every comparison takes the same time. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function authorized(header: string | undefined, digests: readonly Buffer[]): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const candidate = digest(match[1]);
  // No early exit: the time taken does not tell which token (or how many) exist.
  return digests.reduce((ok, d) => timingSafeEqual(d, candidate) || ok, false);
}

function decodeName(raw: string): string | undefined {
  try {
    const name = decodeURIComponent(raw);
    return isValidName(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function tooLarge(res: ServerResponse, max: number, close: boolean): void {
  if (close) res.setHeader('connection', 'close');
  fail(res, 413, 'payload_too_large', `the body is larger than ${max} bytes`);
}

/** Errors have the shape of Vercel's API: `{ error: { code, message } }`. */
function fail(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GantryError(
      'GANTRY_USAGE',
      `cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message}`,
      { hint: 'pick another --port (or --host)', cause: error },
    );
  }
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
