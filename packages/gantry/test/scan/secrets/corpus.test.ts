import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSecrets } from '../../../src/scan/secrets/index.js';
import { buildCorpus, key, type Corpus } from './corpus.js';

let corpus: Corpus;
beforeAll(() => {
  corpus = buildCorpus();
});
afterAll(() => corpus.cleanup());

const keysOf = (findings: ReadonlyArray<Parameters<typeof key>[0]>) => findings.map(key).sort();

describe('scanSecrets on the labelled corpus', () => {
  it('history: every planted secret at the commit that added it, no decoy', async () => {
    const findings = await scanSecrets({ root: corpus.dir, history: true });
    expect(keysOf(findings)).toEqual(corpus.resolved(corpus.history));
    // Every built-in rule is exercised by the corpus.
    const { builtinRules } = await import('../../../src/scan/secrets/index.js');
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(builtinRules.map((r) => r.id)));
  });

  it('history: removed secrets are still found; the working tree has only what main holds', async () => {
    const history = await scanSecrets({ root: corpus.dir, history: true });
    const tree = await scanSecrets({ root: corpus.dir });
    expect(keysOf(tree)).toEqual(corpus.resolved(corpus.workingTree()));
    const removed = ['keys/legacy.pem', 'src/clients.ts:2', 'config/settings.env:2'];
    const at = (where: string) => (f: { file: string; line: number }) =>
      f.file === where || `${f.file}:${f.line}` === where;
    for (const where of removed) {
      expect(history.some(at(where))).toBe(true);
      expect(tree.some(at(where))).toBe(false);
    }
    // The unmerged branch is history only.
    expect(history.filter((f) => f.file === 'deploy/prod.env')).toHaveLength(2);
    expect(tree.filter((f) => f.file === 'deploy/prod.env')).toHaveLength(0);
  });

  it('history findings carry commit, author and date; fingerprints are gitleaks-shaped', async () => {
    const findings = await scanSecrets({ root: corpus.dir, history: true });
    const first = findings.find((f) => f.rule === 'aws-access-token')!;
    expect(first.commit).toBe(corpus.commits.get('add-config'));
    expect(first.author).toBe('Corpus Author');
    expect(first.email).toBe('author@example.com');
    expect(first.date).toBe('2023-11-14T22:13:20Z');
    expect(first.fingerprint).toBe(`${first.commit}:config/settings.env:aws-access-token:2`);
    const tree = await scanSecrets({ root: corpus.dir });
    expect(tree[0]!.fingerprint).toBe(`${tree[0]!.file}:${tree[0]!.rule}:${tree[0]!.line}`);
  });

  it('--since: only commits after the ref', async () => {
    const findings = await scanSecrets({ root: corpus.dir, history: true, since: 'HEAD~1' });
    const after = new Set(['rename', 'unmerged-branch']);
    expect(keysOf(findings)).toEqual(
      corpus.resolved(corpus.history.filter((e) => after.has(e.commit!))),
    );
    await expect(
      scanSecrets({ root: corpus.dir, history: true, since: 'no-such-ref' }),
    ).rejects.toMatchObject({ code: 'GANTRY_USAGE' });
  });

  it('.gitleaksignore: a commit fingerprint, a global fingerprint, comments', async () => {
    const history = await scanSecrets({ root: corpus.dir, history: true });
    const tree = await scanSecrets({ root: corpus.dir });
    const oneCommit = history.find((f) => f.rule === 'jwt')!;
    const everywhere = tree.find((f) => f.rule === 'github-oauth')!;
    expect(everywhere.fingerprint).toBe('src/clients.ts:github-oauth:3');
    const ignore = path.join(corpus.dir, '.gitleaksignore');
    writeFileSync(ignore, `# reviewed\n${oneCommit.fingerprint}\n\n${everywhere.fingerprint}\n`);
    try {
      const history2 = await scanSecrets({ root: corpus.dir, history: true });
      const tree2 = await scanSecrets({ root: corpus.dir });
      const global = (f: { file: string; rule: string; line: number }) =>
        `${f.file}:${f.rule}:${f.line}` === everywhere.fingerprint;
      expect(keysOf(history2)).toEqual(
        keysOf(history.filter((f) => f !== oneCommit && !global(f))),
      );
      expect(history2.length).toBe(history.length - 2);
      expect(keysOf(tree2)).toEqual(keysOf(tree.filter((f) => !global(f))));
      expect(tree2.length).toBe(tree.length - 1);
    } finally {
      writeFileSync(ignore, '');
    }
  });

  it('never holds a whole secret in a finding', async () => {
    const findings = [
      ...(await scanSecrets({ root: corpus.dir, history: true })),
      ...(await scanSecrets({ root: corpus.dir })),
    ];
    const text = JSON.stringify(findings);
    for (const secret of corpus.secrets) expect(text).not.toContain(secret);
    for (const f of findings) expect(f.secret).toMatch(/^.{0,4}…\(\d+\)$/u);
  });
});
