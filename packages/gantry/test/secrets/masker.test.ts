import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { SecretMasker, type MaskingStream } from '../../src/secrets/masker.js';

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: () => number, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));
const pick = (random: () => number, alphabet: string[], length: number) =>
  Array.from({ length }, () => alphabet[int(random, 0, alphabet.length - 1)]).join('');

/** Writes `text` to the stream in random pieces (empty ones included) and ends it. */
function streamInPieces(
  stream: MaskingStream,
  text: string,
  random: () => number,
  maxPiece = 20,
): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const size = int(random, 0, maxPiece);
    out += stream.write(text.slice(i, i + size));
    i += size;
  }
  return out + stream.end();
}

/** The obvious, slow definition: every occurrence is covered, each covered run becomes `***`. */
function naiveMask(text: string, secrets: string[]): string {
  const covered = new Array<boolean>(text.length).fill(false);
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      covered.fill(true, at, at + secret.length);
    }
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) out += text[i];
    else if (i === 0 || !covered[i - 1]) out += '***';
  }
  return out;
}

describe('SecretMasker streaming matches whole-string masking', () => {
  // Over these alphabets the derived forms (base64, JSON, URL) can never occur in the text,
  // so the naive definition over the plain secrets is the exact expected output.
  const cases = [
    { name: 'ASCII', alphabet: ['a', 'b', 'c'], filler: ['a', 'b', 'c', 'x', '\n'] },
    { name: 'two-byte code units', alphabet: ['a', 'Ł', 'ā'], filler: ['a', 'Ł', 'ā', 'A', ' '] },
  ];
  for (const { name, alphabet, filler } of cases) {
    it(`masks every occurrence across random chunk splits (${name}, 400 seeds)`, () => {
      for (let seed = 1; seed <= 400; seed++) {
        const random = prng(seed);
        const masker = new SecretMasker();
        const secrets = Array.from({ length: int(random, 1, 4) }, () =>
          pick(random, alphabet, int(random, 2, 9)),
        );
        for (const secret of secrets) masker.add(secret);
        let text = pick(random, filler, int(random, 0, 300));
        for (const secret of secrets) {
          const at = int(random, 0, text.length);
          text = text.slice(0, at) + secret + text.slice(at);
        }
        const expected = naiveMask(text, secrets);
        expect(masker.mask(text), `seed ${seed}`).toBe(expected);
        const streamed = streamInPieces(masker.createStream(), text, random);
        expect(streamed, `seed ${seed}`).toBe(expected);
        for (const secret of secrets)
          expect(streamed.includes(secret), `seed ${seed}: ${secret}`).toBe(false);
      }
    });
  }

  it('masks realistic secrets and their encodings the same way in both modes (200 seeds)', () => {
    const printable = [
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "\\%+/=&?:@-_.!',
    ];
    for (let seed = 1000; seed < 1200; seed++) {
      const random = prng(seed);
      const masker = new SecretMasker();
      const secrets = Array.from(
        { length: int(random, 1, 10) },
        () => `S${pick(random, printable, int(random, 4, 30))}9`,
      );
      for (const secret of secrets) masker.add(secret);
      const encodings = (s: string) => [
        s,
        JSON.stringify(s).slice(1, -1),
        encodeURIComponent(s),
        Buffer.from(s).toString('base64'),
      ];
      let text = '';
      for (let k = 0; k < 30; k++) {
        const secret = secrets[int(random, 0, secrets.length - 1)]!;
        const forms = encodings(secret);
        text +=
          pick(random, printable, int(random, 0, 40)) + forms[int(random, 0, forms.length - 1)];
      }
      const whole = masker.mask(text);
      expect(streamInPieces(masker.createStream(), text, random, 64), `seed ${seed}`).toBe(whole);
      for (const secret of secrets) {
        for (const form of encodings(secret))
          expect(whole.includes(form), `seed ${seed}: ${form}`).toBe(false);
      }
    }
  });
});

describe('SecretMasker registration', () => {
  it('ignores empty and whitespace-only values', () => {
    const masker = new SecretMasker();
    masker.add('');
    masker.add(' \t\r\n ');
    expect(masker.size).toBe(0);
    expect(masker.mask('a b c')).toBe('a b c');
  });

  it('counts distinct patterns, so adding a value twice changes nothing', () => {
    const masker = new SecretMasker();
    masker.add('hunter2-password');
    const size = masker.size;
    expect(size).toBeGreaterThan(1); // the value and its base64 forms
    masker.add('hunter2-password');
    expect(masker.size).toBe(size);
  });

  it('returns text without secrets unchanged', () => {
    const masker = new SecretMasker();
    masker.add('s3cr3t-value');
    expect(masker.mask('nothing to see here')).toBe('nothing to see here');
  });
});

describe('SecretMasker matching', () => {
  it('masks overlapping and adjacent secrets as one run', () => {
    const masker = new SecretMasker();
    masker.add('abcd');
    masker.add('cdef');
    masker.add('ghij');
    expect(masker.mask('x abcdef y')).toBe('x *** y');
    expect(masker.mask('x abcdghij y')).toBe('x *** y');
    expect(masker.mask('x abcd-ghij y')).toBe('x ***-*** y');
  });

  it('masks the whole of a secret that extends a shorter one', () => {
    const masker = new SecretMasker();
    masker.add('token');
    masker.add('token-extended');
    expect(masker.mask('a token-extended b')).toBe('a *** b');
    expect(masker.mask('a token-ext b')).toBe('a ***-ext b');
    const stream = masker.createStream();
    const out =
      ['a tok', 'en-ext', 'ended b'].map((piece) => stream.write(piece)).join('') + stream.end();
    expect(out).toBe('a *** b');
  });

  it('masks secrets in long texts, also where the scanner moves from one segment to the next', () => {
    const secret = 'long-text-secret';
    const masker = new SecretMasker();
    masker.add(secret);
    let text = '';
    const expected: string[] = [];
    for (const boundary of [65536, 131072, 196608]) {
      const filler = 'x'.repeat(boundary - 5 - text.length);
      text += filler + secret;
      expected.push(filler, '***');
    }
    expect(masker.mask(`${text}!`)).toBe(`${expected.join('')}!`);
  });

  it('masks a secret that is a suffix of a longer one inside it', () => {
    const masker = new SecretMasker();
    masker.add('xx-abcdef');
    masker.add('cdef');
    expect(masker.mask('1 xx-abcdef 2 cdef 3')).toBe('1 *** 2 *** 3');
  });
});

describe('SecretMasker derived forms', () => {
  it('masks a multi-line value whole, line by line, with other line endings and re-indented', () => {
    const key =
      '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----';
    const masker = new SecretMasker();
    masker.add(key);
    expect(masker.mask(`key: ${key}\n`)).toBe('key: ***\n');
    expect(masker.mask(key.replace(/\n/g, '\r\n'))).toBe('***\r\n***\r\n***\r\n***');
    expect(masker.mask('  data: |\n    AQEFAASCBKcwggSjAgEAAoIB\n')).toBe('  data: |\n    ***\n');
  });

  it('does not register structural lines such as lone braces (actions/runner#326)', () => {
    const masker = new SecretMasker();
    masker.add('{\n  "token": "abc123xyz"\n}');
    expect(masker.mask('if (x) { y(); }\n')).toBe('if (x) { y(); }\n');
    expect(masker.mask('printed: "token": "abc123xyz"')).toBe('printed: ***');
  });

  it('masks the JSON-escaped form inside a JSON document', () => {
    const secret = 'p"a\\ss\nword/é';
    const masker = new SecretMasker();
    masker.add(secret);
    expect(masker.mask(JSON.stringify({ token: secret, other: 1 }))).toBe(
      '{"token":"***","other":1}',
    );
    const asciiOnly = JSON.stringify(secret).replace('é', '\\u00e9');
    expect(masker.mask(`{"token":${asciiOnly}}`)).toBe('{"token":"***"}');
  });

  it('masks URL-encoded forms', () => {
    const secret = "p@ss w/rd&x!'";
    const masker = new SecretMasker();
    masker.add(secret);
    expect(masker.mask(`GET /login?pw=${encodeURIComponent(secret)} 200`)).toBe(
      'GET /login?pw=*** 200',
    );
    expect(masker.mask(`pw=${new URLSearchParams({ a: secret }).toString().slice(2)}`)).toBe(
      'pw=***',
    );
    expect(
      masker.mask(
        `pw=${encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
      ),
    ).toBe('pw=***');
  });

  it('masks base64: whole, followed by a newline (actions/runner#291), and inside a longer string', () => {
    const secret = 'correct-horse-battery';
    const masker = new SecretMasker();
    masker.add(secret);
    expect(masker.mask(Buffer.from(secret).toString('base64'))).toBe('***');
    const withNewline = Buffer.from(`${secret}\n`).toString('base64');
    expect(masker.mask(withNewline)).toMatch(/^\*\*\*.{0,4}$/);
    for (const user of ['u', 'us', 'usr']) {
      const header = `Authorization: Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
      const masked = masker.mask(header);
      expect(masked, user).toContain('***');
      // At most 3 characters next to the mask mix secret bits with the prefix or the padding.
      expect(masked.length, user).toBeLessThanOrEqual(
        'Authorization: Basic '.length + 3 + 3 + 3 + 4,
      );
    }
  });

  it('masks a value registered with surrounding whitespace when printed trimmed', () => {
    const masker = new SecretMasker();
    masker.add('  api-key-12345\n');
    expect(masker.mask('key=api-key-12345;')).toBe('key=***;');
  });
});

describe('MaskingStream', () => {
  it('holds back only a possible start of a secret, and flushes it on end()', () => {
    const masker = new SecretMasker();
    masker.add('secret-token-123');
    const stream = masker.createStream();
    expect(stream.write('log: secret-to')).toBe('log: ');
    expect(stream.write('ken-1')).toBe('');
    expect(stream.write('x done\n')).toBe('secret-token-1x done\n');
    expect(stream.write('tail secret-tok')).toBe('tail ');
    expect(stream.end()).toBe('secret-tok');
  });

  it('never holds back more than the longest secret minus one character', () => {
    const secret = 'abcdefgh';
    const masker = new SecretMasker();
    masker.add(secret);
    const random = prng(7);
    for (let round = 0; round < 50; round++) {
      const text = pick(random, [...'abcdefgh'], 500).replaceAll(secret, 'zz');
      const stream = masker.createStream();
      let written = 0;
      let emitted = 0;
      while (written < text.length) {
        const size = int(random, 1, 9);
        emitted += stream.write(text.slice(written, written + size)).length;
        written = Math.min(text.length, written + size);
        expect(written - emitted).toBeLessThanOrEqual(secret.length - 1);
      }
      expect(emitted + stream.end().length).toBe(text.length);
    }
  });

  it('applies a secret added mid-stream to the text it still holds and to later text', () => {
    const masker = new SecretMasker();
    masker.add('abcdef');
    const stream = masker.createStream();
    expect(stream.write('1 abc')).toBe('1 ');
    masker.add('abcXYZ');
    expect(stream.write('XYZ 2 ab')).toBe('*** 2 ');
    masker.add('late-secret');
    expect(stream.write('cdef late-sec')).toBe('*** ');
    expect(stream.write('ret!') + stream.end()).toBe('***!');
  });

  it('masks the rest of a secret added after its start was emitted', () => {
    const masker = new SecretMasker();
    masker.add('an-unrelated-long-secret');
    const stream = masker.createStream();
    expect(stream.write('hello late-')).toBe('hello late-');
    masker.add('late-secret');
    expect(stream.write('secret!') + stream.end()).toBe('***!');
  });

  it('can be reused after end()', () => {
    const masker = new SecretMasker();
    masker.add('hunter22');
    const stream = masker.createStream();
    expect(stream.write('a hunter') + stream.end()).toBe('a hunter');
    expect(stream.write('22 hunter22') + stream.end()).toBe('22 ***');
  });
});
