// Gantry's deployment side (controller, store, proxy, load generator) for the drill and the
// deploy benchmark, bundled from packages/gantry/src with esbuild into a temporary directory
// as bench/proxy.mjs does: neither needs `npm run build`, and neither needs the public
// library to export the controller (it does not). Plus the few HTTP and polling helpers both
// use to check what clients see through the proxy.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

export const gantryPackageDir = path.resolve(import.meta.dirname, '..', 'packages', 'gantry');

const entry = `
export { DeployRuntime } from './src/deploy/runtime.js';
export { commandDeployment, decide, requestDeployment } from './src/deploy/requests.js';
export { readDeployConfig } from './src/deploy/config.js';
export { loadProjectConfig } from './src/cli/project-config.js';
export { openStore } from './src/store/index.js';
export { startLoad } from './src/analysis/index.js';
`;

/** Bundles and imports the deployment API from the TypeScript sources (about a second). */
export async function loadDeployApi() {
  const { build } = await import('esbuild');
  const pkg = JSON.parse(readFileSync(path.join(gantryPackageDir, 'package.json'), 'utf8'));
  const fromGantry = createRequire(path.join(gantryPackageDir, 'package.json'));
  // The SQLite binding is native and locates its .node file from its own directory, so it
  // cannot be bundled; the temporary directory has no node_modules to find it from, so the
  // import names Gantry's copy by URL.
  const nativeBinding = {
    name: 'native-binding',
    setup(builder) {
      builder.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({
        path: pathToFileURL(fromGantry.resolve(args.path)).href,
        external: true,
      }));
    },
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-deploy-api-'));
  const outfile = path.join(dir, 'deploy-api.mjs');
  try {
    await build({
      stdin: { contents: entry, resolveDir: gantryPackageDir, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      outfile,
      plugins: [nativeBinding],
      define: { __GANTRY_VERSION__: JSON.stringify(pkg.version) },
      // As scripts/bundle.mjs: bundled CommonJS dependencies call require().
      banner: {
        js: "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** GET through the proxy with a Host header: the status and the release that answered. */
export function get(port, host, pathname = '/') {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: pathname, headers: { host }, agent, timeout: 10_000 },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            release: String(response.headers['x-gantry-release'] ?? ''),
          }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`GET ${host}${pathname} timed out`)));
    request.on('error', reject);
  });
}

/** `n` GETs, `concurrency` at a time; a request that gets no answer counts as status 0. */
export async function answers(port, host, n, pathname = '/', concurrency = 8) {
  const out = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      out.push(await get(port, host, pathname).catch(() => ({ status: 0, release: '' })));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}

/** Polls `check` until it returns a truthy value; throws `describe()` after `timeoutMs`. */
export async function until(check, { timeoutMs = 60_000, everyMs = 50, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms: ${describe ? await describe() : ''}`);
    await delay(everyMs);
  }
}

/** The time of the first event with `reason` at or after `after`, or undefined. */
export function eventAt(events, reason, after = -Infinity) {
  return events.find((e) => e.reason === reason && e.at >= after)?.at;
}

export const seconds = (ms) => Math.round(ms) / 1000;
