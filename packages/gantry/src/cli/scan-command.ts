import { GantryError } from '../errors/index.js';

const help = `Usage: gantry scan <subcommand> [options]

Subcommands:
  secrets  Find secrets in the working tree, or in the whole git history (--history)
  deps     Match the locked dependencies against an OSV vulnerability database

See gantry scan <subcommand> --help, docs/scan.md.`;

/** Each subcommand lives in its own module, loaded only when used. */
const subcommands: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  secrets: () => import('./scan-secrets-command.js'),
  deps: () => import('./scan-deps-command.js'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${help}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = subcommands[name];
  if (!load)
    throw new GantryError('GANTRY_USAGE', `unknown scan subcommand '${name}'`, {
      hint: 'use gantry scan secrets or gantry scan deps',
    });
  return (await load()).main(rest);
}
