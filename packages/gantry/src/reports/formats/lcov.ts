import { fileCoverage, summarizeFiles } from '../coverage-totals.js';
import { lookalike } from '../detect.js';
import type { ReportParser, Ratio } from '../model.js';
import { toSlashes } from '../paths.js';
import { failFor, type Fail } from '../report-error.js';

/** One source file's record; a file listed twice (one record per test name) adds up. */
interface FileRecord {
  lines: Map<number, number>;
  functions: Map<string, number>;
  branches: Map<string, number>;
  /** LF/LH, FNF/FNH, BRF/BRH: used when the record has no per-line data. */
  declared: Map<string, number>;
}

/**
 * LCOV tracefiles (`lcov.info`): `SF:` starts a file's record, `end_of_record` closes it.
 * Counts come from the DA/FN/FNDA/BRDA lines, so a file repeated under several `TN:` test
 * names adds up; the LF/LH style totals stand in only when the detail lines are missing.
 */
export const lcovParser: ReportParser = {
  format: 'lcov',
  description: 'LCOV tracefile coverage (lcov.info from Vitest, Jest, c8, coverage.py, geninfo)',
  parse(text, file) {
    const fail: Fail = failFor(file);
    if (text.trim() === '') fail('the file is empty');
    const records = new Map<string, FileRecord>();
    let current: { path: string; record: FileRecord } | undefined;
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    // A file that stops mid-record is cut short; say so when its last line is the bad one.
    const last = lines.findLastIndex((line) => line.trim() !== '');
    const cut = lines[last]?.trim() !== 'end_of_record' ? ' (the file looks truncated)' : '';
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim();
      const at = `line ${index + 1}`;
      const note = index === last ? cut : '';
      if (line === '') continue;
      if (line === 'end_of_record') {
        if (current === undefined) fail(`${at}: end_of_record without an SF: line before it`);
        current = undefined;
        continue;
      }
      const match = /^([A-Z]+):(.*)$/.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) {
        // Before the first record, a line that is no record means this is no tracefile at all.
        const what = records.size === 0 ? 'not an LCOV tracefile: ' : '';
        fail(
          `${what}${at} is not an LCOV record: "${clip(line)}"${note || lookalike(text, 'lcov')}`,
        );
      }
      const [key, value] = [match[1], match[2]];
      if (key === 'TN' || key === 'VER') continue;
      if (key === 'SF') {
        if (current !== undefined) fail(`${at}: SF: before the end_of_record of ${current.path}`);
        const path = toSlashes(value.trim());
        const record = records.get(path) ?? emptyRecord();
        records.set(path, record);
        current = { path, record };
        continue;
      }
      if (current === undefined) fail(`${at}: ${key}: outside a record (no SF: line before it)`);
      readLine(key, value, current.record, (problem) => fail(`${at}: ${problem}${note}`));
    }
    if (current !== undefined) {
      fail(`the record for ${current.path} has no end_of_record (the file looks truncated)`);
    }
    if (records.size === 0) {
      fail(`not an LCOV tracefile: it has no SF: record${lookalike(text, 'lcov')}`);
    }
    const files = [...records].map(([path, record]) =>
      fileCoverage(
        path,
        ratio(record.lines, record.declared, 'LH', 'LF') ?? { covered: 0, total: 0 },
        ratio(record.branches, record.declared, 'BRH', 'BRF'),
        ratio(record.functions, record.declared, 'FNH', 'FNF'),
      ),
    );
    return { coverage: summarizeFiles(files) };
  },
};

function readLine(key: string, value: string, record: FileRecord, fail: Fail): void {
  const count = (text: string | undefined): number => {
    // BRDA writes `-` for a branch whose block never ran.
    const n = text === '-' ? 0 : Number(text);
    if (text === undefined || text === '' || !Number.isFinite(n))
      fail(`${key}:${value} has a bad count`);
    return n;
  };
  switch (key) {
    case 'DA': {
      const [line, hits] = value.split(',');
      const n = count(line);
      record.lines.set(n, Math.max(record.lines.get(n) ?? 0, count(hits)));
      return;
    }
    case 'FN': {
      // FN:<start>[,<end>],<name>; the name itself may hold commas (C++ signatures).
      const name = value.replace(/^\d+,(\d+,)?/, '');
      record.functions.set(name, record.functions.get(name) ?? 0);
      return;
    }
    case 'FNDA':
    case 'FNA': {
      // FNDA:<hits>,<name>; lcov 2.2's FNA:<index>,<hits>,<name>.
      const parts = key === 'FNA' ? value.replace(/^\d+,/, '') : value;
      const comma = parts.indexOf(',');
      const name = parts.slice(comma + 1);
      const hits = count(parts.slice(0, comma === -1 ? undefined : comma));
      record.functions.set(name, Math.max(record.functions.get(name) ?? 0, hits));
      return;
    }
    case 'BRDA': {
      // BRDA:<line>,<block>,<branch>,<taken>; coverage.py's branch ids contain spaces.
      const last = value.lastIndexOf(',');
      const id = value.slice(0, last);
      record.branches.set(id, Math.max(record.branches.get(id) ?? 0, count(value.slice(last + 1))));
      return;
    }
    case 'LF':
    case 'LH':
    case 'FNF':
    case 'FNH':
    case 'BRF':
    case 'BRH':
      record.declared.set(key, count(value));
      return;
    default:
      // FNL, MCDC and future additions carry nothing Gantry reports.
      return;
  }
}

function ratio(
  counts: Map<unknown, number>,
  declared: Map<string, number>,
  hitKey: string,
  foundKey: string,
): Ratio | undefined {
  if (counts.size > 0) {
    const values = [...counts.values()];
    return { covered: values.filter((v) => v > 0).length, total: values.length };
  }
  const total = declared.get(foundKey);
  return total === undefined ? undefined : { covered: declared.get(hitKey) ?? 0, total };
}

function emptyRecord(): FileRecord {
  return { lines: new Map(), functions: new Map(), branches: new Map(), declared: new Map() };
}

function clip(line: string): string {
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
