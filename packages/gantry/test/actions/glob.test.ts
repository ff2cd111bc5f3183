import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../helpers/repo.js';
import { globPaths, type GlobOptions } from '../../src/actions/support/glob-search.js';
import { artifactRoot, commonAncestor } from '../../src/actions/artifacts/artifact-root.js';
import { removeTempDirs, tempDir } from './action-harness.js';

afterEach(removeTempDirs);

function fixture() {
  const cwd = tempDir();
  writeFiles(cwd, {
    'a.txt': '',
    '.hidden': '',
    'src/index.ts': '',
    'src/deep/er/mod.ts': '',
    'src/(group)/page.ts': '',
    'logs/x.log': '',
  });
  return cwd;
}

async function glob(cwd: string, lines: string, options: Partial<GlobOptions> = {}) {
  const result = await globPaths(lines.split('\n'), {
    cwd,
    home: '/home/nobody',
    implicitDescendants: false,
    matchDirectories: true,
    ...options,
  });
  return {
    matches: result.matches.map((m) => path.relative(cwd, m)).sort(),
    searchPaths: result.searchPaths.map((p) => path.relative(cwd, p)),
  };
}

describe('path patterns (@actions/glob semantics)', () => {
  it('matches dot files with *, ** across zero or more directories, and literal odd names', async () => {
    const cwd = fixture();
    expect((await glob(cwd, '*', { matchDirectories: false })).matches).toEqual([
      '.hidden',
      'a.txt',
    ]);
    expect((await glob(cwd, 'src/**/*.ts')).matches).toEqual([
      'src/(group)/page.ts',
      'src/deep/er/mod.ts',
      'src/index.ts',
    ]);
    expect((await glob(cwd, 'src/(group)/page.ts')).matches).toEqual(['src/(group)/page.ts']);
  });

  it('lets the last matching pattern decide, and a trailing slash match directories only', async () => {
    const cwd = fixture();
    expect((await glob(cwd, 'src/**/*.ts\n!src/deep/**\nsrc/deep/er/mod.ts')).matches).toEqual([
      'src/(group)/page.ts',
      'src/deep/er/mod.ts',
      'src/index.ts',
    ]);
    expect((await glob(cwd, 'src/*/')).matches).toEqual(['src/(group)', 'src/deep']);
    expect((await glob(cwd, '# a comment\n\nlogs')).matches).toEqual(['logs']);
  });

  it('brings descendants along with implicitDescendants, and skips hidden names when told to', async () => {
    const cwd = fixture();
    const all = await glob(cwd, 'src\nlogs', {
      implicitDescendants: true,
      matchDirectories: false,
    });
    expect(all.matches).toEqual([
      'logs/x.log',
      'src/(group)/page.ts',
      'src/deep/er/mod.ts',
      'src/index.ts',
    ]);
    expect(all.searchPaths).toEqual(['src', 'logs']);
    expect(
      (
        await glob(cwd, '.', {
          implicitDescendants: true,
          matchDirectories: false,
          excludeHiddenFiles: true,
        })
      ).matches,
    ).not.toContain('.hidden');
  });

  it('follows symbolic links without looping', async () => {
    const cwd = fixture();
    symlinkSync(path.join(cwd, 'src'), path.join(cwd, 'src/deep/loop'));
    const { matches } = await glob(cwd, 'src', {
      implicitDescendants: true,
      matchDirectories: false,
    });
    expect(matches).toContain('src/index.ts');
    expect(matches.filter((m) => m.includes('loop'))).toEqual([]);
  });

  it('derives the artifact root from the search paths', () => {
    expect(commonAncestor(['/w/a/b', '/w/a/c/d'])).toBe('/w/a');
    expect(commonAncestor(['/x', '/y'])).toBe('/');
    expect(artifactRoot(['/w/dist'], ['/w/dist/a.js', '/w/dist/b.js'])).toBe('/w/dist');
    expect(artifactRoot(['/w/dist/a.js'], ['/w/dist/a.js'])).toBe('/w/dist');
  });
});
