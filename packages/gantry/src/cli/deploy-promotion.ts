import type { DeployConfig, EnvironmentConfig } from '../deploy/model.js';
import { matchesIncludeList } from '../workflow/pattern.js';

/**
 * The environments a ref promotes to, by their `promotion:` rules, with GitHub's filter
 * patterns (as in `on.push.branches` / `tags`): `refs/heads/main` matches `branch: main`,
 * `refs/tags/v1.2.0` matches `tag: 'v*.*.*'`. Ephemeral and manual environments never match.
 */
export function promotedEnvironments(config: DeployConfig, ref: string): EnvironmentConfig[] {
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  return Object.values(config.environments).filter((env) => {
    if (env.ephemeral) return false;
    const rule = env.promotion;
    if (rule.on === 'branch')
      return branch !== undefined && matchesIncludeList(branch, rule.branches);
    if (rule.on === 'tag') return tag !== undefined && matchesIncludeList(tag, rule.tags);
    return false;
  });
}
