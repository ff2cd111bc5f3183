import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tokens } from './tokens.js';

/** One line of a file: its text and the rules that must report it (none for a decoy). */
export interface Line {
  readonly text: string;
  readonly rules: readonly string[];
  /** The raw secret planted on it, to prove no report ever shows it. */
  readonly secret?: string;
}

/** An expected finding: `commit` is the commit's label in the corpus. */
export interface Expected {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly commit?: string;
}

const plain = (text: string): Line => ({ text, rules: [] });
const secret = (rule: string, text: string, value: string): Line => ({
  text,
  rules: [rule],
  secret: value,
});

/**
 * A real git repository built commit by commit. Edits are explicit (new file, append,
 * replace one line, delete a file, rename) so the lines `git log -p -U0` shows as added are
 * known exactly; every planted line records where each tool must report it.
 */
export class Corpus {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-secrets-'));
  readonly commits = new Map<string, string>();
  readonly history: Expected[] = [];
  readonly secrets: string[] = [];
  private files = new Map<string, Line[]>();
  private pending: Expected[] = [];
  private clock = 1_700_000_000;

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Corpus Author');
    this.git('config', 'user.email', 'author@example.com');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    const date = `@${this.clock} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
  }

  write(file: string, lines: readonly Line[]): void {
    this.files.set(file, [...lines]);
    lines.forEach((line, i) => this.plant(file, i + 1, line));
    this.flush(file);
  }

  append(file: string, lines: readonly Line[]): void {
    const current = this.files.get(file) ?? [];
    lines.forEach((line, i) => this.plant(file, current.length + i + 1, line));
    this.files.set(file, [...current, ...lines]);
    this.flush(file);
  }

  replace(file: string, lineNumber: number, line: Line): void {
    const current = [...(this.files.get(file) ?? [])];
    current[lineNumber - 1] = line;
    this.files.set(file, current);
    this.plant(file, lineNumber, line);
    this.flush(file);
  }

  /** Bytes written as they are, outside the labelled bookkeeping (for peer comparisons). */
  writeRaw(file: string, content: string | Buffer): void {
    const full = path.join(this.dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  remove(file: string): void {
    this.files.delete(file);
    this.git('rm', '-q', file);
  }

  rename(from: string, to: string): void {
    const lines = this.files.get(from)!;
    this.files.delete(from);
    this.files.set(to, lines);
    mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    this.git('mv', from, to);
  }

  commit(label: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', `${label}\n\nplanted corpus commit`);
    this.clock += 3600;
    const sha = this.git('rev-parse', 'HEAD').trim();
    this.commits.set(label, sha);
    this.history.push(...this.pending.map((e) => ({ ...e, commit: label })));
    this.pending = [];
    return sha;
  }

  /** Runs `build` on a new branch from HEAD, then returns to `main` as it was. */
  onBranch(branch: string, build: () => void): void {
    const saved = new Map([...this.files].map(([k, v]) => [k, [...v]]));
    this.git('checkout', '-q', '-b', branch);
    build();
    this.git('checkout', '-q', 'main');
    this.files = saved;
  }

  /** What a working-tree scan of `main` must report. */
  workingTree(): Expected[] {
    return [...this.files].flatMap(([file, lines]) =>
      lines.flatMap((line, i) => line.rules.map((rule) => ({ rule, file, line: i + 1 }))),
    );
  }

  /** Expected findings with commit labels turned into SHAs. */
  resolved(expected: readonly Expected[]): string[] {
    return expected
      .map((e) => key({ ...e, commit: e.commit && this.commits.get(e.commit) }))
      .sort();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private plant(file: string, line: number, entry: Line): void {
    for (const rule of entry.rules) this.pending.push({ rule, file, line });
    if (entry.secret) this.secrets.push(entry.secret);
  }

  private flush(file: string): void {
    const full = path.join(this.dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(
      full,
      this.files
        .get(file)!
        .map((l) => `${l.text}\n`)
        .join(''),
    );
  }
}

/** The identity both tools must agree on. */
export function key(f: {
  rule: string;
  file?: string;
  line?: number;
  commit?: string | undefined;
}): string {
  return `${f.rule} ${f.file}:${f.line}${f.commit ? ` @${f.commit}` : ''}`;
}

/**
 * The labelled corpus: every built-in rule planted, decoys beside them, then secrets removed,
 * a file renamed and edited, and a branch that is never merged.
 */
export function buildCorpus(seed = 20_251_123): Corpus {
  const t = new Tokens(seed);
  const c = new Corpus();
  const ghp = t.github('ghp');
  const aws = t.awsKeyId();
  const awsSecret = t.awsSecret();
  const gcp = t.gcpApiKey();
  const azure = t.azureStorageKey();
  const webhook = t.slackWebhook();
  const stripe = t.stripe('sk');
  const dbPassword = t.password();
  c.write('config/settings.env', [
    plain('# service credentials for the staging stack'),
    secret('aws-access-token', `AWS_ACCESS_KEY_ID=${aws}`, aws),
    secret('aws-secret-access-key', `aws_secret_access_key = ${awsSecret}`, awsSecret),
    secret('gcp-api-key', `GOOGLE_API_KEY=${gcp}`, gcp),
    secret(
      'azure-storage-account-key',
      `AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${azure};EndpointSuffix=core.windows.net`,
      azure,
    ),
    secret('slack-webhook-url', `SLACK_WEBHOOK=${webhook}`, webhook),
    secret('stripe-access-token', `STRIPE_KEY=${stripe}`, stripe),
    plain('AWS_EXAMPLE_KEY=AKIAIOSFODNN7EXAMPLE'),
    plain('DB_PASSWORD_HINT=changeme-please-42'),
    plain('REDIS_PASSWORD=aaaaaaaaaaaaaaaaaaaa'),
    secret('generic-api-key', `DB_PASSWORD=${dbPassword}`, dbPassword),
    plain('LOG_LEVEL=debug'),
  ]);
  c.write('README.md', [plain('# corpus'), plain(''), plain('Tokens live in the vault.')]);
  c.commit('add-config');

  const tokens: Array<[string, string, string]> = [
    ['github-pat', 'gh', ghp],
    ['github-oauth', 'oauth', t.github('gho')],
    ['github-app-token', 'installation', t.github('ghs')],
    ['github-app-token', 'userToServer', t.github('ghu')],
    ['github-refresh-token', 'refresh', t.github('ghr')],
    ['github-fine-grained-pat', 'fine', t.githubFineGrained()],
    ['gitlab-pat', 'gl', t.gitlab('glpat-')],
    ['gitlab-ptt', 'trigger', t.gitlabTrigger()],
    ['gitlab-rrt', 'registration', t.gitlabRunnerRegistration()],
    ['gitlab-runner-token', 'runnerAuth', t.gitlab('glrt-')],
    ['gitlab-deploy-token', 'deploy', t.gitlab('gldt-')],
    ['gitlab-cicd-job-token', 'job', t.gitlab('glcbt-')],
    ['slack-bot-token', 'bot', t.slackBot()],
    ['slack-user-token', 'user', t.slackUser()],
    ['slack-legacy-token', 'legacy', t.slackLegacy()],
    ['slack-app-token', 'slackApp', t.slackApp()],
    ['npm-access-token', 'npmrc', t.npm()],
    ['jwt', 'session', t.jwt()],
  ];
  const azureClient = t.azureClientSecret();
  c.write('src/clients.ts', [
    plain('// API clients for the integration tests'),
    ...tokens.map(([rule, name, value]) =>
      secret(rule, `export const ${name} = "${value}";`, value),
    ),
    secret(
      'azure-ad-client-secret',
      `export const AZURE_CLIENT_CREDENTIAL = "${azureClient}";`,
      azureClient,
    ),
    plain(`export const fake = "ghp_${'a'.repeat(36)}";`),
    plain(`export const allowed = "${t.github('ghp')}"; // gitleaks:allow`),
    plain(`export const shortOne = "ghp_${t.pick('abcdef0123456789', 35)}";`),
    plain('export const tokenSource = process.env.API_TOKEN;'),
    plain(`export const embedded = "xghp_${t.pick('abcdefghijk0123456789', 36)}";`),
  ]);
  c.commit('add-clients');

  const sa = t.hex(40);
  const pem = t.privateKey('');
  c.write('gcp/service-account.json', [
    plain('{'),
    plain('  "type": "service_account",'),
    plain('  "project_id": "corpus-project",'),
    secret('gcp-service-account-key', `  "private_key_id": "${sa}",`, sa),
    secret('private-key', `  "private_key": "${pem.join('\\n')}\\n",`, pem[1]!),
    plain('  "client_email": "deployer@corpus-project.iam.gserviceaccount.com",'),
    plain('  "token_uri": "https://oauth2.googleapis.com/token"'),
    plain('}'),
  ]);
  for (const [file, kind] of [
    ['keys/deploy_key', 'OPENSSH '],
    ['keys/legacy.pem', 'RSA '],
    ['keys/ec.pem', 'EC '],
    ['keys/signing.asc', 'PGP '],
  ] as const) {
    const [begin, ...rest] = t.privateKey(kind);
    c.write(file, [secret('private-key', begin!, rest[0]!), ...rest.map(plain)]);
  }
  c.write('node_modules/leftpad/index.js', [plain(`module.exports = "${t.github('ghp')}";`)]);
  c.write('package-lock.json', [plain(`{ "token": "${t.npm()}" }`)]);
  c.commit('add-keys');

  // Rotation: the secrets leave the working tree but stay in history.
  c.replace('config/settings.env', 2, plain('AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}'));
  c.replace('src/clients.ts', 2, plain('export const gh = process.env.GH_TOKEN;'));
  c.remove('keys/legacy.pem');
  c.commit('rotate');

  c.rename('config/settings.env', 'config/app.env');
  const second = t.password();
  c.append('config/app.env', [secret('generic-api-key', `DB_PASSWORD_REPLICA=${second}`, second)]);
  c.commit('rename');

  c.onBranch('feature/payments', () => {
    const rk = t.stripe('rk');
    const pw = t.password();
    c.write('deploy/prod.env', [
      secret('stripe-access-token', `STRIPE_RESTRICTED=${rk}`, rk),
      secret('generic-api-key', `admin_password: "${pw}"`, pw),
    ]);
    c.commit('unmerged-branch');
  });
  return c;
}
