import type { ErrorCode } from '../errors/index.js';
import { artifactTag, signingTeamId, verifyArtifactTag } from './remote-signature.js';

export interface RemoteCacheOptions {
  /** Base URL, e.g. `http://127.0.0.1:4000`; requests go to `${url}/v8/artifacts/...`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer`; never printed. */
  readonly token?: string;
  /** Sent as `?teamId=` when it starts with `team_` (a Vercel team id), else as `?slug=`. */
  readonly team?: string;
  /** Enables the HMAC `x-artifact-tag` on PUT and its verification on GET. */
  readonly signatureKey?: string;
  /** Per request, including reading the body; default 10 000. */
  readonly timeoutMs?: number;
  /** Never PUT: use the remote as a read-only source. */
  readonly readOnly?: boolean;
  /** `x-artifact-client-ci`: the CI vendor, when running in CI. */
  readonly ci?: string;
  /** `x-artifact-client-interactive`: whether a person is watching the run. */
  readonly interactive?: boolean;
  /** Called at most once per RemoteCache instance, with a one-line message incl. [GANTRY_REMOTE_CACHE_FAILED]. */
  readonly warn: (message: string) => void;
}

/** One entry of `POST /v8/artifacts/events`, turbo's cache analytics. */
export interface CacheEvent {
  sessionId: string;
  source: 'LOCAL' | 'REMOTE';
  event: 'HIT' | 'MISS';
  hash: string;
  duration?: number;
}

const code: ErrorCode = 'GANTRY_REMOTE_CACHE_FAILED';
const defaultTimeoutMs = 10_000;

/**
 * A client for the Turborepo remote cache API (v8). The remote is an optimisation, so it
 * never fails a run: a server that is down, slow, broken (5xx) or refuses the token
 * (401/403) is reported once through `warn` and then left alone for the rest of the
 * process, so every later call returns at once. A 404 is an ordinary miss.
 */
export class RemoteCache {
  readonly #options: RemoteCacheOptions;
  readonly #base: URL | undefined;
  /** The URL as printed: without credentials, so a message never leaks them. */
  readonly #shown: string;
  #disabled = false;
  #warned = false;

  constructor(options: RemoteCacheOptions) {
    this.#options = options;
    this.#base = URL.canParse(options.url) ? new URL(options.url) : undefined;
    this.#shown = this.#base ? displayUrl(this.#base) : JSON.stringify(options.url);
    if (!this.#base || !/^https?:$/.test(this.#base.protocol))
      this.#disable('is not an http(s) URL');
    else if (this.#base.username || this.#base.password)
      this.#disable('has credentials in the URL; pass the token as GANTRY_CACHE_TOKEN instead');
  }

  /** True once a failure disabled the remote for the rest of this process. */
  get disabled(): boolean {
    return this.#disabled;
  }

  /** undefined = miss, disabled, or a bad/missing signature (a bad signature is a miss + the one warning). */
  async get(hash: string): Promise<{ body: Buffer; durationMs?: number } | undefined> {
    const response = await this.#request('GET', artifactPath(hash));
    if (!response) return undefined;
    if (!response.ok) return this.#notFound(response, 'GET', hash);
    let body: Buffer;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      this.#disable(describeFailure(error, this.#timeoutMs));
      return undefined;
    }
    const key = this.#options.signatureKey;
    const tag = response.headers.get('x-artifact-tag') ?? undefined;
    if (key && !verifyArtifactTag(key, hash, signingTeamId(this.#options.team), body, tag)) {
      this.#warn(
        `artifact ${hash} has a missing or invalid x-artifact-tag (signed with another key or team?); treated as a miss`,
      );
      return undefined;
    }
    const durationMs = parseDuration(response.headers.get('x-artifact-duration'));
    return durationMs === undefined ? { body } : { body, durationMs };
  }

  async exists(hash: string): Promise<boolean> {
    const response = await this.#request('HEAD', artifactPath(hash));
    if (!response) return false;
    if (!response.ok) return (await this.#notFound(response, 'HEAD', hash)) ?? false;
    await drain(response);
    return true;
  }

  /** Uploads an artifact; never throws. A no-op when read-only or disabled. */
  async put(hash: string, body: Buffer, durationMs: number): Promise<void> {
    if (this.#options.readOnly) return;
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'x-artifact-duration': String(Math.max(0, Math.round(durationMs))),
      'x-artifact-client-interactive': this.#options.interactive ? '1' : '0',
    };
    if (this.#options.ci) headers['x-artifact-client-ci'] = this.#options.ci.slice(0, 50);
    const key = this.#options.signatureKey;
    if (key)
      headers['x-artifact-tag'] = artifactTag(key, hash, signingTeamId(this.#options.team), body);
    const response = await this.#request('PUT', artifactPath(hash), { headers, body });
    if (!response) return;
    await drain(response);
    if (!response.ok) this.#warnStatus(response, 'PUT', hash, 'not uploaded');
  }

  /** Sends turbo-style cache analytics; never throws, and a server without the endpoint is fine. */
  async recordEvents(events: readonly CacheEvent[]): Promise<void> {
    if (events.length === 0) return;
    const response = await this.#request('POST', '/v8/artifacts/events', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    if (response) await drain(response);
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? defaultTimeoutMs;
  }

  /** One request, or undefined when the remote is (or just became) unusable. */
  async #request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<Response | undefined> {
    if (this.#disabled || !this.#base) return undefined;
    const url = new URL(this.#base.pathname.replace(/\/+$/, '') + path, this.#base);
    const team = this.#options.team;
    if (team) url.searchParams.set(team.startsWith('team_') ? 'teamId' : 'slug', team);
    const headers = { ...init.headers };
    if (this.#options.token) headers['authorization'] = `Bearer ${this.#options.token}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      this.#disable(describeFailure(error, this.#timeoutMs));
      return undefined;
    }
    if (response.status === 401 || response.status === 403 || response.status >= 500) {
      await drain(response);
      const why = response.status < 500 ? ' (check the token and team)' : '';
      this.#disable(`${method} ${path} answered ${statusLine(response)}${why}`);
      return undefined;
    }
    return response;
  }

  /** A 404 is the ordinary miss; any other refusal (400, 413, 429...) is one too, but worth a word. */
  async #notFound(response: Response, method: string, hash: string): Promise<undefined> {
    await drain(response);
    if (response.status !== 404) this.#warnStatus(response, method, hash, 'treated as a miss');
    return undefined;
  }

  #warnStatus(response: Response, method: string, hash: string, outcome: string): void {
    this.#warn(`${method} ${artifactPath(hash)} answered ${statusLine(response)}; ${outcome}`);
  }

  #disable(what: string): void {
    this.#disabled = true;
    this.#warn(`${what}; going on without the remote cache for the rest of this run`);
  }

  #warn(what: string): void {
    if (this.#warned) return;
    this.#warned = true;
    const token = this.#options.token;
    const line = `remote cache ${this.#shown}: ${what} [${code}]`.replace(/[\r\n]+/g, ' ');
    this.#options.warn(token ? line.split(token).join('***') : line);
  }
}

/** Frees the connection of a response whose body is not needed. */
async function drain(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function artifactPath(hash: string): string {
  return `/v8/artifacts/${encodeURIComponent(hash)}`;
}

function displayUrl(url: URL): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  shown.search = '';
  shown.hash = '';
  return shown.href.replace(/\/$/, '');
}

function statusLine(response: Response): string {
  return `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

function parseDuration(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** What went wrong with a request that got no answer, in words: timeout, refused, reset. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? error.cause : undefined;
  const detail =
    cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return `is unreachable (${detail})`;
}

/** turbo's names for the common CI vendors (`x-artifact-client-ci`), by the variable that shows them. */
const ciVendors: readonly (readonly [variable: string, name: string])[] = [
  ['GITHUB_ACTIONS', 'GITHUB_ACTIONS'],
  ['GITLAB_CI', 'GITLAB'],
  ['CIRCLECI', 'CIRCLE'],
  ['BUILDKITE', 'BUILDKITE'],
  ['JENKINS_URL', 'JENKINS'],
  ['TF_BUILD', 'AZURE_PIPELINES'],
];

/**
 * GANTRY_CACHE_URL/GANTRY_CACHE_TOKEN/GANTRY_CACHE_TEAM/GANTRY_CACHE_SIGNATURE_KEY/
 * GANTRY_CACHE_READ_ONLY, falling back to turbo's TURBO_API/TURBO_TOKEN/TURBO_TEAMID or
 * TURBO_TEAM/TURBO_REMOTE_CACHE_SIGNATURE_KEY/TURBO_REMOTE_CACHE_READ_ONLY, so a repository
 * already set up for turbo needs nothing more. undefined when no URL.
 */
export function remoteCacheOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  warn: (m: string) => void,
): RemoteCacheOptions | undefined {
  // Tokens and keys are used byte for byte, as turbo does; only names and URLs are trimmed.
  const raw = (...names: string[]) =>
    names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const trimmed = (...names: string[]) => raw(...names)?.trim() || undefined;
  const url = trimmed('GANTRY_CACHE_URL', 'TURBO_API');
  if (!url) return undefined;
  const token = raw('GANTRY_CACHE_TOKEN', 'TURBO_TOKEN');
  // turbo signs with TURBO_TEAMID when it has one, so it goes before the slug.
  const team = trimmed('GANTRY_CACHE_TEAM', 'TURBO_TEAMID', 'TURBO_TEAM');
  const signatureKey = raw('GANTRY_CACHE_SIGNATURE_KEY', 'TURBO_REMOTE_CACHE_SIGNATURE_KEY');
  const readOnly = /^(1|true|yes)$/i.test(
    trimmed('GANTRY_CACHE_READ_ONLY', 'TURBO_REMOTE_CACHE_READ_ONLY') ?? '',
  );
  const ci =
    ciVendors.find(([variable]) => env[variable])?.[1] ??
    (env['CI'] && env['CI'] !== 'false' ? 'CI' : undefined);
  return { url, token, team, signatureKey, readOnly, ci, warn };
}
