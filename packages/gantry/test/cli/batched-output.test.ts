import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedOutput } from '../../src/cli/batched-output.js';

describe('BatchedOutput', () => {
  it('keeps the order across streams with one write per change of stream, at the end of the turn', async () => {
    const writes: string[] = [];
    const sink = (name: string) =>
      new Writable({
        write(chunk: Buffer, _enc, done) {
          writes.push(`${name}:${chunk.toString()}`);
          done();
        },
      });
    const out = new BatchedOutput({ stdout: sink('out'), stderr: sink('err') });
    out.write('a\n', 'stderr');
    out.write('b\n', 'stderr');
    out.write('c\n', 'stdout');
    out.write('d\n', 'stderr');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['err:a\nb\n', 'out:c\n', 'err:d\n']);
    out.write('e\n', 'stdout');
    out.flush();
    expect(writes.at(-1)).toBe('out:e\n');
  });
});
