// `gantry task` against go-task on 200 independent no-op tasks under one `all` task: the
// whole invocation (start-up, Taskfile load, scheduling, 200 spawns of `:`), same dir,
// interleaved runs, medians.
import { rmSync } from 'node:fs';
import {
  fmt,
  gantryBin,
  median,
  ratio,
  runOnce,
  taskBenchEnv,
  taskPeer,
  tempRepo,
  timeRounds,
} from './lib.mjs';

export function taskNoop(count = 200, runs = 10) {
  const peer = taskPeer();
  const names = Array.from({ length: count }, (_, i) => `t${i}`);
  let taskfile = `version: '3'\ntasks:\n  all:\n    deps: [${names.join(', ')}]\n`;
  for (const name of names) taskfile += `  ${name}:\n    cmds: [':']\n`;
  // go-task runs `:` in its embedded shell (mvdan/sh) without forking; gantry forks bash. The
  // same Taskfile with an external `/bin/true` makes both fork 200 processes (context row).
  const repo = tempRepo({
    'Taskfile.yml': taskfile,
    'external.yml': taskfile.replaceAll("[':']", "['/bin/true']"),
  });
  try {
    const env = taskBenchEnv();
    const options = { cwd: repo, env };
    const command = (extra) => [
      { command: peer.bin, args: ['all', ...extra], options },
      { command: process.execPath, args: [gantryBin, 'task', 'all', ...extra], options },
    ];
    // Both must really run the 200 commands.
    for (const { command: c, args } of [...command([]), ...command(['-t', 'external.yml'])]) {
      const out = runOnce(c, args, options);
      const ran = out.match(/task: \[t\d+\] (:|\/bin\/true)$/gm)?.length ?? 0;
      if (ran !== count) throw new Error(`${c} ${args.join(' ')} ran ${ran} of ${count} tasks`);
    }
    const [taskPlain, gantryPlain, taskPrefixed, gantryPrefixed, taskTrue, gantryTrue] = timeRounds(
      [...command([]), ...command(['--output', 'prefixed']), ...command(['-t', 'external.yml'])],
      runs,
    ).map(median);
    return {
      title: `\`gantry task\`: ${count} independent no-op tasks under one \`all\` task, vs go-task ${peer.version}`,
      rows: [
        [`task all (median of ${runs})`, fmt(taskPlain)],
        [
          `gantry task all (median of ${runs})`,
          `${fmt(gantryPlain)} = ${ratio(gantryPlain, taskPlain)} (target <= 1.5x)`,
        ],
        ['task all --output prefixed (median)', fmt(taskPrefixed)],
        [
          'gantry task all --output prefixed (median)',
          `${fmt(gantryPrefixed)} = ${ratio(gantryPrefixed, taskPrefixed)}`,
        ],
        ['task all, `cmds: [/bin/true]` (external: both fork 200 processes)', fmt(taskTrue)],
        [
          'gantry task all, `cmds: [/bin/true]`',
          `${fmt(gantryTrue)} = ${ratio(gantryTrue, taskTrue)}`,
        ],
      ],
      target: 'gantry <= 1.5x go-task',
      pass: gantryPlain / taskPlain <= 1.5,
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
