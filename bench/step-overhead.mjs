// Per-step overhead: one job with 400 `run: 'true'` steps through Gantry, against a bash loop
// that spawns the same 400 scripts the way GitHub's runner does (`bash -e script`), same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmt, gantryBin, median, tempRepo, timeSideBySide } from './lib.mjs';

export function stepOverhead(steps = 400, runs = 5) {
  const workflow = `on: push\njobs:\n  many:\n    runs-on: x\n    steps:\n${"      - run: 'true'\n".repeat(steps)}`;
  const one = `on: push\njobs:\n  one:\n    runs-on: x\n    steps:\n      - run: 'true'\n`;
  const repo = tempRepo({ '.github/workflows/many.yml': workflow, 'one.yml': one });
  const scripts = path.join(repo, 'scripts');
  mkdirSync(scripts);
  for (let i = 0; i < steps; i++) writeFileSync(path.join(scripts, `s${i}.sh`), 'true\n');
  const loop = `for i in $(seq 0 ${steps - 1}); do bash -e "${scripts}/s$i.sh"; done`;
  const env = { ...process.env, CI: 'true' };
  const [gantryMany, gantryOne, bashLoop] = timeSideBySide(
    [
      [
        process.execPath,
        [gantryBin, 'run', '--workflow', '.github/workflows/many.yml'],
        { cwd: repo, env },
      ],
      [process.execPath, [gantryBin, 'run', '--workflow', 'one.yml'], { cwd: repo, env }],
      ['bash', ['-c', loop], { cwd: repo }],
    ],
    runs,
  );
  const many = median(gantryMany);
  const fixed = median(gantryOne);
  const bash = median(bashLoop);
  const perStep = (many - bash) / steps;
  const perStepMarginal = (many - fixed - bash * ((steps - 1) / steps)) / (steps - 1);
  return {
    title: `Per-step overhead (${steps} \`run: 'true'\` steps vs a bash loop spawning the same ${steps} scripts)`,
    rows: [
      ['gantry run, 400 steps (median)', fmt(many)],
      ['gantry run, 1 step (fixed cost: start, load, workspace, store)', fmt(fixed)],
      ['bash loop, 400 scripts (median)', fmt(bash)],
      ['overhead per step, all-in: (gantry − bash) / 400', `${perStep.toFixed(2)} ms`],
      ['overhead per step, fixed cost excluded', `${perStepMarginal.toFixed(2)} ms`],
      ['ratio gantry / bash', `${(many / bash).toFixed(2)}x`],
    ],
    target: 'overhead <= 2 ms/step',
    pass: perStep <= 2,
  };
}
