import type { CoverageSummary, FileCoverage, Ratio } from './model.js';

/** Adds ratios up; `undefined` when none of them is known. */
export function addRatios(ratios: readonly (Ratio | undefined)[]): Ratio | undefined {
  let found = false;
  let covered = 0;
  let total = 0;
  for (const ratio of ratios) {
    if (ratio === undefined) continue;
    found = true;
    covered += ratio.covered;
    total += ratio.total;
  }
  return found ? { covered, total } : undefined;
}

/** A summary whose totals are the sums over its files. */
export function summarizeFiles(files: readonly FileCoverage[]): CoverageSummary {
  const branches = addRatios(files.map((f) => f.branches));
  const functions = addRatios(files.map((f) => f.functions));
  return {
    lines: addRatios(files.map((f) => f.lines)) ?? { covered: 0, total: 0 },
    ...(branches === undefined ? {} : { branches }),
    ...(functions === undefined ? {} : { functions }),
    files,
  };
}

/** Builds one file's entry, leaving out the ratios the report does not have. */
export function fileCoverage(
  path: string,
  lines: Ratio,
  branches?: Ratio,
  functions?: Ratio,
): FileCoverage {
  return {
    path,
    lines,
    ...(branches === undefined ? {} : { branches }),
    ...(functions === undefined ? {} : { functions }),
  };
}
