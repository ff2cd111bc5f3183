import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { percent } from '../../gate/metrics.js';
import { detectFormat, mergeModels, readReport } from '../../reports/index.js';
import { globPaths } from '../support/glob-search.js';
import { getBooleanInput, getInput, homeDir } from '../support/inputs.js';
import type { BuiltinAction } from '../types.js';

/** Coverage reports codecov's uploader finds when `files:` is not given (its search names). */
const searched = [
  '**/coverage.xml',
  '**/cobertura*.xml',
  '**/lcov.info',
  '**/*.lcov',
  '**/coverage-summary.json',
  '**/coverage.json',
  '**/jacoco*.xml',
];

/**
 * codecov/codecov-action (v4/v5): instead of uploading, the coverage reports are read into
 * Gantry's model and recorded with the run (`reports/coverage-<flag>.json`), where the gate
 * and the run's record find them. `fail_ci_if_error` fails the step when no report is found
 * or one cannot be read, as it fails on an upload error.
 */
export const codecov: BuiltinAction = {
  name: 'codecov/codecov-action',
  defaults: { fail_ci_if_error: 'false', directory: '', files: '', file: '', flags: '' },
  async run(ctx) {
    const failHard = getBooleanInput(ctx, 'fail_ci_if_error');
    const listed = [getInput(ctx, 'files'), getInput(ctx, 'file')]
      .flatMap((value) => value.split(/[,\n]/))
      .map((f) => f.trim())
      .filter(Boolean);
    const base = path.resolve(ctx.workspace, getInput(ctx, 'directory') || '.');
    const candidates =
      listed.length > 0
        ? listed.map((f) => path.resolve(ctx.workspace, f))
        : (
            await globPaths(
              searched.map((g) => path.join(base, g)),
              {
                cwd: ctx.workspace,
                home: homeDir(ctx),
                implicitDescendants: false,
                matchDirectories: false,
              },
            )
          ).matches.filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
    const problem = (message: string) => {
      if (failHard) throw new GantryError('GANTRY_REPORT_MISSING', message);
      ctx.log(`##[warning]${message}`);
    };
    const parts = [];
    for (const file of candidates) {
      if (!existsSync(file)) {
        problem(`coverage report ${path.relative(ctx.workspace, file)} does not exist`);
        continue;
      }
      try {
        const format = detectFormat(readFileSync(file, 'utf8'), file);
        if (format === undefined)
          throw new GantryError(
            'GANTRY_REPORT_INVALID',
            `${file}: not a coverage report Gantry reads`,
          );
        const part = readReport(format, file);
        if (!part.coverage) continue;
        parts.push(part);
        const name = path.relative(ctx.workspace, file);
        const lines = part.coverage.lines;
        ctx.log(
          `coverage: ${name} (${format}): ${percent(lines.covered, lines.total)}% of ${lines.total} lines`,
        );
        mkdirSync(path.join(ctx.reportsDir, 'coverage-files'), { recursive: true });
        copyFileSync(
          file,
          path.join(ctx.reportsDir, 'coverage-files', name.replace(/[\\/]/g, '__')),
        );
      } catch (error) {
        if (failHard || !(error instanceof GantryError)) throw error;
        ctx.log(`##[warning]${error.message}`);
      }
    }
    if (parts.length === 0) {
      problem(
        'no coverage report found (looked for coverage.xml, lcov.info, coverage-summary.json, ...)',
      );
      return;
    }
    const model = mergeModels(parts);
    const flag = getInput(ctx, 'flags').replace(/[^A-Za-z0-9_.-]+/g, '-') || 'default';
    mkdirSync(ctx.reportsDir, { recursive: true });
    writeFileSync(
      path.join(ctx.reportsDir, `coverage-${flag}.json`),
      `${JSON.stringify({ flag, coverage: model.coverage }, null, 2)}\n`,
    );
  },
};
