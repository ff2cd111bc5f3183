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

// A relative import names another room only from the right depth: from src/actions/builtin/,
// `../cache/` is actions' own folder, `../../cache/` the cache room. One config per depth.
const depths = [0, 1, 2, 3];
const roomConfigs = Object.entries(rooms).flatMap(([room, allowed]) => {
  const forbidden = Object.keys(rooms).filter((r) => r !== room && !allowed.includes(r));
  return depths.map((depth) => {
    const up = '../'.repeat(depth + 1);
    return {
      files: [`packages/gantry/src/${room}/${'*/'.repeat(depth)}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: pureRooms.includes(room)
              ? ioModules.map((name) => ({ name, message: `${room}/ is pure: no I/O imports.` }))
              : [],
            patterns: forbidden.map((r) => ({
              group: [`${up}${r}/*`, `${up}${r}`],
              message: `${room}/ may not import ${r}/ (see README architecture).`,
            })),
          },
        ],
      },
    };
  });
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
