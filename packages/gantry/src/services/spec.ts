import { GantryError } from '../errors/index.js';
import type { HealthCheck, PortMapping, ServiceSpec } from './provider.js';

/** Docker's health check defaults (`docker run --help`). */
const DOCKER_HEALTH = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 };

export interface ParsedServices {
  specs: ServiceSpec[];
  /** Things Gantry ignores (volumes, unknown options), one line each, for the job log. */
  warnings: string[];
}

/** Turns the evaluated `jobs.<id>.services` mapping into specs, rejecting what cannot run. */
export function parseServices(value: unknown, jobId: string): ParsedServices {
  const specs: ServiceSpec[] = [];
  const warnings: string[] = [];
  if (value === undefined || value === null) return { specs, warnings };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(jobId, '`services:` must be a mapping of service ids to images');
  }
  for (const [id, raw] of Object.entries(value as Record<string, unknown>)) {
    const entry = typeof raw === 'string' ? { image: raw } : (raw as Record<string, unknown>);
    if (entry === null || typeof entry !== 'object') {
      throw invalid(jobId, `service '${id}' must be a mapping with an \`image\``);
    }
    const image = entry['image'];
    // GitHub skips a service whose image evaluates to an empty string (matrix-dependent services).
    if (image === '' || image === undefined || image === null) continue;
    if (typeof image !== 'string') throw invalid(jobId, `service '${id}' has no string \`image\``);
    const env: Record<string, string> = {};
    const rawEnv = entry['env'];
    if (rawEnv && typeof rawEnv === 'object') {
      for (const [k, v] of Object.entries(rawEnv)) env[k] = v === null ? '' : String(v);
    }
    const ports = (Array.isArray(entry['ports']) ? entry['ports'] : []).map((p) =>
      parsePort(String(p), id, jobId),
    );
    const options = typeof entry['options'] === 'string' ? entry['options'] : '';
    const { health, ignored } = parseOptions(options, id, jobId);
    for (const option of ignored) {
      warnings.push(`service '${id}': option ${option} has no effect on a native service`);
    }
    if (entry['volumes'] !== undefined) {
      warnings.push(`service '${id}': \`volumes:\` are ignored; the service starts empty`);
    }
    specs.push({ id, image, env, ports, health });
  }
  return { specs, warnings };
}

/** `5432`, `"5432:5432"`, `"127.0.0.1:15432:5432"`, `"5432/tcp"`. */
export function parsePort(text: string, id: string, jobId: string): PortMapping {
  const parts = text
    .trim()
    .replace(/\/tcp$/i, '')
    .split(':');
  const container = Number(parts.at(-1));
  const hostText = parts.length >= 2 ? parts.at(-2) : undefined;
  const host = hostText === undefined || hostText === '' ? undefined : Number(hostText);
  const valid = (n: number | undefined) =>
    n === undefined || (Number.isInteger(n) && n > 0 && n < 65536);
  if (!valid(container) || !valid(host) || parts.length > 3) {
    throw invalid(jobId, `service '${id}' has an invalid port mapping '${text}'`);
  }
  return { container, host };
}

/** Splits Docker `options:` like a shell would (quotes, backslashes). */
export function splitOptions(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i] as string;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + (text[++i] as string);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function parseOptions(
  text: string,
  id: string,
  jobId: string,
): { health: HealthCheck | undefined; ignored: string[] } {
  const words = splitOptions(text);
  const values: Record<string, string> = {};
  const ignored: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith('--')) continue;
    const eq = word.indexOf('=');
    const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    const value = eq >= 0 ? word.slice(eq + 1) : words[i + 1]?.startsWith('--') ? '' : words[++i];
    if (name.startsWith('health-')) values[name] = value ?? '';
    else if (name === 'no-healthcheck') values[name] = 'true';
    else ignored.push(`--${name}`);
  }
  const command = values['health-cmd'];
  if (command === undefined || command === '' || values['no-healthcheck']) {
    return { health: undefined, ignored };
  }
  const duration = (key: string, fallback: number) => {
    const raw = values[key];
    if (raw === undefined) return fallback;
    const ms = parseDuration(raw);
    if (ms === undefined)
      throw invalid(jobId, `service '${id}': --${key} '${raw}' is not a duration`);
    return ms;
  };
  const retries =
    values['health-retries'] === undefined
      ? DOCKER_HEALTH.retries
      : Number(values['health-retries']);
  if (!Number.isInteger(retries) || retries < 1) {
    throw invalid(jobId, `service '${id}': --health-retries must be a positive integer`);
  }
  return {
    health: {
      command,
      intervalMs: duration('health-interval', DOCKER_HEALTH.intervalMs),
      timeoutMs: duration('health-timeout', DOCKER_HEALTH.timeoutMs),
      retries,
      startPeriodMs: duration('health-start-period', DOCKER_HEALTH.startPeriodMs),
    },
    ignored,
  };
}

/** Go durations as Docker takes them: `10s`, `1m30s`, `500ms`. */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (units[m[2] as string] ?? 0);
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? total : undefined;
}

function invalid(jobId: string, message: string): GantryError {
  return new GantryError('GANTRY_CONFIG_INVALID', `job '${jobId}': ${message}`);
}
