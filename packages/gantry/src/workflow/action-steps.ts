import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { getActionSchema } from '@actions/workflow-parser/actions/action-schema';
import {
  TemplateContext,
  TemplateValidationErrors,
} from '@actions/workflow-parser/templates/template-context';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { ConfigError } from '../errors/index.js';
import type { StepDef } from './model.js';
import { problemsFromMessages } from './problems.js';
import { readSteps } from './steps.js';

/** Reads a composite action's `runs.steps` with the same step reader as workflows. */
export function readActionSteps(manifest: { file: string; steps?: TemplateToken }): StepDef[] {
  const context = new TemplateContext(
    new TemplateValidationErrors(),
    getActionSchema(),
    new NoOperationTraceWriter(),
  );
  const steps = readSteps(context, manifest.steps);
  const messages = context.errors.getErrors().map((e) => e.message);
  if (messages.length > 0) throw new ConfigError(problemsFromMessages(messages, manifest.file, ''));
  return steps;
}
