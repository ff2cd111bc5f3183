import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { loadTaskGraph } from '../../src/taskfile/load.js';

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
    const graph = loadTaskGraph(dir);
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
    const graph = loadTaskGraph(dir);
    expect([...graph.tasks.keys()].sort()).toEqual(['build', 'tools:gen']);
    expect(graph.tasks.get('tools:gen')?.internal).toBe(true);
    expect(graph.aliases.get('t:gen')).toBe('tools:gen');
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
        loadTaskGraph(dir);
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
    expect(() => loadTaskGraph(dir)).toThrow(/include cycle detected/);
  });

  it('reports invalid YAML with a position', () => {
    const dir = tree({ 'Taskfile.yml': "version: '3'\ntasks:\n  a: [unclosed\n" });
    expect(() => loadTaskGraph(dir)).toThrow(ConfigError);
  });
});
