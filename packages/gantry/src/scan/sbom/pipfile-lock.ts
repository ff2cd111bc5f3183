import {
  invalidLockfile,
  isRecord,
  type LockedGraph,
  type LockedPackage,
  type LockfileContext,
  parseJsonLockfile,
} from './locked-graph.js';

/**
 * Pipfile.lock: `default` (required) and `develop` (dev) map names, as written in the
 * Pipfile, to `"version": "==1.2.3"`. Git, path and editable entries carry no version and
 * are reported, not guessed. No dependency graph is recorded.
 */
export function readPipfileLock(text: string, ctx: LockfileContext): LockedGraph {
  const lock = parseJsonLockfile(text, ctx.file);
  if (!isRecord(lock)) throw invalidLockfile(ctx.file, 'not a Pipfile.lock object');
  const packages: LockedPackage[] = [];
  for (const [section, scope] of [
    ['default', 'required'],
    ['develop', 'dev'],
  ] as const) {
    const entries = lock[section] ?? {};
    if (!isRecord(entries)) throw invalidLockfile(ctx.file, `'${section}' is not an object`);
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRecord(entry))
        throw invalidLockfile(ctx.file, `${section} entry '${name}' is not an object`);
      const pin = entry['version'];
      const version = typeof pin === 'string' ? /^===?\s*(\S+)$/.exec(pin)?.[1] : undefined;
      if (version === undefined) {
        const what =
          typeof pin === 'string'
            ? `version '${pin}' is not a pin`
            : 'no version (git, path or editable)';
        ctx.warn(`${section} entry '${name}': ${what}; not listed`);
        continue;
      }
      packages.push({ id: `${section}:${name}`, name, version, scope });
    }
  }
  return { ecosystem: 'PyPI', packages, hasGraph: false };
}
