import { GantryError } from '../errors/index.js';

export interface ShellCommand {
  command: string;
  args: string[];
  /** Extension of the temporary script file, as GitHub's runner uses. */
  extension: string;
}

/**
 * GitHub's shells (docs: "jobs.<job_id>.steps[*].shell"). `bash` is
 * `bash --noprofile --norc -eo pipefail {0}`; an unspecified shell is `bash -e {0}`
 * (no pipefail) when bash exists, else `sh -e {0}`. A custom shell is a template with `{0}`.
 */
export function resolveShell(shell: string | undefined, hasBash: boolean): ShellCommand {
  switch (shell) {
    case undefined:
    case '':
      return hasBash
        ? { command: 'bash', args: ['-e', '{0}'], extension: '.sh' }
        : { command: 'sh', args: ['-e', '{0}'], extension: '.sh' };
    case 'bash':
      return {
        command: 'bash',
        args: ['--noprofile', '--norc', '-eo', 'pipefail', '{0}'],
        extension: '.sh',
      };
    case 'sh':
      return { command: 'sh', args: ['-e', '{0}'], extension: '.sh' };
    case 'python':
      return { command: 'python', args: ['{0}'], extension: '.py' };
    case 'node':
      return { command: 'node', args: ['{0}'], extension: '.js' };
    case 'pwsh':
      return { command: 'pwsh', args: ['-command', ". '{0}'"], extension: '.ps1' };
    case 'cmd':
    case 'powershell':
      throw new GantryError(
        'GANTRY_UNSUPPORTED',
        `shell '${shell}' only exists on Windows runners`,
        {
          hint: 'use bash, sh, pwsh, python, node or a custom shell such as `perl {0}`',
        },
      );
    default: {
      const parts = shell.trim().split(/\s+/);
      if (!shell.includes('{0}')) parts.push('{0}');
      const [command, ...args] = parts;
      return { command: command ?? shell, args, extension: '' };
    }
  }
}

/** Substitutes the script path for `{0}` in the shell arguments. */
export function shellArgs(shell: ShellCommand, scriptPath: string): string[] {
  return shell.args.map((a) => a.replaceAll('{0}', scriptPath));
}
