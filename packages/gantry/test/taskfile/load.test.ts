import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { loadTaskGraphWith } from '../../src/taskfile/load.js';
import { YamlSource } from '../../src/taskfile/yaml-source.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-taskfile-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('loadTaskGraph', () => {
  it('namespaces included tasks and runs them in the include dir (seed 000 Strategy C)', () => {
    const dir = tree({
      'Taskfile.yml': `version: '3'
vars: { ENV: dev }
includes:
  backend:
    taskfile: ./backend/Taskfile.yml
    dir: ./backend
  frontend: ./frontend
tasks:
  ci:
    deps: [backend:test, frontend:test]
`,
      'backend/Taskfile.yml':
        "version: '3'\ntasks:\n  test: pytest\n  lint: [ruff check ., mypy .]\n",
      'frontend/Taskfile.yml':
        "version: '3'\ntasks:\n  test:\n    cmds: [npm test]\n    aliases: [t]\n",
    });
    const graph = loadTaskGraphWith(dir, YamlSource);
    expect([...graph.tasks.keys()].sort()).toEqual([
      'backend:lint',
      'backend:test',
      'ci',
      'frontend:test',
    ]);
    expect(graph.tasks.get('backend:test')?.dir).toBe(path.join(dir, 'backend'));
    // Without `dir`, included tasks run in the including Taskfile's directory (go-task's rule).
    expect(graph.tasks.get('frontend:test')?.dir).toBe(dir);
    expect(graph.tasks.get('backend:test')?.spec).toEqual({ cmds: ['pytest'] });
    expect(graph.tasks.get('backend:lint')?.spec).toEqual({ cmds: ['ruff check .', 'mypy .'] });
    expect(graph.aliases.get('frontend:t')).toBe('frontend:test');
    expect(graph.tasks.get('backend:test')?.varLayers[0]).toEqual({ ENV: 'dev' });
  });

  it('supports flatten, internal, optional, excludes and namespace aliases', () => {
    const dir = tree({
      'Taskfile.yml': `version: '3'
includes:
  lib: { taskfile: ./lib, flatten: true, excludes: [skip] }
  tools: { taskfile: ./tools, internal: true, aliases: [t] }
  missing: { taskfile: ./nope, optional: true }
tasks: {}
`,
      'lib/Taskfile.yml': "version: '3'\ntasks:\n  build: make\n  skip: 'true'\n",
      'tools/Taskfile.yml': "version: '3'\ntasks:\n  gen: go generate\n",
    });
    const graph = loadTaskGraphWith(dir, YamlSource);
    expect([...graph.tasks.keys()].sort()).toEqual(['build', 'tools:gen']);
    expect(graph.tasks.get('tools:gen')?.internal).toBe(true);
    expect(graph.aliases.get('t:gen')).toBe('tools:gen');
  });

  it('merges includes as go-task does: namespaced calls, `:` escapes, default alias, dirs, global vars', () => {
    const dir = tree({
      'Taskfile.yml': `version: '3'
vars: { A: root }
includes:
  a: { taskfile: ./a/Taskfile.yml, aliases: [x], vars: { SITE: a } }
tasks:
  top: echo top
`,
      'a/Taskfile.yml': `version: '3'
vars: { A: from-a, B: from-a }
includes:
  b: { taskfile: ./b/Taskfile.yml }
tasks:
  default:
    deps: [b:leaf, { task: ':top' }]
    cmds:
      - task: sibling
      - defer: { task: b:leaf }
      - echo plain
  sibling:
    aliases: [sib]
    cmd: echo sibling
`,
      'a/b/Taskfile.yml': `version: '3'
silent: true
tasks:
  leaf: echo leaf
`,
    });
    const graph = loadTaskGraphWith(dir, YamlSource);
    const a = graph.tasks.get('a:default');
    expect(a?.spec['deps']).toEqual(['a:b:leaf', { task: 'top' }]);
    expect(a?.spec['cmds']).toEqual([
      { task: 'a:sibling' },
      { defer: { task: 'a:b:leaf' } },
      'echo plain',
    ]);
    expect(graph.tasks.get('a:sibling')?.spec['cmds']).toEqual(['echo sibling']);
    // Task aliases, namespace aliases and both combined; `task a` runs a:default.
    for (const alias of ['a:sib', 'x:sibling', 'x:sib'])
      expect(graph.aliases.get(alias)).toBe('a:sibling');
    expect(graph.aliases.get('a')).toBe('a:default');
    expect(graph.aliases.get('x')).toBe('a:default');
    // A map-form include without dir runs its tasks in the including Taskfile's directory.
    expect(a?.dir).toBe(dir);
    expect(graph.tasks.get('a:b:leaf')?.dir).toBe(path.join(dir, 'a'));
    // An included Taskfile's `silent: true` applies to its tasks.
    expect(graph.tasks.get('a:b:leaf')?.spec['silent']).toBe(true);
    // Included vars are merged into the globals; include-site vars stay with the task.
    expect(graph.tasks.get('top')?.varLayers[0]).toEqual({ A: 'from-a', B: 'from-a' });
    expect(a?.varLayers[1]).toEqual({ SITE: 'a' });
  });

  it('rejects dotenv in an included Taskfile and clashing task names', () => {
    const dir = tree({
      'Taskfile.yml': `version: '3'
includes:
  lib: { taskfile: ./lib, flatten: true }
tasks:
  build: make
`,
      'lib/Taskfile.yml': "version: '3'\ndotenv: [.env]\ntasks:\n  build: make\n",
    });
    expect(() => loadTaskGraphWith(dir, YamlSource)).toThrow(ConfigError);
    try {
      loadTaskGraphWith(dir, YamlSource);
    } catch (e) {
      const messages = (e as ConfigError).problems.map((p) => p.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/can't have dotenv/),
          expect.stringMatching(/task 'build' included by 'lib' is already defined/),
        ]),
      );
    }
  });

  it('reports every problem with file and line: unknown keys, missing includes, bad version', () => {
    const dir = tree({
      'Taskfile.yml': `version: '2'
includes:
  gone: ./gone
  sub: ./sub
tasks:
  build:
    cmds:
      - cmd: make
        retries: 3
    sourcez: ['*.go']
`,
      'sub/Taskfile.yml': "version: '3'\nfoo: bar\ntasks: {}\n",
    });
    const error = (() => {
      try {
        loadTaskGraphWith(dir, YamlSource);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map(
      (p) => `${path.basename(p.file)}:${p.line} ${p.message}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "Taskfile.yml:1 version must be '3' (Taskfile v3), got '2'",
        "Taskfile.yml:3 include 'gone': no Taskfile at ./gone",
        "Taskfile.yml:9 unknown key 'retries' in a command of task 'build'",
        "Taskfile.yml:10 unknown key 'sourcez' in task 'build'",
        "Taskfile.yml:2 unknown key 'foo' in Taskfile",
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('detects include cycles', () => {
    const dir = tree({
      'Taskfile.yml': "version: '3'\nincludes:\n  a: ./a\ntasks: {}\n",
      'a/Taskfile.yml': "version: '3'\nincludes:\n  root: ..\ntasks: {}\n",
    });
    expect(() => loadTaskGraphWith(dir, YamlSource)).toThrow(/include cycle detected/);
  });

  it('reports invalid YAML with a position', () => {
    const dir = tree({ 'Taskfile.yml': "version: '3'\ntasks:\n  a: [unclosed\n" });
    expect(() => loadTaskGraphWith(dir, YamlSource)).toThrow(ConfigError);
  });
});
