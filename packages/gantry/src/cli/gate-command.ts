import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GantryError, isGantryError } from '../errors/index.js';
import {
  parseReportSpec,
  readGateConfig,
  type GateConfig,
  type ReportSpec,
} from '../gate/config.js';
import { evaluateGate, type GateOutcome } from '../gate/evaluate.js';
import {
  parseGantryIgnore,
  parseGitleaksIgnore,
  parseTrivyIgnore,
  type IgnoreEntry,
} from '../gate/ignores.js';
import { gateJson, gateMarkdown, gateSarif, gateTable } from '../gate/output.js';
import { parseRule } from '../gate/rule.js';
import { detectFormat, readReport } from '../reports/index.js';
import type { ReportPart } from '../reports/model.js';
import { openStore } from '../store/index.js';
import { commitOf, currentBranch, defaultBranch } from '../workflow/git.js';
import { keyValues, withUsageErrors } from './args.js';
import { measureSize } from './measure-size.js';
import { loadProjectConfig } from './project-config.js';
import { readYamlFile } from './yaml-file.js';
import { version } from './version.js';

const help = `Usage: gantry gate [options]

Decides quality gates over the reports your tools wrote, with one policy: the \`gates:\`
section of gantry.yml plus the rules given here. Exit 0 passed, 1 failed, 2 usage.

Options:
  --report FORMAT:PATH   a report to read (repeatable); FORMAT is junit, cobertura, lcov,
                         istanbul, coveragepy, sarif, bandit, trivy, gitleaks, npm-audit,
                         pip-audit or latency; PATH alone detects the format
  --require RULE         a rule that must hold (repeatable), e.g. 'coverage.lines >= 80'
  --warn RULE            a rule that only warns (repeatable)
  --component NAME=GLOB  scope rules to paths: 'backend.coverage.lines >= 80' (repeatable)
  --size PATH            measure a file or directory for size['PATH'] rules (repeatable)
  --baseline BRANCH      compare deltas with the last passing gate on BRANCH
                         (default: gates.baseline, else the default branch)
  --json FILE            write the result as JSON
  --markdown FILE        write the result as Markdown (also appended to GITHUB_STEP_SUMMARY)
  --sarif FILE           write findings, secrets and vulnerabilities as one SARIF log
  --config FILE          the project config (default: gantry.yml in the repository root)
  --dir DIR              the repository root (default: the current directory)
  --no-record            do not record this result for later baselines

Rules compare one metric with a number: tests.failed == 0, coverage.lines >= 80,
coverage.lines.delta >= -1, findings.medium_plus == 0, vulns.fixable.critical == 0,
secrets == 0, latency.p95_ms < 100, size['frontend/dist'].delta_pct < 5. See docs/gate.md.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        report: { type: 'string', multiple: true },
        require: { type: 'string', multiple: true },
        warn: { type: 'string', multiple: true },
        component: { type: 'string', multiple: true },
        size: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        sarif: { type: 'string' },
        config: { type: 'string' },
        dir: { type: 'string' },
        'no-record': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const root = path.resolve(values.dir ?? '.');
  // Rules on the command line are checked before anything is read.
  for (const rule of [...(values.require ?? []), ...(values.warn ?? [])]) parseRule(rule);
  const project = loadProjectConfig(root, values.config);
  const config: GateConfig = readGateConfig(
    project?.data['gates'],
    project?.file ?? 'gantry.yml',
    project ? (keyPath) => project.locate(keyPath) : undefined,
  );
  const components: Record<string, readonly string[]> = { ...config.components };
  for (const [name, glob] of Object.entries(keyValues(values.component, '--component')))
    components[name] = [...(components[name] ?? []), glob];

  const specs = [...config.reports, ...(values.report ?? []).map(parseReportSpec)];
  const reports: { file: string; part: ReportPart }[] = [];
  const missing: string[] = [];
  for (const spec of specs) {
    const file = path.resolve(root, spec.path);
    try {
      reports.push({ file: relative(root, file), part: readReport(formatOf(spec, file), file) });
    } catch (error) {
      if (isGantryError(error) && error.code === 'GANTRY_REPORT_MISSING') missing.push(spec.path);
      else throw error;
    }
  }

  const require = [...config.require, ...(values.require ?? [])];
  const warn = [...config.warn, ...(values.warn ?? [])];
  const sizePaths = new Set([...config.sizes, ...(values.size ?? [])]);
  for (const rule of [...require, ...warn]) {
    const { path: metric } = parseRule(rule);
    const at = metric.indexOf('size');
    const target = at === -1 ? undefined : metric[at + 1];
    if (target !== undefined) sizePaths.add(target);
  }
  const sizes = [...sizePaths].flatMap((p) => {
    const bytes = measureSize(path.resolve(root, p));
    return bytes === undefined ? [] : [{ path: p, bytes }];
  });

  const ignores = readIgnores(root, config.ignoreFile);
  const branch = values.baseline ?? config.baseline ?? (await defaultBranch(root)) ?? 'main';
  const store = await openStore(path.join(root, '.gantry'));
  try {
    const baseline = await store.lastPassingGateResult(branch);
    const evaluated = evaluateGate({
      policy: { require, warn, components },
      reports,
      sizes,
      ignores,
      ...(baseline ? { baseline } : {}),
      today: new Date().toISOString().slice(0, 10),
    });
    const outcome = withMissingReports(evaluated, missing);
    process.stdout.write(gateTable(outcome));
    if (values.json) writeFileSync(values.json, gateJson(outcome));
    if (values.sarif)
      writeFileSync(
        values.sarif,
        `${JSON.stringify(gateSarif(outcome.model, version), null, 2)}\n`,
      );
    const markdown = gateMarkdown(outcome);
    if (values.markdown) writeFileSync(values.markdown, markdown);
    const summary = process.env['GITHUB_STEP_SUMMARY'];
    if (summary) appendFileSync(summary, `${markdown}\n`);
    if (!values['no-record']) {
      await store.recordGateResult({
        branch: (await currentBranch(root)) ?? '',
        sha: (await commitOf(root, 'HEAD')) ?? '',
        passed: outcome.passed,
        metrics: outcome.metrics,
      });
    }
    return outcome.passed ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** The format given, else the one the content shows; an unknown content is an error. */
function formatOf(spec: ReportSpec, file: string): string {
  if (spec.format !== undefined) return spec.format;
  if (!existsSync(file))
    throw new GantryError('GANTRY_REPORT_MISSING', `${spec.path} does not exist`);
  const format = detectFormat(readFileSync(file, 'utf8'), spec.path);
  if (format === undefined)
    throw new GantryError(
      'GANTRY_REPORT_INVALID',
      `${spec.path}: Gantry cannot tell which kind of report this is`,
      { hint: 'name the format: --report junit:PATH (see gantry gate --help)' },
    );
  return format;
}

/** A report the policy names but nobody wrote fails the gate; it never passes silently. */
function withMissingReports(outcome: GateOutcome, missing: readonly string[]): GateOutcome {
  if (missing.length === 0) return outcome;
  return {
    ...outcome,
    passed: false,
    rows: [
      ...missing.map((file) => ({
        level: 'required' as const,
        rule: `report ${file}`,
        status: 'fail' as const,
        threshold: 'exists',
        why: `${file} does not exist: did the step that writes it run before the gate? [GANTRY_REPORT_MISSING]`,
      })),
      ...outcome.rows,
    ],
  };
}

/** `.trivyignore`, `.gitleaksignore` and Gantry's own ignore file, when present. */
function readIgnores(root: string, gantryIgnore: string): IgnoreEntry[] {
  const read = (file: string) => {
    const full = path.join(root, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
  const entries: IgnoreEntry[] = [];
  const trivy = read('.trivyignore');
  if (trivy !== undefined) entries.push(...parseTrivyIgnore(trivy, '.trivyignore'));
  const gitleaks = read('.gitleaksignore');
  if (gitleaks !== undefined) entries.push(...parseGitleaksIgnore(gitleaks, '.gitleaksignore'));
  const own = readYamlFile(path.join(root, gantryIgnore), gantryIgnore, true);
  if (own) entries.push(...parseGantryIgnore(own.value, gantryIgnore));
  return entries;
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
