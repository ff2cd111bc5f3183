import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalCache, defaultMaxBytes, parseSize } from '../cache/local-store.js';
import { startCacheServer } from '../cache/server.js';
import { GantryError } from '../errors/index.js';
import { withUsageErrors } from './args.js';

const help = `Usage: gantry cache <subcommand> [options]

Subcommands:
  serve   Run a shared remote cache server (Turborepo HTTP API v8)
  status  Show the local task cache: where it is, entries, size, limit
  prune   Trim the local task cache to a size (default: its limit)
  clear   Delete every entry and task state of the local task cache

The local cache is GANTRY_CACHE_DIR, else .gantry/cache in the current directory
(or --dir DIR); its limit is GANTRY_CACHE_MAX_SIZE (default 2GiB).

See gantry cache <subcommand> --help and docs/cache.md.`;

const serveHelp = `Usage: gantry cache serve [options]

Serves a shared task cache over HTTP, speaking Turborepo's remote cache API (v8):
Gantry (GANTRY_CACHE_URL) and turbo (--api / TURBO_API) can both use it.

Options:
  --host HOST        interface to listen on (default: 127.0.0.1)
  --port PORT        port to listen on (default: 4000; 0 picks a free one)
  --dir DIR          where artifacts are stored (default: .gantry/remote-cache)
  --read-only        serve downloads, refuse uploads (403)
  --token-file FILE  accepted tokens, one per line

Tokens: GANTRY_CACHE_SERVER_TOKENS (comma-separated) and/or --token-file; at least one.`;

/** Subcommands by name; each gets the arguments after its name. */
const subcommands: Record<string, (argv: string[]) => Promise<number>> = {
  serve,
  status: (argv) => local(argv, 'status'),
  prune: (argv) => local(argv, 'prune'),
  clear: (argv) => local(argv, 'clear'),
};

/** `status`, `prune [--max-size SIZE]` and `clear` of the local task cache. */
async function local(argv: string[], action: 'status' | 'prune' | 'clear'): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { dir: { type: 'string' }, 'max-size': { type: 'string' } },
    }),
  );
  const env = process.env;
  const dir = path.resolve(values.dir ?? env['GANTRY_CACHE_DIR'] ?? path.join('.gantry', 'cache'));
  const limit = env['GANTRY_CACHE_MAX_SIZE']
    ? parseSize(env['GANTRY_CACHE_MAX_SIZE'])
    : defaultMaxBytes;
  const store = new LocalCache(dir, limit);
  if (action === 'clear') {
    const { entries, bytes } = store.usage();
    store.clear();
    process.stdout.write(`cleared ${dir}: ${entries} entries, ${formatBytes(bytes)}\n`);
  } else if (action === 'prune') {
    const max = values['max-size'] === undefined ? limit : parseSize(values['max-size']);
    const { removed, freedBytes } = store.evict(max);
    process.stdout.write(
      `pruned ${dir} to ${formatBytes(max)}: removed ${removed} entries, ${formatBytes(freedBytes)}\n`,
    );
  } else {
    const { entries, bytes } = store.usage();
    process.stdout.write(
      `${dir}: ${entries} entries, ${formatBytes(bytes)} of ${formatBytes(limit)}\n`,
    );
  }
  return 0;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help}\n`);
    return name === undefined ? 2 : 0;
  }
  const run = subcommands[name];
  if (!run)
    throw new GantryError('GANTRY_USAGE', `unknown cache subcommand '${name}'`, {
      hint: `one of: ${Object.keys(subcommands).join(', ')}`,
    });
  return run(rest);
}

async function serve(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '4000' },
        dir: { type: 'string', default: path.join('.gantry', 'remote-cache') },
        'read-only': { type: 'boolean', default: false },
        'token-file': { type: 'string' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${serveHelp}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535)
    throw new GantryError(
      'GANTRY_USAGE',
      `--port expects a number from 0 to 65535, got '${values.port}'`,
    );
  const tokens = readTokens(process.env['GANTRY_CACHE_SERVER_TOKENS'], values['token-file']);
  const dir = path.resolve(values.dir);
  const server = await startCacheServer({
    dir,
    host: values.host,
    port,
    tokens,
    readOnly: values['read-only'],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const mode = values['read-only'] ? ', read-only' : '';
  process.stdout.write(`gantry cache serve: listening on ${server.url} (dir ${dir}${mode})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

/** Tokens from the environment and the token file, trimmed; refusing to run without one. */
function readTokens(fromEnv: string | undefined, file: string | undefined): string[] {
  const tokens = (fromEnv ?? '').split(',');
  if (file !== undefined) {
    try {
      tokens.push(...readFileSync(file, 'utf8').split(/\r?\n/));
    } catch (error) {
      throw new GantryError(
        'GANTRY_USAGE',
        `cannot read --token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  const usable = [...new Set(tokens.map((t) => t.trim()).filter((t) => t !== ''))];
  if (usable.length === 0)
    throw new GantryError('GANTRY_USAGE', 'gantry cache serve needs at least one token', {
      hint: 'set GANTRY_CACHE_SERVER_TOKENS=<token>[,<token>...] or pass --token-file FILE (one token per line)',
    });
  return usable;
}
