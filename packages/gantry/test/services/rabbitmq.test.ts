import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tcpExchange } from '../../src/services/ports.js';
import { rabbitmqScript } from '../../src/services/rabbitmq.js';
import { processesMatching, start } from './helpers.js';

if (!rabbitmqScript('rabbitmq-server', process.env['PATH']))
  throw new Error('rabbitmq-server is not installed: apt-get install -y rabbitmq-server');

const HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');

/** Connection.StartOk with SASL PLAIN: the broker answers Tune (10.30) or closes on bad credentials. */
function startOk(user: string, password: string): Buffer {
  const shortstr = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
  const longstr = (s: string) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(Buffer.byteLength(s));
    return Buffer.concat([len, Buffer.from(s)]);
  };
  const payload = Buffer.concat([
    Buffer.from([0, 10, 0, 11, 0, 0, 0, 0]), // class 10, method 11, empty client-properties
    shortstr('PLAIN'),
    longstr(`\0${user}\0${password}`),
    shortstr('en_US'),
  ]);
  const head = Buffer.alloc(7);
  head.writeUInt8(1, 0);
  head.writeUInt16BE(0, 1);
  head.writeUInt32BE(payload.length, 3);
  return Buffer.concat([head, payload, Buffer.from([0xce])]);
}

/** Logs in over AMQP; resolves the method id of the broker's answer (30 = Tune, i.e. accepted). */
async function login(port: number, user: string, password: string): Promise<number | undefined> {
  const frames = (r: Buffer) => {
    const first = 7 + r.readUInt32BE(3) + 1;
    return r.length >= first + 11 ? first : -1;
  };
  // The header and StartOk at once: the broker reads StartOk after sending Start.
  const answer = await tcpExchange(
    port,
    Buffer.concat([HEADER, startOk(user, password)]),
    (r) => r.length >= 7 && frames(r) > 0,
    10_000,
  );
  if (!answer || frames(answer) < 0) return undefined;
  return answer.readUInt16BE(frames(answer) + 9);
}

const liveEpmds = () =>
  execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /\bepmd\b/.test(l) && !l.trim().startsWith('Z')).length;

describe('rabbitmq service', () => {
  it('boots a private node with the image default user, answers AMQP, and stops with its epmd', async () => {
    const epmdsBefore = liveEpmds();
    const { services, lines } = await start({
      mq: {
        image: 'rabbitmq:3.13-management',
        env: { RABBITMQ_DEFAULT_USER: 'ci', RABBITMQ_DEFAULT_PASS: 'ci-pass' },
        ports: ['5672:5672', '15672:15672'],
        options:
          '--health-cmd "rabbitmq-diagnostics -q ping" --health-interval 5s --health-retries 10',
      },
    });
    const port = Number(services.context()['mq']?.ports['5672']);
    try {
      expect(lines.join('\n')).toContain('port 15672 is not served natively');
      expect(await login(port, 'ci', 'ci-pass')).toBe(30);
      expect(await login(port, 'ci', 'wrong')).not.toBe(30);
    } finally {
      await services.stop();
    }
    expect(processesMatching(`gantry-${port}@localhost`)).toEqual([]);
    expect(liveEpmds()).toBe(epmdsBefore);
  });
});
