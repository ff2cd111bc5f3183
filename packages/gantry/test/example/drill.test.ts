// `npm run drill` as a test: the bundled example's orders API deployed by the controller from
// these sources (not a bundle), real uvicorn processes behind the proxy, real load. The
// analysis interval is 2 s instead of the example's 5 s to keep the test short.
import { describe, expect, it } from 'vitest';
import { runDrill, type DrillReport } from '../../../../scripts/drill.mjs';
import { startLoad } from '../../src/analysis/index.js';
import { loadProjectConfig } from '../../src/cli/project-config.js';
import { readDeployConfig } from '../../src/deploy/config.js';
import { commandDeployment, decide, requestDeployment } from '../../src/deploy/requests.js';
import { DeployRuntime } from '../../src/deploy/runtime.js';
import { openStore } from '../../src/store/index.js';

const api = {
  DeployRuntime,
  requestDeployment,
  commandDeployment,
  decide,
  readDeployConfig,
  loadProjectConfig,
  openStore,
  startLoad,
};

describe('the deployment drill on the bundled example', { timeout: 300_000 }, () => {
  it('rolls a canary answering 30 % 500s back to the good release, and switches blue-green with no failed request', async () => {
    const lines: string[] = [];
    let report: DrillReport;
    try {
      report = await runDrill({
        api,
        intervalSeconds: 2,
        installUv: false,
        log: (line) => lines.push(line),
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${lines.slice(-60).join('\n')}`, {
        cause: error,
      });
    }
    const progress = lines.slice(-60).join('\n');
    expect(
      report.checks.filter((c) => !c.ok),
      progress,
    ).toEqual([]);
    expect(report.ok).toBe(true);

    // The bad release: failed by its analysis, then scaled down; the good one stays stable.
    const bad = report.final.deployments.find((d) => d.release === 'v0.2.0');
    expect(bad).toMatchObject({ environment: 'production', strategy: 'canary', status: 'failed' });
    expect(bad?.message).toContain('error-rate');
    const events = report.canary.events;
    expect(events).toContain('WeightSet');
    expect(events.indexOf('AnalysisFailed')).toBeGreaterThan(events.indexOf('WeightSet'));
    expect(events.indexOf('ScaledDown')).toBeGreaterThan(events.indexOf('AnalysisFailed'));
    expect(report.failedMeasurement).toMatchObject({ metric: 'error-rate' });
    expect(report.failedMeasurement?.value).toBeGreaterThan(0.05);
    expect(report.canary.servedByCanary.errors5xx).toBeGreaterThan(0);
    expect(report.final.environments).toContainEqual(
      expect.objectContaining({
        environment: 'production',
        stableRelease: 'v0.1.0',
        running: ['v0.1.0'],
      }),
    );
    // Every request after the rollback reached the good release.
    expect(report.canary.afterRollback.requests).toBeGreaterThan(0);
    expect(report.canary.afterRollback.fromGoodRelease).toBe(report.canary.afterRollback.requests);

    // Blue-green under load: no client saw a failure.
    expect(report.blueGreen.requests).toBeGreaterThan(100);
    expect(report.blueGreen).toMatchObject({ failed: 0, errors5xx: 0 });
    expect(report.final.environments).toContainEqual(
      expect.objectContaining({ environment: 'staging', stableRelease: 'v0.2.1' }),
    );

    // The promised fields, as the JSON the script prints.
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    for (const field of ['detectionSeconds', 'rollbackSeconds', 'canaryStartToFullRollbackSeconds'])
      expect(json[field], field).toEqual(expect.any(Number));
    expect(report.analysisIntervalSeconds).toBe(2);
    expect(report.canaryStartToFullRollbackSeconds).toBeCloseTo(
      report.detectionSeconds! + report.rollbackSeconds!,
      2,
    );
    // Detected at the first measurement after the initial delay (one interval), plus the
    // worker's poll; generous for a loaded machine.
    expect(report.detectionSeconds).toBeGreaterThanOrEqual(2);
    expect(report.canaryStartToFullRollbackSeconds).toBeLessThan(15);
  });
});
