import { findingAllowed, pathOrCommitAllowed } from './allowlist.js';
import { shannonEntropy } from './entropy.js';
import type { SecretConfig, SecretRule } from './types.js';

export interface CommitInfo {
  readonly sha: string;
  readonly author: string;
  readonly email: string;
  /** ISO 8601, UTC. */
  readonly date: string;
}

/** Text searched as one piece: a hunk's added lines, or a whole file. */
export interface Fragment {
  readonly text: string;
  /** The line number of the text's first line. */
  readonly startLine: number;
  /** Relative to the root, `/`-separated. */
  readonly file: string;
  readonly commit?: CommitInfo;
}

/** A match that survived every filter; holds the real secret, so it stays internal. */
export interface RawFinding {
  readonly rule: SecretRule;
  readonly secret: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly entropy: number;
  readonly file: string;
  readonly commit?: CommitInfo;
}

const ALLOW_SIGNATURE = 'gitleaks:allow';

/**
 * Runs rules over fragments with gitleaks' semantics: the rule's path filter, allowlists on
 * path and commit first, then each regex match: secret = the secretGroup capture (else the
 * first non-empty one, else the match), the entropy floor, `gitleaks:allow` on the line,
 * global then rule allowlists; then required (composite) rules, and generic rules dropped
 * where a specific rule found the same secret on the same line.
 */
export class Detector {
  private readonly byId: ReadonlyMap<string, SecretRule>;

  constructor(readonly config: SecretConfig) {
    this.byId = new Map(config.rules.map((rule) => [rule.id, rule]));
  }

  /** `rules` are indexes into `config.rules`. */
  detect(fragment: Fragment, rules: Iterable<number>): RawFinding[] {
    const { file, commit } = fragment;
    if (this.config.file !== undefined && file === this.config.file) return [];
    if (pathOrCommitAllowed(this.config.allowlists, file, commit?.sha)) return [];
    const findings: RawFinding[] = [];
    for (const index of [...rules].sort((a, b) => a - b)) {
      const rule = this.config.rules[index];
      if (rule) findings.push(...this.detectRule(fragment, rule, false));
    }
    return dropGenericDuplicates(findings);
  }

  private detectRule(fragment: Fragment, rule: SecretRule, inherited: boolean): RawFinding[] {
    const { file, commit, text } = fragment;
    if (rule.skipReport && !inherited) return [];
    if (pathOrCommitAllowed(rule.allowlists, file, commit?.sha)) return [];
    if (rule.path && !rule.path.test(file)) return [];
    if (!rule.regex) {
      return rule.path
        ? [
            {
              rule,
              secret: '',
              line: 0,
              column: 0,
              endLine: 0,
              entropy: 0,
              file,
              ...(commit ? { commit } : {}),
            },
          ]
        : [];
    }
    const findings: RawFinding[] = [];
    const lines = new LineCounter(text);
    const scan = rule.regex.scan;
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
      if (m[0].length === 0) {
        scan.lastIndex++;
        continue;
      }
      const match = trimNewlines(m[0]);
      const start = text.indexOf(match, m.index);
      const end = start + match.length;
      // gitleaks counts the line of the match's first character (a leading newline included).
      const line = fragment.startLine + lines.before(m.index + 1);
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const lineEnd = text.indexOf('\n', end);
      const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
      if (lineText.includes(ALLOW_SIGNATURE)) continue;
      const secret = secretOf(rule, match);
      const entropy = shannonEntropy(secret);
      if (rule.entropy !== 0 && entropy <= rule.entropy) continue;
      const candidate = { secret, match, line: lineText };
      if (findingAllowed(this.config.allowlists, candidate, file, commit?.sha)) continue;
      if (findingAllowed(rule.allowlists, candidate, file, commit?.sha)) continue;
      findings.push({
        rule,
        secret,
        line,
        column: start - lineStart + 1,
        endLine: line + countNewlines(match),
        entropy,
        file,
        ...(commit ? { commit } : {}),
      });
    }
    if (inherited || rule.required.length === 0 || findings.length === 0) return findings;
    return this.withRequired(fragment, rule, findings);
  }

  /** Composite rules: keep a finding only if every required rule matched near it. */
  private withRequired(fragment: Fragment, rule: SecretRule, primary: RawFinding[]): RawFinding[] {
    const found = rule.required.map((req) => {
      const other = this.byId.get(req.id);
      return { req, findings: other ? this.detectRule(fragment, other, true) : [] };
    });
    return primary.filter((p) =>
      found.every(({ req, findings }) =>
        findings.some(
          (f) =>
            (req.withinLines === undefined || Math.abs(p.line - f.line) <= req.withinLines) &&
            (req.withinColumns === undefined || Math.abs(p.column - f.column) <= req.withinColumns),
        ),
      ),
    );
  }
}

/** gitleaks re-reads the groups from the match alone (not in context). */
function secretOf(rule: SecretRule, match: string): string {
  const groups = rule.regex!.once.exec(match);
  if (groups === null || groups.length < 2) return match;
  if (rule.secretGroup > 0) return groups[rule.secretGroup] ?? '';
  for (let i = 1; i < groups.length; i++) {
    const group = groups[i];
    if (group) return group;
  }
  return match;
}

function trimNewlines(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 10) start++;
  while (end > start && text.charCodeAt(end - 1) === 10) end--;
  return text.slice(start, end);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Newlines before a position, counted incrementally for increasing positions. */
class LineCounter {
  private position = 0;
  private count = 0;

  constructor(private readonly text: string) {}

  before(position: number): number {
    if (position < this.position) {
      this.position = 0;
      this.count = 0;
    }
    for (
      let i = this.text.indexOf('\n', this.position);
      i >= 0 && i < position;
      i = this.text.indexOf('\n', i + 1)
    )
      this.count++;
    this.position = position;
    return this.count;
  }
}

/**
 * A generic rule's finding is dropped when a specific rule found a secret containing it on
 * the same line of the same commit.
 */
function dropGenericDuplicates(findings: RawFinding[]): RawFinding[] {
  if (findings.length < 2) return findings;
  return findings.filter((f) => {
    if (!f.rule.id.toLowerCase().includes('generic')) return true;
    return !findings.some(
      (o) =>
        o.line === f.line &&
        o.commit?.sha === f.commit?.sha &&
        o.rule.id !== f.rule.id &&
        !o.rule.id.toLowerCase().includes('generic') &&
        o.secret.includes(f.secret),
    );
  });
}
