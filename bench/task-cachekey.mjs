// Cache key computation over 20,000 input files: a task whose `sources:` match 200 dirs x 100
// files (~1 KB each), primed, then timed up to date. The whole `gantry task` invocation is
// an upper bound of the key computation; the same invocation over a single source file in
// the same run is the fixed cost, so the difference of the medians is the 20,000 files' share.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fmt,
  gantryBin,
  median,
  ratio,
  runOnce,
  taskBenchEnv,
  taskPeer,
  timeRounds,
} from './lib.mjs';

const taskfile = (sources) =>
  `version: '3'\ntasks:\n  build:\n    sources: ['${sources}']\n    generates: ['out.txt']\n    cmds: ['echo built > out.txt']\n`;

export function taskCachekey(dirs = 200, perDir = 100, runs = 10) {
  const peer = taskPeer();
  const files = dirs * perDir;
  const base = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
  try {
    const big = path.join(base, 'big');
    const small = path.join(base, 'small');
    const line = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n';
    for (let d = 0; d < dirs; d++) {
      const dir = path.join(big, 'src', `d${String(d).padStart(3, '0')}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < perDir; f++)
        writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}\n${line.repeat(13)}`);
    }
    writeFileSync(path.join(big, 'Taskfile.yml'), taskfile('src/**/*'));
    mkdirSync(path.join(small, 'src'), { recursive: true });
    writeFileSync(path.join(small, 'src', 'one.txt'), line);
    writeFileSync(path.join(small, 'Taskfile.yml'), taskfile('src/**/*'));

    const run = (cwd, command, args) => ({
      command,
      args,
      options: { cwd, env: taskBenchEnv({ GANTRY_CACHE_DIR: path.join(cwd, '.gantry', 'cache') }) },
    });
    const gantryBig = run(big, process.execPath, [gantryBin, 'task', 'build']);
    const gantrySmall = run(small, process.execPath, [gantryBin, 'task', 'build']);
    const taskBig = run(big, peer.bin, ['build']);
    // Prime (each tool keeps its own state: .gantry/, .task/), then both must be up to date.
    for (const r of [taskBig, gantryBig, gantrySmall]) runOnce(r.command, r.args, r.options);
    for (const r of [taskBig, gantryBig, gantrySmall]) {
      const out = runOnce(r.command, r.args, r.options);
      if (!/task: Task "build" is up to date/.test(out))
        throw new Error(
          `${r.command} ${r.args.join(' ')} in ${r.options.cwd} is not up to date:\n${out}`,
        );
    }
    const [g, s, t] = timeRounds([gantryBig, gantrySmall, taskBig], runs).map(median);
    return {
      title: `Cache key computation over ${files.toLocaleString('en')} input files (\`gantry task\`, warm, up to date)`,
      rows: [
        [
          `gantry task build, ${files} sources, up to date (median of ${runs})`,
          `${fmt(g)} (target <= 1000 ms)`,
        ],
        ['gantry task build, 1 source, up to date (fixed cost)', fmt(s)],
        [`share of the ${files} files: difference of the medians`, fmt(g - s)],
        [
          `go-task ${peer.version} task build, ${files} sources, up to date (context)`,
          `${fmt(t)}; gantry = ${ratio(g, t)}`,
        ],
      ],
      target: '<= 1 s warm, whole invocation',
      pass: g <= 1000,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
