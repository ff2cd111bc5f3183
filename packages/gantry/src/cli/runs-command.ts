import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../store/index.js';
import { withUsageErrors } from './args.js';
import { color } from './color.js';
import { repositoryRoot } from './repo.js';
import { formatDuration, statusIcon } from './reporters/format.js';

const help = `Usage: gantry runs [--limit N] [--json] [-C DIR]

Lists the runs recorded in .gantry/gantry.db, newest first.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        limit: { type: 'string', short: 'n' },
        json: { type: 'boolean' },
        dir: { type: 'string', short: 'C' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const root = await repositoryRoot(values.dir ?? process.cwd());
  const store = await openStore(path.join(root, '.gantry'));
  try {
    const runs = await store.listRuns(values.limit ? Number(values.limit) : 20);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    const c = color(process.stdout);
    if (runs.length === 0)
      process.stdout.write('No runs recorded yet. Start one with `gantry run`.\n');
    for (const run of runs) {
      const took = run.finishedAt ? formatDuration(run.finishedAt - run.createdAt) : 'running';
      const when = new Date(run.createdAt).toISOString().replace('T', ' ').slice(0, 19);
      const icon = statusIcon(
        run.status === 'success' || run.status === 'failure' || run.status === 'cancelled'
          ? run.status
          : 'running',
      );
      process.stdout.write(
        `${icon} #${run.id}  ${run.status.padEnd(9)} ${run.event} ${run.ref} ${run.sha.slice(0, 10)}  ${c.gray(`${when} · ${took}`)}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
