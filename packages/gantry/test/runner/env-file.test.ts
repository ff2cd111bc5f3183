import { describe, expect, it } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { parseEnvFile } from '../../src/runner/env-file.js';

function errorOf(content: string): GantryError {
  try {
    parseEnvFile(content, 'GITHUB_OUTPUT');
  } catch (error) {
    if (error instanceof GantryError) return error;
    throw error;
  }
  throw new Error('expected parseEnvFile to throw');
}

describe('parseEnvFile', () => {
  it('reads NAME=value lines in order, keeping duplicates, `=` in values and empty values', () => {
    expect(parseEnvFile('A=1\nB=x=y\nEMPTY=\nA=2\n', 'GITHUB_ENV')).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['EMPTY', ''],
      ['A', '2'],
    ]);
  });

  it('reads heredocs: lines joined with \\n, no trailing newline, empty lines inside kept', () => {
    const content = 'JSON<<EOF\n{\n  "a": 1\n\n}\nEOF\nNEXT=after\nNONE<<END\nEND\n';
    expect(parseEnvFile(content, 'GITHUB_OUTPUT')).toEqual([
      ['JSON', '{\n  "a": 1\n\n}'],
      ['NEXT', 'after'],
      ['NONE', ''],
    ]);
  });

  it('lets the first of `=` and `<<` decide the form', () => {
    expect(parseEnvFile('A=x<<y\n', 'GITHUB_ENV')).toEqual([['A', 'x<<y']]);
    expect(parseEnvFile('B<<X=Y\nv\nX=Y\n', 'GITHUB_ENV')).toEqual([['B', 'v']]);
  });

  it('skips empty lines and tolerates CRLF, also on the delimiter line', () => {
    expect(parseEnvFile('\r\nA=1\r\n\r\nM<<EOF\r\nl1\r\nl2\r\nEOF\r\n', 'GITHUB_ENV')).toEqual([
      ['A', '1'],
      ['M', 'l1\nl2'],
    ]);
  });

  it('reads a last line without a newline and an empty file', () => {
    expect(parseEnvFile('A=1\nB=2', 'GITHUB_STATE')).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(parseEnvFile('', 'GITHUB_STATE')).toEqual([]);
  });

  it('rejects a line that is neither form, like GitHub', () => {
    const error = errorOf('A=1\njust text\n');
    expect(error.code).toBe('GANTRY_CONFIG_INVALID');
    expect(error.message).toBe(
      "Unable to process file command 'GITHUB_OUTPUT' successfully: Invalid format 'just text'",
    );
    expect(error.location).toEqual({ file: 'GITHUB_OUTPUT', line: 2 });
    expect(error.hint).toContain('NAME=value');
  });

  it('rejects a heredoc whose delimiter never stands alone on a line', () => {
    // The classic mistake: the value lacks a final newline, so the delimiter is glued to it.
    const error = errorOf('BODY<<EOF\nline one\nlast lineEOF\n');
    expect(error.code).toBe('GANTRY_CONFIG_INVALID');
    expect(error.message).toContain("Invalid value. Matching delimiter not found 'EOF'");
    expect(error.location).toEqual({ file: 'GITHUB_OUTPUT', line: 1 });
  });

  it('rejects empty names and empty delimiters', () => {
    expect(errorOf('=value\n').message).toContain(
      "Invalid format '=value'. Name must not be empty",
    );
    expect(errorOf('<<EOF\nx\nEOF\n').message).toContain(
      'Name must not be empty and delimiter must not be empty',
    );
    expect(errorOf('NAME<<\nx\n').message).toContain("Invalid format 'NAME<<'");
  });

  it('rejects whitespace-only lines, which are not empty', () => {
    expect(errorOf('A=1\n   \n').message).toContain("Invalid format '   '");
  });
});
