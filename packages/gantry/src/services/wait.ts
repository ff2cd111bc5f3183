import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { GantryError } from '../errors/index.js';
import { trackRunningGroup } from '../executor/exit-cleanup.js';
import { stopProcessGroup } from '../executor/process.js';
import type { HealthCheck, RunningService, ServiceSpec, ServiceStartContext } from './provider.js';

const LOG_TAIL_LINES = 20;

/** The last lines of a service log, indented, for error messages. */
export function logTail(logFile: string, lines = LOG_TAIL_LINES): string {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `  | ${line}`)
    .join('\n');
}

export function serviceFailed(
  spec: ServiceSpec,
  context: Pick<ServiceStartContext, 'logFile'>,
  reason: string,
): GantryError {
  const tail = logTail(context.logFile);
  return new GantryError(
    'GANTRY_SERVICE_FAILED',
    `service '${spec.id}' (${spec.image}) failed to start: ${reason}${tail ? `\n${tail}` : ''}`,
    { hint: `full log: ${context.logFile}` },
  );
}

/**
 * Waits until the service is healthy. With `--health-cmd` this follows Docker: the command runs
 * (in the host shell, with the service's connection settings) every interval, each try limited
 * to the timeout; failures during the start period do not count, and `retries` consecutive
 * failures make the service unhealthy. The provider's own probe runs first, every 50 ms, so
 * the first try of the command rarely has to wait a whole interval.
 */
export async function waitHealthy(
  service: RunningService,
  spec: ServiceSpec,
  context: ServiceStartContext,
  defaultTimeoutMs: number,
): Promise<void> {
  const { signal } = context;
  const deadline = Date.now() + defaultTimeoutMs;
  for (;;) {
    if (signal.aborted) throw serviceFailed(spec, context, 'cancelled while starting');
    if (service.exited()) throw serviceFailed(spec, context, 'the server exited');
    if (await service.ready(signal)) break;
    if (Date.now() > deadline) {
      throw serviceFailed(spec, context, `not ready after ${defaultTimeoutMs / 1000} s`);
    }
    await delay(50);
  }
  // The server answers; a `--health-cmd` may ask for more (a table, a user), Docker-style.
  if (spec.health) await runHealthChecks(service, spec, spec.health, context);
}

async function runHealthChecks(
  service: RunningService,
  spec: ServiceSpec,
  health: HealthCheck,
  context: ServiceStartContext,
): Promise<void> {
  const started = Date.now();
  let failures = 0;
  let lastCode: number;
  for (;;) {
    if (context.signal.aborted) throw serviceFailed(spec, context, 'cancelled while starting');
    if (service.exited()) throw serviceFailed(spec, context, 'the server exited');
    lastCode = await shellCommand(
      health.command,
      { ...context.hostEnv, ...service.healthEnv },
      health.timeoutMs,
      context,
    );
    if (lastCode === 0) return;
    if (Date.now() - started >= health.startPeriodMs) failures += 1;
    if (failures >= health.retries) {
      throw serviceFailed(
        spec,
        context,
        `unhealthy: \`${health.command}\` failed ${failures} times in a row (last exit code ${lastCode})`,
      );
    }
    await delay(health.intervalMs, undefined, { signal: context.signal }).catch(() => {});
  }
}

/** `sh -c command` with its output appended to the service log; the exit code (124 on timeout). */
function shellCommand(
  command: string,
  env: Record<string, string>,
  timeoutMs: number,
  context: ServiceStartContext,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const untrack = pid === undefined ? () => {} : trackRunningGroup(pid);
    let timedOut = false;
    const stop = () => {
      timedOut = true;
      if (pid !== undefined) void stopProcessGroup(pid, { interruptMs: 0, terminateMs: 200 });
    };
    const timer = setTimeout(stop, timeoutMs);
    context.signal.addEventListener('abort', stop, { once: true });
    const output: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => output.push(c));
    child.stderr?.on('data', (c: Buffer) => output.push(c));
    child.once('error', () => resolve(127));
    child.once('close', (code) => {
      clearTimeout(timer);
      untrack();
      context.signal.removeEventListener('abort', stop);
      const text = Buffer.concat(output).toString('utf8').trimEnd();
      context.appendLog(
        `[gantry] health check \`${command}\` → ${timedOut ? 'timed out' : `exit ${code}`}${text ? `\n${text}` : ''}`,
      );
      resolve(timedOut ? 124 : (code ?? 1));
    });
  });
}
