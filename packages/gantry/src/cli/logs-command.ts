import path from 'node:path';
import { parseArgs } from 'node:util';
import { GantryError } from '../errors/index.js';
import { openStore } from '../store/index.js';
import { withUsageErrors } from './args.js';
import { repositoryRoot } from './repo.js';

const help = `Usage: gantry logs RUN [JOB] [-C DIR]

Prints the (masked) log of a recorded run; JOB is a job id, a matrix leg name or a job key.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, dir: { type: 'string', short: 'C' } },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const [runArg, job] = positionals;
  const runId = Number(runArg);
  if (!runArg || !Number.isInteger(runId))
    throw new GantryError('GANTRY_USAGE', 'gantry logs needs a run number', {
      hint: 'see `gantry runs`',
    });
  const root = await repositoryRoot(values.dir ?? process.cwd());
  const store = await openStore(path.join(root, '.gantry'));
  try {
    const logs = await store.getLog(runId, job);
    for (const log of logs) {
      if (logs.length > 1) process.stdout.write(`===== ${log.key} =====\n`);
      process.stdout.write(log.text);
    }
    return 0;
  } finally {
    await store.close();
  }
}
