import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { choosePort, releasePort } from './ports.js';
import type { PortMapping, RunningService, ServiceProvider, ServiceSpec } from './provider.js';
import { providerFor } from './registry.js';
import { parseServices } from './spec.js';
import { logTail, waitHealthy } from './wait.js';

export interface StartServicesOptions {
  jobId: string;
  /** Where each service's log goes (`<id>.log`); kept with the run. */
  logDir: string;
  hostEnv: Readonly<Record<string, string>>;
  signal: AbortSignal;
  /** A line for the job log. */
  log(line: string): void;
}

/** What `job.services.<id>` shows in expressions, as on GitHub. */
export interface ServiceContext {
  id: string;
  network: string;
  ports: Record<string, string>;
}

interface Started {
  spec: ServiceSpec;
  port: number;
  dir: string;
  logFile: string;
  /** The port the image's server listens on in a container: the key of `ports`. */
  containerPort: number;
  service: RunningService | undefined;
}

/** The services of one job leg: their `job.services` context, logs, and teardown. */
export class JobServices {
  private stopped: Promise<void> | undefined;

  constructor(private readonly started: readonly Started[]) {}

  /** `job.services`: `{ postgres: { id, network, ports: { '5432': '15432' } } }`. */
  context(): Record<string, ServiceContext> {
    return Object.fromEntries(this.started.map((s) => [s.spec.id, serviceContext(s)]));
  }

  /** The log file and last lines of each service, for a failed job. */
  logTails(): Array<{ id: string; logFile: string; tail: string }> {
    return this.started.map((s) => ({
      id: s.spec.id,
      logFile: s.logFile,
      tail: logTail(s.logFile),
    }));
  }

  /** Stops every server and removes its data; safe to call more than once. */
  stop(): Promise<void> {
    this.stopped ??= Promise.all(this.started.map(stopOne)).then(() => {});
    return this.stopped;
  }
}

function serviceContext(s: Started): ServiceContext {
  return {
    id: `gantry-${s.spec.id}-${s.port}`,
    network: '',
    ports: { [String(s.containerPort)]: String(s.port) },
  };
}

async function stopOne(s: Started): Promise<void> {
  try {
    await s.service?.stop();
  } finally {
    releasePort(s.port);
    rmSync(s.dir, { recursive: true, force: true });
  }
}

/**
 * Starts the services of a job and waits until all are healthy. Every image must have a
 * provider before anything starts; if one service fails, the others are stopped again.
 */
export async function startServices(
  value: unknown,
  options: StartServicesOptions,
): Promise<JobServices> {
  const { specs, warnings } = parseServices(value, options.jobId);
  for (const warning of warnings) options.log(`##[warning]${warning}`);
  const planned = specs.map((spec) => ({ spec, provider: providerFor(spec.image, spec.id) }));
  if (planned.length > 0) mkdirSync(options.logDir, { recursive: true });
  const started: Started[] = [];
  const results = await Promise.allSettled(
    planned.map(async ({ spec, provider }) => {
      const mapping = portFor(spec, provider, options);
      const port = await choosePort(mapping.host ?? mapping.container);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-svc-'));
      const logFile = path.join(options.logDir, `${spec.id}.log`);
      const entry: Started = {
        spec,
        port,
        dir,
        logFile,
        containerPort: provider.containerPort,
        service: undefined,
      };
      started.push(entry);
      const begun = Date.now();
      const context = {
        port,
        dir,
        logFile,
        hostEnv: options.hostEnv,
        signal: options.signal,
        appendLog: (text: string) => appendFileSync(logFile, `${text}\n`),
      };
      entry.service = await provider.start(spec, context);
      await waitHealthy(entry.service, spec, context, provider.readyTimeoutMs);
      const moved =
        mapping.host !== undefined && mapping.host !== port
          ? ` (port ${mapping.host} was taken)`
          : '';
      options.log(
        `Service '${spec.id}' (${spec.image}) is ready on localhost:${port}${moved} after ${((Date.now() - begun) / 1000).toFixed(1)} s`,
      );
    }),
  );
  const services = new JobServices(started);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await services.stop();
    throw failed.reason;
  }
  return services;
}

/** The mapping of the provider's port; other declared ports are reported and left alone. */
function portFor(
  spec: ServiceSpec,
  provider: ServiceProvider,
  options: StartServicesOptions,
): PortMapping {
  let chosen: PortMapping | undefined;
  for (const mapping of spec.ports) {
    if (mapping.container === provider.containerPort && chosen === undefined) chosen = mapping;
    else
      options.log(
        `##[warning]service '${spec.id}': port ${mapping.container} is not served natively (only ${provider.containerPort})`,
      );
  }
  return chosen ?? { container: provider.containerPort, host: undefined };
}
