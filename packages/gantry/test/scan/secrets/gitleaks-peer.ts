import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The gitleaks version Gantry is compared with. */
export const GITLEAKS_VERSION = 'v8.28.0';

/**
 * The real gitleaks: $GANTRY_PEER_GITLEAKS, else $(go env GOPATH)/bin/gitleaks. Missing or
 * the wrong version is an error, never a skip: the comparison is the point of the test.
 */
export function gitleaksBin(): string {
  let bin = process.env['GANTRY_PEER_GITLEAKS'];
  if (!bin) {
    const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
    const dir = gopath.status === 0 ? gopath.stdout.trim().split(path.delimiter)[0] : '';
    if (dir) bin = path.join(dir, 'bin', 'gitleaks');
  }
  const install = `install it with \`go install github.com/zricethezav/gitleaks/v8@${GITLEAKS_VERSION}\` or set GANTRY_PEER_GITLEAKS`;
  if (!bin)
    throw new Error(`gitleaks not found (no GANTRY_PEER_GITLEAKS, no go env GOPATH): ${install}`);
  const probe = spawnSync(bin, ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`gitleaks not runnable at ${bin}: ${install}`);
  // `go install` builds report no version of their own; the module version tells.
  const info = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' });
  const version = /\bmod\s+github\.com\/zricethezav\/gitleaks\/v8\s+(\S+)/.exec(
    info.stdout ?? '',
  )?.[1];
  const reported = probe.stdout.trim();
  if (
    version !== GITLEAKS_VERSION &&
    reported !== GITLEAKS_VERSION.slice(1) &&
    reported !== GITLEAKS_VERSION
  )
    throw new Error(
      `gitleaks at ${bin} is ${version ?? reported}, expected ${GITLEAKS_VERSION}: ${install}`,
    );
  return bin;
}

export interface GitleaksFinding {
  RuleID: string;
  File: string;
  StartLine: number;
  Commit: string;
  Secret: string;
}

/** Runs `gitleaks <mode> --report-format json` and returns its findings. */
export function runGitleaks(
  bin: string,
  mode: 'git' | 'dir',
  cwd: string,
  config: string,
  reportPath: string,
): GitleaksFinding[] {
  const result = spawnSync(
    bin,
    [
      mode,
      '--no-banner',
      '--log-level',
      'error',
      '--config',
      config,
      '--report-format',
      'json',
      '--report-path',
      reportPath,
      '--exit-code',
      '0',
      '.',
    ],
    { cwd, encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`gitleaks ${mode} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return JSON.parse(readFileSync(reportPath, 'utf8')) as GitleaksFinding[];
}
