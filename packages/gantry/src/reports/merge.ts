import { summarizeFiles } from './coverage-totals.js';
import {
  emptyModel,
  type CoverageSummary,
  type FileCoverage,
  type ReportModel,
  type ReportPart,
  type TestSummary,
  type Vulnerability,
} from './model.js';

/**
 * Combines the parts read from several reports into one model:
 * - tests add up, their cases one after the other;
 * - coverage is the union of the files. A file in two reports keeps the entry that counts
 *   more lines; at equal totals, the one with more lines covered. The true union of covered
 *   lines cannot be rebuilt from counts, and the larger of the two never overstates it, so a
 *   gate cannot pass on coverage that was not measured. Totals are then the sums over files;
 *   a single coverage report is kept exactly as it was read;
 * - findings, secrets and sizes follow one another;
 * - a vulnerability already seen for the same package and version is dropped, whether the
 *   id is the same or one report's id is the other's alias (Trivy's CVE, pip-audit's PYSEC);
 * - latency comes from the last report that has one.
 */
export function mergeModels(parts: readonly ReportPart[]): ReportModel {
  const tests = mergeTests(parts.flatMap((p) => (p.tests ? [p.tests] : [])));
  const coverage = mergeCoverage(parts.flatMap((p) => (p.coverage ? [p.coverage] : [])));
  const latency = parts.findLast((p) => p.latency !== undefined)?.latency;
  return {
    ...emptyModel,
    ...(tests === undefined ? {} : { tests }),
    ...(coverage === undefined ? {} : { coverage }),
    findings: parts.flatMap((p) => p.findings ?? []),
    secrets: parts.flatMap((p) => p.secrets ?? []),
    vulns: dedupeVulns(parts.flatMap((p) => p.vulns ?? [])),
    ...(latency === undefined ? {} : { latency }),
    sizes: parts.flatMap((p) => p.sizes ?? []),
  };
}

function mergeTests(summaries: TestSummary[]): TestSummary | undefined {
  if (summaries.length <= 1) return summaries[0];
  const add = (key: 'total' | 'passed' | 'failed' | 'errors' | 'skipped' | 'durationMs') =>
    summaries.reduce((n, s) => n + s[key], 0);
  return {
    total: add('total'),
    passed: add('passed'),
    failed: add('failed'),
    errors: add('errors'),
    skipped: add('skipped'),
    durationMs: add('durationMs'),
    cases: summaries.flatMap((s) => s.cases),
  };
}

function mergeCoverage(summaries: CoverageSummary[]): CoverageSummary | undefined {
  if (summaries.length <= 1) return summaries[0];
  const byPath = new Map<string, FileCoverage>();
  for (const file of summaries.flatMap((s) => s.files)) {
    const seen = byPath.get(file.path);
    if (seen === undefined || outweighs(file, seen)) byPath.set(file.path, file);
  }
  return summarizeFiles([...byPath.values()]);
}

function outweighs(file: FileCoverage, other: FileCoverage): boolean {
  if (file.lines.total !== other.lines.total) return file.lines.total > other.lines.total;
  return file.lines.covered > other.lines.covered;
}

function dedupeVulns(vulns: Vulnerability[]): Vulnerability[] {
  const kept: Vulnerability[] = [];
  const seen = new Map<string, Set<string>>();
  for (const vuln of vulns) {
    const key = `${vuln.package.toLowerCase()}\u0000${vuln.version}`;
    const ids = seen.get(key) ?? new Set<string>();
    const names = [vuln.id, ...vuln.aliases];
    if (names.some((id) => ids.has(id))) continue;
    for (const id of names) ids.add(id);
    seen.set(key, ids);
    kept.push(vuln);
  }
  return kept;
}
