// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Folders under packages/gantry/src are rooms with doors: each may import only the rooms
 * listed here (see the README's architecture section). Pure rooms import no I/O modules.
 */
const rooms = {
  errors: [],
  engine: ['errors'],
  secrets: ['errors'],
  workflow: ['errors', 'engine'],
  executor: ['errors', 'secrets'],
  store: ['errors'],
  actions: ['errors', 'workflow', 'executor', 'secrets'],
  runner: ['errors', 'engine', 'workflow', 'executor', 'secrets', 'actions', 'store'],
  cli: ['errors', 'engine', 'workflow', 'executor', 'secrets', 'actions', 'store', 'runner'],
};
const pureRooms = ['engine'];
const ioModules = ['node:fs', 'node:fs/promises', 'node:child_process', 'node:net', 'node:http', 'node:https'];

const roomConfigs = Object.entries(rooms).map(([room, allowed]) => {
  const forbidden = Object.keys(rooms).filter((r) => r !== room && !allowed.includes(r));
  return {
    files: [`packages/gantry/src/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: pureRooms.includes(room)
            ? ioModules.map((name) => ({ name, message: `${room}/ is pure: no I/O imports.` }))
            : [],
          patterns: forbidden.map((r) => ({
            group: [`../${r}/*`, `../../${r}/*`, `../${r}`, `../../${r}`],
            message: `${room}/ may not import ${r}/ (see README architecture).`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.gantry/**',
      '**/fixtures/**',
      'examples/**',
      'bench/.work/**',
      '**/test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/gantry/src/**/*.ts'],
    ignores: ['packages/gantry/src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  ...roomConfigs,
);
