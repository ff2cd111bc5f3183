import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sarifParser } from '../../../src/reports/formats/sarif.js';
import { scanSecrets } from '../../../src/scan/secrets/index.js';
import { buildCorpus, type Corpus } from './corpus.js';

// The real bundle (rebuilt by the global setup); GANTRY_BIN points at a private build.
const bin =
  process.env['GANTRY_BIN'] ?? path.resolve(import.meta.dirname, '../../../dist/bin/gantry.mjs');

function gantry(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, 'scan', 'secrets', ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let corpus: Corpus;
let out: string;
beforeAll(() => {
  corpus = buildCorpus();
  out = mkdtempSync(path.join(os.tmpdir(), 'gantry-secrets-cli-'));
});
afterAll(() => {
  corpus.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('gantry scan secrets', () => {
  it('--history: a table, JSON and SARIF, all redacted; exit 1', async () => {
    const json = path.join(out, 'findings.json');
    const sarif = path.join(out, 'findings.sarif');
    const run = gantry(['--history', '--json', json, '--sarif', sarif, corpus.dir], out);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('[GANTRY_SECRETS_FOUND]');
    const expected = await scanSecrets({ root: corpus.dir, history: true });

    const rows = run.stdout
      .split('\n')
      .filter((l) => /^[a-z0-9-]+ {2,}\S+:\d+ {2,}[0-9a-f]{12} {2,}/.test(l));
    expect(rows).toHaveLength(expected.length);
    expect(run.stdout).toContain(`${expected.length} secrets found in `);
    const first = expected[0]!;
    expect(run.stdout).toContain(`${first.file}:${first.line}`);

    const report = JSON.parse(readFileSync(json, 'utf8')) as Array<Record<string, unknown>>;
    expect(report).toHaveLength(expected.length);
    for (const [i, row] of report.entries()) {
      const f = expected[i]!;
      expect(row).toMatchObject({
        rule: f.rule,
        file: f.file,
        line: f.line,
        commit: f.commit,
        fingerprint: f.fingerprint,
        secret: f.secret,
        entropy: f.entropy,
      });
    }

    const log = JSON.parse(readFileSync(sarif, 'utf8')) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; rules: Array<{ id: string }> } };
        results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }>;
      }>;
    };
    expect(log.version).toBe('2.1.0');
    const [runLog] = log.runs;
    expect(runLog!.tool.driver.name).toBe('gantry-secrets');
    expect(runLog!.tool.driver.rules.map((r) => r.id)).toEqual(
      [...new Set(expected.map((f) => f.rule))].sort(),
    );
    expect(runLog!.results.map((r) => r.partialFingerprints['gitleaksFingerprint/v1'])).toEqual(
      expected.map((f) => f.fingerprint),
    );
    // What the report reader of `gantry gate` makes of it: the same rules and places.
    const read = sarifParser.parse(readFileSync(sarif, 'utf8'), sarif);
    const readBack = [...(read.findings ?? []), ...(read.secrets ?? [])];
    expect(readBack.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(
      expected.map((f) => `${f.rule} ${f.file}:${f.line}`),
    );

    for (const text of [
      run.stdout,
      run.stderr,
      readFileSync(json, 'utf8'),
      readFileSync(sarif, 'utf8'),
    ])
      for (const secret of corpus.secrets) expect(text).not.toContain(secret);
  });

  it('working tree: exit 0 when clean, 1 with findings', () => {
    const clean = mkdtempSync(path.join(out, 'clean-'));
    writeFileSync(path.join(clean, 'a.txt'), 'nothing to see\n');
    const ok = gantry([], clean);
    expect(ok).toMatchObject({ code: 0, stdout: 'no secrets found\n' });
    const dirty = gantry([corpus.dir], out);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(/^RULE +LOCATION +SECRET\n/);
  });

  it('usage and config errors exit 2', () => {
    expect(gantry(['--nope'], out).code).toBe(2);
    expect(gantry(['a', 'b'], out).code).toBe(2);
    const since = gantry(['--since', 'HEAD', corpus.dir], out);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since needs --history');
    const config = path.join(out, 'bad.toml');
    writeFileSync(config, "[[rules]]\nid = 'backref'\nregex = '''(a)\\1'''\n");
    const bad = gantry(['--config', config, corpus.dir], out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad.toml:2: rule 'backref'");
    expect(bad.stderr).toContain('[GANTRY_SCAN_CONFIG_INVALID]');
    expect(gantry(['--help'], out)).toMatchObject({ code: 0 });
  });
});
