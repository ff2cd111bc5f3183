import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isMapping, isString, isLiteral } from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';

/** The value of `key` in a mapping token, if present. */
export function entry(mapping: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!mapping || !isMapping(mapping)) return undefined;
  return mapping.find(key);
}

/** The string value of a literal token (numbers and booleans as written), else undefined. */
export function literalString(token: TemplateToken | undefined): string | undefined {
  if (!token) return undefined;
  if (isString(token)) return token.value;
  if (isLiteral(token)) return String(token);
  return undefined;
}

/** Iterates a mapping's entries as [key, value] with string keys. */
export function* entries(mapping: TemplateToken | undefined): Generator<[string, TemplateToken]> {
  if (!mapping || !isMapping(mapping)) return;
  for (const pair of mapping as MappingToken) {
    yield [String(literalString(pair.key) ?? pair.key.toString()), pair.value];
  }
}
