import { GantryError } from '../../errors/index.js';
import type { OsvRecord } from './types.js';

const eventKeys = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/**
 * Parses one OSV record and checks the structure of every field the matcher reads, so a
 * damaged export fails loudly instead of hiding vulnerabilities. `source` names the file or
 * zip entry in the error.
 */
export function parseRecord(text: string, source: string): OsvRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(source, `not valid JSON (${(error as Error).message})`, error);
  }
  const problem = recordProblem(value);
  if (problem !== undefined) {
    const id = isObject(value) && typeof value['id'] === 'string' ? ` (${value['id']})` : '';
    throw invalid(`${source}${id}`, problem);
  }
  return value as OsvRecord;
}

export function invalid(source: string, message: string, cause?: unknown): GantryError {
  return new GantryError('GANTRY_OSV_DB_INVALID', `${source}: ${message}`, {
    cause,
    hint: 'the OSV database must hold OSV records (https://ossf.github.io/osv-schema/); download a fresh export, see docs/scan-deps.md',
  });
}

/** The first structural problem of a record, as `field: what is wrong`, or undefined. */
function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'an OSV record must be a JSON object';
  if (typeof value['id'] !== 'string' || value['id'] === '')
    return 'id: must be a non-empty string';
  for (const key of ['modified', 'withdrawn', 'summary'])
    if (value[key] !== undefined && typeof value[key] !== 'string')
      return `${key}: must be a string`;
  if (value['aliases'] !== undefined && !isStringArray(value['aliases']))
    return 'aliases: must be an array of strings';
  const severity = severityProblem(value['severity'], 'severity');
  if (severity) return severity;
  if (value['database_specific'] !== undefined && !isObject(value['database_specific']))
    return 'database_specific: must be an object';
  const affected = value['affected'];
  if (affected === undefined) return undefined;
  if (!Array.isArray(affected)) return 'affected: must be an array';
  for (const [i, entry] of affected.entries()) {
    const problem = affectedProblem(entry, `affected[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function affectedProblem(entry: unknown, at: string): string | undefined {
  if (!isObject(entry)) return `${at}: must be an object`;
  const pkg = entry['package'];
  if (
    pkg !== undefined &&
    (!isObject(pkg) || typeof pkg['ecosystem'] !== 'string' || typeof pkg['name'] !== 'string')
  )
    return `${at}.package: must be an object with string ecosystem and name`;
  const severity = severityProblem(entry['severity'], `${at}.severity`);
  if (severity) return severity;
  if (entry['versions'] !== undefined && !isStringArray(entry['versions']))
    return `${at}.versions: must be an array of strings`;
  const ranges = entry['ranges'];
  if (ranges === undefined) return undefined;
  if (!Array.isArray(ranges)) return `${at}.ranges: must be an array`;
  for (const [r, range] of ranges.entries()) {
    const where = `${at}.ranges[${r}]`;
    if (!isObject(range) || typeof range['type'] !== 'string')
      return `${where}: must be an object with a string type`;
    const events = range['events'];
    if (!Array.isArray(events)) return `${where}.events: must be an array`;
    for (const [e, event] of events.entries()) {
      const keys = isObject(event) ? eventKeys.filter((k) => event[k] !== undefined) : [];
      // The spec: "Only a single type ... is allowed in each event object."
      if (!isObject(event) || keys.length !== 1)
        return `${where}.events[${e}]: must have exactly one of ${eventKeys.join(', ')}`;
      const key = keys[0] as (typeof eventKeys)[number];
      if (typeof event[key] !== 'string' || event[key] === '')
        return `${where}.events[${e}].${key}: must be a non-empty string`;
    }
  }
  return undefined;
}

function severityProblem(value: unknown, at: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `${at}: must be an array`;
  for (const [i, item] of value.entries())
    if (!isObject(item) || typeof item['type'] !== 'string' || typeof item['score'] !== 'string')
      return `${at}[${i}]: must be an object with string type and score`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
