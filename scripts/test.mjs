// The README's test command: builds Gantry, then runs every test suite and prints one
// closing line `N passed, N failed` summed over all suites. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const run = (cmd, args, cwd = root) =>
  spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });

if (!existsSync(path.join(root, 'node_modules'))) {
  const install = run('npm', ['ci']);
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const build = run('npm', ['run', 'build']);
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const suites = [{ name: 'gantry', dir: path.join(root, 'packages', 'gantry') }];
let passed = 0;
let failed = 0;
let exitCode = 0;
for (const suite of suites) {
  const out = path.join(root, 'test-results', `${suite.name}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const result = run(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    suite.dir,
  );
  if (result.status !== 0) exitCode = 1;
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed +=
      report.numFailedTests +
      (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0
        ? 1
        : 0);
  } else {
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed > 0 ? 1 : 0));
