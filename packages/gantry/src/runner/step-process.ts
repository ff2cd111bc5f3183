import {
  isProcessGroupAlive,
  runProcess,
  type ProcessOptions,
  type ProcessResult,
} from '../executor/process.js';
import { StepHost, canRunInHost } from '../executor/step-host.js';
import { createFileCommands, readFileCommands, type FileCommandResults } from './file-commands.js';
import { handleCommand, type CommandEffects } from './command-handler.js';
import type { Leg } from './leg.js';
import { OutputPipe } from './output-pipe.js';
import { WorkflowCommandProcessor } from './workflow-commands.js';

export interface StepProcess {
  command: string;
  args: string[];
  cwd: string;
  /** The step's own env (already evaluated); merged over the leg's env. */
  env: Record<string, string>;
  timeoutMs: number | undefined;
}

export interface StepProcessResult {
  process: ProcessResult;
  files: FileCommandResults;
  /** What the step's workflow commands left behind (deprecated outputs, a refused command). */
  commands: CommandEffects;
}

/**
 * Runs one process for a step with GitHub's file and workflow commands: output is masked
 * line by line, commands are applied, and the files the step wrote are read afterwards.
 */
export async function runStepProcess(leg: Leg, step: StepProcess): Promise<StepProcessResult> {
  leg.fileCommands ??= createFileCommands(leg.filesDir);
  const files = leg.fileCommands;
  const env = leg.state.processEnv(
    { ...leg.run.hostEnv, ...leg.githubEnv() },
    { ...step.env, ...files },
  );
  const processor = new WorkflowCommandProcessor({
    allowUnsecureCommands: env['ACTIONS_ALLOW_UNSECURE_COMMANDS'] === 'true',
  });
  const commands: CommandEffects = { outputs: [], state: [], echo: false };
  const onLine = (line: string) => {
    const command = processor.processLine(line);
    if (!command) leg.log.line(line);
    else {
      if (commands.echo) leg.log.line(line);
      handleCommand(leg, command, commands);
    }
  };
  const stdout = new OutputPipe(leg.run.masker, onLine);
  const stderr = new OutputPipe(leg.run.masker, onLine);
  const run = (options: ProcessOptions) => {
    // Steps fork from the leg's small bash host when they can: far cheaper than from Node.
    if (!canRunInHost(options.env)) return runProcess(options);
    leg.stepHost ??= new StepHost(leg.temp, options.env);
    return leg.stepHost.run(options);
  };
  const result = await run({
    command: step.command,
    args: step.args,
    cwd: step.cwd,
    env,
    ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
    signal: leg.signal,
    ...(leg.run.killSequence ? { killSequence: leg.run.killSequence } : {}),
    onOutput: (chunk, stream) => (stream === 'stdout' ? stdout : stderr).write(chunk),
  });
  stdout.end();
  stderr.end();
  // A step may leave background processes (a server started with `&`); they are stopped at job end.
  if (result.pid !== undefined && isProcessGroupAlive(result.pid))
    leg.state.processGroups.add(result.pid);
  return { process: result, files: readFileCommands(files), commands };
}
