import { spawnSync } from 'node:child_process';
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
    expect(run('--list').stdout).toContain('* default  all');
    const missing = run('nope');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('[GANTRY_USAGE]');
  });
});
