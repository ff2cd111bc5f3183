import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');
const architecture = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../architecture.json'), 'utf8'),
) as {
  rooms: Record<string, string[]>;
  pure: string[];
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

const importRe =
  /^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
const graph = new Map<string, string[]>();
const external = new Map<string, string[]>();
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8');
  const local: string[] = [];
  const ext: string[] = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? '';
    if (spec.startsWith('.'))
      local.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
    else ext.push(spec);
  }
  graph.set(file, local);
  external.set(file, ext);
}
const roomOf = (file: string) => path.relative(src, file).split(path.sep)[0] ?? '';

describe('architecture', () => {
  it('every folder of src/ is a declared room', () => {
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((f) => !(f in architecture.rooms))).toEqual([]);
  });

  it('rooms import only the rooms they are allowed to', () => {
    const violations: string[] = [];
    for (const [file, deps] of graph) {
      const from = roomOf(file);
      if (!(from in architecture.rooms)) continue;
      for (const dep of deps) {
        const to = roomOf(dep);
        if (to !== from && to in architecture.rooms && !architecture.rooms[from]?.includes(to)) {
          violations.push(`${path.relative(src, file)} -> ${path.relative(src, dep)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('pure rooms import no I/O modules', () => {
    const io = /^node:(fs|fs\/promises|child_process|net|http|https)$/;
    const violations = [...external].filter(
      ([f, deps]) => architecture.pure.includes(roomOf(f)) && deps.some((d) => io.test(d)),
    );
    expect(violations.map(([f]) => path.relative(src, f))).toEqual([]);
  });

  it('has no circular imports between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push(
          [...trail.slice(trail.indexOf(file)), file]
            .map((f) => path.relative(src, f))
            .join(' -> '),
        );
        return;
      }
      state.set(file, 'visiting');
      for (const dep of graph.get(file) ?? []) visit(dep, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
