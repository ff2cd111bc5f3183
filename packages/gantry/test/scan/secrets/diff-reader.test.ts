import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecretsConfig } from '../../../src/scan/secrets/config-file.js';
import type { Fragment } from '../../../src/scan/secrets/detect.js';
import { commitFormat, DiffReader } from '../../../src/scan/secrets/diff-reader.js';
import { KeywordPrefilter } from '../../../src/scan/secrets/prefilter.js';
import { buildCorpus, type Corpus } from './corpus.js';
import { addEdgeCases } from './edge-cases.js';

let corpus: Corpus;
let diff: Buffer;
beforeAll(() => {
  corpus = buildCorpus();
  addEdgeCases(corpus);
  diff = execFileSync(
    'git',
    [
      'log',
      '-p',
      '-U0',
      '--full-history',
      '--all',
      '--diff-filter=tuxdb',
      '--no-color',
      commitFormat,
    ],
    { cwd: corpus.dir, maxBuffer: 1 << 28 },
  );
});
afterAll(() => corpus.cleanup());

/** Every fragment the reader hands on, with the rules the prefilter chose for it. */
function read(chunkSize: number, maxFragmentBytes?: number): string[] {
  const config = loadSecretsConfig(
    corpus.dir,
    path.join(import.meta.dirname, 'fixtures', 'shared-rules.toml'),
  );
  const prefilter = new KeywordPrefilter(config.rules);
  const out: string[] = [];
  const reader = new DiffReader(
    prefilter,
    (f: Fragment, rules) =>
      out.push(
        `${f.commit?.sha} ${f.file}:${f.startLine} [${[...rules].sort().join(',')}] ${JSON.stringify(f.text)}`,
      ),
    maxFragmentBytes,
  );
  for (let i = 0; i < diff.length; i += chunkSize) reader.push(diff.subarray(i, i + chunkSize));
  reader.end();
  return out;
}

describe('DiffReader', () => {
  it('hands on the same fragments whatever the chunk boundaries', () => {
    const whole = read(diff.length);
    expect(whole.length).toBeGreaterThan(20);
    for (const size of [1, 2, 7, 61, 4096]) expect(read(size)).toEqual(whole);
  });

  it('reads C-quoted paths, CRLF, a missing final newline and header look-alikes as content', () => {
    const whole = read(diff.length).join('\n');
    expect(whole).toContain(' weird name/with "quotes" and space.txt:1 ');
    expect(whole).toMatch(/notes\/crlf\.txt:1 \[[\d,]+\] "first line\\r\\ntoken = .*\\r\\n"/);
    expect(whole).toMatch(/notes\/no-newline\.txt:1 \[[\d,]+\] "intro\\napi_key: [^"\\]+"/);
    expect(whole).toMatch(/src\/lookalikes\.txt:1 \[[\d,]+\] "\+\+ ghp_\w+\\n@@ -1 \+1 @@ xoxb-/);
    // The binary file never becomes a fragment.
    expect(whole).not.toContain('bin/tool');
  });

  it('splits a hunk larger than the limit, numbering the pieces on', () => {
    const sha = corpus.commits.get('add-clients')!;
    const lines = (fragments: string[]) =>
      fragments
        .filter((f) => f.startsWith(`${sha} src/clients.ts:`))
        .map((f) => /clients\.ts:(\d+)/.exec(f)?.[1]);
    expect(lines(read(diff.length))).toEqual(['1']);
    // One line per piece: only the lines with a keyword are handed on, at their own numbers.
    expect(lines(read(diff.length, 40))).toEqual([
      '2',
      '7',
      '14',
      '19',
      '21',
      '22',
      '23',
      '24',
      '25',
    ]);
  });
});
