import { describe, expect, it } from 'vitest';
import {
  analysisPhase,
  measurementPhase,
  parseDuration,
  toMeasurement,
  validateMetrics,
  type AnalysisPhase,
  type Measurement,
  type MeasurementPhase,
  type MetricSpec,
} from '../../src/analysis/index.js';
import { GantryError } from '../../src/errors/index.js';

const local = { kind: 'local', measure: 'error_rate' } as const;
const metric = (fields: Partial<MetricSpec> = {}): MetricSpec => ({
  name: 'error-rate',
  provider: local,
  ...fields,
});

/** Measurements from a compact spelling: s=successful f=failed i=inconclusive e=error. */
const history = (phases: string): Measurement[] =>
  [...phases].map((c, at) => ({
    phase: ({ s: 'successful', f: 'failed', i: 'inconclusive', e: 'error' } as const)[
      c as 's' | 'f' | 'i' | 'e'
    ],
    at,
  }));

describe('measurementPhase (Argo EvaluateResult)', () => {
  const success = 'result < 0.05';
  const failure = 'result > 0.1';
  it.each<[string | undefined, string | undefined, number, MeasurementPhase]>([
    [undefined, undefined, 0.5, 'successful'],
    [success, undefined, 0.01, 'successful'],
    [success, undefined, 0.07, 'failed'],
    [success, undefined, NaN, 'failed'],
    [undefined, failure, 0.07, 'successful'],
    [undefined, failure, 0.2, 'failed'],
    [undefined, failure, NaN, 'successful'],
    [success, failure, 0.01, 'successful'],
    [success, failure, 0.2, 'failed'],
    // Between the two thresholds: neither matches.
    [success, failure, 0.07, 'inconclusive'],
    // No traffic: NaN matches neither, so the user must decide with isNaN().
    [success, failure, NaN, 'inconclusive'],
    // Both match: failure wins.
    ['result > 0', 'result > 0', 1, 'failed'],
  ])(
    'success %j, failure %j, value %s → %s',
    (successCondition, failureCondition, value, phase) => {
      expect(measurementPhase(metric({ successCondition, failureCondition }), value)).toBe(phase);
    },
  );

  it('throws for a value the condition cannot use', () => {
    expect(() => measurementPhase(metric({ successCondition: 'result < 1' }), [0.5])).toThrow(
      GantryError,
    );
  });
});

describe('toMeasurement', () => {
  it('records why a measurement is not successful', () => {
    const spec = metric({ successCondition: 'result < 0.05' });
    expect(toMeasurement(spec, { ok: true, value: 0.31 }, 7)).toEqual({
      phase: 'failed',
      value: 0.31,
      at: 7,
      message: 'failed "result < 0.05"',
    });
    expect(toMeasurement(spec, { ok: true, value: 0.01 }, 8)).toEqual({
      phase: 'successful',
      value: 0.01,
      at: 8,
    });
  });

  it('turns a provider error into an error measurement', () => {
    const m = toMeasurement(
      metric(),
      { ok: false, message: 'GANTRY_ANALYSIS_PROVIDER_FAILED: x' },
      1,
    );
    expect(m).toEqual({ phase: 'error', at: 1, message: 'GANTRY_ANALYSIS_PROVIDER_FAILED: x' });
  });

  it('turns a condition that cannot apply into an error measurement, as Argo does', () => {
    const m = toMeasurement(
      metric({ successCondition: 'result < 1' }),
      { ok: true, value: [0.5] },
      1,
    );
    expect(m.phase).toBe('error');
    expect(m.message).toMatch(
      /^GANTRY_ANALYSIS_CONDITION_INVALID: condition "result < 1": result is a list/,
    );
  });

  it.each<[MetricSpec['noTraffic'], MeasurementPhase]>([
    [undefined, 'inconclusive'],
    ['inconclusive', 'inconclusive'],
    ['fail', 'failed'],
    ['pass', 'successful'],
  ])('a window with no traffic and noTraffic %s is %s', (noTraffic, phase) => {
    // The success condition would match 0 requests; no traffic decides before conditions.
    const spec = metric({ successCondition: 'isNaN(result) || result < 0.05', noTraffic });
    const m = toMeasurement(spec, { ok: true, value: NaN, noTraffic: true }, 1);
    expect(m.phase).toBe(phase);
    expect(m.message).toBe(
      `with no traffic in the window (noTraffic: ${noTraffic ?? 'inconclusive'})`,
    );
  });
});

describe('analysisPhase (Argo assessMetricStatus)', () => {
  it.each<[string, Partial<MetricSpec>, string, boolean, AnalysisPhase]>([
    ['no measurement yet', {}, '', false, 'running'],
    ['no measurement, ended', {}, '', true, 'successful'],
    ['single measurement by default', {}, 's', false, 'successful'],
    ['one failure > failureLimit 0', {}, 'f', false, 'failed'],
    ['count not reached', { intervalMs: 1000, count: 3 }, 'ss', false, 'running'],
    ['count reached', { intervalMs: 1000, count: 3 }, 'sss', false, 'successful'],
    [
      'failures within failureLimit',
      { intervalMs: 1000, count: 3, failureLimit: 1 },
      'sfs',
      false,
      'successful',
    ],
    [
      'failures over failureLimit',
      { intervalMs: 1000, count: 5, failureLimit: 1 },
      'fsf',
      false,
      'failed',
    ],
    [
      'failureLimit -1 tolerates all',
      { intervalMs: 1000, count: 3, failureLimit: -1 },
      'fff',
      false,
      'successful',
    ],
    [
      'inconclusive > inconclusiveLimit 0',
      { intervalMs: 1000, count: 3 },
      'si',
      false,
      'inconclusive',
    ],
    [
      'inconclusive within limit',
      { intervalMs: 1000, count: 3, inconclusiveLimit: 1 },
      'sis',
      false,
      'successful',
    ],
    ['4 errors in a row are tolerated', { intervalMs: 1000, count: 3 }, 'eeee', false, 'running'],
    ['the 5th error in a row errors', { intervalMs: 1000, count: 3 }, 'eeeee', false, 'error'],
    ['errors not in a row', { intervalMs: 1000, count: 9 }, 'eeeeseeee', false, 'running'],
    [
      'consecutiveErrorLimit 0',
      { intervalMs: 1000, count: 3, consecutiveErrorLimit: 0 },
      'se',
      false,
      'error',
    ],
    [
      'errors do not count toward count',
      { intervalMs: 1000, count: 2 },
      'ses',
      false,
      'successful',
    ],
    [
      'errors do not count toward count (2)',
      { intervalMs: 1000, count: 2 },
      'se',
      false,
      'running',
    ],
    ['no count: runs until ended', { intervalMs: 1000 }, 'ssssssss', false, 'running'],
    ['no count, ended', { intervalMs: 1000 }, 'ssssssss', true, 'successful'],
    [
      'ended early with a failure within limit',
      { intervalMs: 1000, count: 10, failureLimit: 2 },
      'sfs',
      true,
      'successful',
    ],
    [
      'ended early with failureLimit violated',
      { intervalMs: 1000, count: 10, failureLimit: 1 },
      'ff',
      true,
      'failed',
    ],
    ['ended early with errors below the limit', { intervalMs: 1000 }, 'see', true, 'successful'],
    // Failure outranks the other limits when several are broken.
    ['failed before inconclusive', { intervalMs: 1000, count: 5 }, 'if', false, 'failed'],
  ])('%s: %j %s ended=%s → %s', (_, fields, phases, ended, expected) => {
    expect(analysisPhase(metric(fields), history(phases), { ended })).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each<[string | number, number]>([
    ['250ms', 250],
    ['5s', 5_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    [30, 30_000],
    ['30', 30_000],
    [0.5, 500],
  ])('%j is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '5 minutes', '-1s', '1d', 's', '1m30'])('rejects %j', (input) => {
    expect(() => parseDuration(input)).toThrow(/invalid duration/);
  });
  it('rejects a negative number', () => {
    expect(() => parseDuration(-1)).toThrow(/invalid duration -1/);
  });
});

describe('validateMetrics', () => {
  it('lists every problem at once', () => {
    let error: GantryError | undefined;
    try {
      validateMetrics([
        metric({ count: 3 }),
        metric({ intervalMs: 0, failureLimit: -2 }),
        metric({ name: 'p95', consecutiveErrorLimit: 1.5 }),
      ]);
    } catch (e) {
      error = e as GantryError;
    }
    expect(error?.code).toBe('GANTRY_CONFIG_INVALID');
    expect(error?.message.split('\n')).toEqual([
      'metric "error-rate": count 3 needs an interval between measurements',
      'metric "error-rate" is defined twice',
      'metric "error-rate": failureLimit must be an integer >= -1, not -2',
      'metric "error-rate": intervalMs must be positive, not 0',
      'metric "p95": consecutiveErrorLimit must be an integer >= 0, not 1.5',
    ]);
  });

  it('rejects an invalid condition with its column', () => {
    expect(() => validateMetrics([metric({ failureCondition: 'result[0] >' })])).toThrow(
      'condition "result[0] >": the condition ends too early at column 12',
    );
  });

  it('accepts a valid analysis', () => {
    expect(() =>
      validateMetrics([
        metric({ intervalMs: 1000, count: 5, successCondition: 'result < 0.05', failureLimit: -1 }),
        metric({ name: 'p95', provider: { kind: 'local', measure: 'p95' } }),
      ]),
    ).not.toThrow();
  });
});
