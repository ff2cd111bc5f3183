import { data } from '@actions/expressions';

/**
 * Conversion between plain JavaScript values (what the rest of Gantry keeps in its contexts)
 * and the `ExpressionData` values `@actions/expressions` evaluates.
 *
 * GitHub's expression type system has exactly six kinds: null, boolean, number, string,
 * array and object ("Literals" and "Operators" in
 * https://docs.github.com/en/actions/reference/workflows-and-actions/expressions).
 * Everything else a caller might hold is mapped onto those kinds here.
 */

/** Converts a plain JS value into expression data. `undefined` becomes null, as a missing property does on GitHub. */
export function toExpressionData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (isExpressionData(value)) return value;
  switch (typeof value) {
    case 'boolean':
      return new data.BooleanData(value);
    case 'number':
      return new data.NumberData(value);
    case 'bigint':
      return new data.NumberData(Number(value));
    case 'string':
      return new data.StringData(value);
    case 'object':
      break;
    default:
      // Functions and symbols have no expression representation; GitHub contexts never hold them.
      return new data.Null();
  }
  if (Array.isArray(value)) {
    return new data.Array(...value.map((item) => toExpressionData(item)));
  }
  if (value instanceof Date) return new data.StringData(value.toISOString());
  if (value instanceof Map) {
    const dict = newDictionary();
    for (const [key, item] of value) dict.add(String(key), toExpressionData(item));
    return dict;
  }
  const dict = newDictionary();
  for (const [key, item] of Object.entries(value)) {
    // A key whose value is undefined is absent: reading it yields null either way, and
    // leaving it out keeps toJSON() output identical to what GitHub prints.
    if (item !== undefined) dict.add(key, toExpressionData(item));
  }
  return dict;
}

/**
 * An empty dictionary that keeps every key. `@actions/expressions` indexes keys in a plain `{}`,
 * so a key whose lower-case form is an Object.prototype member (`constructor`, `__proto__`) is
 * silently dropped and reads as null. GitHub's runner keeps such keys, so the index is replaced
 * by a null-prototype object; a test pins this.
 */
export function newDictionary(): data.Dictionary {
  const dict = new data.Dictionary();
  Object.assign(dict, { indexMap: Object.create(null) as Record<string, number> });
  return dict;
}

/** Converts expression data back into plain JS (null, boolean, number, string, arrays, objects). */
export function fromExpressionData(d: data.ExpressionData): unknown {
  switch (d.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
    case data.Kind.Number:
    case data.Kind.String:
      return d.value;
    case data.Kind.Array:
      return d.values().map((item) => fromExpressionData(item));
    case data.Kind.Dictionary:
      // Object.fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
      return Object.fromEntries(
        d.pairs().map((pair) => [pair.key, fromExpressionData(pair.value)]),
      );
    default:
      return null;
  }
}

/**
 * GitHub's string coercion, used when an expression result is embedded in a string:
 * null → '', booleans → 'true'/'false', numbers formatted like the runner (at most 15
 * significant decimals, no trailing zeros, -0 → '0'), arrays → 'Array', objects → 'Object'.
 * The shared test vectors `coerce_string.json` pin these results.
 */
export function coerceToString(d: data.ExpressionData): string {
  return d.coerceString();
}

/**
 * GitHub truthiness: false, 0, -0, NaN, '' and null are falsy; every array and object
 * (even an empty one) is truthy.
 */
export function isTruthy(d: data.ExpressionData): boolean {
  switch (d.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return d.value;
    case data.Kind.Number:
      return d.value !== 0 && !Number.isNaN(d.value);
    case data.Kind.String:
      return d.value.length > 0;
    default:
      return true;
  }
}

function isExpressionData(value: unknown): value is data.ExpressionData {
  return (
    value instanceof data.Null ||
    value instanceof data.BooleanData ||
    value instanceof data.NumberData ||
    value instanceof data.StringData ||
    value instanceof data.Array ||
    value instanceof data.Dictionary
  );
}
