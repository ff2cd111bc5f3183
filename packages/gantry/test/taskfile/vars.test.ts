import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { loadTaskGraphWith } from '../../src/taskfile/load.js';
import { YamlSource } from '../../src/taskfile/yaml-source.js';
import { resolveVars } from '../../src/taskfile/vars.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-vars-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const dir = tree({
  'Taskfile.yml': `version: '3'
vars:
  WHO: global
  LEVEL: global
  GREETING: 'hello {{.WHO}}'
  ROOT_PWD: { sh: pwd }
  TEMPLATED: ['{{.WHO}}', { k: '{{.GREETING}}' }]
env:
  FROM_ENV: env-value
includes:
  sub:
    taskfile: ./sub
    dir: ./sub
    vars: { LEVEL: include-site, SITE: yes }
tasks:
  plain:
    cmds: ['true']
  own:
    vars: { WHO: task }
    cmds: ['true']
  indir:
    dir: sub
    vars: { TASK_PWD: { sh: 'echo "$PWD"' } }
    cmds: ['true']
`,
  'sub/Taskfile.yml': `version: '3'
vars:
  FILEVAR: 'from sub, level={{.LEVEL}}'
  HERE: { sh: pwd }
  ITEMS: { ref: 'splitList "," "a,b"' }
  CONFIG: { map: { port: 8080 } }
tasks:
  t:
    cmds: ['true']
  failing:
    vars: { BAD: { sh: 'echo nope >&2; exit 3' } }
    cmds: ['true']
`,
});

const graph = loadTaskGraphWith(dir, YamlSource);
const ctx = (extra: object = {}) => ({
  graph,
  env: { HOME: '/home/someone', WHO: 'env' },
  userWorkingDir: dir,
  shCache: new Map(),
  ...extra,
});

describe('resolveVars (go-task precedence)', () => {
  it('global vars override the environment and template earlier vars', async () => {
    const vars = await resolveVars(graph.tasks.get('plain')!, ctx());
    expect(vars['WHO']).toBe('global');
    expect(vars['GREETING']).toBe('hello global');
    expect(vars['HOME']).toBe('/home/someone');
    expect(vars['TASK']).toBe('plain');
    expect(vars['ROOT_DIR']).toBe(dir);
  });

  it('task vars override call vars, which override globals', async () => {
    expect(
      (await resolveVars(graph.tasks.get('own')!, ctx({ callVars: { WHO: 'caller' } })))['WHO'],
    ).toBe('task');
    expect(
      (await resolveVars(graph.tasks.get('plain')!, ctx({ callVars: { WHO: 'caller' } })))['WHO'],
    ).toBe('caller');
  });

  it('include-site vars lose to the merged globals, which hold the included file vars (as go-task)', async () => {
    const vars = await resolveVars(graph.tasks.get('sub:t')!, ctx());
    // go-task re-applies the includer's merged vars after the include-site ones
    // (IncludedTaskfileVars), so a name the root Taskfile defines keeps the root value.
    expect(vars['LEVEL']).toBe('global');
    expect(vars['SITE']).toBe('yes'); // YAML 1.2, as go-yaml v3 reads it
    expect(vars['FILEVAR']).toBe('from sub, level=global');
    // An included file's sh: var runs in the include's directory.
    expect(vars['HERE']).toBe(path.join(dir, 'sub'));
    expect(vars['ITEMS']).toEqual(['a', 'b']);
    expect(vars['CONFIG']).toEqual({ port: 8080 });
    expect(vars['TASKFILE_DIR']).toBe(path.join(dir, 'sub'));
    // The included file's vars are global: root tasks see them too.
    const plain = await resolveVars(graph.tasks.get('plain')!, ctx());
    expect(plain['FILEVAR']).toBe('from sub, level=global');
    expect(plain['SITE']).toBeUndefined();
  });

  it('global sh: vars run in the root directory, task sh: vars in the task directory', async () => {
    const vars = await resolveVars(graph.tasks.get('indir')!, ctx());
    expect(vars['ROOT_PWD']).toBe(dir);
    expect(vars['TASK_PWD']).toBe(path.join(dir, 'sub'));
  });

  it('templates strings inside lists and maps, and sees Taskfile env as variables', async () => {
    const vars = await resolveVars(graph.tasks.get('plain')!, ctx());
    expect(vars['TEMPLATED']).toEqual(['global', { k: 'hello global' }]);
    expect(vars['FROM_ENV']).toBe('env-value');
  });

  it('quotes CLI_ARGS as a shell word list and keeps the list form', async () => {
    const vars = await resolveVars(
      graph.tasks.get('plain')!,
      ctx({ cliArgs: ['--name', 'a new user'] }),
    );
    expect(vars['CLI_ARGS']).toBe("--name 'a new user'");
    const quoted = await resolveVars(
      graph.tasks.get('plain')!,
      ctx({ cliArgs: ["it's", '--flag=1', ''] }),
    );
    // mvdan.cc/sh's Quote: double quotes around a single quote, `=` needs quoting, '' for empty.
    expect(quoted['CLI_ARGS']).toBe(`"it's" '--flag=1' ''`);
    expect(vars['CLI_ARGS_LIST']).toEqual(['--name', 'a new user']);
  });

  it('reports a failing dynamic variable with its stderr', async () => {
    await expect(resolveVars(graph.tasks.get('sub:failing')!, ctx())).rejects.toThrow(GantryError);
    await expect(resolveVars(graph.tasks.get('sub:failing')!, ctx())).rejects.toThrow(/BAD .*nope/);
  });
});
