#!/usr/bin/env node
// The CLI entry point. It stays tiny so `gantry --version` starts as fast as bare Node:
// every command module (and GitHub's parser behind it) is imported only when used.
import { version } from './version.js';

const commands: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  run: () => import('./run-command.js'),
  runs: () => import('./runs-command.js'),
  logs: () => import('./logs-command.js'),
  task: () => import('./task-command.js'),
  cache: () => import('./cache-command.js'),
  scan: () => import('./scan-command.js'),
  sbom: () => import('./sbom-command.js'),
  gate: () => import('./gate-command.js'),
  deploy: () => import('./deploy-command.js'),
  rollback: () => import('./deploy-command.js').then((m) => ({ main: m.rollback })),
  approve: () => import('./decide-command.js').then((m) => ({ main: m.command('approve') })),
  reject: () => import('./decide-command.js').then((m) => ({ main: m.command('reject') })),
  promote: () => import('./decide-command.js').then((m) => ({ main: m.command('promote') })),
  abort: () => import('./decide-command.js').then((m) => ({ main: m.command('abort') })),
  env: () => import('./env-command.js'),
  releases: () => import('./env-command.js').then((m) => ({ main: m.releases })),
  migrate: () => import('./migrate-command.js'),
  agent: () => import('./agent-command.js'),
};

const usage = `gantry ${version} — CI/CD that runs anywhere

Usage: gantry <command> [options]

Commands:
  run     Run the repository's GitHub Actions workflows on this host
  runs    List recorded runs
  logs    Print the log of a recorded run (or one of its jobs)
  task    Run tasks from a Taskfile (v3)
  cache   Task cache tools: serve a shared remote cache (Turborepo API v8)
  gate    Decide quality gates over test, coverage, lint and scanner reports
  scan    Scan for secrets (working tree, git history) or vulnerable dependencies
  sbom    Write a CycloneDX or SPDX SBOM from the repository's lockfiles
  deploy  Deploy a release to an environment (recreate, rolling, blue-green, canary)
  approve, reject   Decide a deployment waiting for approval
  promote, abort    Move a paused rollout on, or abort it back to the stable release
  rollback          Go back to the previous stable release of an environment
  env     Environments: ls, status, destroy, gc
  releases          The releases an environment ran
  migrate Run pending contract migrations (expand -> migrate -> contract)
  agent   The deployment agent: proxy, release processes, controller

Options:
  -h, --help     Show help (also: gantry <command> --help)
  -v, --version  Print the version

Docs: docs/README.md`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(`${usage}\n`);
    return first === undefined ? 2 : 0;
  }
  const load = commands[first];
  if (!load) {
    process.stderr.write(`gantry: unknown command '${first}' [GANTRY_USAGE]\n\n${usage}\n`);
    return 2;
  }
  const command = await load();
  return command.main(rest);
}

// `gantry env status | head` closes the pipe early: the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    const { printError } = await import('./print-error.js');
    process.exitCode = printError(error);
  },
);
