import { readFileSync } from 'node:fs';
import { GantryError } from '../errors/index.js';
import { banditParser } from './formats/bandit.js';
import { coberturaParser } from './formats/cobertura.js';
import { coveragepyParser } from './formats/coveragepy.js';
import { gitleaksParser } from './formats/gitleaks.js';
import { istanbulParser } from './formats/istanbul.js';
import { junitParser } from './formats/junit.js';
import { latencyParser } from './formats/latency.js';
import { lcovParser } from './formats/lcov.js';
import { npmAuditParser } from './formats/npm-audit.js';
import { pipAuditParser } from './formats/pip-audit.js';
import { sarifParser } from './formats/sarif.js';
import { trivyParser } from './formats/trivy.js';
import type { ReportParser, ReportPart } from './model.js';
import { reportInvalid } from './report-error.js';

export { detectFormat } from './detect.js';
export { mergeModels } from './merge.js';
export * from './model.js';

const parsers: readonly ReportParser[] = [
  junitParser,
  coberturaParser,
  lcovParser,
  istanbulParser,
  coveragepyParser,
  sarifParser,
  banditParser,
  trivyParser,
  gitleaksParser,
  npmAuditParser,
  pipAuditParser,
  latencyParser,
];

/** Every report format Gantry reads, by the name used in `--report FORMAT:PATH`. */
export const reportParsers: Readonly<Record<string, ReportParser>> = Object.freeze(
  Object.fromEntries(parsers.map((parser) => [parser.format, parser])),
);

/**
 * Reads one report file in the named format. A file that does not exist is
 * `GANTRY_REPORT_MISSING` (a gate expecting it must fail, not pass on nothing); a format
 * Gantry does not know is `GANTRY_USAGE`; anything unreadable is `GANTRY_REPORT_INVALID`.
 */
export function readReport(format: string, file: string): ReportPart {
  const parser = Object.hasOwn(reportParsers, format) ? reportParsers[format] : undefined;
  if (parser === undefined) {
    throw new GantryError(
      'GANTRY_USAGE',
      `unknown report format "${format}"; known formats: ${Object.keys(reportParsers).join(', ')}`,
    );
  }
  return parser.parse(readText(file), file);
}

/** The file's text: UTF-8, or UTF-16 with a byte-order mark (PowerShell's `>` writes that). */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new GantryError('GANTRY_REPORT_MISSING', `${file}: the report does not exist`, {
        cause: error,
        location: { file },
      });
    }
    const reason = code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw reportInvalid(file, `cannot read the report: ${reason}`, error);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
