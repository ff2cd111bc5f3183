// Log throughput through the streaming masker with 100 secrets registered, against the
// same pipe without masking (UTF-8 decoding and line splitting in both), same run.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { SecretMasker } from '../packages/gantry/dist/lib/index.mjs';
import { median } from './lib.mjs';

export function maskerThroughput(runs = 9) {
  const secrets = Array.from({ length: 100 }, () => randomBytes(18).toString('base64url'));
  const words = [
    'info',
    'request',
    'GET',
    '/api/orders',
    'took',
    'ms',
    'user',
    'id',
    'status=200',
    'cache',
  ];
  let text = '';
  let i = 0;
  while (text.length < 32 * 1024 * 1024) {
    const line = Array.from({ length: 12 }, (_, k) => words[(i * 7 + k) % words.length]).join(' ');
    text += i % 500 === 0 ? `${line} token=${secrets[i % 100]}\n` : `${line} ${i}\n`;
    i++;
  }
  const buffer = Buffer.from(text);
  const chunks = [];
  for (let o = 0; o < buffer.length; o += 64 * 1024) chunks.push(buffer.subarray(o, o + 64 * 1024));
  const pipe = (masked) => {
    const decoder = new StringDecoder('utf8');
    const masker = new SecretMasker();
    if (masked) for (const s of secrets) masker.add(s);
    const stream = masker.createStream();
    let lines = 0;
    let pending = '';
    const start = process.hrtime.bigint();
    for (const chunk of chunks) {
      const decoded = decoder.write(chunk);
      const out = masked ? stream.write(decoded) : decoded;
      const parts = (pending + out).split('\n');
      pending = parts.pop() ?? '';
      lines += parts.length;
    }
    if (masked) stream.end();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, lines };
  };
  const plain = [];
  const masked = [];
  for (let r = 0; r <= runs; r++) {
    const a = pipe(false);
    const b = pipe(true);
    if (r > 0) {
      plain.push(a.ms);
      masked.push(b.ms);
    }
  }
  const mb = buffer.length / 1024 / 1024;
  const p = median(plain);
  const m = median(masked);
  return {
    title: 'Log throughput through the masker (100 secrets) vs the unmasked pipe',
    rows: [
      [
        'unmasked pipe (decode + split lines)',
        `${(mb / (p / 1000)).toFixed(0)} MB/s (${p.toFixed(1)} ms for ${mb.toFixed(0)} MB)`,
      ],
      ['masked pipe, 100 secrets', `${(mb / (m / 1000)).toFixed(0)} MB/s (${m.toFixed(1)} ms)`],
      ['masked / unmasked throughput', `${((p / m) * 100).toFixed(0)} %`],
    ],
    target: '>= 50 %',
    pass: p / m >= 0.5,
  };
}
