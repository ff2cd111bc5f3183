import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The bytes of a file, or of every file below a directory (links are not followed, so a
 * link counts as itself); undefined when nothing is there.
 */
export function measureSize(target: string): number | undefined {
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const full = path.join(target, entry.name);
    total += entry.isDirectory() ? (measureSize(full) ?? 0) : lstatSync(full).size;
  }
  return total;
}
