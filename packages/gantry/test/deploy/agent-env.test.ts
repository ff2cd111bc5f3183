import { expect, it } from 'vitest';
import { agentEnv } from '../../src/deploy/agent-control.js';

it("starts the agent with a login shell's basics, never a workflow step's variables or secrets", () => {
  expect(
    agentEnv({
      PATH: '/usr/bin',
      HOME: '/home/a-new-user',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      GANTRY_CLI: 'gantry.mjs',
      GITHUB_WORKSPACE: '/work',
      RUNNER_TEMP: '/tmp/runner',
      DATABASE_PASSWORD: 'hunter2',
      INPUT_ENVIRONMENT: 'staging',
      UNSET: undefined,
    }),
  ).toEqual({
    PATH: '/usr/bin',
    HOME: '/home/a-new-user',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    GANTRY_CLI: 'gantry.mjs',
  });
});
