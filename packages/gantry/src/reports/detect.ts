import { isRecord } from './json-input.js';

/**
 * Guesses a report's format from its content, and from its file name only when the content
 * cannot tell (a truncated `results.sarif` still reads as SARIF, so the user hears that it is
 * truncated rather than that its format is unknown). Returns a key of `reportParsers`.
 */
export function detectFormat(text: string, file: string): string | undefined {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  const byContent = body.startsWith('<')
    ? fromXml(body)
    : body.startsWith('{') || body.startsWith('[')
      ? fromJson(body, file)
      : fromText(body);
  return byContent ?? fromFileName(file);
}

/** ` (it looks like a SARIF log)` when the text is some other known format, else ''. */
export function lookalike(text: string, expected: string): string {
  const format = detectFormat(text, '');
  if (format === undefined || format === expected) return '';
  return ` (it looks like ${formatTitles[format] ?? format}: format "${format}")`;
}

const formatTitles: Record<string, string> = {
  junit: 'a JUnit XML report',
  cobertura: 'a Cobertura XML report',
  lcov: 'an LCOV tracefile',
  istanbul: 'an Istanbul coverage JSON report',
  coveragepy: 'a coverage.py JSON report',
  sarif: 'a SARIF log',
  bandit: 'a Bandit JSON report',
  trivy: 'a Trivy JSON report',
  gitleaks: 'a gitleaks JSON report',
  'npm-audit': 'an npm audit JSON report',
  'pip-audit': 'a pip-audit JSON report',
  latency: 'a load-test summary',
};

function fromXml(body: string): string | undefined {
  const head = body.slice(0, 65_536).replace(/<!--[\s\S]*?-->/g, '');
  const root = /<(?![?!])([A-Za-z_][\w.:-]*)([^>]*)>/.exec(head);
  if (root?.[1] === 'testsuites' || root?.[1] === 'testsuite') return 'junit';
  // Clover XML also has a <coverage> root; Cobertura's carries rates or <packages>/<sources>.
  if (root?.[1] === 'coverage' && !/clover=/.test(root[2] ?? '')) {
    return /line-rate=|<packages|<sources/.test(head) ? 'cobertura' : undefined;
  }
  return undefined;
}

function fromText(body: string): string | undefined {
  const head = body.slice(0, 65_536);
  return /^(TN|SF):/m.test(head) && /^end_of_record\s*$/m.test(body) ? 'lcov' : undefined;
}

function fromJson(body: string, file: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (isRecord(first) && 'RuleID' in first && ('Fingerprint' in first || 'Secret' in first)) {
      return 'gitleaks';
    }
    return value.length === 0 && /gitleaks/i.test(file) ? 'gitleaks' : undefined;
  }
  if (!isRecord(value)) return undefined;
  const o = value;
  if (Array.isArray(o['runs']) && (typeof o['version'] === 'string' || '$schema' in o)) {
    return 'sarif';
  }
  if ('SchemaVersion' in o && ('ArtifactName' in o || 'Results' in o)) return 'trivy';
  if ('auditReportVersion' in o || ('advisories' in o && 'metadata' in o)) return 'npm-audit';
  if (Array.isArray(o['dependencies']) && ('fixes' in o || o['dependencies'].length > 0)) {
    if (o['dependencies'].every((d) => isRecord(d) && 'name' in d)) return 'pip-audit';
  }
  if (Array.isArray(o['results']) && ('metrics' in o || 'generated_at' in o)) return 'bandit';
  if (isRecord(o['meta']) && isRecord(o['files']) && 'totals' in o) return 'coveragepy';
  if (isRecord(o['total']) && isRecord(o['total']['lines'])) return 'istanbul';
  const firstValue: unknown = Object.values(o)[0];
  if (isRecord(firstValue) && ('statementMap' in firstValue || 'data' in firstValue)) {
    return 'istanbul';
  }
  if (isRecord(o['latency']) && isRecord(o['requests'])) return 'latency';
  if (isRecord(o['metrics']) && ('root_group' in o || 'http_req_duration' in o['metrics'])) {
    return 'latency';
  }
  return undefined;
}

function fromFileName(file: string): string | undefined {
  const name = file.replaceAll('\\', '/').split('/').pop()?.toLowerCase() ?? '';
  if (name.endsWith('.sarif') || name.endsWith('.sarif.json')) return 'sarif';
  if (name === 'lcov.info' || name.endsWith('.lcov')) return 'lcov';
  if (name === 'coverage-summary.json' || name === 'coverage-final.json') return 'istanbul';
  if (/junit.*\.xml$/.test(name)) return 'junit';
  if (name === 'cobertura.xml' || name === 'coverage.xml') return 'cobertura';
  for (const tool of ['gitleaks', 'trivy', 'bandit', 'npm-audit', 'pip-audit']) {
    if (name.startsWith(tool) && name.endsWith('.json')) return tool;
  }
  return undefined;
}
