import { snippetAt, type Problem } from '../errors/index.js';

// GitHub's parser formats every problem as "<file> (Line: 12, Col: 5): <message>".
const located = /^(.*?) \(Line: (\d+), Col: (\d+)\): ([\s\S]*)$/;
// YAML syntax errors come from the `yaml` package: "<message> at line 4, column 1:\n<excerpt>".
const yamlLocated = /^([\s\S]*?) at line (\d+), column (\d+)/;

/** Turns the parser's messages into problems with file, line, column and a snippet. */
export function problemsFromMessages(
  messages: readonly string[],
  file: string,
  source: string,
): Problem[] {
  return messages.map((text) => {
    const m = located.exec(text);
    if (!m) {
      const y = yamlLocated.exec(text);
      if (!y)
        return { file, message: text.startsWith(`${file}: `) ? text.slice(file.length + 2) : text };
      const [line, col] = [Number(y[2]), Number(y[3])];
      return {
        file,
        line,
        col,
        message: `invalid YAML: ${y[1]}`,
        snippet: snippetAt(source, line, col),
      };
    }
    const line = Number(m[2]);
    const col = Number(m[3]);
    return { file, line, col, message: m[4] ?? text, snippet: snippetAt(source, line, col) };
  });
}
