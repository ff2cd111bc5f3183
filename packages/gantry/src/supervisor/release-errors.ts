import { GantryError } from '../errors/index.js';
import { CRASH_WINDOW_MS } from './crash-history.js';
import { formatLogTail, readLogTail } from './log-file.js';
import type { InstanceSpec } from './spec.js';
import type { InstanceState } from './state-notifier.js';

/**
 * The errors `waitReady` rejects with. Both end with the last lines of the instance's log: the
 * reason a server is not ready or keeps dying (a traceback, "address already in use") is
 * nearly always there, and the deploy output is where people look first.
 */

export interface NotReadyFacts {
  readonly state: InstanceState;
  readonly restarts: number;
  /** The outcome of the latest readiness probe, if any was made. */
  readonly lastProbe: string | undefined;
}

/** GANTRY_RELEASE_UNHEALTHY: `what` is e.g. "was not ready within 30000 ms". */
export function notReadyError(spec: InstanceSpec, what: string, facts: NotReadyFacts): GantryError {
  const details = [
    `state ${facts.state}`,
    `${facts.restarts} restart${facts.restarts === 1 ? '' : 's'}`,
    ...(facts.lastProbe === undefined ? [] : [`last probe: ${facts.lastProbe}`]),
  ];
  return new GantryError(
    'GANTRY_RELEASE_UNHEALTHY',
    `Instance ${spec.id} ${what} (${details.join(', ')}).\n${logTail(spec)}`,
    {
      hint: spec.readiness
        ? `Check that \`${spec.command}\` listens where ${spec.readiness.url} points and answers it with 2xx or 3xx.`
        : `Check that \`${spec.command}\` keeps running.`,
    },
  );
}

/** GANTRY_RELEASE_CRASHED, with the `crashSummary` of the instance. */
export function crashedError(spec: InstanceSpec, summary: string): GantryError {
  return new GantryError(
    'GANTRY_RELEASE_CRASHED',
    `Instance ${spec.id} kept exiting and is not restarted again: ${summary}.\n${logTail(spec)}`,
    { hint: `Run \`${spec.command}\` by hand in ${spec.cwd} to see why it exits.` },
  );
}

/** Why an instance was given up on, naming how its last runs ended. */
export function crashSummary(
  crashes: number,
  maxRestarts: number,
  exits: readonly string[],
): string {
  return (
    `${crashes} crashes within ${CRASH_WINDOW_MS / 1000} s, ` +
    `more than the ${maxRestarts} restarts allowed (last exits: ${exits.join('; ')})`
  );
}

function logTail(spec: InstanceSpec): string {
  return formatLogTail(spec.logFile, readLogTail(spec.logFile));
}
