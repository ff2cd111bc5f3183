import path from 'node:path';

/**
 * The directory an artifact's paths are relative to, as actions/upload-artifact decides it:
 * the least common ancestor of the search paths (the literal part of each `path:` line) when
 * there are several; the file's own directory when a single file was named exactly (its
 * directories are not kept); else the one search path.
 */
export function artifactRoot(searchPaths: readonly string[], files: readonly string[]): string {
  const [first] = searchPaths;
  if (first === undefined) return path.sep;
  if (searchPaths.length > 1) return commonAncestor(searchPaths);
  if (files.length === 1 && files[0] === first) return path.dirname(first);
  return first;
}

/** `/a/b/c` and `/a/b/d/e` → `/a/b`. */
export function commonAncestor(paths: readonly string[]): string {
  const split = paths.map((p) => path.normalize(p).split(path.sep));
  const shortest = Math.min(...split.map((s) => s.length));
  const common: string[] = [];
  for (let i = 0; i < shortest; i++) {
    const segment = split[0]?.[i];
    if (segment === undefined || split.some((s) => s[i] !== segment)) break;
    common.push(segment);
  }
  return common.join(path.sep) || path.sep;
}
