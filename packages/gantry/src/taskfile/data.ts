/** Small helpers for Taskfile data as the YAML parser returns it. */

/** A value that may be one item or a list, as a list (`deps: a` and `deps: [a]` alike). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * Marks an `sh:` variable that runs in a directory of its own: the vars of a Taskfile
 * included in map form run in that include's directory (go-task's Vars.Merge sets `Dir`).
 */
export const shDir = Symbol('shDir');
