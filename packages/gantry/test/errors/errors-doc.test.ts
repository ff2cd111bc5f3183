import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/errors/index.js';

const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
const documented = [...doc.matchAll(/^## (GANTRY_[A-Z_]+)$/gm)].map((m) => m[1]);

describe('docs/errors.md', () => {
  it('documents every error code, in the order of the registry', () => {
    expect(documented).toEqual(Object.keys(errorCodes));
  });

  it('documents no code that does not exist', () => {
    for (const code of documented) expect(Object.keys(errorCodes)).toContain(code);
  });
});
