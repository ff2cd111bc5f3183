import { execFile } from 'node:child_process';

/** What a quiet helper command printed and how it ended. */
export interface Captured {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export interface CaptureOptions {
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  /** Probes of host tools must not hang a step on a broken shim; 20 s is plenty for `--version`. */
  timeoutMs?: number;
}

/**
 * Runs a helper command whose output an action needs as data (a version, a commit id) rather
 * than as step log. Never throws: a missing program or a non-zero exit is `ok: false`.
 */
export function capture(
  command: string,
  args: readonly string[],
  options: CaptureOptions = {},
): Promise<Captured> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ? { ...options.env } : undefined,
        signal: options.signal,
        timeout: options.timeoutMs ?? 20_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) =>
        resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}
