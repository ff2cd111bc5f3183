import { statSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { loadSecretsConfig } from './config-file.js';
import { Detector, type RawFinding } from './detect.js';
import { scanHistory } from './history.js';
import { readIgnoreFile } from './ignore-file.js';
import { KeywordPrefilter } from './prefilter.js';
import { redactSecret } from './redact.js';
import type { ScanSecretsOptions, SecretFinding } from './types.js';
import { scanWorkingTree } from './worktree.js';

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Finds secrets in the working tree of `root`, or with `history` in every commit of every
 * ref (`since`: only commits not reachable from that ref). Rules come from `config`, else
 * `<root>/.gitleaks.toml`, else the built-in set; `.gitleaksignore` in the root is honoured.
 * Findings are sorted by file, line and rule, and hold only the redacted secret.
 */
export async function scanSecrets(options: ScanSecretsOptions): Promise<SecretFinding[]> {
  return (await scanSecretsWithStats(options)).findings;
}

/** scanSecrets plus how many bytes (of files, or of diff) were read. */
export async function scanSecretsWithStats(
  options: ScanSecretsOptions,
): Promise<{ findings: SecretFinding[]; bytes: number }> {
  const root = path.resolve(options.root);
  if (!isDirectory(root)) throw new GantryError('GANTRY_USAGE', `${root} is not a directory`);
  if (options.since !== undefined && !options.history)
    throw new GantryError('GANTRY_USAGE', '--since needs --history');
  const config = loadSecretsConfig(root, options.config);
  const detector = new Detector(config);
  const prefilter = new KeywordPrefilter(config.rules);
  const { findings: raw, bytes } = options.history
    ? await scanHistory(root, options.since, detector, prefilter)
    : scanWorkingTree(root, detector, prefilter, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const ignored = readIgnoreFile(root);
  const seen = new Set<string>();
  const findings: SecretFinding[] = [];
  for (const finding of raw.map(toFinding)) {
    const global = `${finding.file}:${finding.rule}:${finding.line}`;
    if (ignored.has(global) || ignored.has(finding.fingerprint)) continue;
    // A path-only rule matches once per hunk of the file; one finding per file is enough.
    if (finding.line === 0) {
      if (seen.has(finding.fingerprint)) continue;
      seen.add(finding.fingerprint);
    }
    findings.push(finding);
  }
  findings.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.rule, b.rule) ||
      compare(a.commit ?? '', b.commit ?? ''),
  );
  return { findings, bytes };
}

function toFinding(raw: RawFinding): SecretFinding {
  const { rule, commit, file, line } = raw;
  const secret = raw.secret === '' ? '' : redactSecret(raw.secret);
  const fingerprint = commit
    ? `${commit.sha}:${file}:${rule.id}:${line}`
    : `${file}:${rule.id}:${line}`;
  return {
    kind: 'secret',
    tool: 'gantry',
    rule: rule.id,
    severity: 'high',
    message:
      secret === '' ? `${rule.description}: file detected` : `${rule.description}: ${secret}`,
    file,
    line,
    ...(line > 0 ? { column: raw.column, endLine: raw.endLine } : {}),
    ...(commit
      ? { commit: commit.sha, author: commit.author, email: commit.email, date: commit.date }
      : {}),
    fingerprint,
    secret,
    entropy: Math.round(raw.entropy * 1000) / 1000,
    description: rule.description,
    tags: rule.tags,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
