import { parseArgs } from 'node:util';
import { GantryError, isGantryError } from '../errors/index.js';
import {
  formatSecretsTable,
  scanSecrets,
  writeSecretsJson,
  writeSecretsSarif,
} from '../scan/secrets/index.js';
import { folderArgument, withUsageErrors } from './args.js';
import { version } from './version.js';

const help = `Usage: gantry scan secrets [options] [DIR]

Finds secrets (cloud keys, tokens, private keys, passwords) in DIR (default: .).
Without --history it scans the working tree (files git does not ignore); with it, the
lines every commit of every ref added, including secrets removed since.

Options:
  --history       scan the git history instead of the working tree
  --since REF     with --history: only commits not reachable from REF
  --config FILE   gitleaks TOML config (default: DIR/.gitleaks.toml, else built-in rules)
  --json FILE     also write the findings as JSON
  --sarif FILE    also write the findings as SARIF 2.1.0
  -h, --help      show this help

Fingerprints listed in DIR/.gitleaksignore are skipped. Secrets are always redacted.
Exit status: 0 nothing found, 1 secrets found (or git failed), 2 usage or config error.
See docs/scan-secrets.md.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        history: { type: 'boolean', default: false },
        since: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'string' },
        sarif: { type: 'string' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  if (values.since !== undefined && !values.history)
    throw new GantryError('GANTRY_USAGE', '--since needs --history');
  const root = folderArgument(positionals, 'gantry scan secrets');
  let findings;
  try {
    findings = await scanSecrets({
      root,
      history: values.history,
      ...(values.since !== undefined ? { since: values.since } : {}),
      ...(values.config !== undefined ? { config: values.config } : {}),
    });
  } catch (error) {
    // A config that cannot be used is the caller's mistake, like a bad flag: exit 2.
    if (!isGantryError(error) || error.code !== 'GANTRY_SCAN_CONFIG_INVALID') throw error;
    const { printError } = await import('./print-error.js');
    printError(error);
    return 2;
  }
  if (values.json !== undefined) writeSecretsJson(values.json, findings);
  if (values.sarif !== undefined) writeSecretsSarif(values.sarif, findings, { version });
  process.stdout.write(formatSecretsTable(findings));
  if (findings.length === 0) return 0;
  process.stderr.write(
    `error ${findings.length} secret${findings.length === 1 ? '' : 's'} found [GANTRY_SECRETS_FOUND]\n`,
  );
  return 1;
}
