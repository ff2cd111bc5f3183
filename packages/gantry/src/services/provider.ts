/**
 * A native service provider: what runs a `services:` image's server on the host instead of in a
 * container. Providers live in sibling files (`postgres.ts`, `redis.ts`, ...) and are listed in
 * `registry.ts`; each one knows its image names, its server binaries and how to tell it is ready.
 */

/** One entry of `jobs.<id>.services`, evaluated. */
export interface ServiceSpec {
  /** The key under `services:`, e.g. `postgres`. */
  readonly id: string;
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
  /** `ports:` entries; the provider's own port is used when none names it. */
  readonly ports: readonly PortMapping[];
  /** From `options: --health-cmd ...`; undefined → the provider's own readiness check. */
  readonly health: HealthCheck | undefined;
}

/** `"15432:5432"` → host 15432, container 5432; `5432` alone → no host port asked for. */
export interface PortMapping {
  readonly container: number;
  readonly host: number | undefined;
}

/** Docker's `--health-*` options, in milliseconds. */
export interface HealthCheck {
  readonly command: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
}

/** What a provider gets to start one service. */
export interface ServiceStartContext {
  /** The loopback port the server must listen on (already checked free). */
  readonly port: number;
  /** A fresh private directory for data, sockets and config; removed after `stop()`. */
  readonly dir: string;
  /** The service's log file; server output and setup commands go here. */
  readonly logFile: string;
  /** Environment the run started with (PATH to find binaries). */
  readonly hostEnv: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Appends a line of Gantry's own to the service log (health check results). */
  appendLog(text: string): void;
}

/** A started server. `stop()` must be safe to call more than once. */
export interface RunningService {
  /**
   * Connection settings for a `--health-cmd` (PGPORT, PGUSER, ...) and `PATH` entries with
   * client wrappers, so the command a Docker health check runs works against this port.
   */
  readonly healthEnv: Readonly<Record<string, string>>;
  /** One readiness probe; resolves true when the server answers like a client expects. */
  ready(signal: AbortSignal): Promise<boolean>;
  /** Whether the server process has exited (a crash while starting). */
  exited(): boolean;
  stop(): Promise<void>;
}

export interface ServiceProvider {
  /** Short name for messages: `postgres`, `redis`. */
  readonly name: string;
  /** The image names this provider serves, as shown to users. */
  readonly images: readonly string[];
  /** The port the image's server listens on in its container. */
  readonly containerPort: number;
  /** How long the provider's own readiness check may take before the service has failed. */
  readonly readyTimeoutMs: number;
  matches(image: string): boolean;
  /** Boots the server until it accepts connections, or throws a GantryError. */
  start(spec: ServiceSpec, context: ServiceStartContext): Promise<RunningService>;
}

/** The repository part of an image reference: `docker.io/library/postgres:16-alpine` → `postgres`. */
export function imageName(image: string): string {
  let name = image.trim().toLowerCase();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  return name.replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
}
