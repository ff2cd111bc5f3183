import { promises as fs } from 'node:fs';
import { parse } from 'dotenv';
import { GantryError } from '../errors/index.js';

export interface SecretSources {
  /** `--secret NAME=VALUE` or `--secret NAME` (value taken from the environment). */
  readonly args: readonly string[];
  /** `--secrets-file F` in dotenv format. */
  readonly file?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Collects the `secrets` context. Later sources win: file, then `--secret`. A `--secret NAME`
 * whose variable is unset is an error rather than an empty secret that silently masks nothing.
 */
export async function collectSecrets(sources: SecretSources): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  if (sources.file) {
    const text = await fs.readFile(sources.file, 'utf8').catch((cause: unknown) => {
      throw new GantryError(
        'GANTRY_SECRETS_FILE_INVALID',
        `cannot read secrets file ${sources.file}: ${(cause as Error).message}`,
        { cause },
      );
    });
    Object.assign(secrets, parse(text));
  }
  for (const arg of sources.args) {
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new GantryError('GANTRY_USAGE', `--secret '${name}' is not a valid secret name`, {
        hint: 'names use letters, digits and underscores, and do not start with a digit',
      });
    }
    const value = eq === -1 ? sources.env[name] : arg.slice(eq + 1);
    if (value === undefined) {
      throw new GantryError(
        'GANTRY_USAGE',
        `--secret ${name}: the environment variable ${name} is not set`,
        {
          hint: `export ${name}=... first, or pass --secret ${name}=VALUE`,
        },
      );
    }
    secrets[name] = value;
  }
  secrets['GITHUB_TOKEN'] ??= '';
  return secrets;
}
