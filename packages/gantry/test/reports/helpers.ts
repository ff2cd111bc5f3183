import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { isGantryError, type GantryError } from '../../src/errors/index.js';
import { readReport, type ReportPart } from '../../src/reports/index.js';

export const fixturesDir = path.join(import.meta.dirname, 'fixtures');

export function fixturePath(name: string): string {
  return path.join(fixturesDir, name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** Reads a committed fixture through the public entry point. */
export function readFixture(format: string, name: string): ReportPart {
  return readReport(format, fixturePath(name));
}

/** Writes `content` to a fresh temp dir under `name` and returns the file's path. */
export function tempFile(name: string, content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gantry-reports-')), name);
  writeFileSync(file, content);
  return file;
}

/** The GantryError `run` throws; fails the test when it throws nothing or something else. */
export function gantryErrorOf(run: () => unknown): GantryError {
  try {
    run();
  } catch (error) {
    if (isGantryError(error)) return error;
    throw error;
  }
  expect.fail('expected a GantryError, but nothing was thrown');
}
