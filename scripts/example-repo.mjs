// The bundled example as a fresh repository: what a clean checkout has (no installed
// dependencies, build output or runs), committed on main. Used by `npm run demo`, the
// example pipeline benchmark and `npm run drill`.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const exampleDir = path.resolve(import.meta.dirname, '..', 'examples', 'polyglot-monorepo');

const generated = new Set([
  'node_modules',
  '.venv',
  'dist',
  'coverage',
  'reports',
  '.gantry',
  '.task',
  'bandit.json',
  'bandit.sarif',
  'trivy.json',
  'security.sarif',
  'sbom.cdx.json',
]);

const identity = {
  GIT_AUTHOR_NAME: 'Gantry Example',
  GIT_AUTHOR_EMAIL: 'example@gantry.local',
  GIT_COMMITTER_NAME: 'Gantry Example',
  GIT_COMMITTER_EMAIL: 'example@gantry.local',
};

export function git(dir, ...args) {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...identity },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}: ${r.stderr}`);
  return r.stdout;
}

/** Copies the example into `dir` (which must exist) and commits it on main. */
export function createExampleRepo(dir) {
  cpSync(exampleDir, dir, {
    recursive: true,
    filter: (source) => !generated.has(path.basename(source)),
  });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Initial commit');
}

/**
 * A feature branch with a small change to the backend, the frontend and the contracts' code,
 * so a pull request from it runs every workflow but docs (their path filters match).
 */
export function featureBranch(dir, name = 'feature/discounts') {
  git(dir, 'checkout', '-q', '-b', name);
  writeFileSync(
    path.join(dir, 'backend', 'app', 'notes.py'),
    '"""Discount notes."""\n\nMAX_DISCOUNT = 100\n',
  );
  for (const file of ['frontend/src/config.ts', 'contracts/lib/schemas.mjs']) {
    const target = path.join(dir, file);
    writeFileSync(target, `${readFileSync(target, 'utf8').trimEnd()}\n// Discounts: see notes.\n`);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Add discount notes');
}

/**
 * A directory holding a `gantry` command that runs `bin` with this Node: the example's steps
 * call `gantry task ...`, so it goes first on their PATH.
 */
export function gantryShim(bin) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-bin-'));
  writeFileSync(path.join(dir, 'gantry'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(path.join(dir, 'gantry'), 0o755);
  return dir;
}

/**
 * Puts uv on PATH (the example's backend is managed with it) and returns its version line:
 * found on PATH, in pip's user bin (where `npm run demo` installs it) or in the test tools'
 * virtualenv `.ci/run` makes; else, with `install`, from PyPI as the demo does. Undefined
 * when it is nowhere.
 */
export function ensureUv({ install = false } = {}) {
  const version = () => {
    const r = spawnSync('uv', ['--version'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const found = version();
  if (found) return found;
  const userBase = spawnSync('python3', ['-c', 'import site; print(site.USER_BASE)'], {
    encoding: 'utf8',
  });
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dirs = [
    ...(userBase.status === 0 && userBase.stdout.trim()
      ? [path.join(userBase.stdout.trim(), 'bin')]
      : []),
    path.join(os.homedir(), '.local', 'bin'),
    path.join(cache, 'gantry-peers', 'py-tools', 'bin'),
  ];
  for (const dir of dirs) {
    if (!existsSync(path.join(dir, 'uv'))) continue;
    process.env.PATH = `${process.env.PATH ?? ''}${path.delimiter}${dir}`;
    return version();
  }
  if (!install) return undefined;
  const pip = ['-m', 'pip', 'install', '--user', '--quiet', 'uv==0.13.9'];
  // pip's output goes to stderr: the drill's stdout is its JSON report.
  const stdio = ['ignore', 2, 2];
  if (spawnSync('python3', pip, { stdio }).status !== 0)
    // Debian's Python refuses --user installs into the system environment (PEP 668).
    spawnSync('python3', [...pip, '--break-system-packages'], { stdio });
  process.env.PATH = `${process.env.PATH ?? ''}${path.delimiter}${dirs[0]}`;
  return version();
}
