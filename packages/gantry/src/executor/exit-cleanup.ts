import { killProcessGroup } from './process-group.js';

/**
 * Steps run in their own session, so neither a terminal's Ctrl-C nor Gantry's own death reaches
 * them by itself. If Gantry exits while a step is still running (an uncaught error, an explicit
 * `process.exit`), this kills those groups so no step outlives the run that started it.
 *
 * Only groups whose leader is still running are tracked: until Node has reaped the leader its
 * pid cannot be reused, so the SIGKILL can never hit an unrelated process group. Background
 * processes a finished step left behind are the job's business (`killProcessGroup` at job end).
 * A fatal signal skips 'exit' handlers; the CLI turns SIGINT/SIGTERM into an abort instead.
 */
const running = new Set<number>();
let hooked = false;

function killAllRunning(): void {
  for (const pgid of running) killProcessGroup(pgid, 'SIGKILL');
  running.clear();
}

/** Tracks `pgid` until the returned function is called (when its leader has exited). */
export function trackRunningGroup(pgid: number): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', killAllRunning);
  }
  running.add(pgid);
  return () => {
    running.delete(pgid);
  };
}
