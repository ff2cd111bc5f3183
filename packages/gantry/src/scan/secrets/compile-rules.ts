import { compileGoRegex, translateGoRegex } from './go-regex.js';
import type { Allowlist, AllowlistSpec, RuleSpec, SecretConfig, SecretRule } from './types.js';

/** One thing wrong in a configuration; `rule` names the rule it belongs to. */
export interface RuleProblem {
  readonly rule?: string;
  readonly message: string;
}

/**
 * Compiles rule specs (Go RE2 regexes) into rules, collecting every problem rather than
 * stopping at the first, with gitleaks' checks: an id, a regex or a path, a secretGroup the
 * regex has, allowlists with at least one check, known conditions and regex targets.
 */
export function compileRules(
  specs: readonly RuleSpec[],
  globalSpecs: readonly AllowlistSpec[],
): { config: SecretConfig; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const rules: SecretRule[] = [];
  const ids = new Set(specs.map((s) => s.id));
  const targeted = new Map<string, Allowlist[]>();
  const allowlists: Allowlist[] = [];
  for (const [index, spec] of globalSpecs.entries()) {
    const where = `global allowlist ${index + 1}`;
    const list = compileAllowlist(spec, (message) =>
      problems.push({ message: `${where}: ${message}` }),
    );
    if (!list) continue;
    if (spec.targetRules && spec.targetRules.length > 0) {
      for (const id of spec.targetRules) {
        if (!ids.has(id))
          problems.push({ message: `${where}: target rule '${id}' does not exist` });
        targeted.set(id, [...(targeted.get(id) ?? []), list]);
      }
    } else allowlists.push(list);
  }
  for (const spec of specs) {
    const rule = compileRule(spec, targeted.get(spec.id) ?? [], (message) =>
      problems.push({ rule: spec.id, message }),
    );
    if (!rule) continue;
    for (const required of rule.required) {
      if (!ids.has(required.id))
        problems.push({ rule: rule.id, message: `required rule '${required.id}' does not exist` });
    }
    rules.push(rule);
  }
  return { config: { rules, allowlists }, problems };
}

function compileRule(
  spec: RuleSpec,
  extraAllowlists: readonly Allowlist[],
  problem: (message: string) => void,
): SecretRule | undefined {
  const before = { count: 0 };
  const report = (message: string) => {
    before.count++;
    problem(message);
  };
  if (spec.id.trim() === '') report('the rule id is missing or empty');
  if (spec.regex === undefined && spec.path === undefined)
    report('both regex and path are empty: the rule would have no effect');
  let regex: SecretRule['regex'];
  if (spec.regex !== undefined) {
    try {
      const { source, flags, groups } = translateGoRegex(spec.regex);
      if ((spec.secretGroup ?? 0) > groups)
        report(`secretGroup ${spec.secretGroup} is more than the regex's ${groups} groups`);
      regex = {
        scan: new RegExp(source, `${flags}g`),
        once: new RegExp(source, flags),
        source: spec.regex,
      };
    } catch (error) {
      report(`regex ${JSON.stringify(spec.regex)}: ${(error as Error).message}`);
    }
  }
  let path: RegExp | undefined;
  if (spec.path !== undefined) {
    try {
      path = compileGoRegex(spec.path);
    } catch (error) {
      report(`path ${JSON.stringify(spec.path)}: ${(error as Error).message}`);
    }
  }
  const allowlists: Allowlist[] = [];
  for (const [index, list] of (spec.allowlists ?? []).entries()) {
    const compiled = compileAllowlist(list, (message) =>
      report(`allowlist ${index + 1}: ${message}`),
    );
    if (compiled) allowlists.push(compiled);
  }
  if ((spec.secretGroup ?? 0) < 0 || !Number.isInteger(spec.secretGroup ?? 0))
    report(`secretGroup must be a whole number ≥ 0, got ${spec.secretGroup}`);
  if (before.count > 0) return undefined;
  return {
    id: spec.id,
    description: spec.description ?? spec.id,
    ...(regex ? { regex } : {}),
    secretGroup: spec.secretGroup ?? 0,
    entropy: spec.entropy ?? 0,
    keywords: [...new Set((spec.keywords ?? []).map((k) => k.toLowerCase()))].filter(
      (k) => k !== '',
    ),
    ...(path ? { path } : {}),
    tags: spec.tags ?? [],
    allowlists: [...allowlists, ...extraAllowlists],
    required: spec.required ?? [],
    skipReport: spec.skipReport ?? false,
  };
}

function compileAllowlist(
  spec: AllowlistSpec,
  problem: (message: string) => void,
): Allowlist | undefined {
  let failed = false;
  const report = (message: string) => {
    failed = true;
    problem(message);
  };
  const condition = (spec.condition ?? 'OR').toUpperCase();
  if (!['OR', '||', 'AND', '&&'].includes(condition))
    report(`unknown condition '${spec.condition}' (expected AND or OR)`);
  const target =
    spec.regexTarget === undefined || spec.regexTarget === '' ? 'secret' : spec.regexTarget;
  if (target !== 'secret' && target !== 'match' && target !== 'line')
    report(`unknown regexTarget '${spec.regexTarget}' (expected secret, match or line)`);
  const compileAll = (sources: readonly string[] | undefined, what: string): RegExp[] =>
    (sources ?? []).flatMap((source) => {
      try {
        return [compileGoRegex(source)];
      } catch (error) {
        report(`${what} ${JSON.stringify(source)}: ${(error as Error).message}`);
        return [];
      }
    });
  const paths = compileAll(spec.paths, 'path');
  const regexes = compileAll(spec.regexes, 'regex');
  const commits = new Set((spec.commits ?? []).map((c) => c.trim().toLowerCase()));
  const stopwords = [...new Set((spec.stopwords ?? []).map((w) => w.toLowerCase()))];
  if (
    commits.size === 0 &&
    (spec.paths ?? []).length === 0 &&
    (spec.regexes ?? []).length === 0 &&
    stopwords.length === 0
  )
    report('an allowlist needs at least one of commits, paths, regexes or stopwords');
  if (failed) return undefined;
  return {
    condition: condition === 'AND' || condition === '&&' ? 'AND' : 'OR',
    commits,
    paths,
    regexes,
    regexTarget: target as Allowlist['regexTarget'],
    stopwords,
  };
}
