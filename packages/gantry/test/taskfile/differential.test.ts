/**
 * Differential tests: each fixture under differential/<fixture>/ runs through the real go-task
 * binary and through `gantry task` with the same arguments, working directory layout and
 * environment, and the observable behaviour is compared: the exit status (zero or not),
 * stdout byte for byte, and go-task's log lines on stderr (`task: [name] cmd` and
 * `task: Task "x" is up to date`). Adding a case is one line in `cases`.
 *
 * The peer is found through GANTRY_PEER_TASK (set by .ci/run), else `$(go env GOPATH)/bin/task`,
 * else `task` on PATH. Without it the suite fails: it never skips.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** What is compared: exit status (0 vs non-zero), stdout exactly, go-task's log lines on stderr. */
type Stream = 'exit' | 'stdout' | 'log';

interface Case {
  /** Unique name; also the fixture directory unless `fixture` is given. */
  name: string;
  fixture?: string;
  args: string[];
  compare: Stream[];
  /** Parallel deps: compare lines in sorted order. */
  sorted?: boolean;
  /** Working directory, relative to the fixture copy. */
  cwd?: string;
  /** Extra environment for both programs. */
  env?: Record<string, string>;
  /** Texts both programs must print on stderr (error messages, whose wording differs). */
  stderrHas?: string[];
}

const all: Stream[] = ['exit', 'stdout', 'log'];

// prettier-ignore
const cases: Case[] = [
  // includes
  { name: 'includes-forms', args: [], compare: all },
  { name: 'includes-forms-direct', fixture: 'includes-forms', args: ['short:where', 'long:where', 'withdir:where', 'file:extra'], compare: all },
  { name: 'includes-multi-level', args: [], compare: all },
  { name: 'includes-multi-level-direct', fixture: 'includes-multi-level', args: ['a:b:c:leaf', 'a:top'], compare: all },
  { name: 'includes-nested-dirs', args: [], compare: all },
  { name: 'includes-root-call', args: [], compare: all },
  { name: 'includes-optional', args: [], compare: all },
  { name: 'includes-required-missing', args: [], compare: ['exit', 'stdout'] },
  { name: 'includes-cycle', args: [], compare: ['exit', 'stdout'], stderrHas: ['include cycle detected'] },
  { name: 'includes-internal', args: [], compare: all },
  { name: 'includes-internal-not-callable', fixture: 'includes-internal', args: ['lib:helper'], compare: ['exit', 'stdout', 'log'] },
  { name: 'includes-internal-task-not-callable', fixture: 'includes-internal', args: ['private'], compare: ['exit', 'stdout', 'log'] },
  { name: 'includes-flatten', args: [], compare: all },
  { name: 'includes-flatten-direct', fixture: 'includes-flatten', args: ['from-lib'], compare: all },
  { name: 'includes-excludes', args: [], compare: all },
  { name: 'includes-excludes-not-callable', fixture: 'includes-excludes', args: ['lib:hidden'], compare: ['exit', 'log'], stderrHas: ['does not exist'] },
  { name: 'includes-excludes-namespace', args: [], compare: all },
  { name: 'includes-excludes-namespace-gone', fixture: 'includes-excludes-namespace', args: ['lib:sub:deep'], compare: ['exit', 'log'], stderrHas: ['does not exist'] },
  { name: 'includes-aliases', args: [], compare: all },
  { name: 'includes-aliases-direct', fixture: 'includes-aliases', args: ['d', 'library:greet', 'l:hi'], compare: all },
  { name: 'includes-default', args: [], compare: all },
  { name: 'includes-default-by-namespace', fixture: 'includes-default', args: ['l'], compare: all },
  { name: 'include-vars', args: [], compare: all },
  // variables
  { name: 'vars-precedence', args: [], compare: all },
  { name: 'vars-precedence-cli', fixture: 'vars-precedence', args: ['default', 'A=cli', 'C=cli'], compare: all },
  { name: 'vars-precedence-cli-included', fixture: 'vars-precedence', args: ['lib:show', 'A=cli', 'B=cli', 'E=cli'], compare: all },
  { name: 'vars-dynamic', args: [], compare: all },
  { name: 'vars-ref-map', args: [], compare: all },
  { name: 'vars-values', args: [], compare: all },
  { name: 'vars-sh-env', args: [], compare: all },
  { name: 'var-inheritance', args: [], compare: all, sorted: true },
  { name: 'yaml-scalars', args: [], compare: all },
  { name: 'special-vars', args: [], compare: all },
  { name: 'user-working-dir', args: ['--dir', 'project'], compare: all },
  { name: 'user-working-dir-task-dir', fixture: 'user-working-dir', args: ['--dir', 'project', 'in-user-dir'], compare: all },
  { name: 'user-working-dir-taskfile-flag', fixture: 'user-working-dir', args: ['--taskfile', 'project/Taskfile.yml'], compare: all },
  { name: 'cli-args', args: ['--', 'a', 'b c', "it's", '--flag=1'], compare: all },
  { name: 'cli-args-none', fixture: 'cli-args', args: [], compare: all },
  { name: 'cli-args-with-vars', fixture: 'cli-args', args: ['other', 'NAME=x', '--', '--flag=1', 'a b'], compare: all },
  { name: 'env-precedence', args: [], compare: all },
  { name: 'env-precedence-os-wins', fixture: 'env-precedence', args: [], compare: all, env: { OVERRIDDEN: 'from-os', TASK_OVER: 'from-os-too' } },
  // templates
  { name: 'template-funcs', args: [], compare: all },
  { name: 'template-control', args: [], compare: all },
  { name: 'template-whitespace', args: [], compare: all },
  // execution
  { name: 'default-task', args: [], compare: all },
  { name: 'short-notation', args: [], compare: all },
  { name: 'short-notation-cmd', fixture: 'short-notation', args: ['cmd-key'], compare: all },
  { name: 'deps-parallel', args: [], compare: all, sorted: true },
  { name: 'cmds-calls', args: [], compare: all },
  { name: 'status', args: [], compare: all },
  { name: 'status-force-direct', fixture: 'status', args: ['done', '--force'], compare: all },
  { name: 'preconditions', args: [], compare: all, stderrHas: ['missing.txt is required, run setup first'] },
  { name: 'preconditions-via-dep', fixture: 'preconditions', args: ['via-dep'], compare: all, stderrHas: ['missing.txt is required, run setup first'] },
  { name: 'requires-missing', fixture: 'requires', args: ['deploy'], compare: all, stderrHas: ['missing required variable'] },
  { name: 'requires-enum', fixture: 'requires', args: ['deploy', 'TARGET=x', 'MODE=qa'], compare: all, stderrHas: ['MODE'] },
  { name: 'requires-met', fixture: 'requires', args: ['deploy', 'TARGET=x', 'MODE=prod'], compare: all },
  { name: 'platforms', args: [], compare: all },
  { name: 'if-conditions', args: [], compare: all },
  { name: 'ignore-error', args: [], compare: all },
  { name: 'ignore-error-strict', fixture: 'ignore-error', args: ['strict'], compare: all },
  { name: 'silent', args: [], compare: all },
  { name: 'silent-root', args: [], compare: all, sorted: true },
  { name: 'silent-flag', fixture: 'silent', args: ['--silent'], compare: all },
  { name: 'defer', args: [], compare: all },
  { name: 'defer-after-failure', fixture: 'defer', args: ['failing'], compare: all },
  { name: 'run-modes', args: [], compare: all },
  { name: 'for-loops', args: [], compare: all },
  { name: 'set-shopt', args: [], compare: all },
  { name: 'set-shopt-pipefail', fixture: 'set-shopt', args: ['pipe'], compare: all },
  { name: 'set-shopt-globstar', fixture: 'set-shopt', args: ['globs'], compare: all },
  { name: 'set-shopt-letters', fixture: 'set-shopt', args: ['letters'], compare: all },
  { name: 'set-shopt-xtrace', fixture: 'set-shopt', args: ['xtrace'], compare: all, stderrHas: ['traced'] },
  { name: 'dry', args: ['--dry', 'X=1'], compare: all, sorted: true },
  { name: 'missing-task', args: ['nope'], compare: ['exit', 'log'], stderrHas: ['does not exist'] },
  { name: 'missing-default-task', fixture: 'missing-task', args: [], compare: ['exit', 'log'], stderrHas: ['does not exist'] },
  // sources/generates, output styles, dotenv, prompts, summary, parallel
  { name: 'sources-checksum', args: [], compare: all },
  { name: 'sources-timestamp', args: [], compare: all },
  { name: 'sources-method-none', args: [], compare: all },
  { name: 'for-sources', args: [], compare: all },
  { name: 'dotenv', args: [], compare: all },
  { name: 'label', args: [], compare: all },
  { name: 'label-up-to-date', fixture: 'label', args: ['fresh'], compare: all },
  { name: 'prefix-output', args: [], compare: all },
  { name: 'output-prefixed-flag', fixture: 'prefix-output', args: ['--output', 'prefixed'], compare: all },
  { name: 'output-group', args: [], compare: all },
  { name: 'output-group-flag', fixture: 'output-group', args: ['--output', 'group'], compare: all },
  { name: 'prompt-yes', args: ['deploy', '--yes'], compare: all },
  { name: 'summary', args: ['--summary', 'build'], compare: all },
  { name: 'parallel', args: ['--parallel', 'a', 'b', 'c'], compare: all, sorted: true },
  // runner and CLI behaviours found by this suite
  { name: 'alias-var', args: ['hi'], compare: all },
  { name: 'dry-silent', args: ['--dry'], compare: all },
  { name: 'cli-flag-vars', fixture: 'vars-sh-env', args: ['--silent'], compare: all },
  { name: 'force-all-tasks', fixture: 'status', args: ['--force'], compare: all },
  { name: 'list', args: ['--list'], compare: all },
  { name: 'list-all', fixture: 'list', args: ['--list-all'], compare: all },
  { name: 'user-working-dir-subdir', fixture: 'user-working-dir', cwd: 'project/sub', args: [], compare: all },
  { name: 'defer-exit-code', args: [], compare: all },
  { name: 'defer-exit-code-none', fixture: 'defer-exit-code', args: ['ok'], compare: all },
  { name: 'env-dynamic', args: [], compare: all },
  { name: 'missing-task-stdout', fixture: 'missing-task', args: ['nope'], compare: all },
];

/**
 * Known mismatches with go-task, kept here (with the reason) until fixed; not executed unless
 * GANTRY_DIFF_PENDING=1. None are left.
 */
// prettier-ignore
export const pending: Array<Case & { reason: string }> = [];

const fixtures = path.join(import.meta.dirname, 'differential');
const root = path.resolve(import.meta.dirname, '../..');
const gantryBin = path.join(root, 'dist/bin/gantry.mjs');

function findPeer(): string | undefined {
  const fromEnv = process.env['GANTRY_PEER_TASK'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  for (const go of ['go', '/usr/local/go/bin/go']) {
    try {
      const gopath = execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
      const candidate = path.join(gopath, 'bin', 'task');
      if (gopath && existsSync(candidate)) return candidate;
    } catch {
      // no Go here; try the next place
    }
  }
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'task');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: 30_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gantry-diff-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs one program on a fresh copy of the fixture; temp paths become <DIR> and <HOME>. */
async function runIn(c: Case, who: 'task' | 'gantry', peer: string): Promise<Result> {
  const base = path.join(scratch, c.name, who);
  const dir = path.join(base, 'work');
  const home = path.join(base, 'home');
  cpSync(path.join(fixtures, c.fixture ?? c.name), dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    ...c.env,
  };
  const cwd = path.join(dir, c.cwd ?? '.');
  // go-task's experiments stay off even if a .taskrc somewhere above turns one on.
  const experimentsOff = { TASK_X_GENTLE_FORCE: '0', TASK_X_ENV_PRECEDENCE: '0' };
  const result =
    who === 'task'
      ? await run(peer, c.args, cwd, { ...env, ...experimentsOff })
      : await run(process.execPath, [gantryBin, 'task', ...c.args], cwd, env);
  const clean = (text: string) => text.split(dir).join('<DIR>').split(home).join('<HOME>');
  return { code: result.code, stdout: clean(result.stdout), stderr: clean(result.stderr) };
}

/** go-task's log lines: `task: [name] cmd` and `task: Task "x" is up to date`. */
function logLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter(
      (line) => /^task: \[[^\]]*\] /.test(line) || /^task: Task ".*" is up to date$/.test(line),
    );
}

function lines(text: string, sorted: boolean): string[] {
  const split = text.split('\n');
  return sorted ? split.sort() : split;
}

const peer = findPeer();
const noPeer = 'go-task not found: run .ci/run (it installs go-task and sets GANTRY_PEER_TASK)';

describe.concurrent('gantry task behaves like go-task (differential)', () => {
  it('has the real go-task to compare with', () => {
    expect(peer, noPeer).toBeDefined();
  });

  it('has a fixture for every case, pending ones included, and unique case names', () => {
    for (const c of [...cases, ...pending])
      expect(existsSync(path.join(fixtures, c.fixture ?? c.name, c.cwd ?? '.')), c.name).toBe(true);
    const names = [...cases, ...pending].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  const selected = process.env['GANTRY_DIFF_PENDING'] === '1' ? [...cases, ...pending] : cases;
  it.for(selected)('$name: task $args', async (c) => {
    if (!peer) throw new Error(noPeer);
    const [want, got] = await Promise.all([runIn(c, 'task', peer), runIn(c, 'gantry', peer)]);
    const sorted = c.sorted ?? false;
    const context = `\n--- go-task stderr:\n${want.stderr}\n--- gantry stderr:\n${got.stderr}`;
    if (c.compare.includes('exit'))
      expect(
        got.code === 0,
        `exit status: go-task ${want.code}, gantry ${got.code}${context}`,
      ).toBe(want.code === 0);
    if (c.compare.includes('stdout'))
      expect(lines(got.stdout, sorted), `stdout${context}`).toEqual(lines(want.stdout, sorted));
    if (c.compare.includes('log'))
      expect(lines(logLines(got.stderr).join('\n'), sorted), `stderr log lines${context}`).toEqual(
        lines(logLines(want.stderr).join('\n'), sorted),
      );
    for (const text of c.stderrHas ?? []) {
      expect(want.stderr, 'go-task stderr').toContain(text);
      expect(got.stderr, 'gantry stderr').toContain(text);
    }
  });
});
