// The README's first command: sets up Gantry and runs the bundled example's pipeline twice,
// as a pull request and as a push to main, on this host, with no Docker.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const step = (title) => console.log(`\n\u001b[1m== ${title}\u001b[0m`);
const sh = (cmd, args, cwd, allowFailure = false) => {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: 'inherit',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Gantry Demo',
      GIT_AUTHOR_EMAIL: 'demo@gantry.local',
      GIT_COMMITTER_NAME: 'Gantry Demo',
      GIT_COMMITTER_EMAIL: 'demo@gantry.local',
    },
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
const shimDir = mkdtempSync(path.join(os.tmpdir(), 'gantry-demo-bin-'));
const gantryBin = path.join(root, 'packages', 'gantry', 'dist', 'bin', 'gantry.mjs');
writeFileSync(
  path.join(shimDir, 'gantry'),
  `#!/bin/sh\nexec "${process.execPath}" "${gantryBin}" "$@"\n`,
);
chmodSync(path.join(shimDir, 'gantry'), 0o755);
process.env.PATH = `${shimDir}${path.delimiter}${process.env.PATH ?? ''}`;

// The backend is managed with uv (from PyPI when it is not installed).
const userBin = spawnSync('python3', ['-c', 'import site; print(site.USER_BASE + "/bin")'], {
  encoding: 'utf8',
}).stdout.trim();
if (userBin) process.env.PATH = `${process.env.PATH}${path.delimiter}${userBin}`;
if (spawnSync('uv', ['--version']).status !== 0) {
  step('Installing uv 0.13.9 from PyPI (pip install --user uv)');
  const pip = ['-m', 'pip', 'install', '--user', '--quiet', 'uv==0.13.9'];
  if (spawnSync('python3', pip, { stdio: 'inherit' }).status !== 0) {
    // Debian's Python refuses --user installs into the system environment (PEP 668).
    sh('python3', [...pip, '--break-system-packages'], root);
  }
}

const work = mkdtempSync(path.join(os.tmpdir(), 'gantry-demo-'));
step(`Copying examples/polyglot-monorepo to ${work}`);
// What a clean checkout has: no installed dependencies or build output from earlier runs.
const generated = new Set([
  'node_modules',
  '.venv',
  'dist',
  'coverage',
  'reports',
  '.gantry',
  '.task',
]);
cpSync(path.join(root, 'examples', 'polyglot-monorepo'), work, {
  recursive: true,
  filter: (source) => !generated.has(path.basename(source)),
});
sh('git', ['init', '-q', '-b', 'main'], work);
sh('git', ['add', '-A'], work);
sh('git', ['commit', '-q', '-m', 'Initial commit'], work);
sh('git', ['checkout', '-q', '-b', 'feature/discounts'], work);
writeFileSync(
  path.join(work, 'backend', 'app', 'notes.py'),
  '"""Discount notes."""\n\nMAX_DISCOUNT = 100\n',
);
sh('git', ['add', '-A'], work);
sh('git', ['commit', '-q', '-m', 'Add discount notes'], work);

const gantry = path.join(root, 'packages', 'gantry', 'dist', 'bin', 'gantry.mjs');
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
    ...secret,
    '--json',
    path.join(work, 'pr-report.json'),
  ],
  work,
  true,
);
sh('git', ['checkout', '-q', 'main'], work);
sh('git', ['merge', '-q', '--no-ff', '-m', 'Merge feature/discounts', 'feature/discounts'], work);
step('gantry run   (a push to main)');
const push = sh(
  process.execPath,
  [gantry, 'run', ...secret, '--json', path.join(work, 'push-report.json')],
  work,
  true,
);
step('gantry runs');
sh(process.execPath, [gantry, 'runs'], work);
console.log(`\nThe example repository: ${work}`);
console.log(
  `Run reports: ${path.join(work, 'pr-report.json')}, ${path.join(work, 'push-report.json')}`,
);
console.log(`Logs: cd ${work} && node ${gantry} logs <run> [job]`);
process.exit(pr === 0 && push === 0 ? 0 : 1);
