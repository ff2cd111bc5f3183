import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** CLI tests run the real bundle: rebuild it (esbuild, well under a second) before the suite. */
export default function setup(): void {
  // Unit suites run while another process uses the bundle can leave it alone.
  if (process.env['GANTRY_SKIP_BUNDLE'] === '1') return;
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
