// The deployment proxy against a direct connection and Debian's nginx on the same backend:
// p50 latency at a fixed moderate rate (rate-limited, so queueing at saturation does not hide
// in the number) and saturated throughput, with autocannon, interleaved rounds (the order of
// the proxies flips every round, so drift on a shared machine hits both alike), medians. The
// proxy runs from a private esbuild bundle of src/proxy, so the bench needs no `npm run build`.
// On 2 cores autocannon competes with the proxies for CPU, so each side's CPU during its
// throughput runs is reported too: it shows which process was the bottleneck.
// GANTRY_BENCH_DEBUG=1 prints the proxy's metrics when it stops.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { median, onPath, root } from './lib.mjs';

const HOST = 'bench.localhost';
const CONNECTIONS = 10;
const LATENCY_RATE = 2000; // req/s across all connections, well below any side's ceiling
const LATENCY_SECONDS = 2;
const THROUGHPUT_SECONDS = 3;

const backendScript = `import http from 'node:http';
const body = Buffer.from('hello world\\n');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

const proxyScript = `import { DeployProxy } from './proxy.mjs';
const proxy = await DeployProxy.start({ port: 0 });
proxy.setRoute({ host: '${HOST}', backends: [{ release: 'v1', weight: 100,
  targets: [{ id: 'b1', url: 'http://127.0.0.1:' + process.argv[2] }] }] });
proxy.setReady('b1', true);
process.send(proxy.port);
process.on('SIGTERM', () => {
  if (process.env.GANTRY_BENCH_DEBUG) console.error(proxy.metricsText());
  process.exit(0);
});
`;

const nginxConf = (
  prefix,
  port,
  backendPort,
) => `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  # Node's server and agent have no per-connection request limit; nginx's default of 1000
  # closes connections mid-run (autocannon then counts the race as ECONNRESET).
  keepalive_requests 1000000;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`;

/** Forks a script that reports its listening port over IPC. */
function startNode(script, args = []) {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ child, port }));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before listening`)));
  });
}

async function freePort() {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitListening(port, child, deadlineMs = 5000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.destroy() || true));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${deadlineMs} ms`);
    await delay(20);
  }
}

/** CPU seconds a process has used so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ
  } catch {
    return NaN;
  }
}

/** nginx's worker: the process that proxies, a child of the master we started. */
function childPid(parent) {
  try {
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(parent)) return entry;
    }
  } catch {
    // No /proc (not Linux), or a process ended while listed: CPU shows as NaN.
  }
  return undefined;
}

/** One autocannon run; latency percentiles from every response time (autocannon's own
 * histogram only keeps whole milliseconds). `pids` get their CPU share of the run measured,
 * as does this process, which is the load generator. */
async function load(port, seconds, overallRate, side = String(port), pids = {}) {
  const cpuBefore = Object.fromEntries(
    Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]),
  );
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const times = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { host: HOST },
    ...(overallRate ? { overallRate } : {}),
  });
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const errors = new Set();
  instance.on('reqError', (error) => errors.add(error.code ?? error.message));
  const result = await instance;
  if (result.errors || result.non2xx || result.timeouts)
    throw new Error(
      `${side}: ${result.errors} errors (${[...errors].join(', ')}), ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
    );
  const wall = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const cpu = { autocannon: (self.user + self.system) / 1e6 / wall };
  for (const [k, pid] of Object.entries(pids)) cpu[k] = (cpuSeconds(pid) - cpuBefore[k]) / wall;
  return { p50: median(times), rps: result.requests.total / seconds, cpu };
}

export async function proxyOverhead(rounds = 5) {
  const NGINX = process.env.GANTRY_PEER_NGINX ?? onPath('nginx');
  if (!NGINX)
    throw new Error(
      'nginx not found on PATH: apt-get install -y nginx-light, or set GANTRY_PEER_NGINX',
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-proxy-'));
  const children = [];
  try {
    await build({
      entryPoints: [path.join(root, 'packages/gantry/src/proxy/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: path.join(dir, 'proxy.mjs'),
      logLevel: 'error',
      // As in scripts/bundle.mjs: undici is CommonJS and requires node: modules.
      banner: {
        js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
      },
    });
    writeFileSync(path.join(dir, 'backend.mjs'), backendScript);
    writeFileSync(path.join(dir, 'run-proxy.mjs'), proxyScript);
    const backend = await startNode(path.join(dir, 'backend.mjs'));
    children.push(backend.child);
    const gantry = await startNode(path.join(dir, 'run-proxy.mjs'), [String(backend.port)]);
    children.push(gantry.child);

    const prefix = path.join(dir, 'nginx');
    mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
    const nginxPort = await freePort();
    writeFileSync(path.join(prefix, 'nginx.conf'), nginxConf(prefix, nginxPort, backend.port));
    const nginx = spawn(
      NGINX,
      ['-p', prefix, '-c', 'nginx.conf', '-g', `daemon off; pid ${prefix}/nginx.pid;`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(nginx);
    await waitListening(nginxPort, nginx);

    const sides = { direct: backend.port, gantry: gantry.port, nginx: nginxPort };
    for (const port of Object.values(sides)) await load(port, 1); // warm-up: JIT, pools
    // Looked up after the warm-up: nginx's master may accept before its worker is forked.
    const proxyPid = { gantry: gantry.child.pid, nginx: childPid(nginx.pid) };
    const p50 = { direct: [], gantry: [], nginx: [] };
    const rps = { direct: [], gantry: [], nginx: [] };
    const cpu = { gantry: [], nginx: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['direct', 'nginx', 'gantry'] : ['direct', 'gantry', 'nginx'];
      for (const side of order)
        p50[side].push((await load(sides[side], LATENCY_SECONDS, LATENCY_RATE, side)).p50);
      for (const side of order) {
        const pids = side === 'direct' ? {} : { proxy: proxyPid[side], backend: backend.child.pid };
        const run = await load(sides[side], THROUGHPUT_SECONDS, 0, side, pids);
        rps[side].push(run.rps);
        cpu[side]?.push(run.cpu);
      }
    }
    const m = (values) => median(values);
    const share = (side, k) => `${Math.round(100 * m(cpu[side].map((c) => c[k])))}%`;
    const cpuOf = (side) =>
      `proxy ${share(side, 'proxy')}, backend ${share(side, 'backend')}, autocannon ${share(side, 'autocannon')}`;
    const added = m(p50.gantry.map((g, i) => g - p50.direct[i]));
    const ratio = m(rps.gantry.map((g, i) => g / rps.nginx[i]));
    const ms = (v) => `${v.toFixed(3)} ms`;
    const perSec = (v) => `${Math.round(v).toLocaleString('en-US')} req/s`;
    return {
      title: 'Deployment proxy: added latency and throughput against a direct connection and nginx',
      rows: [
        ['machine', `${os.cpus().length} cores; autocannon, backend, proxy and nginx share them`],
        [`p50 latency at ${LATENCY_RATE} req/s, direct to the backend`, ms(m(p50.direct))],
        [`p50 latency at ${LATENCY_RATE} req/s, through Gantry's proxy`, ms(m(p50.gantry))],
        [`p50 latency at ${LATENCY_RATE} req/s, through nginx`, ms(m(p50.nginx))],
        [
          'p50 latency Gantry adds (median of per-round differences)',
          `${ms(added)} (target <= 1 ms)`,
        ],
        [`throughput, ${CONNECTIONS} connections, direct`, perSec(m(rps.direct))],
        [`throughput, ${CONNECTIONS} connections, Gantry's proxy`, perSec(m(rps.gantry))],
        [
          `throughput, ${CONNECTIONS} connections, nginx (1 worker, keepalive 64)`,
          perSec(m(rps.nginx)),
        ],
        ['throughput Gantry / nginx', `${ratio.toFixed(2)}x (target >= 0.5x)`],
        [
          'CPU during the throughput runs, % of one core (median)',
          `Gantry's: ${cpuOf('gantry')}; nginx's: ${cpuOf('nginx')}`,
        ],
      ],
      target: 'p50 added latency <= 1 ms and throughput >= 0.5x nginx',
      pass: added <= 1 && ratio >= 0.5,
    };
  } finally {
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    const exited = running.map((c) => new Promise((resolve) => c.once('exit', resolve)));
    for (const child of running) child.kill('SIGTERM');
    await Promise.all(exited);
    rmSync(dir, { recursive: true, force: true });
  }
}
