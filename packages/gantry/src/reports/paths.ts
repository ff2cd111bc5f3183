/** A path as the report wrote it, with `\` turned into `/` (reports written on Windows). */
export function toSlashes(path: string): string {
  return path.replaceAll('\\', '/');
}

/** Whether a slash-separated path is absolute, POSIX (`/src`) or Windows (`C:/src`). */
export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

/** `dir` + `/` + `file`, unless `file` is absolute already or `dir` is empty or `.`. */
export function joinPath(dir: string, file: string): string {
  const d = toSlashes(dir).replace(/\/+$/, '');
  const f = toSlashes(file);
  if (d === '' || d === '.' || isAbsolute(f)) return f;
  return `${d}/${f.replace(/^\.\//, '')}`;
}

/**
 * A SARIF artifact URI as a path: `file:///home/x/a.py` becomes `/home/x/a.py`,
 * `file:///C:/x/a.js` becomes `C:/x/a.js`; relative URIs stay relative, percent-decoded.
 */
export function uriToPath(uri: string): string {
  let path = uri;
  if (/^file:/i.test(path)) {
    path = path.replace(/^file:(\/\/[^/]*)?/i, '');
    if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
  }
  try {
    return toSlashes(decodeURIComponent(path));
  } catch {
    return toSlashes(path);
  }
}
