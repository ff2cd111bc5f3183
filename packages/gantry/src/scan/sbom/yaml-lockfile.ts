import { LineCounter, parseDocument } from 'yaml';
import { invalidLockfile } from './locked-graph.js';

/** Parses a YAML lockfile (pnpm-lock.yaml, yarn berry's yarn.lock); errors name their line. */
export function parseYamlLockfile(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw invalidLockfile(file, `not valid YAML: ${error.message.split('\n')[0] ?? ''}`, {
      line,
      cause: error,
    });
  }
  return doc.toJS() as unknown;
}
