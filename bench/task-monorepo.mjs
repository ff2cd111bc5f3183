// A 300-package synthetic monorepo that both `gantry task` and `turbo run` can build, fully
// cached: gantry's up-to-date check (nothing to restore) against turbo's cache hit (which
// always restores outputs and replays logs; `turbo run` no longer uses a daemon). Second
// measure: every dist/ deleted before each run, both restoring from their local cache.
// Each tool works in its own identical checkout: turbo rewrites every dist/ file on each hit,
// which in a shared checkout would make gantry re-hash outputs no user's run would touch.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fmt,
  gantryBin,
  median,
  ratio,
  runOnce,
  taskBenchEnv,
  tempRepo,
  timeRounds,
} from './lib.mjs';

function turboPeer() {
  const bin =
    process.env.GANTRY_PEER_TURBO ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'gantry-peers/turbo-2.11.11/node_modules/.bin/turbo',
    );
  const version = existsSync(bin) && spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (!version || version.status !== 0)
    throw new Error(
      `turbo peer not found at ${bin}: run .ci/run (it installs the pinned turbo and sets GANTRY_PEER_TURBO)`,
    );
  return { bin, version: version.stdout.trim() };
}

/** Deterministic filler source of about `bytes` bytes. */
function source(name, bytes) {
  let text = `// ${name}\n`;
  for (let i = 0; text.length < bytes; i++)
    text += `export const ${name}_${i} = (x) => x * ${i} + ${JSON.stringify(`${name}-${i}`)}.length;\n`;
  return text;
}

/**
 * npm workspaces at the root (what turbo needs: `packageManager` and a package-lock.json,
 * here written directly in npm's lockfileVersion 3 format, which is all `npm install
 * --package-lock-only --offline` writes for dependency-free workspaces), one Taskfile per
 * package, included with `dir:` by the root Taskfile.
 */
export function monorepoFiles(count, npmVersion) {
  const names = Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, '0')}`);
  const lock = {
    name: 'bench-monorepo',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'bench-monorepo', workspaces: ['packages/*'] } },
  };
  for (const name of names)
    lock.packages[`node_modules/${name}`] = { resolved: `packages/${name}`, link: true };
  for (const name of names) lock.packages[`packages/${name}`] = { version: '1.0.0' };
  const files = {
    'package.json': `${JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['packages/*'], packageManager: `npm@${npmVersion}` }, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
    'turbo.json': `${JSON.stringify({ $schema: 'https://turborepo.com/schema.json', tasks: { build: { outputs: ['dist/**'] } } }, null, 2)}\n`,
    '.gitignore': 'node_modules/\n.turbo/\n.gantry/\n.task/\ndist/\n.npmrc-bench\n',
    'Taskfile.yml': `version: '3'\nincludes:\n${names.map((n) => `  ${n}: {taskfile: ./packages/${n}, dir: ./packages/${n}}\n`).join('')}tasks:\n  build:\n    deps: [${names.map((n) => `${n}:build`).join(', ')}]\n`,
  };
  for (const name of names) {
    const dir = `packages/${name}`;
    files[`${dir}/package.json`] =
      `${JSON.stringify({ name, version: '1.0.0', private: true, scripts: { build: 'node build.js' } }, null, 2)}\n`;
    files[`${dir}/build.js`] =
      `const fs = require('node:fs');\nfs.rmSync('dist', { recursive: true, force: true });\nfs.cpSync('src', 'dist', { recursive: true });\nconsole.log('built ${name}: ' + fs.readdirSync('dist', { recursive: true }).length + ' files');\n`;
    files[`${dir}/Taskfile.yml`] =
      `version: '3'\ntasks:\n  build:\n    sources: ['src/**/*']\n    generates: ['dist/**/*']\n    cmds: ['node build.js']\n`;
    files[`${dir}/src/index.js`] = source(`${name}_index`, 2048);
    files[`${dir}/src/lib/a.js`] = source(`${name}_a`, 1536);
    files[`${dir}/src/lib/b.js`] = source(`${name}_b`, 1024);
  }
  return files;
}

export function taskMonorepo(count = 300, runs = 10, restoreRuns = 5) {
  const turbo = turboPeer();
  const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
  const files = monorepoFiles(count, npmVersion);
  const repo = tempRepo(files);
  const gantryRepo = tempRepo(files);
  try {
    // An empty npm user config keeps a machine's ~/.npmrc warnings out of turbo's logs.
    writeFileSync(path.join(repo, '.npmrc-bench'), '');
    const env = taskBenchEnv({
      GANTRY_CACHE_DIR: path.join(gantryRepo, '.gantry', 'cache'),
      TURBO_CACHE_DIR: path.join(repo, '.turbo', 'cache'),
      npm_config_userconfig: path.join(repo, '.npmrc-bench'),
    });
    const options = { cwd: repo, env };
    const turboRun = {
      command: turbo.bin,
      args: [
        'run',
        'build',
        '--output-logs=full',
        `--cache-dir=${path.join(repo, '.turbo', 'cache')}`,
      ],
      options,
    };
    const gantryRun = {
      command: process.execPath,
      args: [gantryBin, 'task', 'build'],
      options: { ...options, cwd: gantryRepo },
    };
    const distsOf = (root) =>
      readdirSync(path.join(root, 'packages')).map((p) => path.join(root, 'packages', p, 'dist'));
    const dists = { [repo]: distsOf(repo), [gantryRepo]: distsOf(gantryRepo) };
    const deleteDists = (root) => () => {
      for (const dist of dists[root]) rmSync(dist, { recursive: true, force: true });
    };
    const check = (run, pattern, want, what) => {
      const out = runOnce(run.command, run.args, run.options);
      const got = out.match(pattern)?.length ?? 0;
      if (got !== want)
        throw new Error(
          `${path.basename(run.command)} ${run.args.join(' ')}: ${got} of ${want} ${what}\n${out.slice(-1500)}`,
        );
      if (!dists[run.options.cwd].every((d) => existsSync(path.join(d, 'lib', 'a.js'))))
        throw new Error(`${run.args.join(' ')} left a package without dist/`);
      return out;
    };

    // Prime both caches (each tool builds once, in its own checkout), then check the state
    // each measure expects. Every build's own output line must be there: nothing is lost.
    check(turboRun, /^p\d+:build: built p\d+/gm, count, 'builds');
    check(gantryRun, /^built p\d+: 4 files$/gm, count, 'builds');
    for (const root of [repo, gantryRepo]) {
      const status = execFileSync('git', ['status', '--porcelain'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (status)
        throw new Error(`the builds left untracked files, turbo's hash would change:\n${status}`);
    }
    const full = check(turboRun, /cache hit, replaying logs/g, count, 'cache hits');
    if (
      !/FULL TURBO/.test(full) ||
      !new RegExp(`Cached:\\s+${count} cached, ${count} total`).test(full)
    )
      throw new Error(`turbo is not fully cached:\n${full.slice(-500)}`);
    check(gantryRun, /task: Task "p\d+:build" is up to date/g, count, 'up to date');

    const [turboCached, gantryCached] = timeRounds([turboRun, gantryRun], runs).map(median);

    deleteDists(repo)();
    check(turboRun, /cache hit, replaying logs/g, count, 'cache hits');
    deleteDists(gantryRepo)();
    check(gantryRun, /task: Task "p\d+:build" restored from the local cache/g, count, 'restores');
    const [turboRestore, gantryRestore] = timeRounds(
      [
        { ...turboRun, before: deleteDists(repo) },
        { ...gantryRun, before: deleteDists(gantryRepo) },
      ],
      restoreRuns,
    ).map(median);
    check(gantryRun, /task: Task "p\d+:build" is up to date/g, count, 'up to date after restore');

    return {
      title: `\`gantry task\`: a ${count}-package monorepo fully cached, vs \`turbo run\` ${turbo.version} fully cached`,
      rows: [
        [
          `turbo run build --output-logs=full, ${count}/${count} cached, FULL TURBO (median of ${runs})`,
          fmt(turboCached),
        ],
        [
          `gantry task build, ${count} up to date (median of ${runs})`,
          `${fmt(gantryCached)} = ${ratio(gantryCached, turboCached)} (target <= 1.0x)`,
        ],
        [
          `every dist/ deleted: turbo restores from .turbo/cache (median of ${restoreRuns})`,
          fmt(turboRestore),
        ],
        [
          `every dist/ deleted: gantry restores from .gantry/cache (median of ${restoreRuns})`,
          `${fmt(gantryRestore)} = ${ratio(gantryRestore, turboRestore)}`,
        ],
      ],
      target: 'gantry fully cached <= 1.0x turbo fully cached',
      pass: gantryCached / turboCached <= 1.0,
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(gantryRepo, { recursive: true, force: true });
  }
}
