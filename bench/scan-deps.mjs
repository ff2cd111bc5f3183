// `gantry scan deps` over a 3,000-package npm lockfile (package-lock v3) and 50,000 synthetic
// OSV records, 35,000 npm and 15,000 PyPI, shaped like GitHub's and PyPA's advisories: CVSS
// vectors, several introduced/fixed pairs, last_affected, GIT ranges, explicit version
// lists. The database is OSV's export layout (npm/all.zip, PyPI/all.zip) beside the lockfile,
// the way `--db <dir> <dir>` reads it; the same records as 50,000 loose JSON files are timed
// for context. Whole CLI invocations, one warm-up, median of 5.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { fmt, gantryBin, median, seededRandom as random } from './lib.mjs';

const rand = random(20240601);
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
const ghsaChars = '23456789cfghjmpqrvwx';
const ghsaPart = () => Array.from({ length: 4 }, () => pick(ghsaChars)).join('');
const words =
  'parser stream http json yaml router cache auth token loader config client server util core plugin cli template request schema'.split(
    ' ',
  );
const lorem =
  'An attacker who controls the input can cause the affected function to consume excessive resources or to reach code paths that were not meant to be reachable. ';

function npmName(i) {
  const base = `${pick(words)}-${pick(words)}-${i.toString(36)}`;
  return i % 5 === 0 ? `@${pick(words)}-org/${base}` : base;
}

const version = () => `${int(12)}.${int(20)}.${int(30)}`;
const ascending = (count) =>
  Array.from({ length: count }, version).sort((a, b) => {
    const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });

const vectors = [
  { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
  { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N' },
  { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
  { type: 'CVSS_V3', score: 'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N' },
  { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
];

/** 1–3 affected ranges of one package: introduced/fixed pairs, sometimes last_affected. */
function ranges() {
  const bounds = ascending(2 * (1 + int(3)));
  const events = [];
  for (let k = 0; k < bounds.length; k += 2) {
    events.push({ introduced: k === 0 && rand() < 0.5 ? '0' : bounds[k] });
    events.push(rand() < 0.1 ? { last_affected: bounds[k + 1] } : { fixed: bounds[k + 1] });
  }
  return events;
}

function npmRecord(i, name) {
  const id = `GHSA-${ghsaPart()}-${ghsaPart()}-${ghsaPart()}`;
  const affected = Array.from({ length: 1 + int(2) }, () => ({
    package: { ecosystem: 'npm', name, purl: `pkg:npm/${name.replace('@', '%40')}` },
    ranges: [{ type: 'ECOSYSTEM', events: ranges() }],
    database_specific: {
      source: `https://github.com/github/advisory-database/blob/main/advisories/${id}.json`,
    },
  }));
  return {
    schema_version: '1.4.0',
    id,
    modified: `2024-0${1 + int(9)}-1${int(9)}T10:00:00Z`,
    published: '2023-05-01T10:00:00Z',
    aliases: [`CVE-20${20 + int(5)}-${10000 + i}`],
    summary: `${pick(words)} vulnerable to ${pick(['prototype pollution', 'ReDoS', 'path traversal', 'command injection'])}`,
    details: lorem.repeat(2 + int(4)),
    ...(rand() < 0.85 ? { severity: [pick(vectors)] } : {}),
    affected,
    references: [
      { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/CVE-2023-${10000 + i}` },
      { type: 'WEB', url: `https://github.com/example/${name}/issues/${i}` },
      { type: 'PACKAGE', url: `https://github.com/example/${name}` },
    ],
    database_specific: {
      cwe_ids: ['CWE-1321'],
      severity: pick(['LOW', 'MODERATE', 'HIGH', 'CRITICAL']),
      github_reviewed: true,
      github_reviewed_at: '2023-05-02T10:00:00Z',
      nvd_published_at: null,
    },
  };
}

function pypiRecord(i) {
  const name = `${pick(words)}_${pick(words)}.${i.toString(36)}`;
  const events = ranges();
  return {
    schema_version: '1.4.0',
    id: `PYSEC-20${20 + int(5)}-${i}`,
    modified: '2024-03-01T00:00:00Z',
    published: '2023-03-01T00:00:00Z',
    aliases: [`CVE-2023-${50000 + i}`],
    details: lorem.repeat(1 + int(3)),
    affected: [
      {
        package: { ecosystem: 'PyPI', name, purl: `pkg:pypi/${name.toLowerCase()}` },
        ranges: [
          {
            type: 'GIT',
            repo: `https://github.com/example/${name}`,
            events: [{ introduced: '0' }, { fixed: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }],
          },
          { type: 'ECOSYSTEM', events },
        ],
        versions: ascending(10 + int(20)),
      },
    ],
    references: [{ type: 'FIX', url: `https://github.com/example/${name}/commit/a1b2c3d` }],
  };
}

/** A package-lock v3 of `count` packages, a tenth of them nested copies at another version. */
function lockfile(names) {
  const packages = { '': { name: 'bench-app', version: '1.0.0', dependencies: {} } };
  names.forEach((name, i) => {
    const v = version();
    const key =
      i % 10 === 9 ? `node_modules/${names[i - 1]}/node_modules/${name}` : `node_modules/${name}`;
    if (i % 10 !== 9) packages[''].dependencies[name] = `^${v}`;
    packages[key] = {
      version: v,
      resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${v}.tgz`,
      integrity: `sha512-${Buffer.from(`${name}@${v}`).toString('base64')}`,
      ...(i % 4 === 0 ? { dev: true } : {}),
    };
  });
  return JSON.stringify(
    { name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
    null,
    2,
  );
}

function timeScan(args, runs) {
  const times = [];
  let output = '';
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [gantryBin, 'scan', 'deps', ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    // 1 = vulnerabilities found, the expected outcome here; anything else is a failure.
    if (result.status !== 1)
      throw new Error(
        `gantry scan deps ${args.join(' ')} exited ${result.status}:\n${result.stderr}`,
      );
    output = result.stdout;
    if (i > 0) times.push(ms);
  }
  return { times, output };
}

export function scanDeps(packageCount = 3000, npmRecords = 35_000, pypiRecords = 15_000, runs = 5) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
  try {
    const names = Array.from({ length: packageCount }, (_, i) => npmName(i));
    // A tenth of the npm advisories are about packages in the lockfile, many per package.
    const other = Array.from({ length: 20_000 }, (_, i) => npmName(packageCount + i));
    const npm = Array.from({ length: npmRecords }, (_, i) =>
      npmRecord(i, i % 10 === 0 ? pick(names) : pick(other)),
    );
    const pypi = Array.from({ length: pypiRecords }, (_, i) => pypiRecord(i));
    const zipOf = (records) =>
      zipSync(Object.fromEntries(records.map((r) => [`${r.id}.json`, strToU8(JSON.stringify(r))])));

    const dir = path.join(base, 'app');
    mkdirSync(path.join(dir, 'npm'), { recursive: true });
    mkdirSync(path.join(dir, 'PyPI'), { recursive: true });
    writeFileSync(path.join(dir, 'package-lock.json'), lockfile(names));
    writeFileSync(path.join(dir, 'npm', 'all.zip'), zipOf(npm));
    writeFileSync(path.join(dir, 'PyPI', 'all.zip'), zipOf(pypi));
    const loose = path.join(base, 'osv-json');
    for (const record of [...npm, ...pypi]) {
      const folder = path.join(loose, record.id.slice(0, 9));
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `${record.id}.json`), JSON.stringify(record));
    }

    const zipped = timeScan(['--db', dir, dir], runs);
    const json = timeScan(['--db', loose, dir], runs);
    const summary = zipped.output.trim().split('\n').pop();
    if (!/known vulnerabilit/.test(summary) || json.output !== zipped.output)
      throw new Error(`unexpected output:\n${summary}\n${json.output.trim().split('\n').pop()}`);
    const z = median(zipped.times);
    const j = median(json.times);
    const records = (npmRecords + pypiRecords).toLocaleString('en');
    return {
      title: `Dependency scan: ${packageCount.toLocaleString('en')} locked npm packages against ${records} OSV records (\`gantry scan deps\`)`,
      rows: [
        [
          `gantry scan deps, OSV export layout (npm/all.zip, PyPI/all.zip) (median of ${runs})`,
          `${fmt(z)} (target <= 2000 ms)`,
        ],
        [`same records as ${records} JSON files (context)`, fmt(j)],
        ['result', summary],
      ],
      target: '<= 2 s, whole invocation',
      pass: z <= 2000,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
