import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Fail } from './report-error.js';

type RawNode = Record<string, unknown>;

/** One XML element: its attributes, child elements by name and text. */
export class XmlElement {
  constructor(
    readonly name: string,
    private readonly node: RawNode,
  ) {}

  attr(name: string): string | undefined {
    const value = this.node[`@_${name}`];
    return typeof value === 'string' ? value : undefined;
  }

  /** A numeric attribute; `fail` is called when it is present but not a number. */
  numberAttr(name: string, fail: Fail): number | undefined {
    const value = this.attr(name);
    if (value === undefined || value.trim() === '') return undefined;
    // Some JUnit writers (Surefire, older Ant) format seconds with thousands separators.
    const number = Number(value.replaceAll(',', ''));
    if (!Number.isFinite(number)) fail(`<${this.name} ${name}="${value}"> is not a number`);
    return number;
  }

  children(name: string): XmlElement[] {
    const list = this.node[name];
    if (!Array.isArray(list)) return [];
    return list.map((child) => new XmlElement(name, isNode(child) ? child : {}));
  }

  text(): string {
    const text = this.node['#text'];
    return typeof text === 'string' ? text : '';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // Every element is a list, so one child and many children read the same way.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Numeric references (`&#10;` in pytest's failure messages) are decoded only with this on.
  htmlEntities: true,
});

/** Parses a report's XML and returns its root element; malformed XML names line and column. */
export function parseXml(text: string, label: string, fail: Fail): XmlElement {
  const trimmed = text.trim();
  if (trimmed === '') fail('the file is empty');
  if (!trimmed.startsWith('<')) {
    const json = trimmed.startsWith('{') || trimmed.startsWith('[');
    fail(`not a ${label}: the file is not XML${json ? ' (it looks like JSON)' : ''}`);
  }
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) fail(describeXmlError(text, verdict.err));
  const document = parser.parse(text) as RawNode;
  const roots = Object.keys(document).filter((key) => !key.startsWith('#'));
  const root = roots[0];
  const node = root === undefined ? undefined : document[root];
  if (root === undefined || !Array.isArray(node) || !isNode(node[0])) {
    return fail(`not a ${label}: the XML has no root element`);
  }
  return new XmlElement(root, node[0]);
}

interface XmlProblem {
  code: string;
  msg: string;
  line: number;
  col: number;
}

function describeXmlError(text: string, err: XmlProblem): string {
  // The validator lists the elements still open at the end as "Invalid '[ "a", "b" ]' found."
  const open = /^Invalid '\[([\s\S]*)\]' found/.exec(err.msg)?.[1];
  const truncated =
    open !== undefined || /unclosed/i.test(err.msg) || !text.trimEnd().endsWith('>');
  const what =
    open === undefined
      ? err.msg.replace(/\.$/, '')
      : `elements left open: ${[...open.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`).join(', ')}`;
  const where = open === undefined ? ` at line ${err.line}, column ${err.col}` : '';
  return `invalid XML${where}: ${what}${truncated ? ' (the file looks truncated)' : ''}`;
}

function isNode(value: unknown): value is RawNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
