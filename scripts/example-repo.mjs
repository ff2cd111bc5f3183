// The bundled example as a fresh repository: what a clean checkout has (no installed
// dependencies, build output or runs), committed on main. Used by `npm run demo` and the
// example pipeline benchmark.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
