/**
 * Headers that describe one connection, not the message (RFC 9110 section 7.6.1, plus the
 * RFC 2616 list nginx still strips). `expect` is answered by this proxy's own server (Node
 * sends `100 Continue` itself), so it must not be asked of the upstream again.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/**
 * Lengths of the names above. A response header name of any other length is not lowercased:
 * each fresh lowercase copy had to be hashed for the set lookup, ~3% of the proxy's CPU.
 */
const HOP_BY_HOP_LENGTHS = new Set([...HOP_BY_HOP].map((name) => name.length));

/** Forwarding headers set by this proxy; a client's own copies are dropped, not trusted. */
const SET_BY_PROXY = new Set(['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for']);

/** What the proxy needs from a request's headers, gathered in one pass over `rawHeaders`. */
export class RequestHead {
  /** Headers for the upstream request, flat `[name, value, ...]`, as undici's dispatch takes. */
  readonly headers: string[] = [];
  /** Routing key: the Host header without port, lowercased; '' without a Host header. */
  host = '';
  /** True when a body follows (a non-zero Content-Length or any Transfer-Encoding). */
  hasBody = false;
}

/**
 * Builds the upstream request headers: hop-by-hop ones (and those named in `Connection`)
 * removed, `x-forwarded-for` extended with the client address, `x-forwarded-host` and
 * `x-forwarded-proto` set. The Host header itself passes through, so an app sees the name
 * it was reached by, as behind nginx with `proxy_set_header Host $host`. A second Host
 * header is dropped: routing and the app must agree on one, and undici refuses to send two.
 *
 * `Transfer-Encoding` is dropped with the other hop-by-hop headers even for a chunked body:
 * Node's parser hands the body over de-chunked, and undici frames a body of unknown length
 * as chunked itself (it refuses the header when given).
 */
export function readRequestHead(raw: readonly string[], clientAddress: string): RequestHead {
  const head = new RequestHead();
  const out = head.headers;
  let forwardedFor = '';
  let nominated: string[] | undefined;
  let hostValue: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'transfer-encoding') head.hasBody = true;
      else if (lower === 'connection') nominated = connectionTokens(value, nominated);
      continue;
    }
    if (SET_BY_PROXY.has(lower)) {
      if (lower === 'x-forwarded-for')
        forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
      continue;
    }
    if (lower === 'host') {
      if (hostValue !== undefined) continue;
      hostValue = value;
    } else if (lower === 'content-length' && value !== '0') head.hasBody = true;
    out.push(name, value);
  }
  if (nominated) removeNominated(out, nominated);
  out.push(
    'X-Forwarded-For',
    forwardedFor ? `${forwardedFor}, ${clientAddress}` : clientAddress,
    'X-Forwarded-Host',
    hostValue ?? '',
    'X-Forwarded-Proto',
    'http',
  );
  head.host = routingHost(hostValue ?? '');
  return head;
}

/**
 * Response headers for the client from undici's raw ones (latin1 bytes, as Node's own
 * parser decodes them): hop-by-hop ones removed, `x-gantry-release` added.
 */
export function responseHeaders(raw: readonly Buffer[], release: string): string[] {
  const out: string[] = [];
  let nominated: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1');
    const value = (raw[i + 1] as Buffer).toString('latin1');
    const lower = HOP_BY_HOP_LENGTHS.has(name.length) ? name.toLowerCase() : '';
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'connection') nominated = connectionTokens(value, nominated);
      continue;
    }
    out.push(name, value);
  }
  if (nominated) removeNominated(out, nominated);
  out.push('X-Gantry-Release', release);
  return out;
}

/** `example.localhost:8080` → `example.localhost`, `[::1]:80` → `[::1]`, lowercased. */
function routingHost(value: string): string {
  const end = value.startsWith('[') ? value.indexOf(']') + 1 : value.indexOf(':');
  return (end > 0 ? value.slice(0, end) : value).toLowerCase();
}

/** Header names a `Connection` header nominates as hop-by-hop, beyond the usual tokens. */
function connectionTokens(value: string, into: string[] | undefined): string[] | undefined {
  // The common value by far; skip splitting it on every request and response.
  if (value.length === 10 && value.toLowerCase() === 'keep-alive') return into;
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    // Host stays whatever a client nominates: routing and the app both need it.
    if (
      name &&
      name !== 'keep-alive' &&
      name !== 'close' &&
      name !== 'host' &&
      !HOP_BY_HOP.has(name)
    )
      (into ??= []).push(name);
  }
  return into;
}

function removeNominated(headers: string[], nominated: readonly string[]): void {
  for (let i = headers.length - 2; i >= 0; i -= 2)
    if (nominated.includes((headers[i] as string).toLowerCase())) headers.splice(i, 2);
}
