import { GantryError } from '../errors/index.js';
import type { Finding, ReportModel, Vulnerability } from '../reports/model.js';

/**
 * Accepted risks: what the gate must not count, each with why and until when. Three sources,
 * read by the caller and parsed here: `.trivyignore` (advisory ids, `exp:YYYY-MM-DD`),
 * `.gitleaksignore` (finding fingerprints) and Gantry's own `.gantryignore` (JSON or YAML
 * data: a list of `{id, reason, expires}`).
 */
export interface IgnoreEntry {
  /** An advisory id or alias, a rule id, or a secret's fingerprint. */
  readonly id: string;
  readonly reason?: string;
  /** `YYYY-MM-DD`; the entry stops applying after that day. */
  readonly expires?: string;
  /** Where it was written: `.trivyignore:3`. */
  readonly source: string;
}

/** `.trivyignore`: one id per line, `#` comments, an optional `exp:2026-12-31` after the id. */
export function parseTrivyIgnore(text: string, file: string): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [id = '', ...rest] = line.split(/\s+/);
    const exp = rest.find((word) => word.startsWith('exp:'));
    const expires = exp?.slice(4);
    if (expires !== undefined) checkDate(expires, `${file}:${index + 1}`);
    entries.push({
      id,
      ...(expires === undefined ? {} : { expires }),
      source: `${file}:${index + 1}`,
    });
  });
  return entries;
}

/** `.gitleaksignore`: one fingerprint per line (`commit:file:rule:line` or `file:rule:line`). */
export function parseGitleaksIgnore(text: string, file: string): IgnoreEntry[] {
  return text.split(/\r?\n/).flatMap((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    return line === '' ? [] : [{ id: line, source: `${file}:${index + 1}` }];
  });
}

/** Gantry's own list: `[{ id, reason, expires }]`; a reason is required. */
export function parseGantryIgnore(data: unknown, file: string): IgnoreEntry[] {
  if (!Array.isArray(data))
    throw invalid(file, 'expected a list of entries with id, reason and expires');
  return data.map((item: unknown, index) => {
    const where = `${file}[${index}]`;
    if (item === null || typeof item !== 'object') throw invalid(where, 'expected an object');
    const { id, reason, expires } = item as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw invalid(where, 'id is required');
    if (typeof reason !== 'string' || reason.trim() === '')
      throw invalid(where, `a reason is required for ${id}`);
    const date = expires instanceof Date ? expires.toISOString().slice(0, 10) : expires;
    if (date !== undefined && typeof date !== 'string')
      throw invalid(where, 'expires must be a date (YYYY-MM-DD)');
    if (date !== undefined) checkDate(date, where);
    return { id, reason, ...(date === undefined ? {} : { expires: date }), source: where };
  });
}

export interface AppliedIgnores {
  readonly model: ReportModel;
  /** Entries past their date: they no longer hide anything and fail the gate. */
  readonly expired: readonly IgnoreEntry[];
  /** How many findings, secrets and vulnerabilities each entry hid. */
  readonly used: ReadonlyMap<IgnoreEntry, number>;
}

/** Removes what unexpired entries cover; `today` is `YYYY-MM-DD`. */
export function applyIgnores(
  model: ReportModel,
  entries: readonly IgnoreEntry[],
  today: string,
): AppliedIgnores {
  const expired = entries.filter((e) => e.expires !== undefined && e.expires < today);
  const active = entries.filter((e) => !expired.includes(e));
  const used = new Map<IgnoreEntry, number>();
  const hides = (matches: (entry: IgnoreEntry) => boolean): boolean => {
    const entry = active.find(matches);
    if (entry) used.set(entry, (used.get(entry) ?? 0) + 1);
    return entry !== undefined;
  };
  const vulnIgnored = (v: Vulnerability) => hides((e) => e.id === v.id || v.aliases.includes(e.id));
  const findingIgnored = (f: Finding) => hides((e) => e.id === f.fingerprint || e.id === f.rule);
  return {
    model: {
      ...model,
      vulns: model.vulns.filter((v) => !vulnIgnored(v)),
      findings: model.findings.filter((f) => !findingIgnored(f)),
      secrets: model.secrets.filter((f) => !hides((e) => e.id === f.fingerprint)),
    },
    expired,
    used,
  };
}

function checkDate(date: string, where: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
    throw invalid(where, `'${date}' is not a date (YYYY-MM-DD)`);
}

function invalid(where: string, why: string): GantryError {
  return new GantryError('GANTRY_CONFIG_INVALID', `${where}: ${why}`);
}
