import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findBinary } from '../../src/services/binaries.js';

export interface PrometheusServer {
  readonly address: string;
  /** Its last stderr, for failure messages. */
  logs(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real Prometheus (Debian's package; CI installs `prometheus`) scraping `target`
 * (`host:port`) every second, with its data in a temporary directory.
 */
export async function startPrometheus(target: string): Promise<PrometheusServer> {
  const binary =
    process.env['GANTRY_TEST_PROMETHEUS'] ?? findBinary('prometheus', process.env['PATH']);
  if (!binary)
    throw new Error(
      'Prometheus is needed for this test and is not on PATH: install the Debian package ' +
        '`prometheus` (apt-get install prometheus), or set GANTRY_TEST_PROMETHEUS to its path',
    );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gantry-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    'scrape_configs:',
    '  - job_name: gantry-proxy',
    '    static_configs:',
    `      - targets: ['${target}']`,
  ].join('\n');
  await writeFile(path.join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let logs = '';
  child.stderr?.on('data', (chunk: Buffer) => (logs = (logs + chunk.toString()).slice(-4_000)));
  return {
    address: `http://127.0.0.1:${port}`,
    logs: () => logs,
    exited: () => child.exitCode !== null,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
