import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { GantryError } from '../errors/index.js';
import { readLockfiles, toCycloneDx, toSpdx } from '../scan/sbom/index.js';
import { folderArgument, withUsageErrors } from './args.js';
import { color } from './color.js';
import { version } from './version.js';

const help = `Usage: gantry sbom [options] [DIR]

Writes a software bill of materials of DIR (default: the current directory) from the
lockfiles in it and its subfolders (node_modules, .git, .gantry, .venv and dist skipped):
  package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock,
  requirements*.txt, poetry.lock, uv.lock, Pipfile.lock

Options:
  --format FORMAT   cyclonedx (CycloneDX 1.6 JSON, the default) or spdx (SPDX 2.3 JSON)
  --output FILE     write the SBOM to FILE instead of standard output
  -h, --help        show this help

SOURCE_DATE_EPOCH (seconds since 1970) sets the document's timestamp, for reproducible output.
Requirements not pinned with == are skipped and reported on standard error, never guessed.

See docs/sbom.md.`;

const formats = { cyclonedx: toCycloneDx, spdx: toSpdx } as const;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        format: { type: 'string', default: 'cyclonedx' },
        output: { type: 'string' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== 'cyclonedx' && format !== 'spdx')
    throw new GantryError('GANTRY_USAGE', `--format expects cyclonedx or spdx, got '${format}'`);
  const root = folderArgument(positionals, 'gantry sbom');
  if (!isDirectory(root)) throw new GantryError('GANTRY_USAGE', `${root} is not a folder`);

  const timestamp = timestampFrom(process.env['SOURCE_DATE_EPOCH']);
  const { components, warnings } = readLockfiles(root);
  const c = color(process.stderr);
  for (const w of warnings) {
    const where = w.line === undefined ? w.file : `${w.file}:${w.line}`;
    process.stderr.write(`${c.yellow('warning')} ${where}: ${w.message}\n`);
  }
  const sbom = formats[format](components, {
    ...project(root),
    timestamp,
    tool: 'gantry',
    toolVersion: version,
  });
  const text = `${JSON.stringify(sbom, null, 2)}\n`;
  if (values.output === undefined) {
    process.stdout.write(text);
  } else {
    try {
      writeFileSync(values.output, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new GantryError('GANTRY_USAGE', `cannot write --output ${values.output}: ${code}`);
    }
    process.stderr.write(
      `gantry sbom: ${components.length} components written to ${values.output} (${format})\n`,
    );
  }
  return 0;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** https://reproducible-builds.org/specs/source-date-epoch/: an integer, else an error. */
function timestampFrom(epoch: string | undefined): string {
  if (epoch === undefined || epoch === '') return new Date().toISOString();
  if (!/^\d+$/.test(epoch))
    throw new GantryError(
      'GANTRY_USAGE',
      `SOURCE_DATE_EPOCH must be whole seconds, got '${epoch}'`,
    );
  const date = new Date(Number(epoch) * 1000);
  if (Number.isNaN(date.getTime()))
    throw new GantryError('GANTRY_USAGE', `SOURCE_DATE_EPOCH ${epoch} is out of range`);
  return date.toISOString();
}

/** The project's name and version: package.json, else pyproject.toml, else the folder name. */
function project(root: string): { name: string; version?: string } {
  const named = (name: unknown, v: unknown) =>
    typeof name === 'string' && name !== ''
      ? { name, ...(typeof v === 'string' && v !== '' ? { version: v } : {}) }
      : undefined;
  const read = (file: string, parse: (text: string) => unknown): Record<string, unknown> => {
    try {
      const value = parse(readFileSync(path.join(root, file), 'utf8'));
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const pkg = read('package.json', JSON.parse);
  const pyproject = read('pyproject.toml', parseToml);
  const table = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const pep621 = table(pyproject['project']);
  const poetry = table(table(pyproject['tool'])['poetry']);
  return (
    named(pkg['name'], pkg['version']) ??
    named(pep621['name'], pep621['version']) ??
    named(poetry['name'], poetry['version']) ?? { name: path.basename(root) }
  );
}
