import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { debug, getInput, homeDir, resolveUserPath } from '../support/inputs.js';
import { describeInstalls } from '../tools/host-tools.js';
import { findNodeInstalls } from '../tools/node-installs.js';
import { pickNodeVersion, readNodeVersionFile } from '../tools/node-version.js';
import type { ActionContext, BuiltinAction } from '../types.js';

/**
 * actions/setup-node on the host: instead of downloading Node.js it picks an installed one that
 * satisfies `node-version` (or `node-version-file`) and puts it first on PATH.
 */
export const setupNode: BuiltinAction = {
  name: 'actions/setup-node',
  defaults: { 'check-latest': 'false', 'always-auth': 'false' },
  async run(ctx) {
    const spec = versionSpec(ctx);
    const installs = await findNodeInstalls(ctx.env, homeDir(ctx));
    if (spec === '') {
      const onPath = installs.find((i) => i.source === 'PATH');
      ctx.log(
        `No node-version given: using the Node.js on PATH${onPath ? ` (v${onPath.version})` : ''}.`,
      );
      ctx.setOutput('node-version', onPath ? `v${onPath.version}` : '');
    } else {
      const chosen = pickNodeVersion(spec, installs);
      if (!chosen) {
        throw new GantryError(
          'GANTRY_TOOL_MISSING',
          `Node.js '${spec}' is not installed on this host. Found: ${describeInstalls(installs)}.`,
          {
            hint: `Install a matching version (e.g. \`nvm install ${spec}\`, \`fnm install ${spec}\` or \`volta install node@${spec}\`), or change node-version.`,
          },
        );
      }
      ctx.log(
        `Found Node.js ${chosen.version} on this host (${chosen.source}): ${chosen.executable}`,
      );
      ctx.addPath(path.dirname(chosen.executable));
      ctx.setOutput('node-version', `v${chosen.version}`);
    }
    for (const ignored of ['architecture', 'mirror', 'token', 'mirror-token']) {
      if (getInput(ctx, ignored))
        debug(ctx, `${ignored} is ignored: Gantry uses Node.js installed on the host.`);
    }
    if (getInput(ctx, 'check-latest') === 'true')
      ctx.log('check-latest is ignored: Gantry never downloads Node.js.');
    const cache = getInput(ctx, 'cache');
    if (cache) {
      // The real action restores ~/.npm (or yarn/pnpm's store) from GitHub's cache service. On
      // the host the package manager's own cache already persists between runs.
      ctx.log(
        `cache: ${cache} — the ${cache} cache on this host persists between runs; use actions/cache to cache other paths.`,
      );
      ctx.setOutput('cache-hit', 'false');
    }
    const registry = getInput(ctx, 'registry-url');
    if (registry) await configureRegistry(ctx, registry);
  },
};

/** `node-version` wins over `node-version-file`, as in the real action. */
function versionSpec(ctx: ActionContext): string {
  const version = getInput(ctx, 'node-version') || getInput(ctx, 'version');
  const file = getInput(ctx, 'node-version-file');
  if (version && file)
    ctx.log(
      '##[warning]Both node-version and node-version-file inputs are specified, only node-version will be used',
    );
  if (version) return version;
  if (!file) return '';
  const fromFile = readNodeVersionFile(resolveUserPath(ctx, file));
  ctx.log(`Resolved ${file} as ${fromFile}`);
  return fromFile;
}

/**
 * Writes the project .npmrc the real action writes for `registry-url`: the registry for the
 * scope and an auth line reading NODE_AUTH_TOKEN, so `npm publish` behaves the same.
 */
async function configureRegistry(ctx: ActionContext, registryUrl: string): Promise<void> {
  const url = registryUrl.endsWith('/') ? registryUrl : `${registryUrl}/`;
  let scope = getInput(ctx, 'scope');
  if (!scope && url.includes('npm.pkg.github.com'))
    scope = ctx.github.repository.split('/')[0] ?? '';
  if (scope && !scope.startsWith('@')) scope = `@${scope}`;
  const registryKey = scope ? `${scope.toLowerCase()}:registry` : 'registry';
  const lines = [
    `${url.replace(/^\w+:/, '')}:_authToken=\${NODE_AUTH_TOKEN}`,
    `${registryKey}=${url}`,
  ];
  if (getInput(ctx, 'always-auth') === 'true') lines.push('always-auth=true');
  const npmrc = path.join(ctx.runnerTemp, '.npmrc');
  await fs.mkdir(ctx.runnerTemp, { recursive: true });
  await fs.writeFile(npmrc, `${lines.join('\n')}\n`);
  ctx.exportVariable('NPM_CONFIG_USERCONFIG', npmrc);
  // The real action exports a placeholder so npm does not fail before a token is provided.
  ctx.exportVariable('NODE_AUTH_TOKEN', ctx.env['NODE_AUTH_TOKEN'] || 'XXXXX-XXXXX-XXXXX-XXXXX');
}
