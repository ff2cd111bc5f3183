import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findBinary, missingBinary } from './binaries.js';
import { startDaemon } from './daemon.js';
import { tcpExchange } from './ports.js';
import { imageName, type ServiceProvider } from './provider.js';
import { serviceFailed } from './wait.js';

const IMAGES = new Set(['redis', 'redis/redis-stack-server', 'bitnami/redis', 'valkey/valkey']);

/**
 * `redis:*`: `redis-server` with nothing persisted (no RDB snapshots, no AOF), bound to
 * loopback. The official image has no password setting, so none is honoured.
 */
export const redisProvider: ServiceProvider = {
  name: 'redis',
  images: ['redis', 'valkey/valkey'],
  containerPort: 6379,
  readyTimeoutMs: 30_000,
  matches: (image) => IMAGES.has(imageName(image)),
  async start(spec, context) {
    const pathVar = context.hostEnv['PATH'];
    const valkey = imageName(spec.image).startsWith('valkey');
    const server =
      (valkey ? findBinary('valkey-server', pathVar) : undefined) ??
      findBinary('redis-server', pathVar);
    if (!server) throw missingBinary(spec.image, 'redis-server', 'redis-server');
    const port = String(context.port);
    const daemon = startDaemon(
      server,
      [
        '--port',
        port,
        '--bind',
        '127.0.0.1',
        '-::1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        context.dir,
        '--daemonize',
        'no',
        '--protected-mode',
        'no',
      ],
      { env: { ...context.hostEnv }, cwd: context.dir, logFile: context.logFile },
    );
    if (daemon.pid < 0) throw serviceFailed(spec, context, `${server} could not be started`);
    // `--health-cmd "redis-cli ping"` must reach this server, not the default port 6379.
    const bin = path.join(context.dir, 'bin');
    const cli = findBinary('redis-cli', pathVar) ?? findBinary('valkey-cli', pathVar);
    if (cli) {
      mkdirSync(bin);
      for (const name of ['redis-cli', 'valkey-cli']) {
        writeFileSync(path.join(bin, name), `#!/bin/sh\nexec '${cli}' -p ${port} "$@"\n`);
        chmodSync(path.join(bin, name), 0o755);
      }
    }
    return {
      healthEnv: { PATH: `${bin}${path.delimiter}${pathVar ?? ''}`, REDIS_PORT: port },
      exited: () => daemon.exited,
      ready: async () => {
        const reply = await tcpExchange(context.port, 'PING\r\n', (r) => r.includes('\r\n'));
        return reply?.toString('latin1').startsWith('+PONG') ?? false;
      },
      stop: () => daemon.stop(),
    };
  },
};
