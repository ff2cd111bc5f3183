import type { Severity } from './model.js';

/** A tool's severity word on Gantry's scale; npm's `moderate` is `medium`. */
export function severityFromWord(word: string | undefined): Severity {
  switch (word?.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
      return 'low';
    case 'info':
    case 'informational':
    case 'negligible':
      return 'info';
    default:
      return 'unknown';
  }
}

/**
 * A CVSS-style score (SARIF `security-severity`) on the scale GitHub code scanning uses:
 * 9.0 and over critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low, 0 info.
 */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** SARIF `level`: `error` high, `warning` medium, `note` low, `none` info. */
export function severityFromLevel(level: string | undefined): Severity | undefined {
  switch (level) {
    case 'error':
      return 'high';
    case 'warning':
      return 'medium';
    case 'note':
      return 'low';
    case 'none':
      return 'info';
    default:
      return undefined;
  }
}

const order: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** One step down the scale; `info` and `unknown` stay where they are. */
export function lowerSeverity(severity: Severity): Severity {
  const at = order.indexOf(severity);
  return at === -1 ? severity : (order[Math.min(at + 1, order.length - 1)] ?? severity);
}

/**
 * Bandit rates each issue twice: how bad it would be and how sure it is. The severity is
 * Bandit's, one step lower when its confidence is LOW (Bandit's own docs treat those as
 * likely false positives; `bandit -iii` hides them), so a gate on `high` is not tripped by
 * a guess. Shared by the Bandit JSON parser and Bandit's SARIF output.
 */
export function banditSeverity(
  severity: string | undefined,
  confidence: string | undefined,
): Severity {
  const base = severityFromWord(severity);
  return confidence?.toUpperCase() === 'LOW' ? lowerSeverity(base) : base;
}
