/** Go's truthiness in templates: false, 0, nil and empty strings/lists/maps are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '')
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** Prints a value as Go's `%v` does; nil (a missing variable) prints nothing, as in go-task. */
export function printValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return printNested(value);
}

/** Inside a list or map Go prints nil as `<nil>`. */
function printNested(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isNaN(value)
      ? 'NaN'
      : value === Infinity
        ? '+Inf'
        : value === -Infinity
          ? '-Inf'
          : String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(printNested).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${printNested((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

/** Go's type name of a template value, as fmt prints it in `%!verb(type=value)`. */
function goType(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** One operand of Sprintf; a verb that does not fit the value prints `%!verb(type=value)` as in Go. */
function formatOne(verb: string, arg: unknown, precision: string | undefined): string {
  if (arg === undefined || arg === null) return verb === 'v' ? '<nil>' : `%!${verb}(<nil>)`;
  if (Array.isArray(arg)) return `[${arg.map((a) => formatOne(verb, a, precision)).join(' ')}]`;
  if (typeof arg === 'object') {
    const entries = Object.keys(arg)
      .sort()
      .map((k) => `${k}:${formatOne(verb, (arg as Record<string, unknown>)[k], precision)}`);
    return `map[${entries.join(' ')}]`;
  }
  const bad = () => `%!${verb}(${goType(arg)}=${printValue(arg)})`;
  switch (verb) {
    case 'v':
      return printValue(arg);
    case 's':
      return typeof arg === 'string' ? arg : bad();
    case 'q':
      return typeof arg === 'string' ? JSON.stringify(arg) : bad();
    case 'd':
      return typeof arg === 'number' && Number.isInteger(arg) ? String(arg) : bad();
    case 'f':
      return typeof arg === 'number'
        ? arg.toFixed(precision === undefined ? 6 : Number(precision))
        : bad();
    case 't':
      return typeof arg === 'boolean' ? String(arg) : bad();
    case 'x':
      return typeof arg === 'number' && Number.isInteger(arg)
        ? arg.toString(16)
        : typeof arg === 'string'
          ? Buffer.from(arg).toString('hex')
          : bad();
    default:
      return bad();
  }
}

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %f %q %t %x %%, with widths. */
export function sprintf(format: string, args: unknown[]): string {
  let next = 0;
  const out = format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([svdfqtx%])/g,
    (_m, flags: string, width?: string, precision?: string, verb?: string) => {
      if (verb === '%') return '%';
      if (next >= args.length) return `%!${verb}(MISSING)`;
      let text = formatOne(verb as string, args[next++], precision);
      if (width !== undefined && text.length < Number(width)) {
        const pad = (flags.includes('0') && verb !== 's' ? '0' : ' ').repeat(
          Number(width) - text.length,
        );
        text = flags.includes('-') ? text + pad : pad + text;
      }
      return text;
    },
  );
  if (next >= args.length) return out;
  const extra = args
    .slice(next)
    .map((a) => (a === undefined || a === null ? '<nil>' : `${goType(a)}=${printValue(a)}`));
  return `${out}%!(EXTRA ${extra.join(', ')})`;
}
