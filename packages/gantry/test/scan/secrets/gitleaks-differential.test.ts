import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinAllowlists, builtinRules } from '../../../src/scan/secrets/builtin-rules.js';
import { scanSecrets } from '../../../src/scan/secrets/index.js';
import { buildCorpus, key, type Corpus } from './corpus.js';
import { addEdgeCases } from './edge-cases.js';
import { gitleaksBin, runGitleaks, type GitleaksFinding } from './gitleaks-peer.js';

const sharedRules = path.join(import.meta.dirname, 'fixtures', 'shared-rules.toml');

let corpus: Corpus;
let work: string;
// Looked up in each test, so a missing gitleaks fails every test rather than skipping them.
let found: string | undefined;
const gitleaks = () => (found ??= gitleaksBin());
beforeAll(() => {
  corpus = buildCorpus();
  addEdgeCases(corpus);
  work = mkdtempSync(path.join(os.tmpdir(), 'gantry-gitleaks-'));
});
afterAll(() => {
  corpus.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const theirs = (findings: GitleaksFinding[]) =>
  findings
    .map((f) =>
      key({ rule: f.RuleID, file: f.File, line: f.StartLine, commit: f.Commit || undefined }),
    )
    .sort();

/** Gantry's built-in rules written as a gitleaks config: both tools run the same regexes. */
function builtinsAsToml(): string {
  const file = path.join(work, 'builtins.toml');
  const rules = builtinRules.map((r) => ({
    id: r.id,
    description: r.description ?? r.id,
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...(r.secretGroup ? { secretGroup: r.secretGroup } : {}),
    ...(r.entropy ? { entropy: r.entropy } : {}),
    keywords: [...(r.keywords ?? [])],
    ...(r.allowlists?.length ? { allowlists: r.allowlists.map((a) => ({ ...a })) } : {}),
  }));
  writeFileSync(file, stringify({ rules, allowlists: builtinAllowlists.map((a) => ({ ...a })) }));
  return file;
}

describe('gitleaks 8.28.0 and gantry report the same findings', () => {
  it('history, shared rules: same (rule, file, line, commit) set', async () => {
    const ours = await scanSecrets({ root: corpus.dir, history: true, config: sharedRules });
    const reported = runGitleaks(
      gitleaks(),
      'git',
      corpus.dir,
      sharedRules,
      path.join(work, 'git-shared.json'),
    );
    expect(ours.map(key).sort()).toEqual(theirs(reported));
    // Not vacuous: every shared rule matched something.
    expect(new Set(ours.map((f) => f.rule)).size).toBe(10);
  });

  it('working tree, shared rules: same (rule, file, line) set as gitleaks dir', async () => {
    const ours = await scanSecrets({ root: corpus.dir, config: sharedRules });
    const reported = runGitleaks(
      gitleaks(),
      'dir',
      corpus.dir,
      sharedRules,
      path.join(work, 'dir-shared.json'),
    );
    expect(ours.map(key).sort()).toEqual(theirs(reported));
    expect(ours.length).toBeGreaterThan(15);
  });

  it("history, gantry's built-in rules as a gitleaks config: same set", async () => {
    const config = builtinsAsToml();
    const ours = await scanSecrets({ root: corpus.dir, history: true, config });
    const reported = runGitleaks(
      gitleaks(),
      'git',
      corpus.dir,
      config,
      path.join(work, 'git-builtin.json'),
    );
    expect(ours.map(key).sort()).toEqual(theirs(reported));
    // The same as with the built-ins themselves.
    const builtin = await scanSecrets({ root: corpus.dir, history: true });
    expect(builtin.map(key).sort()).toEqual(ours.map(key).sort());
    expect(new Set(ours.map((f) => f.rule)).size).toBe(builtinRules.length);
  });

  it('same secrets, redacted the same way', async () => {
    const ours = await scanSecrets({ root: corpus.dir, history: true, config: sharedRules });
    const reported = runGitleaks(
      gitleaks(),
      'git',
      corpus.dir,
      sharedRules,
      path.join(work, 'git-secrets.json'),
    );
    const { redactSecret } = await import('../../../src/scan/secrets/index.js');
    const redactedPeer = reported
      .map(
        (f) =>
          `${key({ rule: f.RuleID, file: f.File, line: f.StartLine, commit: f.Commit })} ${redactSecret(f.Secret)}`,
      )
      .sort();
    expect(ours.map((f) => `${key(f)} ${f.secret}`).sort()).toEqual(redactedPeer);
  });
});
