import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS } from '../../src/proxy/index.js';
import { backend, request, useResources } from './helpers.js';

const resources = useResources();

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of Prometheus text format 0.0.4: every line is a HELP, a TYPE or a sample;
 * every sample belongs to a family announced by HELP and TYPE before it; label values are
 * unescaped. Anything else throws, so a malformed exposition fails the test.
 */
function parseExposition(text: string): { series: Series[]; types: Map<string, string> } {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const series: Series[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'HELP') helps.add(meta[2]!);
      else {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a valid exposition line: ${JSON.stringify(line)}`);
    const name = sample[1]!;
    const family = name.replace(/_(bucket|sum|count)$/, '');
    const known = types.has(name) ? name : family;
    if (!types.has(known) || !helps.has(known)) throw new Error(`no HELP/TYPE before ${line}`);
    const labels: Record<string, string> = {};
    const labelText = sample[2] ?? '';
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/gy;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = labelRe.exec(labelText))) {
      labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      consumed = labelRe.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`bad labels in ${line}`);
    const value = sample[3] === '+Inf' ? Infinity : Number(sample[3]);
    if (Number.isNaN(value)) throw new Error(`bad value in ${line}`);
    series.push({ name, labels, value });
  }
  return { series, types };
}

function find(series: Series[], name: string, labels: Record<string, string>): number | undefined {
  return series.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

describe('DeployProxy metrics', () => {
  it('exposes requests, 5xx and latency per host and release, matching sample()', async () => {
    const proxy = await resources.proxy({ metricsPort: 0 });
    const c = await resources.upstream('c');
    const s = await resources.upstream('s');
    proxy.setRoute({
      host: 'app.localhost',
      backends: [backend('canary', 50, c), backend('stable', 50, s)],
    });
    proxy.setReady('c', true);
    proxy.setReady('s', true);
    // 50/50 alternates canary, stable: canary gets paths 0, 2, 4, ..., stable 1, 3, 5, ...
    const paths = ['/', '/status/500', '/', '/', '/status/502', '/status/500', '/', '/status/404'];
    for (const path of paths) await request(proxy.port, { path });

    const { series, types } = parseExposition(proxy.metricsText());
    expect(types.get('gantry_proxy_requests_total')).toBe('counter');
    expect(types.get('gantry_proxy_request_duration_seconds')).toBe('histogram');
    expect(types.get('gantry_proxy_upstream_errors_total')).toBe('counter');
    const req = (release: string, code: string) =>
      find(series, 'gantry_proxy_requests_total', { host: 'app.localhost', release, code });
    expect([req('canary', '200'), req('canary', '502'), req('canary', '500')]).toEqual([
      3,
      1,
      undefined,
    ]);
    expect([req('stable', '200'), req('stable', '500'), req('stable', '404')]).toEqual([1, 2, 1]);

    for (const [release, requests, errors] of [
      ['canary', 4, 1],
      ['stable', 4, 2],
    ] as const) {
      const labels = { host: 'app.localhost', release };
      const count = find(series, 'gantry_proxy_request_duration_seconds_count', labels);
      const sum = find(series, 'gantry_proxy_request_duration_seconds_sum', labels)!;
      const buckets = series.filter(
        (x) =>
          x.name === 'gantry_proxy_request_duration_seconds_bucket' &&
          x.labels['release'] === release,
      );
      expect(count).toBe(requests);
      expect(buckets.map((b) => b.labels['le'])).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
      expect(buckets.at(-1)!.value).toBe(requests);
      for (let i = 1; i < buckets.length; i++)
        expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
      expect(sum).toBeGreaterThan(0);

      const sample = proxy.sample('APP.localhost', release);
      expect(sample).toMatchObject({ requests, errors, latencySumSeconds: sum });
      expect(sample.latencyBuckets.map((b) => b.count)).toEqual(buckets.map((b) => b.value));
      expect(sample.latencyBuckets.at(-1)!.le).toBe(Infinity);
    }

    // The admin listener serves the same text, with the exposition content type.
    const scraped = await request(proxy.metricsPort!, { path: '/metrics' });
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(scraped.body).toBe(proxy.metricsText());
    expect(await request(proxy.metricsPort!, { path: '/healthz' })).toMatchObject({
      status: 200,
      body: 'ok\n',
    });
    expect((await request(proxy.metricsPort!, { path: '/other' })).status).toBe(404);
  });

  it('escapes label values and counts unroutable requests without leaking the Host', async () => {
    const proxy = await resources.proxy();
    const up = await resources.upstream('u');
    const odd = 'v2 "quoted" back\\slash\nnewline';
    proxy.setRoute({ host: 'app.localhost', backends: [backend(odd, 1, up)] });
    await request(proxy.port); // no ready instance: 503
    proxy.setReady('u', true);
    const ok = await request(proxy.port);
    // A header value cannot hold a line feed; the release is percent-encoded there instead.
    expect(ok.headers['x-gantry-release']).toBe('v2 "quoted" back\\slash%0Anewline');
    await request(proxy.port, { host: 'evil"host.localhost' });

    const text = proxy.metricsText();
    expect(text).toContain('release="v2 \\"quoted\\" back\\\\slash\\nnewline"');
    expect(text).not.toContain('evil');
    const { series } = parseExposition(text);
    expect(find(series, 'gantry_proxy_requests_total', { release: odd, code: '200' })).toBe(1);
    expect(find(series, 'gantry_proxy_requests_total', { release: '', code: '503' })).toBe(1);
    expect(find(series, 'gantry_proxy_unknown_host_requests_total', {})).toBe(1);
    expect(proxy.sample('app.localhost', odd)).toMatchObject({ requests: 1, errors: 0 });
    expect(proxy.sample('app.localhost', '')).toMatchObject({ requests: 1, errors: 1 });
    expect(proxy.sample('other.localhost', 'v1')).toMatchObject({ requests: 0, errors: 0 });
  });
});
