/**
 * The secret scanner's shapes. `SecretFinding` is the report model's `Finding` (kind
 * 'secret') plus what a secret report adds; it never holds a whole secret.
 */
import type { Finding } from '../../reports/model.js';

export interface ScanSecretsOptions {
  /** The directory to scan (a git repository for `history`). */
  readonly root: string;
  /** Scan every commit of every ref (added lines only) instead of the working tree. */
  readonly history?: boolean;
  /** With `history`: only commits not reachable from this ref. */
  readonly since?: string;
  /** A gitleaks-style TOML file; default `<root>/.gitleaks.toml`, else the built-in rules. */
  readonly config?: string;
  /** Working tree: files larger than this are skipped (default 10 MB). */
  readonly maxFileBytes?: number;
}

export interface SecretFinding extends Finding {
  readonly kind: 'secret';
  readonly tool: 'gantry';
  readonly severity: 'high';
  /** The rule's description and the redacted secret. */
  readonly message: string;
  readonly file: string;
  /** 1-based line of the start of the match (0 for a path-only rule). */
  readonly line: number;
  readonly endLine?: number;
  readonly author?: string;
  readonly email?: string;
  /** Author date, ISO 8601 UTC. */
  readonly date?: string;
  /** gitleaks' identity: `commit:file:rule:line` (history) or `file:rule:line`. */
  readonly fingerprint: string;
  /** The redacted secret: its first characters, `…`, and its length. */
  readonly secret: string;
  /** Shannon entropy of the secret, in bits per byte. */
  readonly entropy: number;
  readonly description: string;
  readonly tags: readonly string[];
}

/** A rule as written in TOML or in the built-in list: regexes in Go RE2 syntax. */
export interface RuleSpec {
  readonly id: string;
  readonly description?: string;
  readonly regex?: string;
  readonly secretGroup?: number;
  readonly entropy?: number;
  readonly keywords?: readonly string[];
  readonly path?: string;
  readonly tags?: readonly string[];
  readonly allowlists?: readonly AllowlistSpec[];
  readonly required?: readonly RequiredSpec[];
  readonly skipReport?: boolean;
}

export interface AllowlistSpec {
  readonly description?: string;
  /** `OR` (default): any check allows; `AND`: every check given must hold. */
  readonly condition?: string;
  readonly commits?: readonly string[];
  readonly paths?: readonly string[];
  readonly regexes?: readonly string[];
  /** What `regexes` test: `secret` (default), `match` or `line`. */
  readonly regexTarget?: string;
  /** Case-insensitive substrings of the secret. */
  readonly stopwords?: readonly string[];
  /** Global allowlists only: the rules it applies to (all when absent). */
  readonly targetRules?: readonly string[];
}

export interface RequiredSpec {
  readonly id: string;
  readonly withinLines?: number;
  readonly withinColumns?: number;
}

export interface Allowlist {
  readonly condition: 'OR' | 'AND';
  readonly commits: ReadonlySet<string>;
  readonly paths: readonly RegExp[];
  readonly regexes: readonly RegExp[];
  readonly regexTarget: 'secret' | 'match' | 'line';
  /** Lower-cased. */
  readonly stopwords: readonly string[];
}

export interface SecretRule {
  readonly id: string;
  readonly description: string;
  /** Global (`g`) for scanning; `once` re-reads the groups of one match, as gitleaks does. */
  readonly regex?: { readonly scan: RegExp; readonly once: RegExp; readonly source: string };
  readonly secretGroup: number;
  readonly entropy: number;
  /** Lower-cased; a rule without keywords runs on every fragment. */
  readonly keywords: readonly string[];
  readonly path?: RegExp;
  readonly tags: readonly string[];
  readonly allowlists: readonly Allowlist[];
  readonly required: readonly RequiredSpec[];
  readonly skipReport: boolean;
}

export interface SecretConfig {
  readonly rules: readonly SecretRule[];
  readonly allowlists: readonly Allowlist[];
  /** The config file, relative to the root when inside it: never scanned. */
  readonly file?: string;
}
