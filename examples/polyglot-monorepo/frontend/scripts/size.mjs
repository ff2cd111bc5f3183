// Prints the size of the production build (dist/) and writes reports/size.json.
// Gantry's gate measures `size['frontend/dist']` itself; this is the human-readable view.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = process.argv[2] ?? 'dist';

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

let files;
try {
  files = walk(root).sort();
} catch {
  console.error(`size: ${root}/ does not exist; run the build first`);
  process.exit(1);
}
const rows = files.map((file) => ({
  file: path.relative(root, file).split(path.sep).join('/'),
  bytes: statSync(file).size,
  gzip: gzipSync(readFileSync(file)).length,
}));
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
const gzip = rows.reduce((sum, row) => sum + row.gzip, 0);
for (const row of rows) {
  console.log(
    `${String(row.bytes).padStart(9)} B ${String(row.gzip).padStart(8)} B gz  ${row.file}`,
  );
}
console.log(`${String(total).padStart(9)} B ${String(gzip).padStart(8)} B gz  total (${root}/)`);
mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/size.json',
  JSON.stringify({ path: root, bytes: total, gzip, files: rows }, null, 2) + '\n',
);
