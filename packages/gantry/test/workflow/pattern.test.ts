import { describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import {
  compilePattern,
  ignoreFilter,
  includeFilter,
  matchesIgnoreList,
  matchesIncludeList,
} from '../../src/workflow/pattern.js';

// Rows of workflow-syntax.md "Filter pattern cheat sheet": pattern, its documented example matches,
// and names the description rules out.
const branchesAndTags: Array<[string, string[], string[]]> = [
  [
    'feature/*',
    ['feature/my-branch', 'feature/your-branch'],
    ['feature/beta-a/my-branch', 'feature'],
  ],
  [
    'feature/**',
    ['feature/beta-a/my-branch', 'feature/your-branch', 'feature/mona/the/octocat'],
    ['feature', 'features/x'],
  ],
  ['main', ['main'], ['main2', 'xmain', 'Main']],
  ['releases/mona-the-octocat', ['releases/mona-the-octocat'], ['releases/mona']],
  ['*', ['main', 'releases'], ['releases/10', 'feature/a']],
  ['**', ['all/the/branches', 'every/tag'], []],
  ['*feature', ['mona-feature', 'feature', 'ver-10-feature'], ['feature-x', 'a/feature']],
  ['v2*', ['v2', 'v2.0', 'v2.9'], ['v3', 'v1.2', 'v2/x']],
  ['v[12].[0-9]+.[0-9]+', ['v1.10.1', 'v2.0.0'], ['v3.0.0', 'v1.x.1', 'v1.0.', 'v12.0.0']],
];

const paths: Array<[string, string[], string[]]> = [
  ['*', ['README.md', 'server.rb'], ['docs/README.md', 'path/with/slash']],
  ['*.jsx?', ['page.js', 'page.jsx'], ['page.jsxx', 'src/page.js', 'page.ts']],
  ['**', ['all/the/files.md'], []],
  ['*.js', ['app.js', 'index.js'], ['js/index.js', 'app.jsx']],
  ['**.js', ['index.js', 'js/index.js', 'src/js/app.js'], ['index.ts']],
  ['docs/*', ['docs/README.md', 'docs/file.txt'], ['docs/mona/octocat.txt', 'a/docs/file.txt']],
  ['docs/**', ['docs/README.md', 'docs/mona/octocat.txt'], ['README.md', 'a/docs/x']],
  [
    'docs/**/*.md',
    ['docs/README.md', 'docs/mona/hello-world.md', 'docs/a/markdown/file.md'],
    ['docs/a.txt', 'README.md'],
  ],
  [
    '**/docs/**',
    ['docs/hello.md', 'dir/docs/my-file.txt', 'space/docs/plan/space.doc'],
    ['mydocs/a', 'docs'],
  ],
  ['**/README.md', ['README.md', 'js/README.md'], ['README.mdx', 'js/README.md.bak']],
  ['**/*src/**', ['a/src/app.js', 'my-src/code/js/app.js'], ['src', 'source/app.js']],
  ['**/*-post.md', ['my-post.md', 'path/their-post.md'], ['post.md', 'my-post.mdx']],
  [
    '**/migrate-*.sql',
    ['migrate-10909.sql', 'db/migrate-v1.0.sql', 'db/sept/migrate-v1.sql'],
    ['migrate.sql', 'db/migrate-1.sqlite'],
  ],
];

describe('compilePattern: the cheat sheet', () => {
  test.each([...branchesAndTags, ...paths])('%s', (pattern, yes, no) => {
    const re = compilePattern(pattern);
    for (const value of yes) expect(re.test(value), `${pattern} should match ${value}`).toBe(true);
    for (const value of no)
      expect(re.test(value), `${pattern} should not match ${value}`).toBe(false);
  });
});

describe('compilePattern: escapes and literal characters', () => {
  test.each([
    ['.yml', '.yml', 'fyml'], // `.` is a literal dot, not "any character" (act)
    ['escape\\\\backslash', 'escape\\backslash', 'escapebackslash'],
    ['v1\\+build', 'v1+build', 'v11build'],
    ['what\\?', 'what?', 'wha'],
    ['+start', '+start', 'start'], // a quantifier with nothing before it is literal (act)
    ['?start', '?start', 'start'],
    ['fix(ci)', 'fix(ci)', 'fixci'],
    ['[CB]at', 'Cat', 'cat'],
    ['[1-2]00', '200', '300'],
    ['[0-9a-f]x', 'bx', 'gx'],
  ])('%s matches %s but not %s', (pattern, yes, no) => {
    expect(compilePattern(pattern).test(yes)).toBe(true);
    expect(compilePattern(pattern).test(no)).toBe(false);
  });
});

describe('include lists: order matters, the last matching pattern wins', () => {
  test.each([
    // workflow-syntax.md path cheat sheet
    [['*.md', '!README.md'], 'hello.md', true],
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'docs/hello.md', false],
    [['*.md', '!README.md', 'README*'], 'hello.md', true],
    [['*.md', '!README.md', 'README*'], 'README.md', true],
    [['*.md', '!README.md', 'README*'], 'README.doc', true],
    // "Including and excluding branches"
    [['releases/**', '!releases/**-alpha'], 'releases/10', true],
    [['releases/**', '!releases/**-alpha'], 'releases/beta/mona', true],
    [['releases/**', '!releases/**-alpha'], 'releases/10-alpha', false],
    [['releases/**', '!releases/**-alpha'], 'releases/beta/3-alpha', false],
    // "Including and excluding paths"
    [['sub-project/**', '!sub-project/docs/**'], 'sub-project/index.js', true],
    [['sub-project/**', '!sub-project/docs/**'], 'sub-project/src/index.js', true],
    [['sub-project/**', '!sub-project/docs/**'], 'sub-project/docs/readme.md', false],
    // `!` only negates at the start; escaped it is a literal (act)
    [['\\!file'], '!file', true],
    [['a!b'], 'a!b', true],
    [['path/a', 'path/b', 'path/c'], 'path/d', false],
  ])('%j with %s → %s', (patterns, value, expected) => {
    expect(matchesIncludeList(value, patterns)).toBe(expected);
    expect(includeFilter(patterns)(value)).toBe(expected);
  });
});

describe('ignore lists', () => {
  test.each([
    // "Excluding branches and tags": branches-ignore [mona/octocat, releases/**-alpha]
    [['mona/octocat', 'releases/**-alpha'], 'mona/octocat', true],
    [['mona/octocat', 'releases/**-alpha'], 'releases/beta/3-alpha', true],
    [['mona/octocat', 'releases/**-alpha'], 'releases/beta/3', false],
    [['mona/octocat', 'releases/**-alpha'], 'main', false],
    [['docs/**'], 'docs/guide/a.md', true],
    [['docs/**'], 'src/a.ts', false],
    // a later `!` pattern takes a value back out of the ignore list
    [['docs/**', '!docs/api/**'], 'docs/api/x.md', false],
  ])('%j ignores %s: %s', (patterns, value, expected) => {
    expect(matchesIgnoreList(value, patterns)).toBe(expected);
    expect(ignoreFilter(patterns)(value)).toBe(expected);
  });
});

describe('invalid patterns', () => {
  test.each([
    ['[]x', /empty brackets/],
    ['v[0-9', /missing closing bracket/],
    ['v[a-Z]', /range 'a-Z'/],
    ['v[9-0]', /range '9-0'/],
    ['[!a]', /'!' in brackets/],
    ['[a_]', /'_' in brackets/],
    ['trailing\\', /trailing \\/],
    ['**+', /not a valid pattern/],
    ['', /empty/],
  ])('%j is rejected', (pattern, why) => {
    let error: unknown;
    try {
      compilePattern(pattern, 'on.push.branches');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe('GANTRY_CONFIG_INVALID');
    expect((error as GantryError).message).toContain(`'${pattern}' in on.push.branches`);
    expect((error as GantryError).message).toMatch(why);
  });

  test('an include list of only ! patterns is rejected, as the docs require a positive one', () => {
    expect(() => includeFilter(['!main'], 'on.push.branches')).toThrow(/only '!' patterns/);
    expect(() => ignoreFilter(['!main'])).not.toThrow();
  });

  test('a bad pattern anywhere in a list is reported even if an earlier one matches', () => {
    expect(() => matchesIncludeList('main', ['main', 'v[a-Z]'])).toThrow(GantryError);
  });
});
