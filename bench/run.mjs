// Runs Gantry's benchmarks side by side with their peers and writes bench/RESULTS.md.
// Usage: npm run bench [-- --only startup,steps,masker]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';

const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1].split(',')
  : undefined;
spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const suites = {
  startup: async () => (await import('./startup.mjs')).startup(),
  steps: async () => (await import('./step-overhead.mjs')).stepOverhead(),
  masker: async () => (await import('./masker.mjs')).maskerThroughput(),
  tasks: async () => (await import('./task-noop.mjs')).taskNoop(),
  monorepo: async () => (await import('./task-monorepo.mjs')).taskMonorepo(),
  cachekey: async () => (await import('./task-cachekey.mjs')).taskCachekey(),
  secrets: async () => (await import('./scan-secrets.mjs')).scanSecrets(),
  deps: async () => (await import('./scan-deps.mjs')).scanDeps(),
  services: async () => (await import('./services.mjs')).services(),
  example: async () => (await import('./example-pipeline.mjs')).examplePipeline(),
  proxy: async () => (await import('./proxy.mjs')).proxyOverhead(),
  deploy: async () => (await import('./deploy.mjs')).deployBench(),
};
const results = [];
for (const [name, run] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  process.stdout.write(`bench ${name} ...\n`);
  const result = await run();
  results.push({ ...result, name });
  for (const [k, v] of result.rows) process.stdout.write(`  ${k}: ${v}\n`);
  process.stdout.write(`  target ${result.target}: ${result.pass ? 'met' : 'NOT met'}\n`);
}
const version = JSON.parse(
  readFileSync(path.join(root, 'packages/gantry/package.json'), 'utf8'),
).version;
const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.versions.node}, Gantry ${version}. Medians of repeated runs, each peer in the same run, interleaved.`;
const file = path.join(root, 'bench', 'RESULTS.md');
// A partial run (--only) keeps the other suites' sections from the last full run.
const previous = new Map();
if (existsSync(file)) {
  for (const m of readFileSync(file, 'utf8').matchAll(
    /<!-- suite:(\w+) -->\n([\s\S]*?)(?=<!-- suite:|\n## Notes|$)/g,
  ))
    previous.set(m[1], m[2].trimEnd() + '\n');
}
const sections = new Map(
  results.map((r) => [
    r.name,
    `## ${r.title}\n\nTarget: ${r.target} — **${r.pass ? 'met' : 'not met'}**\n\n| measure | value |\n|---|---|\n${r.rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`,
  ]),
);
const body = Object.keys(suites)
  .map((name) => sections.get(name) ?? previous.get(name))
  .map((text, i) => (text === undefined ? '' : `<!-- suite:${Object.keys(suites)[i]} -->\n${text}`))
  .filter((text) => text !== '')
  .join('\n');
const notesFile = path.join(root, 'bench', 'notes.md');
const notes = existsSync(notesFile) ? `\n${readFileSync(notesFile, 'utf8')}` : '';
writeFileSync(
  file,
  `# Benchmark results\n\nRegenerate with \`npm run bench\`. ${header}\n\n${body}${notes}`,
);
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
