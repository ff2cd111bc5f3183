// Secret scanning of a large git history: `gantry scan secrets --history` against gitleaks
// (`gitleaks git`) on the same repository, with the same rules (the shared-rules config of
// the differential test), interleaved, medians. The repository is generated once with
// `git fast-import` (20,000 commits, ~200 MB of `git log -p -U0` output) and cached in the
// temp dir under a key of the generator's parameters. Both tools must find exactly the
// planted secrets, at the planted (rule, file, line, commit).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gantryBin, median, root, runOnce, seededRandom as random, timeRounds } from './lib.mjs';

const sharedRules = path.join(root, 'packages/gantry/test/scan/secrets/fixtures/shared-rules.toml');
const GENERATOR = 5; // bump when the generated history changes shape

export async function scanSecrets(commits = 20_000, runs = 3) {
  const peer = gitleaksPeer();
  const repo = generate({ commits, files: 400, lines: 150, block: 92, seed: 42 });
  const out = path.join(repo.dir, '..', 'reports');
  mkdirSync(out, { recursive: true });
  const gantryReport = path.join(out, 'gantry.json');
  const peerReport = path.join(out, 'gitleaks.json');
  // Both exit 1 when they find secrets; the wrapper makes that the success it is here.
  const expectLeaks = (command, args) => ({
    command: 'sh',
    args: ['-c', '"$@"; test $? -eq 1', 'sh', command, ...args],
  });
  const gantry = expectLeaks(process.execPath, [
    gantryBin,
    'scan',
    'secrets',
    '--history',
    '--config',
    sharedRules,
    '--json',
    gantryReport,
    repo.dir,
  ]);
  const gitleaks = expectLeaks(peer.bin, [
    'git',
    '--no-banner',
    '--log-level',
    'error',
    '--report-format',
    'json',
    '--report-path',
    peerReport,
    '--config',
    sharedRules,
    repo.dir,
  ]);
  const [g, l] = timeRounds([gantry, gitleaks], runs).map(median);

  const planted = repo.planted.map(keyOf).sort();
  const ours = JSON.parse(readFileSync(gantryReport, 'utf8')).map(keyOf).sort();
  const theirs = JSON.parse(readFileSync(peerReport, 'utf8'))
    .map((f) => keyOf({ rule: f.RuleID, file: f.File, line: f.StartLine, commit: f.Commit }))
    .sort();
  const same = (a, b) => a.length === b.length && a.every((k, i) => k === b[i]);
  const check = (name, found) =>
    same(found, planted)
      ? `${name}: all ${planted.length}, nothing else`
      : `${name}: MISMATCH — missed ${planted.filter((k) => !found.includes(k)).length}, extra ${found.filter((k) => !planted.includes(k)).length} (e.g. ${found.filter((k) => !planted.includes(k))[0] ?? planted.find((k) => !found.includes(k))})`;
  const mb = repo.diffBytes / 1e6;
  const ratio = l / g;
  const correct = same(ours, planted) && same(theirs, planted);
  return {
    title: `Secret scanning of a ${commits.toLocaleString('en')}-commit history (${mb.toFixed(0)} MB of diff, \`gantry scan secrets --history\`)`,
    rows: [
      [
        `gantry scan secrets --history (median of ${runs})`,
        `${(g / 1000).toFixed(2)} s, ${(mb / (g / 1000)).toFixed(1)} MB/s`,
      ],
      [
        `gitleaks ${peer.version} git (median of ${runs})`,
        `${(l / 1000).toFixed(2)} s, ${(mb / (l / 1000)).toFixed(1)} MB/s`,
      ],
      [
        'speed ratio gantry/gitleaks (gitleaks time / gantry time)',
        `${ratio.toFixed(2)}x (target >= 1.00)`,
      ],
      [
        'git log -p alone, to a pipe (the floor both share; timed when generated)',
        `${(repo.gitLogMs / 1000).toFixed(2)} s`,
      ],
      ['planted secrets found', `${check('gantry', ours)}; ${check('gitleaks', theirs)}`],
    ],
    target: 'gantry at least as fast as gitleaks (ratio >= 1.0), both find exactly the planted set',
    pass: correct && ratio >= 1,
  };
}

function keyOf(f) {
  return `${f.rule} ${f.file}:${f.line} ${f.commit}`;
}

/** gitleaks: $GANTRY_PEER_GITLEAKS or $(go env GOPATH)/bin/gitleaks. */
function gitleaksPeer() {
  let bin = process.env.GANTRY_PEER_GITLEAKS;
  if (!bin) {
    const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
    if (gopath.status === 0 && gopath.stdout.trim())
      bin = path.join(gopath.stdout.trim().split(path.delimiter)[0], 'bin', 'gitleaks');
  }
  const probe = bin && spawnSync(bin, ['version'], { encoding: 'utf8' });
  if (!probe || probe.status !== 0)
    throw new Error(
      `gitleaks peer not found (${bin ?? 'no GANTRY_PEER_GITLEAKS and no go env GOPATH'}): install it with \`go install github.com/zricethezav/gitleaks/v8@v8.28.0\` or set GANTRY_PEER_GITLEAKS`,
    );
  const info = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' });
  const version =
    /\bmod\s+github\.com\/zricethezav\/gitleaks\/v8\s+(\S+)/.exec(info.stdout ?? '')?.[1] ??
    probe.stdout.trim();
  return { bin, version };
}

// ---------------------------------------------------------------------------------------
// Generation

function generate(params) {
  const key = createHash('sha256')
    .update(JSON.stringify({ ...params, GENERATOR }))
    .digest('hex')
    .slice(0, 12);
  const base = path.join(os.tmpdir(), `gantry-bench-secrets-${key}`);
  const dir = path.join(base, 'repo');
  const metaFile = path.join(base, 'meta.json');
  if (existsSync(metaFile)) return { ...JSON.parse(readFileSync(metaFile, 'utf8')), dir };
  rmSync(base, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  process.stdout.write(`  generating ${params.commits} commits in ${base} ...\n`);
  const stream = path.join(base, 'fast-import.stream');
  const planted = writeStream(stream, params);
  runOnce('git', ['init', '-q', '-b', 'main', dir]);
  const marks = path.join(base, 'marks');
  const input = openSync(stream, 'r');
  const imported = spawnSync('git', ['fast-import', '--quiet', `--export-marks=${marks}`], {
    cwd: dir,
    stdio: [input, 'inherit', 'inherit'],
  });
  closeSync(input);
  if (imported.status !== 0) throw new Error(`git fast-import exited ${imported.status}`);
  rmSync(stream);
  runOnce('git', ['checkout', '-q', 'main'], { cwd: dir });
  const sha = new Map(
    readFileSync(marks, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')),
  );
  const resolved = planted.map((p) => ({ ...p, commit: sha.get(`:${p.mark}`) }));
  // The size of what both tools read: gitleaks' own git log command, counted as it streams.
  const t0 = Date.now();
  const counted = spawnSync(
    'sh',
    ['-c', 'git log -p -U0 --full-history --all --diff-filter=tuxdb | wc -c'],
    { cwd: dir, encoding: 'utf8' },
  );
  const gitLogMs = Date.now() - t0;
  const meta = { planted: resolved, diffBytes: Number(counted.stdout.trim()), gitLogMs };
  writeFileSync(metaFile, JSON.stringify(meta));
  process.stdout.write(
    `  generated in ${((Date.now() - started) / 1000).toFixed(0)} s: ${(meta.diffBytes / 1e6).toFixed(0)} MB of diff, ${resolved.length} planted secrets\n`,
  );
  return { ...meta, dir };
}

const words =
  'account address amount analytics archive audit balance batch billing buffer cache cart channel checkout client cluster config connection consumer context counter customer dashboard database deadline delivery device digest document domain driver endpoint entity event export feature filter gateway handler header history index inventory invoice job journal kernel label ledger limit listener locale manager message metric module monitor network node notice offset order owner packet page parser payload payment pipeline policy pool port profile project provider queue quota record region registry release replica report request resource response result retry route runner sample scheduler schema scope search segment sender service session shard shipment signal snapshot source stage status storage stream subscriber summary supplier task tenant thread ticket timeline timer topic trace tracker transaction transfer upload usage user validator vendor version volume warehouse webhook widget worker workflow'.split(
    ' ',
  );

/** Realistic-looking lines: code in a few languages, logs, docs; keywords without secrets. */
function lineMaker(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const num = (n) => Math.floor(rand() * n);
  const camel = () => {
    const a = pick(words);
    const b = pick(words);
    return a + b[0].toUpperCase() + b.slice(1);
  };
  const templates = [
    () =>
      `  const ${camel()} = await ${pick(words)}Service.load${pick(['ById', 'All', 'Page'])}(${pick(words)}Id, { limit: ${num(500)} });`,
    () =>
      `  if (!${camel()}) throw new Error('missing ${pick(words)} for ${pick(words)} ${num(10000)}');`,
    () =>
      `    ${pick(words)}.${camel()}(${num(1000)}, "${pick(words)}-${pick(words)}", ${rand() < 0.5 ? 'true' : 'false'});`,
    () =>
      `def ${pick(words)}_${pick(words)}(self, ${pick(words)}_id: int = ${num(100)}) -> dict[str, ${pick(['int', 'str', 'float'])}]:`,
    () =>
      `        return {"${pick(words)}": self.${pick(words)}_${pick(words)}, "count": len(self.${pick(words)}s)}`,
    () => `func (s *${camel()}) ${camel()}(ctx context.Context, id int64) (*${camel()}, error) {`,
    () =>
      `2024-0${1 + num(9)}-1${num(10)}T0${num(10)}:${10 + num(50)}:${10 + num(50)}Z INFO ${pick(words)}: processed ${num(100000)} ${pick(words)}s in ${num(900)}ms`,
    () =>
      `// ${pick(words)} ${pick(words)} ${pick(words)}: keep the ${pick(words)} ${pick(words)} in sync with the ${pick(words)} (see #${num(9000)})`,
    () =>
      `  ${pick(words)}_${pick(words)}: ${num(1000)}  # ${pick(words)} ${pick(words)} per ${pick(words)}`,
    () =>
      `| ${pick(words)} | ${pick(words)} ${pick(words)} | ${num(100)} ms | ${pick(['yes', 'no'])} |`,
    // Lines with the rules' keywords but no secret: the prefilter lets them through, the
    // regexes run and find nothing (as in real code).
    () => `  if (!token) throw new Error("missing token for ${pick(words)} ${num(1000)}");`,
    () => `  tokenCount += ${1 + num(9)}; // ${pick(words)} tokens seen`,
    () =>
      `    if (password.length < ${8 + num(8)}) return reject("${pick(words)} password too short");`,
    () => `  // rotate the api key and the ${pick(words)} secret every ${30 + num(60)} days`,
    () => `  const secretName = "${pick(words)}";`,
    () => `  log.debug("${pick(words)} token refreshed", { ${pick(words)}Id: ${num(100000)} });`,
    () => `  ${pick(words)}Region: "asia-east${num(3)}", ${pick(words)}Zone: "us-west${num(3)}-a",`,
    () => '  }',
    () => '',
  ];
  return () => pick(templates)();
}

/** Secrets of the shared rules; each returns the lines to plant and the rule of the first. */
function secretMaker(rand) {
  const chars = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    return s;
  };
  const U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const L = 'abcdefghijklmnopqrstuvwxyz';
  const D = '0123456789';
  const B62 = U + L + D;
  const kinds = [
    () => [
      'aws-access-token',
      [`  accessKeyId: "AKIA${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}",`],
    ],
    () => ['github-pat', [`  const gh = "ghp_${chars(B62, 36)}";`]],
    () => ['github-fine-grained-pat', [`GH_FINE=github_pat_${chars(B62, 22)}_${chars(B62, 59)}`]],
    () => [
      'slack-bot-token',
      [`  slack_bot = "xoxb-${chars(D, 11)}-${chars(D, 13)}-${chars(B62, 24)}"`],
    ],
    () => [
      'slack-webhook-url',
      [
        `  url: https://hooks.slack.com/services/T${chars(U + D, 9)}/B${chars(U + D, 11)}/${chars(B62, 24)}`,
      ],
    ],
    () => ['stripe-access-token', [`  stripe.key = "sk_live_${chars(B62, 32)}";`]],
    () => [
      'jwt',
      [
        `  const session = "eyJhbGciOiJIUzI1NiJ9.${Buffer.from(`{"sub":"${chars(D, 8)}"}`).toString('base64url')}.${chars(B62 + '-_', 43)}";`,
      ],
    ],
    () => [
      'generic-api-key',
      [`  api_key = "${chars(B62, 12)}${chars('!@#%', 1)}${chars(B62, 11)}"`],
    ],
  ];
  return () => kinds[Math.floor(rand() * kinds.length)]();
}

/** Writes the fast-import stream; returns the planted secrets (mark, rule, file, line). */
function writeStream(file, { commits, files, lines, block, seed }) {
  const rand = random(seed);
  const line = lineMaker(rand);
  const plantSecret = secretMaker(rand);
  const fd = openSync(file, 'w');
  const chunks = [];
  let size = 0;
  const emit = (text) => {
    chunks.push(text);
    size += text.length;
    if (size > 1 << 22) flush();
  };
  const flush = () => {
    writeSync(fd, chunks.join(''));
    chunks.length = 0;
    size = 0;
  };
  const data = (text) => emit(`data ${Buffer.byteLength(text)}\n${text}\n`);
  const exts = ['ts', 'py', 'go', 'md', 'log', 'yaml'];
  const names = Array.from(
    { length: files },
    (_, i) =>
      `src/${words[i % words.length]}/${words[(i * 7) % words.length]}-${i}.${exts[i % exts.length]}`,
  );
  const contents = names.map(() => Array.from({ length: lines }, line));
  const planted = [];
  let time = 1_600_000_000;
  let mark = 0;
  const header = (ref, message, parent) => {
    mark++;
    time += 600;
    emit(
      `commit ${ref}\nmark :${mark}\nauthor Bench Author <bench@example.com> ${time} +0000\ncommitter Bench Author <bench@example.com> ${time} +0000\n`,
    );
    data(message);
    if (parent) emit(`from :${parent}\n`);
  };
  header('refs/heads/main', 'initial import');
  names.forEach((name, i) => {
    emit(`M 100644 inline ${name}\n`);
    data(`${contents[i].join('\n')}\n`);
  });
  const every = Math.floor(commits / 120); // ~120 planted secrets
  let mainHead = mark;
  for (let c = 1; c < commits; c++) {
    const onSide = c % 1000 === 500; // a few commits on a branch that is never merged
    header(
      onSide ? `refs/heads/side-${c}` : 'refs/heads/main',
      `change ${c}`,
      onSide ? mainHead : undefined,
    );
    const nth = c % every === 0 ? c / every : -1;
    if (nth >= 0 && nth % 3 === 0) {
      // Every third plant is a new file, a private key or a dotenv password: whole-file hunks.
      if (nth % 2 === 0) {
        const key = [
          '-----BEGIN RSA PRIVATE KEY-----',
          ...Array.from({ length: 8 }, () => secretLine(rand)),
          '-----END RSA PRIVATE KEY-----',
        ];
        const name = `keys/deploy-${c}.pem`;
        emit(`M 100644 inline ${name}\n`);
        data(`${key.join('\n')}\n`);
        planted.push({ mark, rule: 'private-key', file: name, line: 1 });
      } else {
        const name = `deploy/${c}.env`;
        emit(`M 100644 inline ${name}\n`);
        data(`LOG_LEVEL=info\nDB_PASSWORD=${secretLine(rand).slice(0, 20)}\n`);
        planted.push({ mark, rule: 'env-password', file: name, line: 2 });
      }
    } else {
      const f = Math.floor(rand() * files);
      // A side branch's change must not leak into main's next version of the file.
      const text = onSide ? [...contents[f]] : contents[f];
      // Two or three blocks of fresh lines: a modification of ~`block` lines in all.
      const parts = 2 + Math.floor(rand() * 2);
      let at = 0;
      for (let p = 0; p < parts; p++) {
        const size = Math.floor(block / parts);
        const start = Math.floor(rand() * (lines - size));
        for (let k = 0; k < size; k++) text[start + k] = line();
        if (p === 0) at = start + Math.floor(size / 2);
      }
      if (c % every === 0) {
        const [rule, [secret]] = plantSecret();
        text[at] = secret;
        planted.push({ mark, rule, file: names[f], line: at + 1 });
      }
      emit(`M 100644 inline ${names[f]}\n`);
      data(`${text.join('\n')}\n`);
    }
    if (!onSide) mainHead = mark;
  }
  flush();
  closeSync(fd);
  return planted;
}

function secretLine(rand) {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < 64; i++) s += B64[Math.floor(rand() * 64)];
  return s;
}

// `node bench/scan-secrets.mjs` runs this suite alone (npm run bench runs the registered ones).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await scanSecrets();
  for (const [k, v] of result.rows) process.stdout.write(`  ${k}: ${v}\n`);
  process.stdout.write(`  target ${result.target}: ${result.pass ? 'met' : 'NOT met'}\n`);
}
