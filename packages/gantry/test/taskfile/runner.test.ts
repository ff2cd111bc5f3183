import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskGraphWith } from '../../src/taskfile/load.js';
import { YamlSource } from '../../src/taskfile/yaml-source.js';
import { TaskRunner } from '../../src/taskfile/runner.js';

function setup(taskfile: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-tasks-'));
  for (const [file, content] of Object.entries({ 'Taskfile.yml': taskfile, ...files })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  let out = '';
  let err = '';
  const runner = (extra: object = {}) =>
    new TaskRunner({
      graph: loadTaskGraphWith(dir, YamlSource),
      env: { PATH: process.env['PATH'] },
      userWorkingDir: dir,
      write: (text, stream) => (stream === 'stdout' ? (out += text) : (err += text)),
      ...extra,
    });
  return { dir, runner, out: () => out, err: () => err };
}

describe('TaskRunner', () => {
  it('runs deps before cmds, calls tasks with vars, and logs commands like go-task', async () => {
    const t = setup(`version: '3'
tasks:
  default:
    deps: [a, b]
    cmds:
      - echo main
      - task: greet
        vars: { WHO: caller }
  a: echo dep-a
  b: echo dep-b
  greet:
    vars: { WHO: '{{.WHO | default "nobody"}}' }
    cmds: ['echo "hello {{.WHO}}"']
`);
    await t.runner().run('default');
    const lines = t.out().trim().split('\n');
    expect(lines.slice(0, 2).sort()).toEqual(['dep-a', 'dep-b']);
    expect(lines.slice(2)).toEqual(['main', 'hello caller']);
    expect(t.err()).toContain('task: [default] echo main');
  });

  it('skips up-to-date tasks by status, honours preconditions with their message', async () => {
    const t = setup(
      `version: '3'
tasks:
  done:
    status: ['test -f marker']
    cmds: [echo should-not-run]
  guarded:
    preconditions:
      - sh: test -f missing-file
        msg: run setup first
    cmds: [echo nope]
`,
      { marker: '' },
    );
    await t.runner().run('done');
    expect(t.out()).toBe('');
    expect(t.err()).toContain('task: Task "done" is up to date');
    await expect(t.runner().run('guarded')).rejects.toThrow(
      /precondition not met: run setup first/,
    );
    await t.runner({ force: true }).run('done');
    expect(t.out()).toContain('should-not-run');
  });

  it('runs defers last-first even when a command fails; ignore_error continues', async () => {
    const t = setup(`version: '3'
tasks:
  main:
    cmds:
      - defer: echo cleanup-1
      - defer: echo cleanup-2
      - cmd: exit 3
        ignore_error: true
      - echo after-ignored
      - exit 4
      - echo unreachable
`);
    await expect(t.runner().run('main')).rejects.toThrow(/code 4/);
    expect(t.out().trim().split('\n')).toEqual(['after-ignored', 'cleanup-2', 'cleanup-1']);
  });

  it('runs a `run: once` task only once per invocation', async () => {
    const t = setup(`version: '3'
tasks:
  all: { deps: [x, y] }
  x: { deps: [setup], cmds: [echo x] }
  y: { deps: [setup], cmds: [echo y] }
  setup: { run: once, cmds: [echo setup] }
`);
    await t.runner().run('all');
    expect(
      t
        .out()
        .split('\n')
        .filter((l) => l === 'setup'),
    ).toHaveLength(1);
  });

  it('skips tasks for other platforms, refuses internal tasks from the CLI, and --dry only prints', async () => {
    const t = setup(`version: '3'
tasks:
  win: { platforms: [windows], cmds: [echo windows-only] }
  hidden: { internal: true, cmds: [echo hidden] }
  show: echo would-run
`);
    await t.runner().run('win');
    expect(t.out()).toBe('');
    await expect(t.runner().run('hidden')).rejects.toThrow(/does not exist/);
    await t.runner({ dry: true }).run('show');
    expect(t.out()).toBe('');
    expect(t.err()).toContain('task: [show] echo would-run');
  });

  it('runs included tasks in their dir with the OS environment winning over env:', async () => {
    const t = setup(
      `version: '3'
env: { FROM_FILE: file, PATH: overridden }
includes:
  backend: { taskfile: ./backend, dir: ./backend }
`,
      {
        'backend/Taskfile.yml':
          "version: '3'\ntasks:\n  where: 'echo \"$(basename $(pwd)) $FROM_FILE\"'\n",
      },
    );
    await t.runner().run('backend:where');
    expect(t.out().trim()).toBe('backend file');
  });

  it('loops with for: lists, a split variable with a name, and a matrix', async () => {
    const t = setup(`version: '3'
vars: { FILES: 'a.txt b.txt' }
tasks:
  loop:
    cmds:
      - for: [x, y]
        cmd: echo "item {{.ITEM}}"
      - for: { var: FILES, as: FILE }
        cmd: echo "file {{.FILE}}"
      - for: { matrix: { OS: [linux, darwin], ARCH: [amd64] } }
        cmd: echo "{{.ITEM.OS}}/{{.ITEM.ARCH}}"
`);
    await t.runner().run('loop');
    expect(t.out().trim().split('\n')).toEqual([
      'item x',
      'item y',
      'file a.txt',
      'file b.txt',
      'linux/amd64',
      'darwin/amd64',
    ]);
  });

  it('applies set and shopt options to commands', async () => {
    const t = setup(`version: '3'
set: [pipefail]
tasks:
  piped:
    cmds: ['false | true']
  lenient:
    set: []
    cmds: ['echo ok']
`);
    await expect(t.runner().run('piped')).rejects.toThrow(/code 1/);
    await t.runner().run('lenient');
    expect(t.out()).toBe('ok\n');
  });
});
