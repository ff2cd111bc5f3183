/** ANSI styling, only when the stream is a terminal and NO_COLOR is unset. */
export function color(stream: NodeJS.WritableStream) {
  const on = Boolean((stream as { isTTY?: boolean }).isTTY) && !process.env['NO_COLOR'];
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled: on,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    gray: wrap(90, 39),
  };
}
