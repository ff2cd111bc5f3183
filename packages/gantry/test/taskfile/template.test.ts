import { describe, expect, it } from 'vitest';
import { GantryError } from '../../src/errors/index.js';
import { renderTemplate } from '../../src/taskfile/template/evaluate.js';

const data = {
  NAME: 'gantry',
  EMPTY: '',
  LIST: ['a', 'b', 'c'],
  NUM: 3,
  MAP: { k: 'v', n: { deep: 'yes' } },
  CLI_ARGS: '--verbose -x',
};
const r = (source: string, extra: Record<string, unknown> = {}) =>
  renderTemplate(source, { ...data, ...extra });

describe('Taskfile templates (Go text/template subset)', () => {
  it.each([
    ['plain text', 'no actions', 'no actions'],
    ['a variable', 'hi {{.NAME}}', 'hi gantry'],
    ['a missing variable renders empty (go-task drops <no value>)', '[{{.MISSING}}]', '[]'],
    ['nested fields', '{{.MAP.n.deep}}', 'yes'],
    ['default on empty', '{{.EMPTY | default "fallback"}}', 'fallback'],
    ['default on missing', '{{default "x" .NOPE}}', 'x'],
    ['default keeps a value', '{{.NAME | default "x"}}', 'gantry'],
    ['printf', '{{printf "%s-%03d-%v" .NAME 7 .NUM}}', 'gantry-007-3'],
    ['join of a list', '{{join "," .LIST}}', 'a,b,c'],
    ['splitList then join', '{{"x:y:z" | splitList ":" | join "/"}}', 'x/y/z'],
    ['sprig split returns a map', '{{(split "." "a.b")._1}}', 'b'],
    [
      'trim family',
      '{{trim "  x "}}|{{trimPrefix "v" "v1.2"}}|{{trimSuffix ".go" "main.go"}}',
      'x|1.2|main',
    ],
    ['upper/lower', '{{upper .NAME}} {{lower "ABC"}}', 'GANTRY abc'],
    ['if/else', '{{if eq .NAME "gantry"}}yes{{else}}no{{end}}', 'yes'],
    ['else if', '{{if eq .NUM 1}}one{{else if eq .NUM 3}}three{{else}}other{{end}}', 'three'],
    ['range over a list', '{{range .LIST}}<{{.}}>{{end}}', '<a><b><c>'],
    ['range else', '{{range .NOPE}}x{{else}}empty{{end}}', 'empty'],
    ['with rebinds dot', '{{with .MAP.n}}{{.deep}}{{end}}', 'yes'],
    ['root variable inside range', '{{range .LIST}}{{$.NAME}}{{end}}', 'gantrygantrygantry'],
    ['trim markers', 'a  {{- .NAME -}}  b', 'agantryb'],
    ['comments', 'a{{/* ignored */}}b', 'ab'],
    ['toJson / fromJson', '{{toJson .LIST}} {{(fromJson "{\\"a\\":1}").a}}', '["a","b","c"] 1'],
    ['catLines', '{{catLines "a\\nb"}}', 'a b'],
    ['joinPath', '{{joinPath "a" "b" "c.txt"}}', 'a/b/c.txt'],
    ['relPath', '{{relPath "/repo" "/repo/backend/app"}}', 'backend/app'],
    ['exeExt on Linux', '[{{exeExt}}]', '[]'],
    ['OS and ARCH use Go names', '{{OS}}', 'linux'],
    ['and/or/not', '{{and .NAME .EMPTY}}|{{or .EMPTY "b"}}|{{not .EMPTY}}', '|b|true'],
    ['printing a list like Go', '{{.LIST}}', '[a b c]'],
    ['parenthesised pipelines', '{{printf "%s!" (upper .NAME)}}', 'GANTRY!'],
    ['a string with braces', '{{"}}" | printf "%s"}}', '}}'],
    ['shell quoting', '{{q "it s"}} {{q "plain"}}', "'it s' plain"],
    [
      'shell quoting like mvdan.cc/sh',
      `{{q "it's"}} {{q ""}} {{q "a=b"}} {{q "if"}}`,
      `"it's" '' 'a=b' 'if'`,
    ],
    ['variables', '{{$x := .NAME}}{{$x = upper $x}}{{$x}}', 'GANTRY'],
    ['range with index and value', '{{range $i, $v := .LIST}}{{$i}}{{$v}} {{end}}', '0a 1b 2c '],
    ['range over a map in key order', '{{range $k, $v := .MAP}}{{$k}} {{end}}', 'k n '],
    [
      'break and continue',
      '{{range .LIST}}{{if eq . "b"}}{{continue}}{{end}}{{if eq . "c"}}{{break}}{{end}}{{.}}{{end}}',
      'a',
    ],
    [
      'variables are scoped to their block',
      '{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}',
      '21',
    ],
    [
      'sprig paths',
      '{{base "a/b.tar.gz"}} {{dir "a/b/c"}} {{ext "x.tgz"}} {{clean "a//b/../c"}}',
      'b.tar.gz a/b .tgz a/c',
    ],
    [
      'sprig lists and dicts',
      '{{list 1 2 | last}} {{dict "k" "v" | keys}} {{has 2 (list 1 2)}}',
      '2 [k] true',
    ],
    ['toJson sorts keys like Go', '{{toJson .MAP}}', '{"k":"v","n":{"deep":"yes"}}'],
    ['seq and until', '{{seq 3}}|{{until 2}}', '1 2 3|[0 1]'],
    ['print adds spaces between non-strings only', '{{print "a" 1 2 "b"}}', 'a1 2b'],
  ])('%s', (_name, source, expected) => {
    expect(r(source)).toBe(expected);
  });

  it('reports unknown functions and malformed actions as config errors', () => {
    expect(() => r('{{nope .NAME}}')).toThrow(GantryError);
    expect(() => r('{{if .NAME}}unterminated')).toThrow(/missing \{\{end\}\}/);
    expect(() => r('{{ .NAME ')).toThrow(/unclosed action/);
  });
});
