/**
 * Reads one `key = "value"` string from a TOML document's `[table]` ('' for the root table).
 * Setup actions need only a version pin or two, so a line reader stands in for a TOML parser;
 * multi-line strings and inline tables are not understood.
 */
export function tomlString(contents: string, table: string, key: string): string | undefined {
  let current = '';
  for (const line of contents.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line);
    if (header?.[1]) {
      current = header[1].trim();
      continue;
    }
    if (current !== table) continue;
    const match = /^\s*([\w-]+)\s*=\s*"([^"]*)"|^\s*([\w-]+)\s*=\s*'([^']*)'/.exec(line);
    if (match && (match[1] ?? match[3]) === key) return match[2] ?? match[4];
  }
  return undefined;
}
