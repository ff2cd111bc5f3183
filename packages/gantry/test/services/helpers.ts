import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBinary } from '../../src/services/binaries.js';
import { startServices, type JobServices } from '../../src/services/index.js';

/** Provider tests need the real servers: a missing one fails the test with the fix. */
/**
 * The path of a server binary, found where the providers look (PATH, then their versioned
 * directories); a missing one fails the test file with the package to install.
 */
export function requireServer(
  name: string,
  debianPackage: string,
  versionedDirs: readonly string[] = [],
): string {
  const found = findBinary(name, process.env['PATH'], versionedDirs);
  if (found === undefined)
    throw new Error(`${name} is not installed: apt-get install -y ${debianPackage}`);
  return found;
}

export const hostEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );

/** Starts `services` like a job would; the caller stops them. */
export async function start(
  services: Record<string, unknown>,
  options: { env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ services: JobServices; lines: string[]; logDir: string }> {
  const lines: string[] = [];
  const logDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'gantry-svc-test-')), 'logs');
  const started = await startServices(services, {
    jobId: 'test',
    logDir,
    hostEnv: options.env ?? hostEnv(),
    signal: options.signal ?? new AbortController().signal,
    log: (line) => lines.push(line),
  });
  return { services: started, lines, logDir };
}

/** Runs a client program; returns trimmed stdout, throws with stderr on failure. */
export function client(command: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
  }).trim();
}

/** The pids of processes whose command line contains `text` (Linux /proc). */
export function processesMatching(text: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/**
 * Runs `work` with TMPDIR set to a fresh directory, so the services it starts keep their data
 * there and `processesMatching(root)` sees only them, not those of test files running at the
 * same time. World-traversable: PostgreSQL runs as its own user.
 */
export async function withOwnTmpdir<T>(work: (root: string) => Promise<T>): Promise<T> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gantry-svc-own-'));
  chmodSync(root, 0o755);
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  try {
    return await work(root);
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
}
