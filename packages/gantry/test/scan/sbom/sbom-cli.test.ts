import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const work = mkdtempSync(path.join(tmpdir(), 'gantry-sbom-cli-'));
const bin = path.join(work, 'sbom.mjs');

// The command bundled on its own, run the way src/cli/main.ts runs it (exit code and error
// printing included), so this suite does not depend on the state of the shared dist/.
beforeAll(async () => {
  await build({
    stdin: {
      contents: `import { main } from './src/cli/sbom-command.ts';
import { printError } from './src/cli/print-error.ts';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; },
  (error) => { process.exitCode = printError(error); });`,
      resolveDir: packageRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    outfile: bin,
    logLevel: 'error',
    define: { __GANTRY_VERSION__: JSON.stringify('9.9.9-test') },
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function sbom(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '', ...env },
  });
}

describe('gantry sbom', () => {
  it('writes CycloneDX for the current folder to standard output by default', () => {
    const result = sbom(path.join(fixtures, 'yarn-berry'), []);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const bom = JSON.parse(result.stdout) as Record<string, unknown> & {
      metadata: { component: unknown; tools: unknown; timestamp: string };
      components: unknown[];
    };
    expect(bom['bomFormat']).toBe('CycloneDX');
    expect(bom['specVersion']).toBe('1.6');
    expect(bom.metadata.component).toEqual({
      type: 'application',
      'bom-ref': 'project',
      name: 'sbom-fixture-npm',
      version: '1.0.0',
    });
    expect(bom.metadata.tools).toEqual({
      components: [{ type: 'application', name: 'gantry', version: '9.9.9-test' }],
    });
    expect(Date.now() - Date.parse(bom.metadata.timestamp)).toBeLessThan(60_000);
    expect(bom.components).toHaveLength(13);
  });

  it('honours SOURCE_DATE_EPOCH: the same input gives byte-identical output', () => {
    const env = { SOURCE_DATE_EPOCH: '1714564800' };
    const first = sbom(fixtures, ['poetry'], env);
    const second = sbom(fixtures, ['poetry'], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    expect(JSON.parse(first.stdout).metadata.timestamp).toBe('2024-05-01T12:00:00Z');
    // Named after pyproject.toml's project.
    expect(JSON.parse(first.stdout).metadata.component.name).toBe('sbom-fixture-py');
  });

  it('writes SPDX to --output and reports unpinned requirements on standard error', () => {
    const output = path.join(work, 'sbom.spdx.json');
    const result = sbom(fixtures, ['--format', 'spdx', '--output', output, 'requirements'], {
      SOURCE_DATE_EPOCH: '0',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'warning requirements-dev.txt:10: pytest is not pinned (>=8); not listed',
        'warning requirements-dev.txt:11: requests has no version; not listed',
        'warning requirements-dev.txt:12: numpy is not pinned (==1.26.*); not listed',
        "warning requirements-dev.txt:13: editable install '-e ./tools/local-tool' has no version; not listed",
        'warning requirements-dev.txt:14: mypkg is installed from a URL (https://files.example.invalid/mypkg-1.0.tar.gz); not listed',
        `gantry sbom: 9 components written to ${output} (spdx)`,
        '',
      ].join('\n'),
    );
    const doc = JSON.parse(readFileSync(output, 'utf8')) as Record<string, unknown> & {
      creationInfo: unknown;
    };
    expect(doc['spdxVersion']).toBe('SPDX-2.3');
    expect(doc['name']).toBe('requirements'); // no manifest: the folder's name
    expect(doc.creationInfo).toEqual({
      created: '1970-01-01T00:00:00Z',
      creators: ['Tool: gantry-9.9.9-test'],
    });
  });

  it('finds lockfiles in subfolders of DIR', () => {
    const root = path.join(work, 'mono');
    cpSync(path.join(fixtures, 'pipenv'), path.join(root, 'api'), { recursive: true });
    cpSync(path.join(fixtures, 'npm-v1'), path.join(root, 'web'), { recursive: true });
    const result = sbom(work, ['mono']);
    expect(result.status).toBe(0);
    const locations = (
      JSON.parse(result.stdout) as {
        components: { evidence: { occurrences: { location: string }[] } }[];
      }
    ).components.map((c) => c.evidence.occurrences[0]?.location);
    expect(new Set(locations)).toEqual(new Set(['api/Pipfile.lock', 'web/package-lock.json']));
  });

  it('prints its help', () => {
    const result = sbom(fixtures, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: gantry sbom \[options\] \[DIR\]/);
    expect(result.stdout).toContain('SOURCE_DATE_EPOCH');
  });

  it.each([
    [['--format', 'xml'], "--format expects cyclonedx or spdx, got 'xml'"],
    [['--frmat', 'spdx'], "Unknown option '--frmat'"],
    [['a', 'b'], 'gantry sbom takes one folder, got 2'],
    [['no-such-folder'], 'no-such-folder is not a folder'],
  ])('refuses %j with GANTRY_USAGE and exit code 2', (args, message) => {
    const result = sbom(fixtures, args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('[GANTRY_USAGE]');
  });

  it('rejects a SOURCE_DATE_EPOCH that is not whole seconds', () => {
    const result = sbom(fixtures, ['npm-v3'], { SOURCE_DATE_EPOCH: '2024-05-01' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("SOURCE_DATE_EPOCH must be whole seconds, got '2024-05-01'");
  });

  it('fails with GANTRY_NO_LOCKFILE (exit 1) in a folder without lockfiles', () => {
    const result = sbom(work, [path.join(fixtures, 'npm-workspaces', 'packages')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[GANTRY_NO_LOCKFILE]');
    expect(result.stderr).toContain('hint: Gantry reads package-lock.json');
  });

  it('fails with GANTRY_LOCKFILE_INVALID naming the broken file', () => {
    const root = path.join(work, 'broken');
    cpSync(path.join(fixtures, 'uv'), root, { recursive: true });
    mkdirSync(path.join(root, 'web'));
    writeFileSync(
      path.join(root, 'web', 'yarn.lock'),
      '# yarn lockfile v1\n\nms@2.1.2:\n  version "2.1.2\n',
    );
    const result = sbom(work, ['broken']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('web/yarn.lock:4: ');
    expect(result.stderr).toContain('[GANTRY_LOCKFILE_INVALID]');
  });
});
