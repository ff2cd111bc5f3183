import { describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { evaluateTrigger, type TriggerEvent } from '../../src/workflow/triggers.js';

type Events = Record<string, unknown>;
type Row = [
  label: string,
  events: Events,
  event: TriggerEvent,
  triggered: boolean,
  reason: RegExp | string,
];

const push = (ref: string, changedFiles?: string[]): TriggerEvent => ({
  name: 'push',
  ref,
  ...(changedFiles ? { changedFiles } : {}),
});
const pr = (baseRef: string, extra: Partial<TriggerEvent> = {}): TriggerEvent => ({
  name: 'pull_request',
  ref: 'refs/pull/7/merge',
  baseRef,
  ...extra,
});

// workflow-syntax.md "Example: Including branches and tags"
const including = {
  push: { branches: ['main', 'mona/octocat', 'releases/**'], tags: ['v2', 'v1.*'] },
};
// workflow-syntax.md "Example: Excluding branches and tags"
const excluding = {
  push: { 'branches-ignore': ['mona/octocat', 'releases/**-alpha'], 'tags-ignore': ['v2', 'v1.*'] },
};

const rows: Row[] = [
  [
    'including: main',
    including,
    push('refs/heads/main'),
    true,
    'push to refs/heads/main matches branches [main, mona/octocat, releases/**]',
  ],
  ['including: mona/octocat', including, push('refs/heads/mona/octocat'), true, /matches branches/],
  ['including: releases/10', including, push('refs/heads/releases/10'), true, /matches branches/],
  [
    'including: tag v2',
    including,
    push('refs/tags/v2'),
    true,
    'push to refs/tags/v2 matches tags [v2, v1.*]',
  ],
  ['including: tag v1.9.1', including, push('refs/tags/v1.9.1'), true, /matches tags/],
  [
    'including: dev',
    including,
    push('refs/heads/dev'),
    false,
    'push to refs/heads/dev does not match branches [main, mona/octocat, releases/**]',
  ],
  [
    'including: tag v3',
    including,
    push('refs/tags/v3'),
    false,
    'push to refs/tags/v3 does not match tags [v2, v1.*]',
  ],
  [
    'excluding: mona/octocat',
    excluding,
    push('refs/heads/mona/octocat'),
    false,
    'push to refs/heads/mona/octocat matches branches-ignore [mona/octocat, releases/**-alpha]',
  ],
  [
    'excluding: releases/beta/3-alpha',
    excluding,
    push('refs/heads/releases/beta/3-alpha'),
    false,
    /matches branches-ignore/,
  ],
  [
    'excluding: tag v2',
    excluding,
    push('refs/tags/v2'),
    false,
    /matches tags-ignore \[v2, v1\.\*\]/,
  ],
  ['excluding: tag v1.9', excluding, push('refs/tags/v1.9'), false, /matches tags-ignore/],
  ['excluding: main runs', excluding, push('refs/heads/main'), true, /branches-ignore/],
  ['excluding: tag v3 runs', excluding, push('refs/tags/v3'), true, /tags-ignore/],
  // "If you define only tags/tags-ignore or only branches/branches-ignore, the workflow won't run
  // for events affecting the undefined Git ref."
  [
    'only branches: a tag push',
    { push: { branches: ['**'] } },
    push('refs/tags/v1'),
    false,
    'push to refs/tags/v1 does not trigger: on.push filters only branches',
  ],
  [
    'only tags: a branch push',
    { push: { tags: ['v*'] } },
    push('refs/heads/main'),
    false,
    'push to refs/heads/main does not trigger: on.push filters only tags',
  ],
  [
    'only branches-ignore: a tag push',
    { push: { 'branches-ignore': ['dev'] } },
    push('refs/tags/v1'),
    false,
    /filters only branches/,
  ],
  ['neither: a branch push', { push: {} }, push('refs/heads/x'), true, 'workflow listens to push'],
  ['neither: a tag push', { push: null }, push('refs/tags/x'), true, 'workflow listens to push'],
  [
    '`on: push` with no filters',
    { push: {} },
    push('refs/heads/main', []),
    true,
    'workflow listens to push',
  ],
  [
    'branches and negation',
    { push: { branches: ['releases/**', '!releases/**-alpha'] } },
    push('refs/heads/releases/10-alpha'),
    false,
    /does not match branches/,
  ],
];

const pathRows: Row[] = [
  [
    'paths: a .js file',
    { push: { paths: ['**.js'] } },
    push('refs/heads/main', ['src/app.js']),
    true,
    'push to refs/heads/main matches paths [**.js]',
  ],
  [
    'paths: no .js file',
    { push: { paths: ['**.js'] } },
    push('refs/heads/main', ['README.md']),
    false,
    'no changed file matches paths [**.js]',
  ],
  [
    'paths-ignore: only docs',
    { push: { 'paths-ignore': ['docs/**'] } },
    push('refs/heads/main', ['docs/a.md', 'docs/b/c.md']),
    false,
    'every changed file matches paths-ignore [docs/**]',
  ],
  [
    'paths-ignore: one file outside docs',
    { push: { 'paths-ignore': ['docs/**'] } },
    push('refs/heads/main', ['docs/a.md', 'src/a.ts']),
    true,
    /paths-ignore/,
  ],
  [
    'paths: no changed files',
    { push: { paths: ['**'] } },
    push('refs/heads/main', []),
    false,
    /no files changed/,
  ],
  [
    'paths-ignore: no changed files',
    { push: { 'paths-ignore': ['docs/**'] } },
    push('refs/heads/main', []),
    false,
    /no files changed/,
  ],
  [
    'paths: unknown changed files pass',
    { push: { paths: ['docs/**'] } },
    push('refs/heads/main'),
    true,
    /changed files unknown/,
  ],
  [
    'paths with ! (docs example)',
    { push: { paths: ['sub-project/**', '!sub-project/docs/**'] } },
    push('refs/heads/main', ['sub-project/docs/readme.md']),
    false,
    /no changed file matches/,
  ],
  [
    'paths with ! (docs example), code file',
    { push: { paths: ['sub-project/**', '!sub-project/docs/**'] } },
    push('refs/heads/main', ['sub-project/src/index.js']),
    true,
    /matches paths/,
  ],
  // "Path filters are not evaluated for pushes of tags"
  [
    'tag push skips paths',
    { push: { tags: ['v*'], paths: ['docs/**'] } },
    push('refs/tags/v1', ['src/a.ts']),
    true,
    'push to refs/tags/v1 matches tags [v*]',
  ],
  [
    'tag push with only paths',
    { push: { paths: ['docs/**'] } },
    push('refs/tags/v1', []),
    true,
    'workflow listens to push',
  ],
  // "If you define both branches/branches-ignore and paths/paths-ignore, the workflow will only
  // run when both filters are satisfied."
  [
    'branches + paths: both',
    { push: { branches: ['main'], paths: ['src/**'] } },
    push('refs/heads/main', ['src/a']),
    true,
    'push to refs/heads/main matches branches [main] and paths [src/**]',
  ],
  [
    'branches + paths: wrong path',
    { push: { branches: ['main'], paths: ['src/**'] } },
    push('refs/heads/main', ['docs/a']),
    false,
    'no changed file matches paths [src/**]',
  ],
  [
    'branches + paths: wrong branch',
    { push: { branches: ['main'], paths: ['src/**'] } },
    push('refs/heads/dev', ['src/a']),
    false,
    /refs\/heads\/dev does not match branches \[main\]/,
  ],
  // "Diffs are limited to 300 files": a match after the first 300 does not count.
  [
    'file 301 is not considered',
    { push: { paths: ['late.txt'] } },
    push('refs/heads/main', [...Array.from({ length: 300 }, (_, i) => `f${i}`), 'late.txt']),
    false,
    /no changed file matches/,
  ],
  [
    'file 300 is considered',
    { push: { paths: ['late.txt'] } },
    push('refs/heads/main', [...Array.from({ length: 299 }, (_, i) => `f${i}`), 'late.txt']),
    true,
    /matches paths/,
  ],
];

const prRows: Row[] = [
  // workflow-syntax.md "Example: Including branches" for pull_request: patterns match the base branch
  [
    'pr into main',
    { pull_request: { branches: ['main', 'mona/octocat', 'releases/**'] } },
    pr('main'),
    true,
    'pull_request into main matches branches [main, mona/octocat, releases/**]',
  ],
  [
    'pr into dev',
    { pull_request: { branches: ['main'] } },
    pr('dev'),
    false,
    'pull_request into dev does not match branches [main]',
  ],
  [
    'pr base given as a full ref',
    { pull_request: { branches: ['main'] } },
    pr('refs/heads/main'),
    true,
    /into main matches/,
  ],
  [
    'pr branches-ignore',
    { pull_request: { 'branches-ignore': ['mona/octocat', 'releases/**-alpha'] } },
    pr('releases/beta/3-alpha'),
    false,
    /matches branches-ignore/,
  ],
  [
    'pr include/exclude: releases/beta/mona',
    { pull_request: { branches: ['releases/**', '!releases/**-alpha'] } },
    pr('releases/beta/mona'),
    true,
    /matches branches/,
  ],
  [
    'pr include/exclude: releases/10-alpha',
    { pull_request: { branches: ['releases/**', '!releases/**-alpha'] } },
    pr('releases/10-alpha'),
    false,
    /does not match branches/,
  ],
  [
    'pr default types: closed',
    { pull_request: {} },
    pr('main', { action: 'closed' }),
    false,
    "pull_request type 'closed' not in types [opened, synchronize, reopened]",
  ],
  [
    'pr default types: synchronize',
    { pull_request: null },
    pr('main', { action: 'synchronize' }),
    true,
    'workflow listens to pull_request',
  ],
  [
    'pr default types: no action means opened',
    { pull_request: {} },
    pr('main'),
    true,
    'workflow listens to pull_request',
  ],
  [
    'pr explicit types',
    { pull_request: { types: ['closed'] } },
    pr('main', { action: 'closed' }),
    true,
    'workflow listens to pull_request',
  ],
  [
    'pr explicit types exclude opened',
    { pull_request: { types: ['labeled'] } },
    pr('main', { action: 'opened' }),
    false,
    "pull_request type 'opened' not in types [labeled]",
  ],
  [
    'pr paths',
    { pull_request: { branches: ['main'], paths: ['api/**'] } },
    pr('main', { changedFiles: ['web/x'] }),
    false,
    'no changed file matches paths [api/**]',
  ],
  [
    'pull_request_target default types',
    { pull_request_target: {} },
    { name: 'pull_request_target', ref: 'refs/heads/main', baseRef: 'main', action: 'edited' },
    false,
    /type 'edited' not in types/,
  ],
];

const otherRows: Row[] = [
  ['not listening', { push: {} }, pr('main'), false, 'workflow does not listen to pull_request'],
  [
    'workflow_dispatch',
    { workflow_dispatch: { inputs: {} } },
    { name: 'workflow_dispatch', ref: 'refs/heads/main' },
    true,
    'workflow listens to workflow_dispatch',
  ],
  [
    'schedule',
    { schedule: [{ cron: '0 3 * * 1-5' }] },
    { name: 'schedule', ref: 'refs/heads/main' },
    true,
    'workflow listens to schedule',
  ],
  [
    'schedule is not push',
    { schedule: [{ cron: '0 3 * * *' }] },
    push('refs/heads/main'),
    false,
    'workflow does not listen to push',
  ],
  [
    'issues types',
    { issues: { types: ['opened'] } },
    { name: 'issues', ref: 'refs/heads/main', action: 'closed' },
    false,
    "issues type 'closed' not in types [opened]",
  ],
];

describe('evaluateTrigger', () => {
  test.each([...rows, ...pathRows, ...prRows, ...otherRows])(
    '%s',
    (_label, events, event, triggered, reason) => {
      const result = evaluateTrigger(events, event);
      expect(result.triggered).toBe(triggered);
      if (typeof reason === 'string') expect(result.reason).toBe(reason);
      else expect(result.reason).toMatch(reason);
    },
  );
});

describe('invalid filters are rejected whichever event fires', () => {
  test.each([
    [
      { push: { branches: ['main'], 'branches-ignore': ['dev'] } },
      /on\.push uses both branches and branches-ignore/,
    ],
    [{ push: { tags: ['v*'], 'tags-ignore': ['v0*'] } }, /on\.push uses both tags and tags-ignore/],
    [
      { pull_request: { paths: ['a/**'], 'paths-ignore': ['b/**'] } },
      /on\.pull_request uses both paths and paths-ignore/,
    ],
    [{ push: { paths: ['src/[a-Z]*'] } }, /'src\/\[a-Z\]\*' in on\.push\.paths/],
    [{ pull_request: { branches: ['!main'] } }, /on\.pull_request\.branches has only '!' patterns/],
  ])('%j', (events, message) => {
    const run = () =>
      evaluateTrigger(
        { ...events, workflow_dispatch: {} },
        { name: 'workflow_dispatch', ref: 'refs/heads/main' },
      );
    expect(run).toThrow(GantryError);
    expect(run).toThrow(message);
  });
});
