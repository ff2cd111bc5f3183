import type { Component } from './component.js';
import { contentUuid, isoSeconds, projectDependencies, type SbomMeta } from './document.js';

/** CycloneDX has no dev scope: `excluded` is its word for "not needed at run time". */
const cdxScope = { required: 'required', optional: 'optional', dev: 'excluded' } as const;

/** The bom-ref of the project; purls (every other bom-ref) start with `pkg:`, so it is unique. */
const projectRef = 'project';

/**
 * A CycloneDX 1.6 JSON document (https://cyclonedx.org/docs/1.6/json/). Every component's
 * bom-ref is its purl; `evidence.occurrences` names the lockfile it was found in. The
 * dependency graph lists components whose lockfile records their dependencies, even when
 * they have none; components from files without a graph (requirements.txt, Pipfile.lock)
 * get no entry there, since "no dependencies" would be a claim the file does not make.
 */
export function toCycloneDx(components: readonly Component[], meta: SbomMeta): object {
  const project = {
    type: 'application',
    'bom-ref': projectRef,
    name: meta.name,
    ...(meta.version === undefined ? {} : { version: meta.version }),
  };
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${contentUuid(components, meta)}`,
    version: 1,
    metadata: {
      timestamp: isoSeconds(meta.timestamp),
      tools: { components: [{ type: 'application', name: meta.tool, version: meta.toolVersion }] },
      component: project,
    },
    components: components.map(component),
    dependencies: [
      { ref: projectRef, dependsOn: projectDependencies(components) },
      ...components.flatMap((c) =>
        c.dependsOn === undefined ? [] : [{ ref: c.purl, dependsOn: [...c.dependsOn] }],
      ),
    ],
  };
}

function component(c: Component): object {
  // npm scopes are CycloneDX groups (as @cyclonedx/cyclonedx-npm writes them).
  const slash = c.ecosystem === 'npm' && c.name.startsWith('@') ? c.name.indexOf('/') : -1;
  return {
    type: 'library',
    'bom-ref': c.purl,
    ...(slash > 0
      ? { group: c.name.slice(0, slash), name: c.name.slice(slash + 1) }
      : { name: c.name }),
    version: c.version,
    ...(c.scope === undefined ? {} : { scope: cdxScope[c.scope] }),
    purl: c.purl,
    evidence: { occurrences: [{ location: c.file }] },
  };
}
