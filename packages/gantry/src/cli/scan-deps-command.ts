import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GantryError } from '../errors/index.js';
import {
  loadOsvDatabase,
  matchVulnerabilities,
  type Severity,
  type Vulnerability,
} from '../scan/osv/index.js';
import { readComponents } from '../scan/sbom/index.js';
import { folderArgument, withUsageErrors } from './args.js';
import { color } from './color.js';

const levels: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

const help = `Usage: gantry scan deps [options] [DIR]

Matches the packages locked in DIR (default: the current directory) against an OSV
vulnerability database, offline. Reads package-lock.json, npm-shrinkwrap.json,
pnpm-lock.yaml, yarn.lock, requirements*.txt, poetry.lock, uv.lock and Pipfile.lock.

Options:
  --db PATH          the OSV database (default: $GANTRY_OSV_DB): a directory of OSV JSON
                     files, an ecosystem's all.zip export, or a directory of
                     <Ecosystem>/all.zip exports (npm and PyPI are read)
  --json FILE|-      also write { "vulnerabilities": [...] } as JSON (- for stdout)
  --severity LEVELS  report only these, comma-separated: ${levels.join(',')}
                     (default: all)
  -h, --help         show this help

Exit codes: 0 no known vulnerability, 1 vulnerabilities found (or the scan failed), 2 usage.
Download the database: see docs/scan-deps.md.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        db: { type: 'string' },
        json: { type: 'string' },
        severity: { type: 'string' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const dbPath = values.db ?? process.env['GANTRY_OSV_DB'];
  if (dbPath === undefined || dbPath === '')
    throw new GantryError('GANTRY_USAGE', 'gantry scan deps needs an OSV database', {
      hint: 'pass --db PATH or set GANTRY_OSV_DB; docs/scan-deps.md shows how to download one',
    });
  const wanted = parseLevels(values.severity);
  const root = folderArgument(positionals, 'gantry scan deps');

  const components = readComponents(root);
  const db = loadOsvDatabase(path.resolve(dbPath), { packages: components });
  const all = matchVulnerabilities(db, components);
  const vulnerabilities = all.filter((v) => wanted.has(v.severity));

  const human = values.json === '-' ? process.stderr : process.stdout;
  if (values.json !== undefined) writeJson(values.json, vulnerabilities);
  printTable(human, vulnerabilities);
  const hidden = all.length - vulnerabilities.length;
  const packages = `${components.length} package${components.length === 1 ? '' : 's'}`;
  const below = hidden > 0 ? `; ${hidden} more not in --severity ${values.severity}` : '';
  if (vulnerabilities.length === 0) {
    human.write(`No known vulnerabilities in ${packages} (${db.size} OSV records)${below}.\n`);
    return 0;
  }
  const affected = new Set(vulnerabilities.map((v) => `${v.ecosystem} ${v.package} ${v.version}`));
  human.write(
    `\n${vulnerabilities.length} known vulnerabilit${vulnerabilities.length === 1 ? 'y' : 'ies'} in ${affected.size} of ${packages}: ${countBySeverity(vulnerabilities)}${below}.\n`,
  );
  return 1;
}

/** `--severity critical,high` → the set of severities to report; all when absent. */
function parseLevels(value: string | undefined): Set<Severity> {
  if (value === undefined) return new Set(levels);
  const chosen = value.split(',').map((level) => level.trim().toLowerCase());
  const unknown = chosen.filter((level) => !levels.includes(level as Severity));
  if (unknown.length > 0 || chosen.every((level) => level === ''))
    throw new GantryError('GANTRY_USAGE', `--severity expects levels, got '${value}'`, {
      hint: `comma-separated, from: ${levels.join(', ')}`,
    });
  return new Set(chosen as Severity[]);
}

function writeJson(target: string, vulnerabilities: readonly Vulnerability[]): void {
  const text = `${JSON.stringify({ vulnerabilities }, null, 2)}\n`;
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(target, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new GantryError('GANTRY_USAGE', `cannot write --json ${target} (${code})`);
  }
}

/** One row per package version and advisory, the most severe first. */
function printTable(stream: NodeJS.WritableStream, vulnerabilities: readonly Vulnerability[]) {
  if (vulnerabilities.length === 0) return;
  const c = color(stream);
  const paint: Record<Severity, (text: string) => string> = {
    critical: (text) => c.bold(c.red(text)),
    high: c.red,
    medium: c.yellow,
    low: (text) => text,
    info: c.dim,
    unknown: (text) => text,
  };
  const seen = new Set<string>();
  const rows: { cells: string[]; severity: Severity }[] = [];
  const mostSevereFirst = [...vulnerabilities].sort(
    (a, b) => levels.indexOf(a.severity) - levels.indexOf(b.severity),
  );
  for (const v of mostSevereFirst) {
    const key = `${v.ecosystem} ${v.package} ${v.version} ${v.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cells = [v.package, v.version, v.id, v.severity, v.fixedVersions[0] ?? '-'];
    rows.push({ cells, severity: v.severity });
  }
  const header = ['PACKAGE', 'VERSION', 'ADVISORY', 'SEVERITY', 'FIXED IN'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map(({ cells }) => (cells[i] ?? '').length)),
  );
  const pad = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0));
  stream.write(`${c.bold(pad(header).join('  ').trimEnd())}\n`);
  for (const { cells, severity } of rows) {
    const padded = pad(cells);
    padded[3] = paint[severity](padded[3] ?? '');
    stream.write(`${padded.join('  ').trimEnd()}\n`);
  }
}

function countBySeverity(vulnerabilities: readonly Vulnerability[]): string {
  return levels
    .map((level) => [level, vulnerabilities.filter((v) => v.severity === level).length] as const)
    .filter(([, count]) => count > 0)
    .map(([level, count]) => `${count} ${level}`)
    .join(', ');
}
