import type { Component } from './component.js';
import { contentUuid, isoSeconds, projectDependencies, type SbomMeta } from './document.js';

const projectId = 'SPDXRef-Project';

/** SPDX ids allow letters, digits, `.` and `-` only. */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-');
}

/**
 * An SPDX 2.3 JSON document (https://spdx.github.io/spdx-spec/v2.3/). The document DESCRIBES
 * the project, which DEPENDS_ON what nothing else depends on; lockfile edges become
 * DEPENDS_ON between packages, and dev and optional components are also marked
 * DEV_DEPENDENCY_OF / OPTIONAL_DEPENDENCY_OF the project. Each package carries its purl as
 * a PACKAGE-MANAGER external reference and names its lockfile in `sourceInfo`.
 */
export function toSpdx(components: readonly Component[], meta: SbomMeta): object {
  const uuid = contentUuid(components, meta);
  const ids = new Map<string, string>();
  const taken = new Set<string>([projectId]);
  for (const c of components) {
    const base = `SPDXRef-Package-${c.ecosystem}-${idPart(c.name)}-${idPart(c.version)}`;
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    taken.add(id);
    ids.set(c.purl, id);
  }
  const idOf = (purl: string) => ids.get(purl) as string;
  const relationships: object[] = [
    {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: projectId,
    },
  ];
  const scopeOf = new Map(components.map((c) => [c.purl, c.scope]));
  for (const purl of projectDependencies(components)) {
    const scope = scopeOf.get(purl);
    if (scope !== 'dev' && scope !== 'optional')
      relationships.push({
        spdxElementId: projectId,
        relationshipType: 'DEPENDS_ON',
        relatedSpdxElement: idOf(purl),
      });
  }
  for (const c of components) {
    for (const dep of c.dependsOn ?? [])
      relationships.push({
        spdxElementId: idOf(c.purl),
        relationshipType: 'DEPENDS_ON',
        relatedSpdxElement: idOf(dep),
      });
    if (c.scope === 'dev' || c.scope === 'optional')
      relationships.push({
        spdxElementId: idOf(c.purl),
        relationshipType: c.scope === 'dev' ? 'DEV_DEPENDENCY_OF' : 'OPTIONAL_DEPENDENCY_OF',
        relatedSpdxElement: projectId,
      });
  }
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: meta.version === undefined ? meta.name : `${meta.name}@${meta.version}`,
    documentNamespace: `https://spdx.org/spdxdocs/${idPart(meta.name)}-${uuid}`,
    creationInfo: {
      created: isoSeconds(meta.timestamp),
      creators: [`Tool: ${meta.tool}-${meta.toolVersion}`],
    },
    packages: [
      {
        SPDXID: projectId,
        name: meta.name,
        ...(meta.version === undefined ? {} : { versionInfo: meta.version }),
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        primaryPackagePurpose: 'APPLICATION',
      },
      ...components.map((c) => ({
        SPDXID: idOf(c.purl),
        name: c.name,
        versionInfo: c.version,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        sourceInfo: `locked in ${c.file}`,
        primaryPackagePurpose: 'LIBRARY',
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl },
        ],
      })),
    ],
    relationships,
  };
}
