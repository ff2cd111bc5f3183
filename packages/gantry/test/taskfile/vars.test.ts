import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { loadTaskGraph } from '../../src/taskfile/load.js';
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

const graph = loadTaskGraph(dir);
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

  it('include-site vars sit between globals and the included file; sh runs in the task dir; ref keeps lists', async () => {
    const vars = await resolveVars(graph.tasks.get('sub:t')!, ctx());
    expect(vars['LEVEL']).toBe('include-site');
    expect(vars['SITE']).toBe('yes'); // YAML 1.2, as go-yaml v3 reads it
    expect(vars['FILEVAR']).toBe('from sub, level=include-site');
    expect(vars['HERE']).toBe(path.join(dir, 'sub'));
    expect(vars['ITEMS']).toEqual(['a', 'b']);
    expect(vars['CONFIG']).toEqual({ port: 8080 });
    expect(vars['TASKFILE_DIR']).toBe(path.join(dir, 'sub'));
  });

  it('quotes CLI_ARGS as a shell word list and keeps the list form', async () => {
    const vars = await resolveVars(
      graph.tasks.get('plain')!,
      ctx({ cliArgs: ['--name', 'a new user'] }),
    );
    expect(vars['CLI_ARGS']).toBe("--name 'a new user'");
    expect(vars['CLI_ARGS_LIST']).toEqual(['--name', 'a new user']);
  });

  it('reports a failing dynamic variable with its stderr', async () => {
    await expect(resolveVars(graph.tasks.get('sub:failing')!, ctx())).rejects.toThrow(GantryError);
    await expect(resolveVars(graph.tasks.get('sub:failing')!, ctx())).rejects.toThrow(/BAD .*nope/);
  });
});
