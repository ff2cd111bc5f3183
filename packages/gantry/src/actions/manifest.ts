import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NoOperationTraceWriter, isBasicExpression, isString } from '@actions/workflow-parser';
import { getActionSchema } from '@actions/workflow-parser/actions/action-schema';
import {
  TemplateContext,
  TemplateValidationErrors,
} from '@actions/workflow-parser/templates/template-context';
import { readTemplate } from '@actions/workflow-parser/templates/template-reader';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { YamlObjectReader } from '@actions/workflow-parser/workflows/yaml-object-reader';
import { ConfigError, GantryError, formatLocation } from '../errors/index.js';
import { problemsFromMessages } from '../workflow/problems.js';
import { entries, entry, literalString } from '../workflow/tokens.js';
import { isRuntime, runsProblem, type ActionRuntime } from './manifest-runs.js';

/** An action.yml as the runner needs it: how to run the action, its inputs and outputs. */
export interface ActionManifest {
  file: string;
  dir: string;
  name: string;
  using: ActionRuntime;
  main?: string;
  pre?: string;
  post?: string;
  preIf?: string;
  postIf?: string;
  inputs: Array<{
    id: string;
    required: boolean;
    /** Raw, may contain `${{ }}`. */ default?: string;
  }>;
  outputs: Array<{ id: string; /** Raw expression string (composite actions). */ value?: string }>;
  /** The raw `runs.steps` sequence of a composite action, for the runner's own step reader. */
  steps?: TemplateToken;
}

/** The action.yml (or action.yaml) of an action directory, if it has one. */
export function findManifestFile(dir: string): string | undefined {
  return ['action.yml', 'action.yaml']
    .map((name) => path.join(dir, name))
    .find((file) => existsSync(file));
}

/** Loads and validates the action.yml of an action directory. */
export function loadActionManifest(dir: string): ActionManifest {
  const file = findManifestFile(dir);
  if (!file) {
    throw new GantryError(
      'GANTRY_ACTION_NOT_FOUND',
      `Can't find 'action.yml' or 'action.yaml' under '${dir}'.`,
      {
        hint: 'An action directory needs an action.yml describing its inputs and how it runs.',
      },
    );
  }
  return parseActionManifest(file, readFileSync(file, 'utf8'));
}

/**
 * Parses an action.yml. It is read with the runner's lenient `action-root` schema rather than
 * the marketplace's strict one: GitHub runs actions without `description` or with extra keys,
 * so Gantry must too. Every problem is reported at once, with line and column.
 */
export function parseActionManifest(file: string, content: string): ActionManifest {
  const context = new TemplateContext(
    new TemplateValidationErrors(),
    getActionSchema(),
    new NoOperationTraceWriter(),
  );
  const fileId = context.getFileId(file);
  const reader = new YamlObjectReader(fileId, content);
  let root: TemplateToken | undefined;
  if (reader.errors.length > 0) {
    for (const error of reader.errors) context.error(fileId, error.message, error.range);
  } else {
    root = readTemplate(context, 'action-root', reader, fileId);
  }
  const messages = context.errors.getErrors().map((e) => e.message);
  if (messages.length > 0 || !root)
    throw new ConfigError(problemsFromMessages(messages, file, content));

  const runs = entry(root, 'runs');
  const usingToken = entry(runs, 'using');
  const using = literalString(usingToken)?.toLowerCase();
  if (using === 'docker') {
    throw new GantryError(
      'GANTRY_UNSUPPORTED',
      `${file}: Docker container actions need a container runtime, which Gantry does not use.`,
      {
        location: { file, ...at(usingToken) },
        hint: 'Use a JavaScript or composite version of this action, or run the tool directly in a `run:` step.',
      },
    );
  }

  const invalid = runsProblem(root, runs, usingToken, using);
  if (invalid || !isRuntime(using)) {
    const { token, message } = invalid ?? {
      token: usingToken,
      message: 'runs.using is not supported',
    };
    const location = { file, ...at(token) };
    throw new GantryError('GANTRY_ACTION_INVALID', `${formatLocation(location)}: ${message}`, {
      location,
    });
  }

  const manifest: ActionManifest = {
    file,
    dir: path.dirname(file),
    name: literalString(entry(root, 'name')) ?? '',
    using,
    inputs: [...entries(entry(root, 'inputs'))].map(([id, spec]) => {
      const fallback = entry(spec, 'default');
      const required = literalString(entry(spec, 'required')) === 'true';
      return fallback === undefined
        ? { id, required }
        : { id, required, default: rawText(fallback) };
    }),
    outputs: [...entries(entry(root, 'outputs'))].map(([id, spec]) => {
      const value = entry(spec, 'value');
      return value === undefined ? { id } : { id, value: rawText(value) };
    }),
  };
  for (const [key, field] of [
    ['main', 'main'],
    ['pre', 'pre'],
    ['post', 'post'],
    ['pre-if', 'preIf'],
    ['post-if', 'postIf'],
  ] as const) {
    const value = literalString(entry(runs, key));
    if (value) manifest[field] = value;
  }
  const steps = entry(runs, 'steps');
  if (using === 'composite' && steps) manifest.steps = steps;
  return manifest;
}

/** A scalar as written in the file: `${{ }}` kept (the runner evaluates it), null as ''. */
function rawText(token: TemplateToken): string {
  if (isBasicExpression(token)) return token.source ?? token.toString();
  if (isString(token)) return token.value;
  return literalString(token) ?? token.toString();
}

function at(token: TemplateToken | undefined): { line?: number; col?: number } {
  return token?.line === undefined ? {} : { line: token.line, col: token.col ?? 1 };
}
