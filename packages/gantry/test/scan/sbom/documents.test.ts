import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { readComponents, toCycloneDx, toSpdx } from '../../../src/scan/sbom/index.js';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const cases = [
  'npm-v1',
  'npm-v2',
  'npm-v3',
  'pnpm-v5',
  'pnpm-v6',
  'pnpm-v9',
  'yarn-v1',
  'yarn-berry',
  'npm-workspaces',
  'pnpm-workspaces',
  'yarn-v1-workspaces',
  'yarn-berry-workspaces',
  'uv',
  'poetry',
  'pipenv',
  'requirements',
];
const meta = {
  name: 'fixture',
  version: '1.0.0',
  timestamp: '2024-05-01T12:00:00.000Z',
  tool: 'gantry',
  toolVersion: '0.1.0',
};

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The official CycloneDX 1.6 JSON schema, as @cyclonedx/cyclonedx-library ships it. */
function cycloneDxValidator() {
  const require = createRequire(import.meta.url);
  const dir = path.join(
    path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')),
    'res/schema',
  );
  const load = (file: string): Record<string, unknown> =>
    JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
  // The 1.6 schema refers to its neighbours by their SNAPSHOT file names.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under nodenext its function is the `default` of the module.
  addFormatsModule.default(ajv);
  // Formats ajv-formats lacks; Gantry writes no URL or e-mail fields, so a loose check does.
  ajv.addFormat('iri-reference', /^\S*$/);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/);
  ajv.addSchema({
    ...load('spdx.SNAPSHOT.schema.json'),
    $id: 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json',
  });
  ajv.addSchema({
    ...load('jsf-0.82.SNAPSHOT.schema.json'),
    $id: 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json',
  });
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
}

/**
 * SPDX's own validator, `pyspdxtools` from PyPI's spdx-tools. CI installs it, so a missing
 * one fails the SPDX tests (with the command that installs it) instead of skipping them.
 */
let validatorPath: string | undefined;
function pyspdxtools(): string {
  if (validatorPath) return validatorPath;
  const userBase = spawnSync('python3', ['-m', 'site', '--user-base'], { encoding: 'utf8' });
  const candidates = [
    'pyspdxtools',
    ...(userBase.status === 0 ? [path.join(userBase.stdout.trim(), 'bin', 'pyspdxtools')] : []),
  ];
  validatorPath = candidates.find((c) => spawnSync(c, ['--help']).status === 0);
  if (!validatorPath)
    throw new Error('pyspdxtools is missing: pip install --user spdx-tools==0.8.5');
  return validatorPath;
}

describe('CycloneDX 1.6', () => {
  const validate = cycloneDxValidator();

  it('rejects what the schema forbids (the validator is live)', () => {
    expect(
      validate({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ name: 'x' }] }),
    ).toBe(false);
  });

  it.each(cases)('%s: valid against the official JSON schema', (name) => {
    const components = readComponents(path.join(fixtures, name));
    const bom = toCycloneDx(components, meta);
    const valid = validate(bom);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('lists every component by purl, with scope, group and the lockfile it came from', () => {
    const components = readComponents(path.join(fixtures, 'npm-v3'));
    const bom = toCycloneDx(components, meta) as {
      serialNumber: string;
      metadata: Record<string, unknown>;
      components: Record<string, unknown>[];
      dependencies: { ref: string; dependsOn: string[] }[];
    };
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(bom.metadata).toEqual({
      timestamp: '2024-05-01T12:00:00Z',
      tools: { components: [{ type: 'application', name: 'gantry', version: '0.1.0' }] },
      component: { type: 'application', 'bom-ref': 'project', name: 'fixture', version: '1.0.0' },
    });
    expect(bom.components[0]).toEqual({
      type: 'library',
      'bom-ref': 'pkg:npm/%40types/node@20.11.0',
      group: '@types',
      name: 'node',
      version: '20.11.0',
      scope: 'required',
      purl: 'pkg:npm/%40types/node@20.11.0',
      evidence: { occurrences: [{ location: 'package-lock.json' }] },
    });
    const scopes = Object.fromEntries(bom.components.map((c) => [c['name'], c['scope']]));
    expect(scopes['left-pad']).toBe('excluded');
    expect(scopes['is-odd']).toBe('optional');
    // The project reaches every component; every ref is a component.
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    const project = bom.dependencies.find((d) => d.ref === 'project');
    expect(project?.dependsOn).toEqual([
      'pkg:npm/%40types/node@20.11.0',
      'pkg:npm/debug@4.3.4',
      'pkg:npm/is-number@7.0.0',
      'pkg:npm/is-odd@3.0.1',
      'pkg:npm/isarray@2.0.5',
      'pkg:npm/left-pad@1.3.0',
      'pkg:npm/use-sync-external-store@1.2.0',
    ]);
    for (const d of bom.dependencies)
      for (const target of d.dependsOn) expect(refs.has(target)).toBe(true);
    expect(bom.dependencies).toHaveLength(components.length + 1);
  });

  it('leaves components of files without a graph out of the dependency list, but not the project', () => {
    const bom = toCycloneDx(readComponents(path.join(fixtures, 'pipenv')), meta) as {
      dependencies: { ref: string; dependsOn: string[] }[];
    };
    expect(bom.dependencies).toEqual([
      {
        ref: 'project',
        dependsOn: [
          'pkg:pypi/iniconfig@2.0.0',
          'pkg:pypi/markupsafe@2.1.5',
          'pkg:pypi/python-dateutil@2.9.0.post0',
          'pkg:pypi/setuptools@84.2.1',
          'pkg:pypi/six@1.17.0',
          'pkg:pypi/typing-extensions@4.12.2',
          'pkg:pypi/zope-interface@6.4.post2',
        ],
      },
    ]);
  });

  it('is reproducible: the same lockfiles and timestamp give the same document', () => {
    const components = readComponents(path.join(fixtures, 'poetry'));
    expect(JSON.stringify(toCycloneDx(components, meta))).toBe(
      JSON.stringify(toCycloneDx(readComponents(path.join(fixtures, 'poetry')), meta)),
    );
    const later = toCycloneDx(components, { ...meta, timestamp: '2024-05-02T00:00:00Z' });
    expect((later as { serialNumber: string }).serialNumber).not.toBe(
      (toCycloneDx(components, meta) as { serialNumber: string }).serialNumber,
    );
  });
});

describe('SPDX 2.3', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'gantry-spdx-'));
  made.push(out);
  const check = (doc: object, file: string) => {
    writeFileSync(path.join(out, file), JSON.stringify(doc, null, 2));
    return spawnSync(pyspdxtools(), ['-i', path.join(out, file)], { encoding: 'utf8' });
  };

  it('rejects what SPDX forbids (the validator is live)', () => {
    const doc = toSpdx(readComponents(path.join(fixtures, 'npm-v3')), meta) as {
      creationInfo: { created: string };
    };
    doc.creationInfo.created = '2024-05-01T12:00:00.000Z';
    expect(check(doc, 'broken.spdx.json').status).not.toBe(0);
  });

  it.each(cases)('%s: accepted by pyspdxtools', (name) => {
    const result = check(
      toSpdx(readComponents(path.join(fixtures, name)), meta),
      `${name}.spdx.json`,
    );
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('describes the project, carries purls and writes the graph as relationships', () => {
    const doc = toSpdx(readComponents(path.join(fixtures, 'pipenv')), meta) as {
      documentNamespace: string;
      packages: Record<string, unknown>[];
      relationships: {
        spdxElementId: string;
        relationshipType: string;
        relatedSpdxElement: string;
      }[];
    };
    expect(doc.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/fixture-[0-9a-f-]{36}$/);
    const zope = doc.packages.find((p) => p['name'] === 'zope.interface');
    expect(zope).toEqual({
      SPDXID: 'SPDXRef-Package-PyPI-zope.interface-6.4.post2',
      name: 'zope.interface',
      versionInfo: '6.4.post2',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      sourceInfo: 'locked in Pipfile.lock',
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:pypi/zope-interface@6.4.post2',
        },
      ],
    });
    const lines = doc.relationships.map(
      (r) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`,
    );
    expect(lines).toContain('SPDXRef-DOCUMENT DESCRIBES SPDXRef-Project');
    expect(lines).toContain('SPDXRef-Project DEPENDS_ON SPDXRef-Package-PyPI-six-1.17.0');
    expect(lines).toContain(
      'SPDXRef-Package-PyPI-iniconfig-2.0.0 DEV_DEPENDENCY_OF SPDXRef-Project',
    );
    expect(lines).not.toContain('SPDXRef-Project DEPENDS_ON SPDXRef-Package-PyPI-iniconfig-2.0.0');
  });

  it('links packages as their lockfile does', () => {
    const doc = toSpdx(readComponents(path.join(fixtures, 'pnpm-v9')), meta) as {
      relationships: {
        spdxElementId: string;
        relationshipType: string;
        relatedSpdxElement: string;
      }[];
    };
    const lines = doc.relationships.map(
      (r) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`,
    );
    expect(lines).toContain(
      'SPDXRef-Package-npm-debug-4.3.4 DEPENDS_ON SPDXRef-Package-npm-ms-2.1.2',
    );
    expect(lines).toContain(
      'SPDXRef-Package-npm--types-node-20.11.0 DEPENDS_ON SPDXRef-Package-npm-undici-types-5.26.5',
    );
    expect(lines).toContain(
      'SPDXRef-Package-npm-is-odd-3.0.1 OPTIONAL_DEPENDENCY_OF SPDXRef-Project',
    );
  });
});
