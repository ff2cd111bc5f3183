import { describe, expect, it } from 'vitest';
import { cacheKey, stableJson, type TaskManifest } from '../../src/cache/manifest.js';

/** The definition stableJson must keep: JSON.stringify of every object rebuilt sorted. */
const sortedCopyJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );

describe('stableJson', () => {
  it('writes what JSON.stringify writes for the same data with every object sorted', () => {
    const values: unknown[] = [
      null,
      1,
      -0,
      Number.NaN,
      Infinity,
      'x',
      'é"\n\u2028',
      true,
      [],
      {},
      [undefined, 1, () => 1],
      { b: 1, a: undefined, c: [{ z: 1, y: { q: null } }], é: 2, E: 3, '10': 1, '2': 2, '01': 0 },
      { d: new Date(0) },
    ];
    for (const value of values) expect(stableJson(value)).toBe(sortedCopyJson(value));
  });

  it('gives equal keys to equal manifests whatever their key order', () => {
    const manifest: TaskManifest = {
      salt: 's',
      task: 't',
      dir: '.',
      platform: 'linux/amd64',
      definition: { cmds: ['a'], sources: ['b'] },
      env: {},
      files: { 'a.txt': '1', 'b.txt': '2' },
      deps: {},
    };
    const reordered = JSON.parse(
      JSON.stringify({ ...manifest, files: { 'b.txt': '2', 'a.txt': '1' } }),
    ) as TaskManifest;
    expect(cacheKey(reordered)).toBe(cacheKey(manifest));
    expect(cacheKey({ ...manifest, files: { 'a.txt': '1' } })).not.toBe(cacheKey(manifest));
  });
});
