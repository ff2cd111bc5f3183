// The README's first command: sets up Gantry and runs the bundled example's pipeline twice,
// as a pull request and as a push to main, on this host, with no Docker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExampleRepo, ensureUv, featureBranch, gantryShim, git } from './example-repo.mjs';

const root = path.resolve(import.meta.dirname, '..');
const step = (title) => console.log(`\n\u001b[1m== ${title}\u001b[0m`);
const sh = (cmd, args, cwd, allowFailure = false) => {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: 'inherit',
  });
  if (r.status !== 0 && !allowFailure) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  return r.status ?? 1;
};

for (const tool of ['git', 'python3']) {
  if (spawnSync(tool, ['--version']).status !== 0) {
    console.error(
      `The demo needs ${tool} on PATH. On Debian/Ubuntu: sudo apt-get install -y ${tool === 'python3' ? 'python3' : 'git'}`,
    );
    process.exit(1);
  }
}
if (!existsSync(path.join(root, 'node_modules'))) {
  step('Installing dependencies (npm ci)');
  sh('npm', ['ci', '--no-audit', '--no-fund'], root);
}
step('Building Gantry');
sh('npm', ['run', 'build', '--silent'], root);

// The example's steps call `gantry task ...`: a `gantry` command on PATH for them.
const gantryBin = path.join(root, 'packages', 'gantry', 'dist', 'bin', 'gantry.mjs');
const shimDir = gantryShim(gantryBin);
process.env.PATH = `${shimDir}${path.delimiter}${process.env.PATH ?? ''}`;

// The backend is managed with uv (from PyPI when it is not installed).
if (!ensureUv()) {
  step('Installing uv 0.13.9 from PyPI (pip install --user uv)');
  if (!ensureUv({ install: true })) {
    console.error('uv could not be installed: pip install --user uv==0.13.9, then run again');
    process.exit(1);
  }
}

// Integration tests run against native PostgreSQL and Redis services: the host's servers.
const hasPostgres = () =>
  spawnSync('sh', ['-c', 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'], {
    stdio: 'ignore',
  }).status === 0;
const hasRedis = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = [...(hasPostgres() ? [] : ['postgresql']), ...(hasRedis() ? [] : ['redis-server'])];
if (missing.length > 0) {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (hasApt && (isRoot || sudo)) {
    step(`Installing ${missing.join(' and ')} from Debian's packages (apt-get)`);
    const apt = (...args) =>
      isRoot
        ? sh('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], root)
        : sh('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], root);
    apt('update', '-qq');
    apt('install', '-y', '-qq', ...missing);
  }
}
const servicesReady = hasPostgres() && hasRedis();
if (!servicesReady) {
  console.log(
    `\n\u001b[33mThe integration tests need PostgreSQL and Redis on this host, and they could not be installed` +
      ` (no apt-get, or not root and no passwordless sudo).\nInstall them with: sudo apt-get install -y postgresql redis-server\n` +
      `The demo runs every other workflow.\u001b[0m`,
  );
}

// The dependency scan reads an OSV database; without one configured, a small sample.
process.env.GANTRY_OSV_DB ??= path.join(root, 'scripts', 'demo-osv');

const work = mkdtempSync(path.join(os.tmpdir(), 'gantry-demo-'));
step(`Copying examples/polyglot-monorepo to ${work}`);
createExampleRepo(work);
// A feature branch that touches the backend, the frontend and the contracts: their workflows
// run (the docs workflow's path filter skips it).
featureBranch(work);

const gantry = path.join(root, 'packages', 'gantry', 'dist', 'bin', 'gantry.mjs');
const workflows = readdirSync(path.join(work, '.github', 'workflows'))
  .filter((name) => servicesReady || name !== 'integration-tests.yml')
  .flatMap((name) => ['-W', `.github/workflows/${name}`]);
const selection = servicesReady ? [] : workflows;
const secret = ['--secret', 'DEPLOY_TOKEN=demo-token-3f9a1c77'];
step('gantry run --pr 1 --base main   (a pull request from feature/discounts)');
const pr = sh(
  process.execPath,
  [
    gantry,
    'run',
    '--pr',
    '1',
    '--base',
    'main',
    ...selection,
    ...secret,
    '--json',
    'pr-report.json',
  ],
  work,
  true,
);
git(work, 'checkout', '-q', 'main');
git(work, 'merge', '-q', '--no-ff', '-m', 'Merge feature/discounts', 'feature/discounts');
step('gantry run   (a push to main)');
const push = sh(
  process.execPath,
  [gantry, 'run', ...selection, ...secret, '--json', 'push-report.json'],
  work,
  true,
);

// One gate over the reports the push's jobs uploaded as artifacts: what the workflows' gate
// steps decided, in one table.
const runId = JSON.parse(readFileSync(path.join(work, 'push-report.json'), 'utf8')).runId;
const artifacts = path.join('.gantry', 'runs', String(runId), 'artifacts');
step(`The quality gate over the artifacts of run #${runId} (${artifacts})`);
const reports = [
  'junit:backend-reports/junit.xml',
  'cobertura:backend-reports/coverage.xml',
  'junit:integration-reports/junit-integration.xml',
  'junit:frontend-reports/reports/junit.xml',
  'istanbul:frontend-reports/coverage/coverage-summary.json',
  'junit:contracts-reports/junit.xml',
  'bandit:security-reports/backend/bandit.json',
  'trivy:security-reports/trivy.json',
]
  .map((spec) => spec.replace(':', `:${artifacts}/`))
  // A workflow that its path filter skipped uploaded nothing.
  .filter((spec) => existsSync(path.join(work, spec.slice(spec.indexOf(':') + 1))));
sh(
  process.execPath,
  [
    gantry,
    'gate',
    '--no-record',
    ...reports.flatMap((report) => ['--report', report]),
    ...[
      'tests.failed == 0',
      'coverage.lines >= 80',
      'findings.medium_plus == 0',
      'vulns.fixable.high_plus == 0',
    ].flatMap((rule) => ['--require', rule]),
    '--markdown',
    'gate.md',
  ],
  work,
  true,
);

step('gantry runs');
sh(process.execPath, [gantry, 'runs'], work);
const runsDir = path.join(work, '.gantry', 'runs');
console.log(`
The example repository:  ${work}
Run reports (JSON):      ${path.join(work, 'pr-report.json')}
                         ${path.join(work, 'push-report.json')}
Each run:                ${runsDir}/<run>/ (event.json, summary.md, reports/)
The push's reports:      ${path.join(work, artifacts)}/ (one directory per artifact)
The gate as Markdown:    ${path.join(work, 'gate.md')}
A job's log:             cd ${work} && node ${gantry} logs <run> [job]
`);
console.log(
  pr === 0 && push === 0
    ? 'Both runs passed.'
    : `A run failed (pull request: exit ${pr}, push: exit ${push}).`,
);
process.exit(pr === 0 && push === 0 ? 0 : 1);
