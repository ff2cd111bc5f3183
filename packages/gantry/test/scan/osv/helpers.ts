import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll } from 'vitest';
import { GantryError } from '../../../src/errors/index.js';
import {
  loadOsvDatabase,
  matchVulnerabilities,
  type PackageRef,
  type Vulnerability,
} from '../../../src/scan/osv/index.js';

export const fixtures = path.join(import.meta.dirname, 'fixtures');

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-osv-'));
  made.push(dir);
  return dir;
}

/** Writes `files` (relative path → JSON value, or raw text / bytes) under `dir`. */
export function writeTree(dir: string, files: Record<string, unknown>): string {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(
      full,
      typeof content === 'string' || content instanceof Uint8Array
        ? content
        : JSON.stringify(content),
    );
  }
  return dir;
}

/** An OSV `all.zip` export: one `<name>` entry per record, built with fflate like OSV's. */
export function zipOf(entries: Record<string, unknown>): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(entries).map(([name, value]) => [
        name,
        strToU8(typeof value === 'string' ? value : JSON.stringify(value)),
      ]),
    ),
  );
}

/** Every OSV record of the fixture database, by id. */
export function fixtureRecords(): Map<
  string,
  { id: string; affected?: { package?: { ecosystem: string } }[] }
> {
  const records = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const record = JSON.parse(readFileSync(full, 'utf8'));
        records.set(record.id, record);
      }
    }
  };
  walk(path.join(fixtures, 'db'));
  return records;
}

/** Builds a database of `records` (one JSON file each) and matches `packages` against it. */
export function scan(records: readonly object[], packages: readonly PackageRef[]): Vulnerability[] {
  const dir = tempDir();
  writeTree(
    dir,
    Object.fromEntries(records.map((record, i) => [`r${String(i).padStart(4, '0')}.json`, record])),
  );
  return matchVulnerabilities(loadOsvDatabase(dir), packages);
}

/** A minimal valid OSV record affecting one package. */
export function record(
  id: string,
  ecosystem: string,
  name: string,
  affected: { ranges?: object[]; versions?: string[]; severity?: object[] },
  extra: object = {},
): object {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    ...extra,
    affected: [{ package: { ecosystem, name }, ...affected }],
  };
}

export const range = (type: string, ...events: Record<string, string>[]) => ({ type, events });

/** The GantryError `run` throws; fails the test when it throws nothing or something else. */
export function gantryError(run: () => unknown): GantryError {
  try {
    run();
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected a GantryError, nothing was thrown');
}
