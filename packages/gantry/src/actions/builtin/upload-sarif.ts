import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { readReport } from '../../reports/index.js';
import { getInput } from '../support/inputs.js';
import type { BuiltinAction } from '../types.js';

/**
 * github/codeql-action/upload-sarif (v3): the SARIF file (or every `.sarif` file of a
 * directory) is checked and stored with the run under `reports/sarif/`, where `gantry gate`
 * and the run's record read it, instead of being uploaded to code scanning.
 */
export const uploadSarif: BuiltinAction = {
  name: 'github/codeql-action/upload-sarif',
  defaults: { sarif_file: '../results', category: '', wait_for_processing: 'true' },
  run(ctx) {
    const given = path.resolve(ctx.workspace, getInput(ctx, 'sarif_file') || '../results');
    if (!existsSync(given))
      throw new GantryError('GANTRY_REPORT_MISSING', `Path does not exist: ${given}`, {
        hint: 'the step that writes the SARIF file must run before this one',
      });
    const files = statSync(given).isDirectory()
      ? readdirSync(given, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.sarif'))
          .map((f) => path.join(given, f))
      : [given];
    if (files.length === 0)
      throw new GantryError(
        'GANTRY_REPORT_MISSING',
        `No SARIF files found to upload in "${given}".`,
      );
    const category = (getInput(ctx, 'category') || 'default').replace(/[^A-Za-z0-9_.-]+/g, '-');
    const dir = path.join(ctx.reportsDir, 'sarif');
    mkdirSync(dir, { recursive: true });
    files.forEach((file, index) => {
      // Invalid SARIF fails here, as code scanning would reject it.
      const part = readReport('sarif', file);
      const findings = (part.findings?.length ?? 0) + (part.secrets?.length ?? 0);
      copyFileSync(
        file,
        path.join(dir, `${category}${files.length > 1 ? `-${index + 1}` : ''}.sarif`),
      );
      ctx.log(
        `Recorded ${path.relative(ctx.workspace, file)} (${findings} result${findings === 1 ? '' : 's'}) with the run`,
      );
    });
    ctx.setOutput('sarif-id', `${category}`);
    return Promise.resolve();
  },
};
