import { parse as parseToml, TomlError } from 'smol-toml';
import { normalizePypiName } from './component.js';
import { invalidLockfile, isRecord, type LockedPackage } from './locked-graph.js';

/** Parses poetry.lock or uv.lock; a syntax error names its line. */
export function parseTomlLockfile(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    const first = (error as Error).message.split('\n')[0] ?? '';
    throw invalidLockfile(file, `not valid TOML: ${first}`, {
      cause: error,
      ...(line === undefined ? {} : { line }),
    });
  }
}

/** The `[[package]]` tables of poetry.lock and uv.lock, each with a string name. */
export function packageTables(
  lock: Record<string, unknown>,
  file: string,
): Record<string, unknown>[] {
  const list = lock['package'] ?? [];
  if (!Array.isArray(list)) throw invalidLockfile(file, "'package' is not an array of tables");
  return list.map((entry: unknown, index) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string' || entry['name'] === '')
      throw invalidLockfile(file, `[[package]] #${index + 1} has no name`);
    return entry;
  });
}

/** The `version` of a `[[package]]`, which both formats require. */
export function versionOf(entry: Record<string, unknown>, file: string): string {
  const version = entry['version'];
  if (typeof version !== 'string' || version === '')
    throw invalidLockfile(file, `[[package]] '${String(entry['name'])}' has no version`);
  return version;
}

/** Ids of locked packages by normalised name, for dependency tables that name only the package. */
export function idsByName(packages: readonly LockedPackage[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const p of packages) {
    const key = normalizePypiName(p.name);
    byName.set(key, [...(byName.get(key) ?? []), p.id]);
  }
  return byName;
}
