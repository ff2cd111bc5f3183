import type { LocalProvider, TrafficSplit } from '../local-provider.js';
import { appHosts, type DeploymentSpec } from '../spec.js';

/**
 * The split of an app's traffic with `weight` percent on the new release. Without a stable
 * release (a first deployment) the new one takes everything it is given any of; without
 * weight on the new one, the stable one takes all.
 */
export function trafficSplit(
  stable: string | null,
  release: string,
  weight: number,
): TrafficSplit[] {
  if (stable === null || stable === release) return weight > 0 ? [{ release, weight: 100 }] : [];
  if (weight >= 100) return [{ release, weight: 100 }];
  if (weight <= 0) return [{ release: stable, weight: 100 }];
  return [
    { release: stable, weight: 100 - weight },
    { release, weight },
  ];
}

/** Points every host of every app of the spec at the split (atomically per host). */
export function applyTraffic(
  provider: LocalProvider,
  spec: DeploymentSpec,
  split: readonly TrafficSplit[],
): void {
  for (const app of spec.apps)
    for (const host of appHosts(spec, app.name))
      if (split.length === 0) provider.unroute(host);
      else provider.route(host, spec.environment, app.name, split);
}

/** The preview hosts of a blue-green release: `preview.<host>` for each of its hosts. */
export function previewHosts(spec: DeploymentSpec, app: string): string[] {
  return appHosts(spec, app).map((h) => `preview.${h}`);
}
