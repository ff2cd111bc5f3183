// Start-up as ratios to a bare `node -e 0` in the same run: `gantry --version` and
// `gantry run --plan` on a 50-job workflow.
import { fmt, gantryBin, median, tempRepo, timeSideBySide } from './lib.mjs';

export function startup(runs = 15) {
  let jobs = '';
  for (let i = 0; i < 50; i++) {
    const needs = i === 0 ? '' : `    needs: [j${Math.floor((i - 1) / 2)}]\n`;
    jobs += `  j${i}:\n    runs-on: ubuntu-latest\n${needs}    steps:\n      - run: echo \${{ github.sha }} ${i}\n      - uses: actions/checkout@v4\n`;
  }
  const repo = tempRepo({
    '.github/workflows/big.yml': `on: [push, pull_request]\njobs:\n${jobs}`,
  });
  const [bare, version, plan] = timeSideBySide(
    [
      [process.execPath, ['-e', '0']],
      [process.execPath, [gantryBin, '--version']],
      [process.execPath, [gantryBin, 'run', '--plan'], { cwd: repo }],
    ],
    runs,
  );
  const b = median(bare);
  const v = median(version);
  const p = median(plan);
  return {
    title: 'Start-up, as ratios to a bare `node -e 0` in the same run',
    rows: [
      ['node -e 0 (median)', fmt(b)],
      ['gantry --version (median)', `${fmt(v)} = ${(v / b).toFixed(2)}x (target <= 1.3x)`],
      [
        'gantry run --plan, 50-job workflow (median)',
        `${fmt(p)} = ${(p / b).toFixed(2)}x (target <= 3x)`,
      ],
    ],
    target: '--version <= 1.3x, --plan <= 3x',
    pass: v / b <= 1.3 && p / b <= 3,
  };
}
