import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRules } from '../../../src/scan/secrets/compile-rules.js';
import { Detector } from '../../../src/scan/secrets/detect.js';
import { translateGoRegex } from '../../../src/scan/secrets/index.js';
import { gitleaksBin } from './gitleaks-peer.js';

/** What a one-rule config finds in `text`: `line:secret` per finding, as gitleaks reports. */
function ours(regex: string, text: string, secretGroup = 0): string[] {
  const { config, problems } = compileRules([{ id: 'r', regex, secretGroup }], []);
  expect(problems).toEqual([]);
  return new Detector(config)
    .detect({ text, startLine: 1, file: 'input.txt' }, [0])
    .map((f) => `${f.line}:${f.secret}`);
}

// Go features JavaScript lacks or reads differently, each with text that tells them apart.
const cases: Array<{ regex: string; text: string; expected: string[]; secretGroup?: number }> = [
  {
    regex: '(?i)token_[a-z]{4}',
    text: 'TOKEN_ABCD token_wxyz',
    expected: ['1:TOKEN_ABCD', '1:token_wxyz'],
  },
  { regex: 'key-(?i:abc)-(x)', text: 'key-ABC-x KEY-abc-x', expected: ['1:x'] },
  {
    regex: '(?i)pre(?-i:FIX)_[0-9]',
    text: 'PREFIX_1 prefix_2 PreFIX_3',
    expected: ['1:PREFIX_1', '1:PreFIX_3'],
  },
  { regex: 'k(?i)k', text: 'kK kk Kk k\u212a', expected: ['1:kK', '1:kk', '1:k\u212a'] },
  { regex: '(?P<secret>[[:alnum:]]{6})[[:punct:]]', text: 'ab12CD! x', expected: ['1:ab12CD'] },
  { regex: 'end[[:digit:]]\\z', text: 'end1\nend2', expected: ['2:end2'] },
  { regex: '\\Astart', text: 'start\nstart', expected: ['1:start'] },
  { regex: 'a\\sb', text: 'a\u000bb a\tb a\u00a0b', expected: ['1:a\tb'] },
  { regex: 'x.y', text: 'x\ry x\ny x\u2028y', expected: ['1:x\ry', '2:x\u2028y'] },
  { regex: '(?s)x.y', text: 'x\ny', expected: ['1:x\ny'] },
  { regex: '(?m)^v=(\\w+)$', text: 'a\nv=one\nv=two', expected: ['2:one', '3:two'] },
  { regex: '^v=(\\w+)$', text: 'v=one\nv=two', expected: [] },
  { regex: '(?U)<(.+)>', text: '<a><b>', expected: ['1:a', '1:b'] },
  { regex: '[^\\S\\n]x', text: ' x\nx\tx', expected: ['1: x', '2:\tx'] },
  { regex: '\\x{41}\\x42\\101[\\x{43}-E]', text: 'ABAD ABAC', expected: ['1:ABAD', '1:ABAC'] },
  { regex: 'a\\Q.*\\E+', text: 'a.** a.*', expected: ['1:a.**', '1:a.*'] },
  { regex: 'v{,2}', text: 'v{,2}', expected: ['1:v{,2}'] },
  { regex: '\\pL+\\d', text: 'été1 x2', expected: ['1:été1', '1:x2'] },
  { regex: '\\p{Greek}{3}', text: 'αβγ abc', expected: ['1:αβγ'] },
  { regex: '(a)|(b)', text: 'b', expected: ['1:b'] },
  { regex: '(a)?(b)', text: 'b', expected: ['1:b'] },
  { regex: '(x)(y)', text: 'xy', expected: ['1:y'], secretGroup: 2 },
  // gitleaks numbers a match by its first character, counting one leading newline at most.
  { regex: '\\n*(tok)\\n*', text: '\n\ntok\n', expected: ['2:tok'] },
  { regex: '[[:^alpha:][:digit:]]+', text: 'ab12-cd', expected: ['1:12-'] },
];

describe('Go RE2 → JavaScript', () => {
  for (const c of cases) {
    it(`${c.regex} on ${JSON.stringify(c.text)}`, () => {
      expect(ours(c.regex, c.text, c.secretGroup)).toEqual(c.expected);
    });
  }

  it('uses the i flag only for a whole-pattern (?i)', () => {
    expect(translateGoRegex('(?i)ab')).toEqual({ source: 'ab', flags: 'iu', groups: 0 });
    expect(translateGoRegex('(?i)a(?-i:b)').flags).toBe('u');
    expect(translateGoRegex('(?P<x>a)(b)(?:c)').groups).toBe(2);
  });

  const rejected: Array<[string, RegExp]> = [
    ['(?=x)', /unsupported Perl syntax/],
    ['(?<!x)y', /unsupported Perl syntax/],
    ['(a)\\1', /backreferences/],
    ['a**', /nested repetition/],
    ['x{1001}', /invalid repeat count/],
    ['[z-a]', /character class range/],
    ['(abc', /missing closing \)/],
    ['abc)', /unexpected \)/],
    ['[abc', /missing closing \]/],
    ['*a', /missing argument/],
    ['\\C', /invalid escape/],
    ['\\e', /invalid escape/],
    ['[[:nope:]]', /character class range/],
    ['\\p{NoSuchScript}', /character class range/],
  ];
  for (const [regex, message] of rejected) {
    it(`rejects ${regex}`, () => {
      expect(() => translateGoRegex(regex)).toThrow(message);
    });
  }
});

describe('the same cases through gitleaks (Go regexp)', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'gantry-goregex-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finds what Gantry finds, for every case', () => {
    const bin = gitleaksBin();
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const config = path.join(work, `c${i}.toml`);
      const report = path.join(work, `c${i}.json`);
      const rule = {
        id: 'r',
        regex: c.regex,
        ...(c.secretGroup ? { secretGroup: c.secretGroup } : {}),
      };
      writeFileSync(config, stringify({ rules: [rule] }));
      const run = spawnSync(
        bin,
        [
          'stdin',
          '--no-banner',
          '--log-level',
          'error',
          '--config',
          config,
          '--report-format',
          'json',
          '--report-path',
          report,
          '--exit-code',
          '0',
        ],
        { input: c.text, encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const found = (
        JSON.parse(readFileSync(report, 'utf8')) as Array<{ StartLine: number; Secret: string }>
      )
        .map((f) => `${f.StartLine}:${f.Secret}`)
        .sort();
      const mine = ours(c.regex, c.text, c.secretGroup).sort();
      if (JSON.stringify(found) !== JSON.stringify(mine))
        mismatches.push(
          `${c.regex}: gitleaks ${JSON.stringify(found)}, gantry ${JSON.stringify(mine)}`,
        );
    });
    expect(mismatches).toEqual([]);
  });
});
