import type { Leg } from './leg.js';
import type { WorkflowCommand } from './workflow-commands.js';

/** What workflow commands of one step left behind, besides their effect on the leg. */
export interface CommandEffects {
  /** `::set-output` (deprecated) values. */
  outputs: Array<[string, string]>;
  /** `::save-state` (deprecated) values. */
  state: Array<[string, string]>;
  /** A refused command that fails the step, as GitHub's runner does. */
  failure?: string;
  /** `::echo::off` hides command lines, the default on GitHub. */
  echo: boolean;
}

/** Applies one workflow command a step printed (its line is never logged as-is). */
export function handleCommand(leg: Leg, command: WorkflowCommand, effects: CommandEffects): void {
  switch (command.kind) {
    case 'group':
      leg.log.line(command.title, 'start');
      break;
    case 'endgroup':
      leg.log.line('', 'end');
      break;
    case 'annotation': {
      const where = command.file
        ? ` ${command.file}${command.line ? `:${command.line}` : ''}${command.col ? `:${command.col}` : ''}`
        : '';
      leg.log.line(
        `##[${command.level}]${where ? `${where.trim()}: ` : ''}${command.title ? `${command.title}: ` : ''}${command.message}`,
      );
      const { kind: _kind, ...annotation } = command;
      leg.run.listener({
        type: 'annotation',
        job: leg.key,
        annotation: { ...annotation, message: leg.run.masker.mask(annotation.message) },
      });
      break;
    }
    case 'debug':
      if (
        leg.run.hostEnv['RUNNER_DEBUG'] === '1' ||
        leg.run.hostEnv['ACTIONS_STEP_DEBUG'] === 'true'
      )
        leg.log.line(`##[debug]${command.message}`);
      break;
    case 'add-mask':
      // The value itself is never echoed (GitHub's runner still echoes it: actions/runner#475).
      leg.run.masker.add(command.value);
      break;
    case 'set-output':
      effects.outputs.push([command.name, command.value]);
      break;
    case 'save-state':
      effects.state.push([command.name, command.value]);
      break;
    case 'add-path':
      leg.state.path.unshift(command.path);
      break;
    case 'set-env':
      leg.state.env[command.name] = command.value;
      break;
    case 'echo':
      effects.echo = command.enabled;
      break;
    case 'problem':
      leg.log.line(`##[${command.level}]${command.message}`);
      if (command.failsStep) effects.failure ??= command.message;
      break;
    case 'stop-commands':
    case 'resume-commands':
    case 'add-matcher':
    case 'remove-matcher':
      break;
  }
}
