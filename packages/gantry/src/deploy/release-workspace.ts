import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';
import { runProcess } from '../executor/process.js';
import type { AppConfig } from './model.js';

/** Where a release's files live: one directory per app and release, never changed once ready. */
export function releaseDir(stateDir: string, app: string, release: string): string {
  return path.join(stateDir, 'releases', app, release.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** Where an app's own files are in a release: its `path` inside the release's tree. */
export function releaseAppDir(stateDir: string, app: AppConfig, release: string): string {
  return path.join(releaseDir(stateDir, app.name, release), app.path);
}

/**
 * Materialises an app at a commit for one release: the commit's tree (`git archive`, so the
 * working tree's uncommitted changes never leak into a release), then the app's `prepare`
 * command in the app's directory, logged to `prepare.log`. The tree is extracted aside and
 * renamed into place before `prepare` runs — tools such as uv and npm write absolute paths
 * (a virtualenv's `#!` lines) — and the release is complete once its `.gantry-release`
 * marker exists; a second call then returns it at once, and a half-done one starts over.
 */
export async function prepareRelease(options: {
  readonly repoRoot: string;
  readonly stateDir: string;
  readonly app: AppConfig;
  readonly release: string;
  readonly sha: string;
  readonly env: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}): Promise<string> {
  const { app, release } = options;
  const target = releaseDir(options.stateDir, app.name, release);
  const appDir = (root: string) => path.join(root, app.path);
  const marker = path.join(target, '.gantry-release');
  if (existsSync(marker)) return appDir(target);
  const building = `${target}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const archive = spawnSync(
    'sh',
    [
      '-c',
      'git -C "$1" archive --format=tar "$2" | tar -x -C "$3"',
      'sh',
      options.repoRoot,
      options.sha,
      building,
    ],
    { encoding: 'utf8' },
  );
  if (archive.status !== 0 || !existsSync(appDir(building))) {
    rmSync(building, { recursive: true, force: true });
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      `cannot check out release ${release} (${options.sha.slice(0, 12)}) of app ${app.name}: ${archive.stderr.trim() || `${app.path} is not in that commit`}`,
    );
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(building, target);
  if (app.prepare) {
    const logFile = path.join(target, 'prepare.log');
    const log = createWriteStream(logFile);
    const result = await runProcess({
      command: 'bash',
      args: ['-c', app.prepare],
      cwd: appDir(target),
      env: { ...options.env },
      onOutput: (chunk) => log.write(chunk),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await new Promise((resolve) => log.end(resolve));
    if (result.exitCode !== 0) {
      const kept = `${target}.failed`;
      rmSync(kept, { recursive: true, force: true });
      renameSync(target, kept);
      throw new GantryError(
        'GANTRY_RELEASE_UNHEALTHY',
        `preparing release ${release} of app ${app.name} failed: \`${app.prepare}\` ${result.failedToStart ?? `exited with ${result.exitCode ?? result.signal}`}`,
        { hint: `its output is in ${path.join(kept, 'prepare.log')}` },
      );
    }
  }
  writeFileSync(marker, `${options.sha}\n`);
  return appDir(target);
}
