import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { invalid } from './record.js';
import type { Ecosystem } from './types.js';
import { inflateEntry, readZipEntries, type ZipEntry } from './zip-archive.js';

/** The ecosystems read from an export layout (`<Ecosystem>/all.zip`), in this order. */
const exportEcosystems: readonly Ecosystem[] = ['npm', 'PyPI'];

/** Receives each record's text and where it came from (`file`, `all.zip:ENTRY.json`). */
export type RecordVisitor = (text: string, source: string) => void;

/**
 * Visits every OSV record text under `dbPath`, whichever layout it has: an `all.zip` export
 * (or a directory holding one); OSV's export layout, a directory of `<Ecosystem>/all.zip`
 * of which the npm and PyPI exports are read (each export holds every record that affects
 * its ecosystem); or a directory of OSV JSON files, searched recursively. Returns the files
 * and exports read, in order.
 */
export function visitRecords(dbPath: string, visit: RecordVisitor): string[] {
  let stat;
  try {
    stat = statSync(dbPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(
      dbPath,
      code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code})`,
    );
  }
  if (stat.isFile()) {
    if (dbPath.endsWith('.zip')) return [readExport(dbPath, visit)];
    if (dbPath.endsWith('.json')) return [readJson(dbPath, visit)];
    throw invalid(dbPath, 'is neither an OSV all.zip export nor an OSV JSON file');
  }
  if (existsSync(path.join(dbPath, 'all.zip')))
    return [readExport(path.join(dbPath, 'all.zip'), visit)];
  const exportDirs = readdirSync(dbPath, { withFileTypes: true })
    .filter((entry) => isDirectory(dbPath, entry))
    .filter((entry) => existsSync(path.join(dbPath, entry.name, 'all.zip')))
    .map((entry) => entry.name);
  if (exportDirs.length === 0) return jsonFiles(dbPath).map((file) => readJson(file, visit));
  const read = exportEcosystems
    .filter((ecosystem) => exportDirs.includes(ecosystem))
    .map((ecosystem) => readExport(path.join(dbPath, ecosystem, 'all.zip'), visit));
  if (read.length === 0)
    throw invalid(
      dbPath,
      `holds OSV exports for ${exportDirs.sort().join(', ')} but none for npm or PyPI`,
    );
  return read;
}

function readJson(file: string, visit: RecordVisitor): string {
  visit(readFileSync(file, 'utf8'), file);
  return file;
}

/** Every `*.json` entry of a zip export, in the archive's order. */
function readExport(file: string, visit: RecordVisitor): string {
  let entries: ZipEntry[];
  try {
    entries = readZipEntries(readFileSync(file)).filter((entry) => entry.name.endsWith('.json'));
  } catch (error) {
    throw invalid(file, `not a readable zip archive (${(error as Error).message})`, error);
  }
  for (const entry of entries) {
    const source = `${file}:${entry.name}`;
    let text: string;
    try {
      text = inflateEntry(entry).toString('utf8');
    } catch (error) {
      throw invalid(source, `cannot be unzipped (${(error as Error).message})`, error);
    }
    visit(text, source);
  }
  return file;
}

/** JSON files below `dir`, depth first in name order; hidden entries (`.git`) are skipped. */
function jsonFiles(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    compareStrings(a.name, b.name),
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (isDirectory(dir, entry)) files.push(...jsonFiles(full));
    else if (entry.name.endsWith('.json')) files.push(full);
  }
  return files;
}

function isDirectory(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(path.join(dir, entry.name)).isDirectory();
  } catch {
    return false; // a dangling link holds no records
  }
}

/** Code-unit order, the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
