import { CVSS20, CVSS30, CVSS31, CVSS40 } from '@pandatix/js-cvss';
import type { OsvAffected, OsvRecord, OsvSeverity, Severity } from './types.js';

/** GitHub's advisory levels (`database_specific.severity` of GHSA records). */
const ghsaLevels: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

/**
 * The severity of a record for one package: the highest CVSS base score among the package's
 * own `severity[]` (the spec lets it differ per package) or else the record's, on CVSS's
 * qualitative scale; without a readable vector, GitHub's `database_specific.severity`; else
 * `unknown`.
 */
export function severityOf(record: OsvRecord, entries: readonly OsvAffected[]): Severity {
  const own = entries.flatMap((entry) => entry.severity ?? []);
  const score = highestScore(own.length > 0 ? own : (record.severity ?? []));
  if (score !== undefined) return severityForScore(score);
  const level = record.database_specific?.severity;
  return (typeof level === 'string' && ghsaLevels[level.toUpperCase()]) || 'unknown';
}

/** CVSS v3.x/v4.0 ratings (9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low), 0 as info. */
export function severityForScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** The highest base score among the CVSS vectors; other types (`Ubuntu`) and unreadable vectors are skipped. */
export function highestScore(items: readonly OsvSeverity[]): number | undefined {
  let best: number | undefined;
  for (const { type, score } of items) {
    const value = baseScore(type, score.trim());
    if (value !== undefined && (best === undefined || value > best)) best = value;
  }
  return best;
}

const scores = new Map<string, number | undefined>();

function baseScore(type: string, vector: string): number | undefined {
  const key = `${type} ${vector}`;
  if (scores.has(key)) return scores.get(key);
  let value: number | undefined;
  try {
    if (type === 'CVSS_V4') value = new CVSS40(vector).Score();
    else if (type === 'CVSS_V3' && vector.startsWith('CVSS:3.0/'))
      value = new CVSS30(vector).BaseScore();
    else if (type === 'CVSS_V3') value = new CVSS31(vector).BaseScore();
    else if (type === 'CVSS_V2') value = new CVSS20(vector).BaseScore();
  } catch {
    // A vector the calculator rejects says nothing reliable; the next source decides.
    value = undefined;
  }
  scores.set(key, value);
  return value;
}
