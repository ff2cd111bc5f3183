import { describe, expect, test } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { expandMatrix, matrixLegName } from '../../src/workflow/matrix.js';

const cross = (os: string[], version: number[]) =>
  os.flatMap((o) => version.map((v) => ({ os: o, version: v })));

// Worked examples of "Using a matrix for your jobs", with the combinations the docs list.
const documented: Array<[string, Record<string, unknown>, Array<Record<string, unknown>>]> = [
  ['single dimension', { node: [10, 12, 14] }, [{ node: 10 }, { node: 12 }, { node: 14 }]],
  [
    'multi-dimension: the first variable varies slowest',
    { os: ['ubuntu-22.04', 'ubuntu-20.04'], version: [10, 12, 14] },
    cross(['ubuntu-22.04', 'ubuntu-20.04'], [10, 12, 14]),
  ],
  [
    'object values',
    {
      os: ['ubuntu-latest', 'macos-latest'],
      node: [{ version: 14 }, { version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' }],
    },
    [
      { os: 'ubuntu-latest', node: { version: 14 } },
      { os: 'ubuntu-latest', node: { version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' } },
      { os: 'macos-latest', node: { version: 14 } },
      { os: 'macos-latest', node: { version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' } },
    ],
  ],
  [
    'include: fruit and animal (matrix-include.md)',
    {
      fruit: ['apple', 'pear'],
      animal: ['cat', 'dog'],
      include: [
        { color: 'green' },
        { color: 'pink', animal: 'cat' },
        { fruit: 'apple', shape: 'circle' },
        { fruit: 'banana' },
        { fruit: 'banana', animal: 'cat' },
      ],
    },
    [
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ],
  ],
  [
    'include: five perl versions on ubuntu, two on macos',
    {
      os: ['ubuntu-latest'],
      perl: ['5.16', '5.20', '5.26', '5.30', 'latest'],
      include: [
        { os: 'macos-latest', perl: '5.26' },
        { os: 'macos-latest', perl: 'latest' },
      ],
    },
    [
      ...['5.16', '5.20', '5.26', '5.30', 'latest'].map((perl) => ({ os: 'ubuntu-latest', perl })),
      { os: 'macos-latest', perl: '5.26' },
      { os: 'macos-latest', perl: 'latest' },
    ],
  ],
  [
    'include expands one combination (npm: 6 for windows/16)',
    {
      os: ['windows-latest', 'ubuntu-latest'],
      node: [12, 14, 16],
      include: [{ os: 'windows-latest', node: 16, npm: 6 }],
    },
    [
      { os: 'windows-latest', node: 12 },
      { os: 'windows-latest', node: 14 },
      { os: 'windows-latest', node: 16, npm: 6 },
      { os: 'ubuntu-latest', node: 12 },
      { os: 'ubuntu-latest', node: 14 },
      { os: 'ubuntu-latest', node: 16 },
    ],
  ],
  [
    'include adds a tenth job (windows/17)',
    {
      os: ['macos-latest', 'windows-latest', 'ubuntu-latest'],
      version: [12, 14, 16],
      include: [{ os: 'windows-latest', version: 17 }],
    },
    [
      ...cross(['macos-latest', 'windows-latest', 'ubuntu-latest'], [12, 14, 16]),
      { os: 'windows-latest', version: 17 },
    ],
  ],
  [
    'only include',
    {
      include: [
        { site: 'production', datacenter: 'site-a' },
        { site: 'staging', datacenter: 'site-b' },
      ],
    },
    [
      { site: 'production', datacenter: 'site-a' },
      { site: 'staging', datacenter: 'site-b' },
    ],
  ],
  [
    'exclude: a partial match is enough (nine jobs)',
    {
      os: ['macos-latest', 'windows-latest'],
      version: [12, 14, 16],
      environment: ['staging', 'production'],
      exclude: [
        { os: 'macos-latest', version: 12, environment: 'production' },
        { os: 'windows-latest', version: 16 },
      ],
    },
    [
      { os: 'macos-latest', version: 12, environment: 'staging' },
      { os: 'macos-latest', version: 14, environment: 'staging' },
      { os: 'macos-latest', version: 14, environment: 'production' },
      { os: 'macos-latest', version: 16, environment: 'staging' },
      { os: 'macos-latest', version: 16, environment: 'production' },
      { os: 'windows-latest', version: 12, environment: 'staging' },
      { os: 'windows-latest', version: 12, environment: 'production' },
      { os: 'windows-latest', version: 14, environment: 'staging' },
      { os: 'windows-latest', version: 14, environment: 'production' },
    ],
  ],
  [
    'include is processed after exclude, so it can add an excluded combination back',
    {
      os: ['a', 'b'],
      version: [1, 2],
      exclude: [{ os: 'a', version: 1 }],
      include: [{ os: 'a', version: 1, extra: true }],
    },
    [
      { os: 'a', version: 2 },
      { os: 'b', version: 1 },
      { os: 'b', version: 2 },
      { os: 'a', version: 1, extra: true },
    ],
  ],
];

// Value matching as GitHub's service does it (ChristopherHX/runner.server#95, rhysd/actionlint#249).
const matching: Array<[string, Record<string, unknown>, Array<Record<string, unknown>>]> = [
  [
    'keys and strings compare case-insensitively, null equals the empty string',
    { a: ['a', 'b', '', null], exclude: [{ A: 'A' }, { A: null }] },
    [{ a: 'b' }],
  ],
  [
    'a number matches its string form',
    { node: [14, 16], include: [{ node: '16', npm: 8 }] },
    [{ node: 14 }, { node: 16, npm: 8 }],
  ],
  [
    'objects match partially',
    { node: [{ version: 14 }, { version: 20, env: 'X' }], exclude: [{ node: { version: 20 } }] },
    [{ node: { version: 14 } }],
  ],
  [
    'an include value for a matrix key in other case does not overwrite it',
    { os: ['linux'], include: [{ OS: 'mac' }] },
    [{ os: 'linux' }, { OS: 'mac' }],
  ],
  [
    'later includes overwrite added values only',
    { os: ['linux', 'mac'], include: [{ tag: 'x' }, { os: 'mac', tag: 'y' }] },
    [
      { os: 'linux', tag: 'x' },
      { os: 'mac', tag: 'y' },
    ],
  ],
];

describe('expandMatrix', () => {
  test.each([...documented, ...matching])('%s', (_label, matrix, expected) => {
    const result = expandMatrix(matrix);
    expect(result).toEqual(expected);
  });

  test('added keys keep the order they were added in', () => {
    const [first] = expandMatrix(documented[3]?.[1] ?? {});
    expect(Object.keys(first ?? {})).toEqual(['fruit', 'animal', 'color', 'shape']);
  });

  test('256 jobs are allowed, 257 are not', () => {
    const axis = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(expandMatrix({ a: axis(16), b: axis(16) })).toHaveLength(256);
    expect(() => expandMatrix({ a: axis(17), b: axis(16) })).toThrow(/more than 256/);
    expect(() => expandMatrix({ a: axis(16), b: axis(16), include: [{ a: 99 }] })).toThrow(
      /257 jobs/,
    );
    expect(expandMatrix({ a: axis(17), b: axis(16), exclude: [{ a: 16 }] })).toHaveLength(256);
  });
});

describe('invalid matrices', () => {
  test.each([
    [{ os: [] }, "Matrix vector 'os' does not contain any values"],
    [{ os: 'ubuntu-latest' }, "matrix variable 'os' must be a list"],
    [{ os: ['a'], OS: ['b'] }, "matrix variable 'OS' is defined twice"],
    [{}, 'Matrix must define at least one vector'],
    [
      { os: ['a'], exclude: [{ build: false }] },
      "Matrix exclude key 'build' does not match any key within the matrix",
    ],
    [{ os: ['a'], include: { os: 'b' } }, "matrix 'include' must be a list of objects"],
    [{ os: ['a'], exclude: ['a'] }, "matrix 'exclude' must be a list of objects"],
    [{ os: ['a'], exclude: [{ os: 'a' }] }, 'every matrix combination is excluded'],
  ])('%j', (matrix, message) => {
    let error: unknown;
    try {
      expandMatrix(matrix);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe('GANTRY_MATRIX_INVALID');
    expect((error as GantryError).message).toContain(message);
  });
});

describe('matrixLegName', () => {
  const legs = (job: string, matrix: Record<string, unknown>) =>
    expandMatrix(matrix).map((combo) => matrixLegName(job, combo));

  test.each([
    [
      'values in definition order',
      'test',
      { python: ['3.11'], os: ['ubuntu'] },
      ['test (3.11, ubuntu)'],
    ],
    [
      'include-added keys are not shown, new include combinations show all their values',
      'example_matrix',
      {
        os: ['windows-latest'],
        node: [16],
        include: [
          { os: 'windows-latest', node: 16, npm: 6 },
          { os: 'ubuntu-latest', node: 18 },
        ],
      },
      ['example_matrix (windows-latest, 16)', 'example_matrix (ubuntu-latest, 18)'],
    ],
    [
      'only include',
      'includes_only',
      { include: [{ site: 'production', datacenter: 'site-a' }] },
      ['includes_only (production, site-a)'],
    ],
    [
      'object values are flattened to their scalars',
      'build',
      {
        os: ['ubuntu-latest'],
        node: [{ version: 20, env: 'NODE_OPTIONS=--openssl-legacy-provider' }],
      },
      ['build (ubuntu-latest, 20, NODE_OPTIONS=--openssl-legacy-provider)'],
    ],
    [
      'null and empty values are left out, booleans shown',
      'j',
      { a: [null, ''], b: [true] },
      ['j (true)', 'j (true)'],
    ],
    ['lists are flattened', 'j', { flags: [['-O2', '-g']] }, ['j (-O2, -g)']],
    // openobserve/openobserve#14036 quotes `review (deepseek, DeepSeek-V4-Pro, …, deepseek-v4-pro, , DEEPSEEK_API_KEY, …`
    [
      'an empty value inside an object is kept',
      'review',
      { provider: [{ name: 'deepseek', model_variant: '', key: 'K' }] },
      ['review (deepseek, , K)'],
    ],
    // facebookresearch/fairchem#2059: generated names are cut to 100 characters
    [
      'long names are truncated to 100 characters',
      'test',
      {
        python_version: ['3.13'],
        shard: [
          {
            name: 'core',
            paths:
              'tests/core/models tests/core/graph tests/core/calculate tests/core/components tests/core/units',
          },
        ],
      },
      [
        'test (3.13, core, tests/core/models tests/core/graph tests/core/calculate tests/core/components t...',
      ],
    ],
  ])('%s', (_label, job, matrix, expected) => {
    expect(legs(job, matrix)).toEqual(expected);
  });

  test('without expandMatrix it shows every value, or the keys it is given', () => {
    expect(matrixLegName('test', { os: 'ubuntu', extra: 1 })).toBe('test (ubuntu, 1)');
    expect(matrixLegName('test', { os: 'ubuntu', extra: 1 }, ['os'])).toBe('test (ubuntu)');
    expect(matrixLegName('test', {})).toBe('test');
  });
});
