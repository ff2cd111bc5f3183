import type { Corpus } from './corpus.js';
import { Tokens } from './tokens.js';

/**
 * Commits that stress the diff reader and the regex translation, for the comparison with
 * gitleaks (which decides what is right): CRLF, no final newline, C-quoted paths, added
 * lines that look like diff headers, several hunks per file, a long line, binary content,
 * non-ASCII text, a merge, and lines aimed at the shared config's allowlists and path rule.
 */
export function addEdgeCases(c: Corpus, seed = 7): void {
  const t = new Tokens(seed);
  c.writeRaw(
    'deploy/.env',
    `ADMIN_PASSWORD=${t.password()}\nUSER_PASSWORD=changeme-now-please\nPLAIN=value\n`,
  );
  c.writeRaw(
    'notes/crlf.txt',
    `first line\r\ntoken = ${t.password()}\r\nghp = ${t.github('ghp')}\r\n`,
  );
  c.writeRaw('notes/no-newline.txt', `intro\napi_key: ${t.password()}`);
  c.writeRaw('weird name/with "quotes" and space.txt', `key ${t.github('ghp')}\n`);
  c.writeRaw(
    'src/unicode.ts',
    `// Grüße ✓ — ${t.github('ghp')}\nconst motto = "日本語のテキスト";\nconst pw = { password: "${t.password()}" };\n`,
  );
  c.writeRaw(
    'src/lookalikes.txt',
    [
      `++ ${t.github('ghp')}`,
      `@@ -1 +1 @@ ${t.slackBot()}`,
      `diff --git a/x b/y ${t.awsKeyId()}`,
      `\\ No newline at end of file ${t.github('ghp')}`,
      `secret_token = "${t.password()}" # not-a-secret`,
      'apiKey: process.env.SOME_VERY_LONG_VARIABLE_NAME',
      `authToken: "${t.password()}"`,
      '',
    ].join('\n'),
  );
  const junk = t.pick('abcdefghijklmnopqrstuvwxyz0123456789+/', 40_000);
  c.writeRaw('data/long-line.txt', `${junk} ${t.jwt()} ${junk}${junk}\n`);
  // A 64-byte ELF header: binary to git (NUL bytes), to Gantry, and to gitleaks' type sniffing.
  const elf = Buffer.alloc(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  c.writeRaw('bin/tool', Buffer.concat([elf, Buffer.from(` ${t.github('ghp')}\n`)]));
  c.commit('edge-cases');

  // Two hunks in one file, and a secret split over a hunk boundary (found by neither).
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
  c.writeRaw('src/hunks.txt', `${lines.join('\n')}\n`);
  c.commit('hunks-base');
  lines[3] = `stripe ${t.stripe('sk')}`;
  lines[30] = `slack ${t.slackWebhook()}`;
  lines[20] = '-----BEGIN RSA PRIVATE KEY-----';
  lines[22] = `${t.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 64)}\n-----END RSA PRIVATE KEY-----`;
  c.writeRaw('src/hunks.txt', `${lines.join('\n')}\n`);
  c.commit('hunks');

  c.git('checkout', '-q', '-b', 'topic');
  c.writeRaw('topic.txt', `token: ${t.password()}\n`);
  c.commit('topic');
  c.git('checkout', '-q', 'main');
  c.git('merge', '-q', '--no-ff', '-m', 'merge topic', 'topic');
}
