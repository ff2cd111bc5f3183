import { createHash } from 'node:crypto';
import type { Component } from './component.js';

/** What an SBOM says about itself and the project it describes. */
export interface SbomMeta {
  /** The project: its package name or its folder name. */
  readonly name: string;
  readonly version?: string;
  /** ISO 8601; `SOURCE_DATE_EPOCH` makes it reproducible. */
  readonly timestamp: string;
  readonly tool: string;
  readonly toolVersion: string;
}

/** `2026-01-01T00:00:00Z`: SPDX allows no fractions of a second. */
export function isoSeconds(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1, URL namespace) of everything the document
 * says: the same lockfiles at the same timestamp give the same serial number and namespace.
 */
export function contentUuid(components: readonly Component[], meta: SbomMeta): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const name = JSON.stringify({ meta, components });
  const hash = createHash('sha1').update(namespace).update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What the project itself depends on. Lockfiles name a project's direct dependencies in
 * different ways (or not at all), so the project is linked to every component nothing else
 * depends on, then to one member of each cycle still unreached: every component is reachable
 * from the project, and the edges the lockfiles record are kept as they are.
 */
export function projectDependencies(components: readonly Component[]): string[] {
  const known = new Set(components.map((c) => c.purl));
  const needed = new Set<string>();
  for (const c of components) for (const d of c.dependsOn ?? []) if (d !== c.purl) needed.add(d);
  const roots = components.filter((c) => !needed.has(c.purl)).map((c) => c.purl);
  const edges = new Map(components.map((c) => [c.purl, c.dependsOn ?? []]));
  const reached = new Set<string>();
  const visit = (start: string) => {
    const queue = [start];
    for (let purl = queue.pop(); purl !== undefined; purl = queue.pop()) {
      if (reached.has(purl) || !known.has(purl)) continue;
      reached.add(purl);
      queue.push(...(edges.get(purl) ?? []));
    }
  };
  roots.forEach(visit);
  for (const c of components) {
    if (reached.has(c.purl)) continue;
    roots.push(c.purl);
    visit(c.purl);
  }
  return roots;
}
