// Bundles the CLI and the library with esbuild. Bundling is required: GitHub's workflow
// parser imports its JSON schema without import attributes, which plain Node refuses.
// Code splitting keeps `gantry --version` from loading the parser at all.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  splitting: true,
  sourcemap: true,
  legalComments: 'none',
  // Less to parse at start-up; identifiers are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // Native and self-locating modules stay external; everything else is bundled.
  external: ['better-sqlite3'],
  define: { __GANTRY_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url);",
  },
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
};

// GANTRY_BUNDLE_OUT builds only the CLI, elsewhere (a private copy while dist/ is in use).
const privateOut = process.env.GANTRY_BUNDLE_OUT;
if (privateOut) {
  await rm(privateOut, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { gantry: 'src/cli/main.ts' },
    outdir: privateOut,
    chunkNames: 'chunks/[name]-[hash]',
  });
  process.exit(0);
}
await rm(new URL('../dist/bin', import.meta.url), { recursive: true, force: true });
await rm(new URL('../dist/lib', import.meta.url), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { gantry: 'src/cli/main.ts' },
  outdir: 'dist/bin',
  chunkNames: 'chunks/[name]-[hash]',
});
await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist/lib',
  chunkNames: 'chunks/[name]-[hash]',
});
