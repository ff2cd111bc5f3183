/**
 * The one model every quality report is read into: tests, coverage, findings (code
 * analysis and secrets), vulnerabilities, latency and sizes. Parsers fill the parts their
 * format knows; `mergeModels` combines several reports; the gate decides over the result.
 */

/** Severities from every tool, mapped onto one scale (`unknown` when a tool gives none). */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown';

export const severities: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
  'unknown',
];

export interface TestCase {
  readonly suite: string;
  readonly name: string;
  readonly file?: string;
  readonly status: 'passed' | 'failed' | 'error' | 'skipped';
  readonly durationMs?: number;
  /** The failure or error message, first line. */
  readonly message?: string;
}

export interface TestSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly cases: readonly TestCase[];
}

/** Covered out of total; a percentage is computed, never stored. */
export interface Ratio {
  readonly covered: number;
  readonly total: number;
}

export interface FileCoverage {
  /** Relative to the repository root when the report allows it, with `/` separators. */
  readonly path: string;
  readonly lines: Ratio;
  readonly branches?: Ratio;
  readonly functions?: Ratio;
}

export interface CoverageSummary {
  readonly lines: Ratio;
  readonly branches?: Ratio;
  readonly functions?: Ratio;
  readonly files: readonly FileCoverage[];
}

/** A code-analysis result (SARIF, Bandit, ...) or a leaked secret. */
export interface Finding {
  readonly kind: 'code' | 'secret';
  /** The tool that reported it: `bandit`, `ruff`, `eslint`, `gitleaks`, `gantry`, ... */
  readonly tool: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** For secrets: the commit the secret was added in, when scanned from history. */
  readonly commit?: string;
  /** A stable identity for ignore files (gitleaks: `commit:file:rule:line`). */
  readonly fingerprint?: string;
}

export interface Vulnerability {
  /** The advisory id (`GHSA-...`, `PYSEC-...`, `CVE-...`). */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly package: string;
  /** OSV ecosystem names: `npm`, `PyPI`, ... */
  readonly ecosystem: string;
  readonly version: string;
  readonly severity: Severity;
  /** Versions that fix it, lowest first; empty when none is known. */
  readonly fixedVersions: readonly string[];
  readonly title?: string;
  /** The tool or database that reported it: `trivy`, `npm-audit`, `pip-audit`, `osv`. */
  readonly source: string;
  /** The manifest or lockfile the package came from, when known. */
  readonly file?: string;
}

/** A load test's summary; any field a tool does not report is absent. */
export interface Latency {
  readonly p50_ms?: number;
  readonly p90_ms?: number;
  readonly p95_ms?: number;
  readonly p99_ms?: number;
  readonly mean_ms?: number;
  readonly max_ms?: number;
  readonly requests?: number;
  readonly errors?: number;
  readonly rps?: number;
}

export interface SizeEntry {
  /** A file or directory, relative to the repository root. */
  readonly path: string;
  readonly bytes: number;
}

export interface ReportModel {
  readonly tests?: TestSummary;
  readonly coverage?: CoverageSummary;
  readonly findings: readonly Finding[];
  readonly secrets: readonly Finding[];
  readonly vulns: readonly Vulnerability[];
  readonly latency?: Latency;
  readonly sizes: readonly SizeEntry[];
}

/** What one parser reads from one report file. */
export type ReportPart = Partial<ReportModel>;

/** One report format: a name for `--report FORMAT:PATH` and a parser of the file's text. */
export interface ReportParser {
  readonly format: string;
  readonly description: string;
  /**
   * Reads `text` (the content of `file`; `file` only names it in errors). Throws a
   * GantryError `GANTRY_REPORT_INVALID` naming the file and what is wrong when the text is
   * malformed, truncated or not this format.
   */
  parse(text: string, file: string): ReportPart;
}

export const emptyModel: ReportModel = { findings: [], secrets: [], vulns: [], sizes: [] };
