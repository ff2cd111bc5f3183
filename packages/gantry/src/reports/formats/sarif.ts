import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { Finding, ReportParser, Severity } from '../model.js';
import { uriToPath } from '../paths.js';
import { redactIn } from '../redact.js';
import { failFor, type Fail } from '../report-error.js';
import { banditSeverity, severityFromLevel, severityFromScore } from '../severity.js';

/** Drivers whose results are leaked secrets rather than code findings. */
const secretScanners = new Set([
  'gantry-secrets',
  'gitleaks',
  'trufflehog',
  'detect-secrets',
  'ggshield',
  'noseyparker',
]);

/**
 * SARIF 2.1.0 from any analyzer (ruff, ESLint, Semgrep, Bandit, CodeQL, gitleaks, ...). Each
 * result becomes a finding of kind `code`, or a secret when the run's driver is a secret
 * scanner. Suppressed results (`# nosec`, `eslint-disable`) and passing ones are left out.
 */
export const sarifParser: ReportParser = {
  format: 'sarif',
  description: 'SARIF 2.1.0 from analyzers and scanners (ruff, ESLint, Semgrep, Bandit, gitleaks)',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'SARIF log', fail), '', fail);
    if (!root.has('runs')) fail(`not a SARIF log: it has no "runs"${lookalike(text, 'sarif')}`);
    const version = root.optString('version');
    if (version !== undefined && version !== '2.1.0') {
      fail(`SARIF version ${version} is not supported (Gantry reads SARIF 2.1.0)`);
    }
    const findings: Finding[] = [];
    const secrets: Finding[] = [];
    for (const run of root.objects('runs')) {
      const tool = run.object('tool');
      const driver = tool.object('driver');
      const name = toolName(driver.string('name'));
      const rules = new Rules(driver.objects('rules'), tool.objects('extensions'));
      const artifacts = run.objects('artifacts');
      const secret = secretScanners.has(name);
      for (const result of run.objects('results')) {
        if (isSuppressed(result)) continue;
        const finding = toFinding(result, rules, artifacts, name, secret);
        (secret ? secrets : findings).push(finding);
      }
    }
    return { findings, secrets };
  },
};

function toFinding(
  result: JsonObject,
  rules: Rules,
  artifacts: JsonObject[],
  tool: string,
  secret: boolean,
): Finding {
  const rule = rules.of(result);
  const ruleId =
    result.optString('ruleId') ??
    result.optObject('rule')?.optString('id') ??
    rule?.optString('id') ??
    '';
  const physical = result.objects('locations')[0]?.optObject('physicalLocation');
  const artifact = physical?.optObject('artifactLocation');
  const index = artifact?.optNumber('index');
  const uri =
    artifact?.optString('uri') ??
    (index === undefined ? undefined : artifacts[index]?.optObject('location')?.optString('uri'));
  const file = uri === undefined ? undefined : uriToPath(uri);
  const region = physical?.optObject('region');
  const line = region?.optNumber('startLine');
  const column = region?.optNumber('startColumn');
  const commit = secret
    ? result.optObject('partialFingerprints')?.optString('commitSha')
    : undefined;
  // A secret scanner's snippet is the secret itself; keep it out of the message.
  const snippet = secret ? region?.optObject('snippet')?.optString('text') : undefined;
  return {
    kind: secret ? 'secret' : 'code',
    tool,
    rule: ruleId,
    severity: severityOf(result, rule, tool, secret),
    message: redactIn(messageOf(result, rule, ruleId), snippet),
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    ...(commit ? { commit } : {}),
    // The same identity gitleaks gives its own findings: [commit:]file:rule:line.
    ...(secret ? { fingerprint: [commit, file, ruleId, line].filter(Boolean).join(':') } : {}),
  };
}

/**
 * `security-severity` (a CVSS-like score GitHub reads from result or rule properties) wins;
 * then Bandit's own severity and confidence; then the SARIF level, whose default is `warning`
 * (except for secret scanners, which give none: `unknown`, as in their JSON reports).
 */
function severityOf(
  result: JsonObject,
  rule: JsonObject | undefined,
  tool: string,
  secret: boolean,
): Severity {
  const score = securityScore(result) ?? (rule === undefined ? undefined : securityScore(rule));
  if (score !== undefined) return severityFromScore(score);
  const properties = result.optObject('properties');
  if (tool === 'bandit' && properties?.has('issue_severity')) {
    return banditSeverity(
      properties.optString('issue_severity'),
      properties.optString('issue_confidence'),
    );
  }
  const level =
    result.optString('level') ?? rule?.optObject('defaultConfiguration')?.optString('level');
  // gitleaks rates nothing; its SARIF should read as its JSON does, not as SARIF's default.
  if (level === undefined && secret) return 'unknown';
  return severityFromLevel(level ?? 'warning') ?? 'unknown';
}

function securityScore(holder: JsonObject): number | undefined {
  const raw = holder.optObject('properties')?.raw('security-severity');
  const score = typeof raw === 'string' ? Number.parseFloat(raw) : raw;
  return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
}

function messageOf(result: JsonObject, rule: JsonObject | undefined, ruleId: string): string {
  const message = result.optObject('message');
  const text =
    message?.optString('text') ??
    message?.optString('markdown') ??
    rule?.optObject('shortDescription')?.optString('text') ??
    ruleId;
  // SARIF messages may hold {0}, {1} placeholders filled from message.arguments.
  const args = message?.strings('arguments') ?? [];
  return text.replace(/\{(\d+)\}/g, (whole, n: string) => args[Number(n)] ?? whole).trim();
}

/** A result counts unless a suppression applies (status absent or `accepted`) or it passed. */
function isSuppressed(result: JsonObject): boolean {
  const kind = result.optString('kind');
  if (kind === 'pass' || kind === 'notApplicable') return true;
  if (result.optString('baselineState') === 'absent') return true;
  return result
    .objects('suppressions')
    .some((s) => s.optString('status') === undefined || s.optString('status') === 'accepted');
}

/** "Semgrep OSS" → `semgrep`, "ESLint" → `eslint`: the tool's name as users type it. */
function toolName(driver: string): string {
  return (driver.trim().split(/\s+/)[0] ?? driver).toLowerCase();
}

/** The rule a result refers to: by index into the driver's rules, else by id anywhere. */
class Rules {
  private readonly byId = new Map<string, JsonObject>();

  constructor(
    private readonly driverRules: JsonObject[],
    extensions: JsonObject[],
  ) {
    for (const rule of [...extensions.flatMap((e) => e.objects('rules')), ...driverRules]) {
      const id = rule.optString('id');
      if (id !== undefined) this.byId.set(id, rule);
    }
  }

  of(result: JsonObject): JsonObject | undefined {
    const reference = result.optObject('rule');
    const index = result.optNumber('ruleIndex') ?? reference?.optNumber('index');
    // An index with a toolComponent points into an extension's rules; look those up by id.
    const fromExtension = reference?.optObject('toolComponent') !== undefined;
    const indexed = index === undefined || fromExtension ? undefined : this.driverRules[index];
    if (indexed !== undefined) return indexed;
    const id = result.optString('ruleId') ?? reference?.optString('id');
    return id === undefined ? undefined : this.byId.get(id);
  }
}
