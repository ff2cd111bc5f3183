import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GantryError } from '../../../src/errors/index.js';
import { scanSecrets } from '../../../src/scan/secrets/index.js';
import { Tokens } from './tokens.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A plain directory (no git) with these files. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-secrets-config-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

async function configError(toml: string): Promise<GantryError> {
  const dir = tree({ '.gitleaks.toml': toml, 'a.txt': 'nothing\n' });
  const error = await scanSecrets({ root: dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect((error as GantryError).code).toBe('GANTRY_SCAN_CONFIG_INVALID');
  return error as GantryError;
}

const where = (findings: Array<{ rule: string; file: string; line: number }>) =>
  findings.map((f) => `${f.rule} ${f.file}:${f.line}`);

describe('gitleaks TOML configs', () => {
  it('a regex Go would reject names the rule, the file and the line', async () => {
    const error = await configError(
      `title = "x"\n\n[[rules]]\nid = "lookahead"\nregex = '''secret(?=[0-9]+)'''\n`,
    );
    expect(error.message).toMatch(
      /\.gitleaks\.toml:4: rule 'lookahead': regex .*unsupported Perl syntax/,
    );
    expect(error.location?.line).toBe(4);
  });

  it('reports every problem at once', async () => {
    const error = await configError(
      [
        '[[rules]]',
        'id = "bad-regex"',
        "regex = '''(unclosed'''",
        '[[rules]]',
        'id = "bad-group"',
        "regex = '''(a)(b)'''",
        'secretGroup = 3',
        '[[rules]]',
        'id = "bad-target"',
        "regex = '''x'''",
        '[[rules.allowlists]]',
        'regexTarget = "everything"',
        "regexes = ['''y''']",
        '[[rules]]',
        'id = "no-effect"',
        'keywords = ["z"]',
        '[[rules]]',
        'id = "wrong-type"',
        "regex = '''x'''",
        'entropy = "high"',
      ].join('\n'),
    );
    expect(error.message).toMatch(/^5 problems in .*\.gitleaks\.toml/);
    for (const text of [
      ':2: rule \'bad-regex\': regex "(unclosed": missing closing )',
      ":5: rule 'bad-group': secretGroup 3 is more than the regex's 2 groups",
      ":9: rule 'bad-target': allowlist 1: unknown regexTarget 'everything'",
      ":15: rule 'no-effect': both regex and path are empty",
      ':18: rule \'wrong-type\': entropy must be a number, got "high"',
    ])
      expect(error.message).toContain(text);
  });

  it('a TOML syntax error points at its line and column', async () => {
    const error = await configError('[[rules]]\nid = "x"\nregex = \n');
    expect(error.message).toMatch(/\.gitleaks\.toml:3:\d+: /);
  });

  it('[extend] useDefault adds the built-in rules; overrides and disabledRules apply', async () => {
    const t = new Tokens(3);
    const ghp = t.github('ghp');
    const npm = t.npm();
    const dir = tree({
      '.gitleaks.toml': [
        '[extend]',
        'useDefault = true',
        'disabledRules = ["npm-access-token"]',
        '[[rules]]',
        'id = "internal-key"',
        "regex = '''\\bint_[0-9a-f]{32}\\b'''",
        'keywords = ["int_"]',
        '[[rules]]',
        'id = "github-pat"',
        '[[rules.allowlists]]',
        "paths = ['''^fixtures/''']",
      ].join('\n'),
      'app.txt': `gh=${ghp}\nnpm=${npm}\nkey int_${t.hex(32)}\n`,
      'fixtures/sample.txt': `gh=${ghp}\n`,
    });
    const findings = await scanSecrets({ root: dir });
    expect(where(findings)).toEqual(['github-pat app.txt:1', 'internal-key app.txt:3']);
  });

  it('keys are case-insensitive, and the old [rules.allowlist] form still works', async () => {
    const dir = tree({
      'rules.toml': [
        '[[rules]]',
        'ID = "pair"',
        "Regex = '''(key)=([a-z0-9]{12})'''",
        'SecretGroup = 2',
        'Keywords = ["KEY="]',
        '[rules.allowlist]',
        'StopWords = ["dead"]',
        "RegexTarget = 'line'",
        "Regexes = ['''^#''']",
      ].join('\n'),
      'a.txt': 'key=a1b2c3d4e5f6\nkey=deadbeef0000\n# key=0f1e2d3c4b5a\n',
    });
    const findings = await scanSecrets({ root: dir, config: path.join(dir, 'rules.toml') });
    expect(where(findings)).toEqual(['pair a.txt:1']);
    expect(findings[0]!.secret).toBe('a1b…(12)');
  });

  it('both allowlist forms in one rule is an error', async () => {
    const error = await configError(
      "[[rules]]\nid = \"twice\"\nregex = '''x'''\n[rules.allowlist]\nstopwords = ['a']\n[[rules.allowlists]]\nstopwords = ['b']\n",
    );
    expect(error.message).toContain("rule 'twice': [rules.allowlist] is the old form");
  });

  it('global allowlists: targetRules, AND conditions, the config file itself is not scanned', async () => {
    const dir = tree({
      '.gitleaks.toml': [
        '[[rules]]',
        'id = "tok"',
        "regex = '''tok_[0-9]{6}'''",
        '[[rules]]',
        'id = "other"',
        "regex = '''oth_[0-9]{6}'''",
        '[[allowlists]]',
        'targetRules = ["tok"]',
        "paths = ['''^vendor/''']",
        '[[allowlists]]',
        'condition = "AND"',
        "paths = ['''^docs/''']",
        "stopwords = ['000000']",
        '# an example in the config itself: tok_123456',
      ].join('\n'),
      'vendor/a.txt': 'tok_111111 oth_222222\n',
      'docs/b.txt': 'tok_000000 tok_333333\n',
      'c.txt': 'tok_000000\n',
    });
    const findings = await scanSecrets({ root: dir });
    expect(where(findings)).toEqual(['tok c.txt:1', 'tok docs/b.txt:1', 'other vendor/a.txt:1']);
  });

  it('path-only rules, composite (required) rules and keyword prefiltering', async () => {
    const dir = tree({
      'rules.toml': [
        '[[rules]]',
        'id = "pem-file"',
        "path = '''\\.pem$'''",
        '[[rules]]',
        'id = "client-id"',
        "regex = '''client_id=([a-z0-9]{8})'''",
        'skipReport = true',
        '[[rules]]',
        'id = "client-secret"',
        "regex = '''client_secret=([a-z0-9]{16})'''",
        '[[rules.required]]',
        'id = "client-id"',
        'withinLines = 1',
        '[[rules]]',
        'id = "gated"',
        "regex = '''gate_[0-9]{4}'''",
        'keywords = ["unlock"]',
      ].join('\n'),
      'cert.pem': 'not really a key\n',
      'near.txt': 'client_id=abcd1234\nclient_secret=0123456789abcdef\n',
      'far.txt': 'client_id=abcd1234\n\n\nclient_secret=0123456789abcdef\n',
      'gate.txt': 'gate_1234\nUNLOCK gate_5678\n',
    });
    const findings = await scanSecrets({ root: dir, config: path.join(dir, 'rules.toml') });
    // gitleaks runs a rule on the whole fragment once a keyword occurs anywhere in it.
    expect(where(findings)).toEqual([
      'pem-file cert.pem:0',
      'gated gate.txt:1',
      'gated gate.txt:2',
      'client-secret near.txt:2',
    ]);
  });
});
