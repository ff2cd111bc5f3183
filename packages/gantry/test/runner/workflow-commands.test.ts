import { describe, expect, it } from 'vitest';
import { parseCommandLine, WorkflowCommandProcessor } from '../../src/runner/workflow-commands.js';

const commandOf = (line: string, options = {}) =>
  new WorkflowCommandProcessor(options).processLine(line);

describe('parseCommandLine', () => {
  it('splits name, properties and data; names and keys are case-insensitive', () => {
    const parsed = parseCommandLine('  ::Set-Output Name=out,Other=a=b::value::with::colons');
    expect(parsed?.name).toBe('set-output');
    expect([...(parsed?.properties ?? [])]).toEqual([
      ['name', 'out'],
      ['other', 'a=b'],
    ]);
    expect(parsed?.data).toBe('value::with::colons');
  });

  it('is not a command without the leading :: or the second ::', () => {
    expect(parseCommandLine('echo ::error::x')).toBeUndefined();
    expect(parseCommandLine('::error only one')).toBeUndefined();
  });

  it('unescapes data (%25 %0D %0A) and properties (also %3A %2C) in one pass', () => {
    const parsed = parseCommandLine('::error title=a%3Ab%2Cc%0Ad%25::x%0Ay%0Dz%25%250A%3A%0a');
    expect(parsed?.properties.get('title')).toBe('a:b,c\nd%');
    // `%250A` is a literal `%0A`; `%3A` is not escaped in data; lowercase escapes are not decoded.
    expect(parsed?.data).toBe('x\ny\rz%%0A%3A%0a');
  });

  it('drops properties without a key or a value, and the last duplicate wins', () => {
    const parsed = parseCommandLine('::warning =x,file=,line=1,,LINE=2::m');
    expect([...(parsed?.properties ?? [])]).toEqual([['line', '2']]);
  });
});

describe('WorkflowCommandProcessor', () => {
  it('returns undefined for plain output and unknown commands', () => {
    expect(commandOf('hello world')).toBeUndefined();
    expect(commandOf('::not-a-command::x')).toBeUndefined();
  });

  it('parses groups, debug, masks, outputs and state', () => {
    expect(commandOf('::group::Build step')).toEqual({ kind: 'group', title: 'Build step' });
    expect(commandOf('::endgroup::')).toEqual({ kind: 'endgroup' });
    expect(commandOf('::DEBUG::details%0Amore')).toEqual({
      kind: 'debug',
      message: 'details\nmore',
    });
    expect(commandOf('::add-mask::line1%0Aline2')).toEqual({
      kind: 'add-mask',
      value: 'line1\nline2',
    });
    expect(commandOf('::set-output name=result::42')).toEqual({
      kind: 'set-output',
      name: 'result',
      value: '42',
    });
    expect(commandOf('::save-state name=pid::123')).toEqual({
      kind: 'save-state',
      name: 'pid',
      value: '123',
    });
  });

  it('parses annotations with every position property', () => {
    expect(
      commandOf(
        '::error file=src/a.ts,line=3,endLine=3,col=5,endColumn=9,title=Bad%2C very bad::Oops',
      ),
    ).toEqual({
      kind: 'annotation',
      level: 'error',
      message: 'Oops',
      file: 'src/a.ts',
      line: 3,
      endLine: 3,
      col: 5,
      endColumn: 9,
      title: 'Bad, very bad',
    });
    expect(commandOf('::notice::Just so you know')).toEqual({
      kind: 'annotation',
      level: 'notice',
      message: 'Just so you know',
    });
  });

  it("applies the runner's line and column rules", () => {
    // A lone end stands in for the missing start.
    expect(commandOf('::warning endLine=4,endColumn=2::m')).toMatchObject({
      line: 4,
      endLine: 4,
      col: 2,
      endColumn: 2,
    });
    // Columns need a line, and a single-line range.
    expect(commandOf('::warning col=2::m')).not.toHaveProperty('col');
    expect(commandOf('::warning line=1,endLine=5,col=2,endColumn=3::m')).toEqual({
      kind: 'annotation',
      level: 'warning',
      message: 'm',
      line: 1,
      endLine: 5,
    });
    // Ranges that end before they start are dropped; non-numbers are ignored.
    expect(commandOf('::error line=5,endLine=2::m')).toEqual({
      kind: 'annotation',
      level: 'error',
      message: 'm',
    });
    expect(commandOf('::error line=3,col=9,endColumn=4::m')).toEqual({
      kind: 'annotation',
      level: 'error',
      message: 'm',
      line: 3,
    });
    expect(commandOf('::error line=abc::m')).toEqual({
      kind: 'annotation',
      level: 'error',
      message: 'm',
    });
  });

  it('reports problems the way the runner does', () => {
    expect(commandOf('::set-output::no name')).toMatchObject({
      kind: 'problem',
      command: 'set-output',
      failsStep: true,
    });
    expect(commandOf('::add-mask::   ')).toMatchObject({
      kind: 'problem',
      level: 'warning',
      failsStep: false,
    });
    expect(commandOf('::echo::maybe')).toMatchObject({
      kind: 'problem',
      command: 'echo',
      failsStep: true,
    });
    expect(commandOf('::echo:: ON ')).toEqual({ kind: 'echo', enabled: true });
    expect(commandOf('::echo::off')).toEqual({ kind: 'echo', enabled: false });
  });

  it('honours set-env and add-path only with ACTIONS_ALLOW_UNSECURE_COMMANDS', () => {
    const refused = commandOf('::set-env name=FOO::bar');
    expect(refused).toMatchObject({ kind: 'problem', command: 'set-env', failsStep: true });
    expect(refused?.kind === 'problem' && refused.message).toContain(
      'ACTIONS_ALLOW_UNSECURE_COMMANDS',
    );
    expect(commandOf('::add-path::/opt/bin')).toMatchObject({
      kind: 'problem',
      command: 'add-path',
      failsStep: true,
    });
    const allowed = { allowUnsecureCommands: true };
    expect(commandOf('::set-env name=FOO::bar', allowed)).toEqual({
      kind: 'set-env',
      name: 'FOO',
      value: 'bar',
    });
    expect(commandOf('::add-path::/opt/bin', allowed)).toEqual({
      kind: 'add-path',
      path: '/opt/bin',
    });
    expect(commandOf('::set-env name=node_options::--x', allowed)).toMatchObject({
      kind: 'problem',
      failsStep: false,
    });
  });

  it('parses problem matcher commands so they are not printed as output', () => {
    expect(commandOf('::add-matcher::/tmp/eslint.json')).toEqual({
      kind: 'add-matcher',
      file: '/tmp/eslint.json',
    });
    expect(commandOf('::remove-matcher owner=eslint::')).toEqual({
      kind: 'remove-matcher',
      owner: 'eslint',
    });
    expect(commandOf('::remove-matcher::')).toMatchObject({ kind: 'problem', failsStep: false });
  });

  it('ignores commands between stop-commands and the resume token', () => {
    const processor = new WorkflowCommandProcessor();
    expect(processor.processLine('::stop-commands::pause-1234')).toEqual({
      kind: 'stop-commands',
      token: 'pause-1234',
    });
    expect(processor.processLine('::error::not an annotation')).toBeUndefined();
    expect(processor.processLine('::stop-commands::other')).toBeUndefined();
    expect(processor.processLine('::PAUSE-1234::')).toEqual({
      kind: 'resume-commands',
      token: 'pause-1234',
    });
    expect(processor.processLine('::error::now it is')).toMatchObject({
      kind: 'annotation',
      message: 'now it is',
    });
    expect(processor.processLine('::pause-1234::')).toBeUndefined();
  });

  it('refuses stop tokens that ordinary output could resume with', () => {
    for (const token of ['', 'pause-logging', 'error', 'Set-Output']) {
      const processor = new WorkflowCommandProcessor();
      expect(processor.processLine(`::stop-commands::${token}`), token).toMatchObject({
        kind: 'problem',
        failsStep: true,
      });
      expect(processor.processLine('::debug::still processed'), token).toEqual({
        kind: 'debug',
        message: 'still processed',
      });
    }
    const lenient = new WorkflowCommandProcessor({ allowUnsecureStopCommands: true });
    expect(lenient.processLine('::stop-commands::error')).toEqual({
      kind: 'stop-commands',
      token: 'error',
    });
    expect(lenient.processLine('::debug::ignored')).toBeUndefined();
  });
});
