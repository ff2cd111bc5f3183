import { GantryError } from '../errors/index.js';

/**
 * `strategy.matrix` expansion with GitHub's rules (workflow-syntax.md, "Using a matrix for your jobs"):
 * - combinations are created in definition order, the first variable varying slowest;
 * - "An excluded configuration only has to be a partial match for it to be excluded";
 * - "All include combinations are processed after exclude";
 * - an include object is added to every combination where "none of the key:value pairs overwrite
 *   any of the original matrix values"; added values can be overwritten by later includes;
 *   "If the object cannot be added to any of the matrix combinations, a new matrix combination
 *   will be created instead";
 * - "A matrix will generate a maximum of 256 jobs per workflow run";
 * - "The variable names are case insensitive".
 * Values are compared like the expression `==` (strings case-insensitively, '16' == 16), objects
 * and lists partially; this follows ChristopherHX/runner.server, which mirrors GitHub's service.
 */
export type MatrixCombo = Record<string, unknown>;

const MAX_JOBS = 256;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyOf = (o: Obj, key: string): string | undefined =>
  Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase());
const fail = (message: string, hint?: string): GantryError =>
  new GantryError('GANTRY_MATRIX_INVALID', message, hint ? { hint } : {});

/** The keys each expanded combination shows in its job name (GitHub leaves include-added keys out). */
const nameKeys = new WeakMap<object, readonly string[]>();

/** Expression coercion to number: null → 0, booleans → 0/1, strings parsed ('' → 0), else NaN. */
function toNumber(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  if (s === '') return 0;
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
}

function looseEqual(a: unknown, b: unknown): boolean {
  const [x, y] = [a ?? null, b ?? null];
  if (typeof x === 'string' && typeof y === 'string') return x.toUpperCase() === y.toUpperCase();
  if (typeof x === typeof y && typeof x !== 'string') return x === y;
  return toNumber(x) === toNumber(y);
}

/** Does matrix value `value` match `wanted` (from include/exclude)? Objects and lists match partially. */
function matches(value: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted))
    return (
      Array.isArray(value) &&
      value.length >= wanted.length &&
      wanted.every((w, i) => matches(value[i], w))
    );
  if (isObj(wanted)) {
    return (
      isObj(value) &&
      Object.entries(wanted).every(([k, w]) => {
        const own = keyOf(value, k);
        return own !== undefined && matches(value[own], w);
      })
    );
  }
  return !Array.isArray(value) && !isObj(value) && looseEqual(value, wanted);
}

function objectList(value: unknown, name: string): Obj[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObj))
    throw fail(`matrix '${name}' must be a list of objects`);
  return value;
}

function axesOf(matrix: Obj): Array<[string, unknown[]]> {
  const axes: Array<[string, unknown[]]> = [];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') continue;
    if (axes.some(([k]) => k.toLowerCase() === key.toLowerCase()))
      throw fail(`matrix variable '${key}' is defined twice (names are case-insensitive)`);
    if (!Array.isArray(values))
      throw fail(
        `matrix variable '${key}' must be a list of values`,
        `Write ${key}: [a, b] or build the list with fromJSON().`,
      );
    if (values.length === 0) throw fail(`Matrix vector '${key}' does not contain any values`);
    axes.push([key, values]);
  }
  return axes;
}

/** The cross product minus exclusions, first axis slowest; stops as soon as it passes 256. */
function product(axes: Array<[string, unknown[]]>, excludes: Obj[]): MatrixCombo[] {
  if (axes.length === 0) return [];
  const out: MatrixCombo[] = [];
  const index = axes.map(() => 0);
  for (;;) {
    const combo: MatrixCombo = Object.fromEntries(
      axes.map(([key, values], i) => [key, values[index[i] ?? 0]]),
    );
    const excluded = excludes.some((ex) =>
      Object.entries(ex).every(([k, w]) => matches(combo[keyOf(combo, k) ?? k], w)),
    );
    if (!excluded && out.push(combo) > MAX_JOBS)
      throw fail(`the matrix expands to more than ${MAX_JOBS} jobs`);
    // Odometer step: the last axis turns fastest; when it wraps, the one before it moves on.
    let axis = axes.length - 1;
    for (; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      if ((index[axis] ?? 0) < (axes[axis]?.[1].length ?? 0)) break;
      index[axis] = 0;
    }
    if (axis < 0) return out;
  }
}

/** Expands `strategy.matrix` into its job combinations, in the order GitHub creates them. */
export function expandMatrix(matrix: Record<string, unknown>): MatrixCombo[] {
  const axes = axesOf(matrix);
  const includes = objectList(matrix['include'], 'include');
  const excludes = objectList(matrix['exclude'], 'exclude');
  if (axes.length === 0 && includes.length === 0)
    throw fail('Matrix must define at least one vector');
  for (const ex of excludes) {
    const unknown = Object.keys(ex).find(
      (k) => !axes.some(([axis]) => axis.toLowerCase() === k.toLowerCase()),
    );
    if (unknown !== undefined)
      throw fail(`Matrix exclude key '${unknown}' does not match any key within the matrix`);
  }
  const originals = product(axes, excludes);
  const extras: MatrixCombo[] = [];
  for (const entry of includes) {
    let added = false;
    for (const combo of originals) {
      const fits = axes.every(([axis]) => {
        const k = keyOf(entry, axis);
        return k === undefined || matches(combo[axis], entry[k]);
      });
      if (!fits) continue;
      added = true;
      for (const [k, v] of Object.entries(entry)) {
        if (!axes.some(([axis]) => axis.toLowerCase() === k.toLowerCase()))
          combo[keyOf(combo, k) ?? k] = v;
      }
    }
    if (!added) extras.push({ ...entry });
  }
  const all = [...originals, ...extras];
  if (all.length === 0) throw fail('every matrix combination is excluded and include adds none');
  if (all.length > MAX_JOBS)
    throw fail(`the matrix expands to ${all.length} jobs; GitHub allows at most ${MAX_JOBS}`);
  for (const combo of originals)
    nameKeys.set(
      combo,
      axes.map(([axis]) => axis),
    );
  for (const combo of extras) nameKeys.set(combo, Object.keys(combo));
  return all;
}

/** A value as the name shows it: objects and lists as their scalars joined by ', ', null as ''. */
function display(value: unknown): string {
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (isObj(value)) return Object.values(value).map(display).join(', ');
  return value === null || value === undefined ? '' : String(value);
}

// Generated names are cut to 100 characters, the last three being '...' (observed on GitHub, e.g.
// facebookresearch/fairchem#2059 quotes such a check name).
const MAX_NAME = 100;

/**
 * GitHub's default name of a matrix job: `test (3.11, ubuntu)`. The values of the matrix's own
 * variables appear in definition order; include-added keys do not (pytest's `build` job, whose
 * includes add os/python/tox_env to a `name` axis, is listed as `build (windows-py311)`), while a
 * new include combination shows all its values. Empty top-level values are left out
 * (ChristopherHX/runner.server#78); an object shows all its values, empty ones included.
 */
export function matrixLegName(
  jobName: string,
  combo: MatrixCombo,
  keys?: readonly string[],
): string {
  const shown = keys ?? nameKeys.get(combo) ?? Object.keys(combo);
  const items = shown
    .map((k) => display(combo[keyOf(combo, k) ?? k]))
    .filter((item) => item !== '');
  const name = items.length === 0 ? jobName : `${jobName} (${items.join(', ')})`;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 3)}...` : name;
}
