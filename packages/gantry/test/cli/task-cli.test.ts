import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');

describe('gantry task', () => {
  it('runs the default task with includes, CLI vars and CLI_ARGS, and lists tasks', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-task-cli-'));
    mkdirSync(path.join(dir, 'backend'));
    writeFileSync(
      path.join(dir, 'Taskfile.yml'),
      "version: '3'\nincludes:\n  backend: { taskfile: ./backend, dir: ./backend }\ntasks:\n  default:\n    desc: all\n    deps: [backend:test]\n    cmds: ['echo done {{.CLI_ARGS}}']\n",
    );
    writeFileSync(
      path.join(dir, 'backend', 'Taskfile.yml'),
      "version: '3'\ntasks:\n  test: 'echo in $(basename $(pwd)) {{.LEVEL | default \"low\"}}'\n",
    );
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'task', ...args], { cwd: dir, encoding: 'utf8' });
    const all = run('--', 'x', 'a b');
    expect(all.status).toBe(0);
    expect(all.stdout).toBe('in backend low\ndone x a b\n');
    expect(all.stderr).toContain("task: [default] echo done x 'a b'");
    expect(run('backend:test', 'LEVEL=high').stdout).toBe('in backend high\n');
    expect(run('--list').stdout).toContain('* default:       all');
    const missing = run('nope');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('[GANTRY_USAGE]');
  });
});

describe('gantry task: parallel, watch, prompts, summary', () => {
  const setup = (taskfile: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-task-cli-'));
    writeFileSync(path.join(dir, 'Taskfile.yml'), taskfile);
    return dir;
  };

  it('runs the named tasks in parallel with --parallel, in order without', () => {
    const dir = setup(`version: '3'
tasks:
  slow: 'sleep 0.4; echo slow'
  fast: 'echo fast'
`);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'task', ...args], { cwd: dir, encoding: 'utf8' });
    expect(run('slow', 'fast').stdout).toBe('slow\nfast\n');
    expect(run('--parallel', 'slow', 'fast').stdout).toBe('fast\nslow\n');
  });

  it('answers prompts with --yes and refuses them without a terminal', () => {
    const dir = setup(`version: '3'
tasks:
  drop:
    prompt: Drop the database?
    cmds: ['echo dropped']
`);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'task', ...args], { cwd: dir, encoding: 'utf8' });
    const refused = run('drop');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('[GANTRY_TASK_FAILED]');
    expect(refused.stderr).toContain('--yes');
    expect(refused.stdout).toBe('');
    expect(run('--yes', 'drop').stdout).toBe('Drop the database? [assuming yes]\ndropped\n');
  });

  it('--watch runs again when a source changes, stopping the running command cleanly', async () => {
    const dir = setup(`version: '3'
interval: 100ms
tasks:
  serve:
    sources: ['*.txt']
    cmds: ['echo start $(cat a.txt); trap "echo stopped; exit 0" INT TERM; while true; do sleep 0.05; done']
`);
    writeFileSync(path.join(dir, 'a.txt'), '1');
    const child = spawn(process.execPath, [bin, 'task', '--watch', 'serve'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const until = async (text: string) => {
      for (let i = 0; i < 100 && !out.includes(text); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(out, out).toContain(text);
    };
    await until('start 1');
    writeFileSync(path.join(dir, 'a.txt'), '2');
    await until('start 2');
    expect(out).toContain('task: a source changed, running again\nstopped\n');
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(out.match(/^stopped$/gm)).toHaveLength(2);
  }, 20_000);
});

describe('gantry task: failfast', () => {
  it('stops sibling deps at the first failure with failfast, waits for them without', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-task-cli-'));
    writeFileSync(
      path.join(dir, 'Taskfile.yml'),
      `version: '3'
tasks:
  all:
    deps: [bad, slow]
  fast-fail:
    failfast: true
    deps: [bad, slow]
  bad: 'sleep 0.2; exit 1'
  slow: 'sleep 2; echo slow finished'
`,
    );
    const run = (...args: string[]) => {
      const started = Date.now();
      const r = spawnSync(process.execPath, [bin, 'task', ...args], { cwd: dir, encoding: 'utf8' });
      return { ...r, ms: Date.now() - started };
    };
    const waited = run('all');
    expect(waited.status).toBe(1);
    expect(waited.stdout).toContain('slow finished');
    const stopped = run('fast-fail');
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).not.toContain('slow finished');
    expect(stopped.ms).toBeLessThan(1800);
    expect(run('--failfast', 'all').stdout).not.toContain('slow finished');
  });
});

describe('gantry task: commands bash would run as plain builtins', () => {
  it('behaves exactly as bash would, also where bash is configured to differ', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-task-cli-'));
    writeFileSync(
      path.join(dir, 'Taskfile.yml'),
      `version: '3'
tasks:
  default:
    cmds:
      - echo "plain words"
      - ':'
      - cmd: 'false'
        ignore_error: true
      - echo after
  fails: 'false'
`,
    );
    writeFileSync(path.join(dir, 'wrap.sh'), 'echo() { builtin echo "wrapped $*"; }\n');
    const run = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, [bin, 'task', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    expect(run({}).stdout).toBe('plain words\nafter\n');
    const failed = run({}, 'fails');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('command exited with code 1');
    // BASH_ENV is read by every `bash -c`: the echo must be the wrapped one.
    expect(run({ BASH_ENV: path.join(dir, 'wrap.sh') }).stdout).toBe(
      'wrapped plain words\nwrapped after\n',
    );
  });
});
