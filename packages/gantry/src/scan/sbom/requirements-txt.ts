import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  invalidLockfile,
  type LockedGraph,
  type LockedPackage,
  type LockfileContext,
} from './locked-graph.js';

/** A requirement: name, optional extras, then the version specifier up to markers or options. */
const requirementLine = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/;

/**
 * requirements*.txt as pip reads it. Only exact pins (`==1.2.3`, `===1.2.3`) name a version;
 * ranges, bare names, URLs and editable installs are reported as warnings, never guessed.
 * `-r`/`--requirement` includes are followed; constraint files (`-c`) install nothing.
 */
export function readRequirements(text: string, ctx: LockfileContext): LockedGraph {
  const packages: LockedPackage[] = [];
  readInto(text, ctx.path, ctx.file, ctx, packages, new Set([path.resolve(ctx.path)]));
  return { ecosystem: 'PyPI', packages, hasGraph: false };
}

function readInto(
  text: string,
  absolute: string,
  shown: string,
  ctx: LockfileContext,
  out: LockedPackage[],
  visiting: Set<string>,
): void {
  for (const { line, content } of logicalLines(text)) {
    const warn = (message: string) => ctx.warn(message, line, shown);
    if (content.startsWith('-')) {
      const include = /^(?:-r\s*|--requirement(?:\s*=\s*|\s+))(\S+)$/.exec(content)?.[1];
      if (include !== undefined) {
        const target = path.resolve(path.dirname(absolute), include);
        if (visiting.has(target)) continue;
        if (!existsSync(target)) {
          warn(`includes ${include}, which does not exist`);
          continue;
        }
        visiting.add(target);
        const nested = path.posix.join(path.posix.dirname(shown), include.replace(/\\/g, '/'));
        readInto(readFileSync(target, 'utf8'), target, nested, ctx, out, visiting);
      } else if (/^(?:-e|--editable)\b/.test(content)) {
        warn(`editable install '${content}' has no version; not listed`);
      }
      // Other options (--index-url, --hash on its own line, -c, ...) install nothing.
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(content) || /^[.~/]/.test(content)) {
      warn(`'${content}' is a URL or path, not a pinned requirement; not listed`);
      continue;
    }
    const match = requirementLine.exec(content);
    if (!match) throw invalidLockfile(shown, `cannot read the requirement '${content}'`, { line });
    const name = match[1] as string;
    // Markers follow `;`, per-requirement options follow ` --`.
    const spec =
      (match[3] ?? '')
        .split(';')[0]
        ?.split(/\s--?[a-z]/)[0]
        ?.trim() ?? '';
    if (spec !== '' && !/^(?:[=!<>~]=|[<>]|@|\()/.test(spec))
      throw invalidLockfile(shown, `cannot read the version specifier of '${content}'`, { line });
    if (spec.startsWith('@')) {
      warn(`${name} is installed from a URL (${spec.slice(1).trim()}); not listed`);
      continue;
    }
    const pinned = /^===?\s*([^\s,*]+)$/.exec(spec)?.[1];
    if (pinned === undefined) {
      warn(`${name}${spec === '' ? ' has no version' : ` is not pinned (${spec})`}; not listed`);
      continue;
    }
    out.push({ id: `${shown}:${line}`, name, version: pinned, file: shown });
  }
}

/** Lines joined at trailing backslashes, comments removed, with the line each starts on. */
function logicalLines(text: string): { line: number; content: string }[] {
  const out: { line: number; content: string }[] = [];
  let pending = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (pending === '') start = index + 1;
    // A comment starts at `#` at the line start or after whitespace (pip's rule).
    const uncommented = raw.replace(/(^|\s)#.*$/, '');
    if (uncommented.endsWith('\\')) {
      pending += `${uncommented.slice(0, -1)} `;
      return;
    }
    const content = (pending + uncommented).trim();
    pending = '';
    if (content !== '') out.push({ line: start, content });
  });
  if (pending.trim() !== '') out.push({ line: start, content: pending.trim() });
  return out;
}
