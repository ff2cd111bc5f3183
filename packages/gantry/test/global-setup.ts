import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** CLI tests run the real bundle: rebuild it (esbuild, well under a second) before the suite. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
