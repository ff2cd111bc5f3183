import { invalidLockfile } from './locked-graph.js';

/** A parsed yarn v1 block: `key value` pairs and nested blocks, with the line of each block. */
export interface YarnBlock {
  readonly line: number;
  readonly values: Map<string, YarnValue>;
}

export type YarnValue = string | boolean | YarnBlock;

/**
 * Yarn 1's lockfile syntax (its own, not YAML): two-space indentation, `key "value"` pairs,
 * `key:` opening a block, and entry headers listing several descriptors (`a@^1, "a@^1.1":`)
 * that share one block. Every key of a header maps to the same block.
 */
export function parseYarnV1(text: string, file: string): YarnBlock {
  const root: YarnBlock = { line: 0, values: new Map() };
  const stack: YarnBlock[] = [root];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const indent = raw.length - raw.trimStart().length;
    if (raw.slice(0, indent).includes('\t') || indent % 2 !== 0)
      throw invalidLockfile(file, 'indentation is not a multiple of two spaces', { line });
    const depth = indent / 2;
    if (depth >= stack.length) throw invalidLockfile(file, 'unexpected indentation', { line });
    stack.length = depth + 1;
    const parent = stack[depth] as YarnBlock;
    const tokens = tokenize(trimmed, file, line);
    if (tokens.at(-1) === ':') {
      // A header: descriptors separated by commas, then a colon.
      const parts = tokens.slice(0, -1);
      const keys = parts.filter((_, i) => i % 2 === 0);
      const wellFormed = parts.every((t, i) => (i % 2 === 0) === (t !== ',' && t !== ':'));
      if (keys.length === 0 || !wellFormed || parts.length % 2 === 0)
        throw invalidLockfile(file, `cannot read the entry header '${trimmed}'`, { line });
      const block: YarnBlock = { line, values: new Map() };
      for (const key of keys) parent.values.set(key, block);
      stack.push(block);
      return;
    }
    const [key, value, ...rest] = tokens;
    if (key === undefined || value === undefined || rest.length > 0 || value === ':')
      throw invalidLockfile(file, `expected 'key value', got '${trimmed}'`, { line });
    parent.values.set(key, value === 'true' ? true : value === 'false' ? false : value);
  });
  return root;
}

/** Splits a line into strings (quoted ones unescaped), `,` and a final `:`. */
function tokenize(text: string, file: string, line: number): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ') {
      i += 1;
    } else if (ch === ',' || ch === ':') {
      tokens.push(ch);
      i += 1;
    } else if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) throw invalidLockfile(file, 'unterminated string', { line });
      try {
        tokens.push(JSON.parse(text.slice(i, end + 1)) as string);
      } catch (cause) {
        throw invalidLockfile(file, `bad string ${text.slice(i, end + 1)}`, { line, cause });
      }
      i = end + 1;
    } else {
      let end = i;
      // An unquoted word ends at a space, a comma, or a colon that ends the line or is
      // followed by a space (descriptors like `foo@npm:1.0.0` keep their inner colons).
      while (end < text.length) {
        const c = text[end];
        if (c === ' ' || c === ',') break;
        if (c === ':' && (end + 1 === text.length || text[end + 1] === ' ')) break;
        end += 1;
      }
      tokens.push(text.slice(i, end));
      i = end;
    }
  }
  return tokens;
}
