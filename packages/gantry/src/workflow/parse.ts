import {
  convertWorkflowTemplate,
  isMapping,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { ErrorPolicy } from '@actions/workflow-parser/model/convert';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Problem } from '../errors/index.js';
import type { JobDef, WorkflowDef } from './model.js';
import { problemsFromMessages } from './problems.js';
import { readSteps } from './steps.js';
import { entry, literalString } from './tokens.js';

export type ParseResult = { ok: true; workflow: WorkflowDef } | { ok: false; problems: Problem[] };

/**
 * Parses and validates one workflow with GitHub's own parser and schema. All problems are
 * returned at once (schema errors, unknown needs, cycles, bad expressions), never only the first.
 */
export async function parseWorkflowSource(file: string, source: string): Promise<ParseResult> {
  const parsed = parseWorkflow({ name: file, content: source }, new NoOperationTraceWriter());
  const root = parsed.value;
  if (!root) {
    return { ok: false, problems: problemsFromMessages(messagesOf(parsed.context), file, source) };
  }
  const template = await convertWorkflowTemplate(parsed.context, root, undefined, {
    errorPolicy: ErrorPolicy.TryConversion,
  });
  const jobsToken = entry(root, 'jobs');
  const jobs: JobDef[] = (template.jobs ?? []).map((job) => {
    const raw = entry(jobsToken, job.id.value);
    const base = {
      id: job.id.value,
      name: entry(raw, 'name'),
      needs: (job.needs ?? []).map((n) => n.value),
      if: job.if?.expression ?? 'success()',
      outputs: entry(raw, 'outputs'),
      strategy: entry(raw, 'strategy'),
      timeoutMinutes: entry(raw, 'timeout-minutes'),
      continueOnError: entry(raw, 'continue-on-error'),
      concurrency: entry(raw, 'concurrency'),
      position: { line: raw?.line, col: raw?.col },
    };
    if (job.type === 'reusableWorkflowJob') {
      return { ...base, uses: job.ref.value, steps: [] };
    }
    return {
      ...base,
      runsOn: entry(raw, 'runs-on'),
      env: entry(raw, 'env'),
      defaults: entry(raw, 'defaults'),
      environment: entry(raw, 'environment'),
      container: entry(raw, 'container'),
      services: entry(raw, 'services'),
      steps: readSteps(parsed.context, entry(raw, 'steps')),
    };
  });
  const messages = messagesOf(parsed.context);
  if (messages.length > 0) {
    return { ok: false, problems: problemsFromMessages(messages, file, source) };
  }
  return {
    ok: true,
    workflow: {
      file,
      name: literalString(entry(root, 'name')) ?? file,
      source,
      events: template.events ?? {},
      env: optional(entry(root, 'env')),
      defaults: optional(entry(root, 'defaults')),
      concurrency: optional(entry(root, 'concurrency')),
      runName: optional(entry(root, 'run-name')),
      jobs,
    },
  };
}

function optional(token: TemplateToken | undefined): TemplateToken | undefined {
  return token && (isMapping(token) ? token.count > 0 : true) ? token : undefined;
}

function messagesOf(context: { errors: { getErrors(): Array<{ message: string }> } }): string[] {
  return context.errors.getErrors().map((e) => e.message);
}
