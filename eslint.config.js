// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { readFileSync } from 'node:fs';

/**
 * Folders under packages/gantry/src are rooms with doors: each may import only the rooms
 * listed in packages/gantry/architecture.json (see the README's architecture section).
 */
const architecture = JSON.parse(
  readFileSync(new URL('./packages/gantry/architecture.json', import.meta.url), 'utf8'),
);
/** @type {Record<string, string[]>} */
const rooms = architecture.rooms;
/** @type {string[]} */
const pureRooms = architecture.pure;
const ioModules = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:https',
];

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
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
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
