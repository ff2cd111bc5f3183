import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Detector, RawFinding } from './detect.js';
import { gitOutput, isGitWorkTree } from './git.js';
import type { KeywordPrefilter } from './prefilter.js';

/** git's own test for binary content: a NUL byte in the first 8000 bytes. */
const BINARY_PROBE = 8000;

/**
 * The working tree: in a git repository the tracked and untracked files git does not ignore
 * (`git ls-files -co --exclude-standard`), elsewhere every file below the root (`.git`
 * skipped). Symlinks, binary files and files over `maxBytes` are skipped. Each file is one
 * fragment; it is decoded only when the prefilter found a keyword in it.
 */
export function scanWorkingTree(
  root: string,
  detector: Detector,
  prefilter: KeywordPrefilter,
  maxBytes: number,
): { findings: RawFinding[]; bytes: number } {
  const findings: RawFinding[] = [];
  let bytes = 0;
  for (const file of listFiles(root)) {
    const full = path.join(root, file);
    let content: Buffer;
    try {
      const stat = lstatSync(full);
      if (!stat.isFile() || stat.size === 0 || stat.size > maxBytes) continue;
      content = readFileSync(full);
    } catch {
      continue; // deleted since listing, or unreadable: nothing to scan
    }
    if (content.subarray(0, BINARY_PROBE).includes(0)) continue;
    bytes += content.length;
    prefilter.begin();
    if (prefilter.hasKeywords) prefilter.scan(content, 0, content.length);
    const rules = [...prefilter.candidates, ...prefilter.always];
    if (rules.length === 0) continue;
    findings.push(
      ...detector.detect({ text: content.toString('utf8'), startLine: 1, file }, rules),
    );
  }
  return { findings, bytes };
}

/** Paths relative to the root, `/`-separated, sorted. */
function listFiles(root: string): string[] {
  if (isGitWorkTree(root)) {
    const out = gitOutput(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    if (out !== undefined) return [...new Set(out.split('\0').filter((f) => f !== ''))].sort();
  }
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path.join(dir, entry.name), rel);
      } else if (entry.isFile()) files.push(rel);
    }
  };
  walk(root, '');
  return files.sort();
}
