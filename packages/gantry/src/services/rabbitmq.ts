import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findBinary, missingBinary } from './binaries.js';
import { runToExit, startDaemon } from './daemon.js';
import { choosePort, releasePort, tcpExchange } from './ports.js';
import { imageName, type ServiceProvider } from './provider.js';
import { serviceFailed } from './wait.js';

const IMAGES = new Set(['rabbitmq', 'bitnami/rabbitmq']);
/** Debian's /usr/sbin scripts `su` to the rabbitmq user; the real scripts live here. */
const DEBIAN_SCRIPTS = '/usr/lib/rabbitmq/bin';
/** AMQP 0-9-1 protocol header; a broker answers with a Connection.Start method frame (type 1). */
const AMQP_HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');

export function rabbitmqScript(name: string, pathVar: string | undefined): string | undefined {
  const debian = path.join(DEBIAN_SCRIPTS, name);
  return existsSync(debian) ? debian : findBinary(name, pathVar);
}

/**
 * `rabbitmq:*`: a node of its own (unique node name, its own epmd port and Erlang cookie, data
 * and logs in the service directory), no plugins, and the image's RABBITMQ_DEFAULT_USER,
 * RABBITMQ_DEFAULT_PASS and RABBITMQ_DEFAULT_VHOST written to its config file.
 */
export const rabbitmqProvider: ServiceProvider = {
  name: 'rabbitmq',
  images: ['rabbitmq'],
  containerPort: 5672,
  // The Erlang VM and RabbitMQ's boot steps take several seconds even on a fast machine.
  readyTimeoutMs: 120_000,
  matches: (image) => IMAGES.has(imageName(image)),
  async start(spec, context) {
    const pathVar = context.hostEnv['PATH'];
    const server = rabbitmqScript('rabbitmq-server', pathVar);
    const ctl = rabbitmqScript('rabbitmqctl', pathVar);
    if (!server || !ctl) throw missingBinary(spec.image, 'rabbitmq-server', 'rabbitmq-server');
    const epmdPort = await choosePort(undefined);
    const distPort = await choosePort(undefined);
    const user = spec.env['RABBITMQ_DEFAULT_USER'] || 'guest';
    const pass = spec.env['RABBITMQ_DEFAULT_PASS'] || 'guest';
    const vhost = spec.env['RABBITMQ_DEFAULT_VHOST'] || '/';
    const config = path.join(context.dir, 'rabbitmq.conf');
    writeFileSync(
      config,
      [
        `listeners.tcp.default = 127.0.0.1:${context.port}`,
        `default_user = ${user}`,
        `default_pass = ${pass}`,
        `default_vhost = ${vhost}`,
        // The image lets guest in from anywhere; here every client is local anyway.
        'loopback_users = none',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(context.dir, 'enabled_plugins'), '[].\n');
    mkdirSync(path.join(context.dir, 'mnesia'));
    mkdirSync(path.join(context.dir, 'log'));
    const nodeEnv = {
      HOME: context.dir,
      RABBITMQ_NODENAME: `gantry-${context.port}@localhost`,
      RABBITMQ_NODE_PORT: String(context.port),
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_DIST_PORT: String(distPort),
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_CONFIG_FILE: config,
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(context.dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: path.join(context.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(context.dir, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_USE_LONGNAME: 'false',
    };
    const env = {
      ...context.hostEnv,
      ...nodeEnv,
      PATH: `${path.dirname(ctl)}${path.delimiter}${pathVar ?? ''}`,
    };
    const options = { env, cwd: context.dir, logFile: context.logFile };
    const daemon = startDaemon(server, [], options);
    if (daemon.pid < 0) throw serviceFailed(spec, context, `${server} could not be started`);
    const stopEpmd = async () => {
      // epmd daemonizes out of the server's process group; it must be stopped on its own.
      const epmd = findBinary('epmd', env.PATH, ['/usr/lib/erlang/erts-*/bin']);
      if (epmd)
        await runToExit(epmd, ['-port', String(epmdPort), '-kill'], {
          ...options,
          timeoutMs: 5000,
        });
      releasePort(epmdPort);
      releasePort(distPort);
    };
    let stopped: Promise<void> | undefined;
    return {
      healthEnv: env,
      exited: () => daemon.exited,
      ready: async () => {
        const reply = await tcpExchange(context.port, AMQP_HEADER, (r) => r.length >= 7);
        return reply !== undefined && reply.length >= 7 && reply[0] === 1;
      },
      stop: () => {
        stopped ??= daemon.stop().finally(stopEpmd);
        return stopped;
      },
    };
  },
};
