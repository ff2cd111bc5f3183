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
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${printValue((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %f %q %t %x %%, with widths. */
export function sprintf(format: string, args: unknown[]): string {
  let next = 0;
  return format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([svdfqtx%])/g,
    (_m, flags: string, width?: string, precision?: string, verb?: string) => {
      if (verb === '%') return '%';
      if (next >= args.length) return `%!${verb}(MISSING)`;
      const arg = args[next++];
      let text: string;
      switch (verb) {
        case 'd':
          text = String(Math.trunc(Number(arg)));
          break;
        case 'f':
          text = Number(arg).toFixed(precision === undefined ? 6 : Number(precision));
          break;
        case 'q':
          text = JSON.stringify(printValue(arg));
          break;
        case 'x':
          text =
            typeof arg === 'number'
              ? arg.toString(16)
              : Buffer.from(printValue(arg)).toString('hex');
          break;
        default:
          text = printValue(arg);
      }
      if (width !== undefined && text.length < Number(width)) {
        const pad = (flags.includes('0') && verb !== 's' ? '0' : ' ').repeat(
          Number(width) - text.length,
        );
        text = flags.includes('-') ? text + pad : pad + text;
      }
      return text;
    },
  );
}
