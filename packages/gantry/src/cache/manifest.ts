import { createHash } from 'node:crypto';

/**
 * Everything that can change a task's result, as plain data. The cache key is a hash of it;
 * the same record, kept from the last run, is what `--explain` diffs a miss against.
 * Paths are relative (to the task's directory, or with the root written as `$ROOT_DIR`) so
 * two checkouts of one repository share keys; env values are kept only as hashes.
 */
export interface TaskManifest {
  /** Bumped when what goes into a key changes, so old entries can never be mistaken for new. */
  readonly salt: string;
  readonly task: string;
  /** The task's directory relative to the root Taskfile's. */
  readonly dir: string;
  /** `linux/amd64`: a cached binary for one platform must not be restored on another. */
  readonly platform: string;
  /** The templated task definition: commands, deps, sources, generates, shell options... */
  readonly definition: unknown;
  /** Declared env names → sha256 of the effective value (the OS value when it wins). */
  readonly env: Readonly<Record<string, string>>;
  /** Source path (relative to the task's directory) → sha256 of its content. */
  readonly files: Readonly<Record<string, string>>;
  /** Dependency task → its key (or a hash of its definition when it is not cached). */
  readonly deps: Readonly<Record<string, string>>;
}

/** The format version of keys and artifacts; part of every key. */
export const cacheSalt = 'gantry-task-cache/1';

export function cacheKey(manifest: TaskManifest): string {
  return sha256(stableJson(manifest)).slice(0, 32);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal data always hashes equally. Written
 * out directly (JSON.stringify's rules for JSON data: `undefined` dropped from objects and
 * `null` in arrays, non-finite numbers `null`) instead of copying every object sorted.
 */
export function stableJson(value: unknown): string {
  return jsonOf(value) ?? 'null';
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

function jsonOf(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return jsonOf((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += `${i > 0 ? ',' : ''}${jsonOf(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // As an object rebuilt from sorted entries enumerates them: integer keys first, ascending
  // (Object.keys already lists them so), then the others sorted.
  const keys = Object.keys(record);
  let integers = 0;
  while (integers < keys.length && isArrayIndex(keys[integers] ?? '')) integers += 1;
  const ordered = [...keys.slice(0, integers), ...keys.slice(integers).sort()];
  let out = '{';
  for (const key of ordered) {
    const json = jsonOf(record[key]);
    if (json === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${json}`;
  }
  return `${out}}`;
}

/**
 * What differs between the manifest of the last run and this one, one line per difference,
 * in the order a user would look: definition, env, files, deps, platform.
 */
export function explainDifferences(previous: TaskManifest, current: TaskManifest): string[] {
  const lines: string[] = [];
  if (previous.salt !== current.salt)
    lines.push(`the cache format changed (${previous.salt} → ${current.salt})`);
  if (previous.platform !== current.platform)
    lines.push(`platform changed: ${previous.platform} → ${current.platform}`);
  if (previous.dir !== current.dir)
    lines.push(`directory changed: ${previous.dir} → ${current.dir}`);
  lines.push(...diffValues('definition', previous.definition, current.definition));
  lines.push(...diffRecords('env', previous.env, current.env, 'value changed'));
  lines.push(...diffRecords('file', previous.files, current.files, 'content changed'));
  lines.push(...diffRecords('dependency', previous.deps, current.deps, 'key changed'));
  return lines;
}

function diffRecords(
  what: string,
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  changed: string,
): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(after).sort()) {
    if (!(name in before)) lines.push(`${what} ${name}: added`);
    else if (before[name] !== after[name]) lines.push(`${what} ${name}: ${changed}`);
  }
  for (const name of Object.keys(before).sort())
    if (!(name in after)) lines.push(`${what} ${name}: removed`);
  return lines;
}

/** Walks two JSON values and names each leaf that differs by its path (`cmds[1]`). */
function diffValues(path: string, before: unknown, after: unknown): string[] {
  if (stableJson(before) === stableJson(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object';
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) =>
      diffValues(
        Array.isArray(after) ? `${path}[${key}]` : `${path}.${key}`,
        before[key],
        after[key],
      ),
    );
  }
  if (before === undefined) return [`${path}: added ${short(after)}`];
  if (after === undefined) return [`${path}: removed (was ${short(before)})`];
  return [`${path}: ${short(before)} → ${short(after)}`];
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
