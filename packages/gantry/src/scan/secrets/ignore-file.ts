import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `.gitleaksignore`: one fingerprint per line, `#` comments. `file:rule:line` ignores a
 * finding wherever it is (working tree or any commit); `commit:file:rule:line` one commit's.
 * Backslashes in the file part become `/`, as gitleaks normalises them.
 */
export function readIgnoreFile(root: string): ReadonlySet<string> {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.gitleaksignore'), 'utf8');
  } catch {
    return new Set();
  }
  const entries = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(':');
    const fileIndex = parts.length === 3 ? 0 : parts.length === 4 ? 1 : -1;
    if (fileIndex >= 0) parts[fileIndex] = parts[fileIndex]!.replaceAll('\\', '/');
    entries.add(parts.join(':'));
  }
  return entries;
}
