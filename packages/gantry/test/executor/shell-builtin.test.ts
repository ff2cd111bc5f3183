import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { environmentAltersBuiltins, plainBuiltin } from '../../src/executor/shell-builtin.js';

// Every script is also run by the real bash: where Gantry computes an outcome it must be
// bash's, byte for byte.
const computed = [
  ':',
  'true',
  'false',
  'true --help',
  ': anything at all',
  'echo',
  'echo hello',
  'echo   spaced    words  ',
  'echo "Building the frontend..."',
  "echo 'single $HOME `quoted`'",
  `echo "it's" 'say "hi"'`,
  'echo a"b"c\'d\'',
  "echo ''",
  'echo a=b key:value 1,2 50% ^x @y +z',
  "'echo' quoted name",
  '"true"',
];
const leftToBash = [
  '',
  'echo $HOME',
  'echo "$HOME"',
  'echo "a\\tb"',
  'echo `date`',
  'echo -n no newline',
  'echo -e "x"',
  'echo *',
  'echo ~',
  'echo {a,b}',
  'echo a; echo b',
  'echo a && echo b',
  'echo a > file',
  'echo a | cat',
  'echo "unterminated',
  'echo # comment',
  'echo "!x"',
  'printf hi',
  'exit 3',
  'FOO=1 echo x',
  'echo a\nb',
  'echo (x)',
];

function bash(script: string): { exitCode: number; stdout: string } {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return { exitCode: r.status ?? -1, stdout: r.stdout };
}

describe('plainBuiltin', () => {
  it.each(computed)('computes %j exactly as bash does', (script) => {
    const outcome = plainBuiltin(script);
    expect(outcome).toBeDefined();
    expect(outcome).toEqual(bash(script));
  });

  it.each(leftToBash)('leaves %j to bash', (script) => {
    expect(plainBuiltin(script)).toBeUndefined();
  });

  it('notices an environment that would change builtins in a fresh bash', () => {
    expect(environmentAltersBuiltins({ PATH: '/bin' })).toBe(false);
    expect(environmentAltersBuiltins({ BASH_ENV: '/etc/x' })).toBe(true);
    expect(environmentAltersBuiltins({ 'BASH_FUNC_echo%%': '() { :; }' })).toBe(true);
  });
});
