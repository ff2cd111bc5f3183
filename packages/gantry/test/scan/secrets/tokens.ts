/**
 * Fake but format-valid tokens for every built-in rule, from a seeded generator so a corpus
 * is the same on every run (and its entropy stays above the rules' floors).
 */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const BASE62 = UPPER + LOWER + DIGITS;
const BASE64 = `${BASE62}+/`;
const BASE64URL = `${BASE62}-_`;
const HEX = '0123456789abcdef';

export class Tokens {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  pick(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  awsKeyId = () => `AKIA${this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  awsSecret = () => this.pick(BASE64, 40);
  gcpApiKey = () => `AIza${this.pick(BASE64URL, 35)}`;
  azureStorageKey = () => `${this.pick(BASE64, 86)}==`;
  azureClientSecret = () =>
    `${this.pick(BASE62, 3)}${this.int(0, 9)}Q~${this.pick(`${BASE62}_~.-`, 33)}x`;
  github = (prefix: string) => `${prefix}_${this.pick(BASE62, 36)}`;
  githubFineGrained = () => `github_pat_${this.pick(BASE62, 22)}_${this.pick(BASE62, 59)}`;
  gitlab = (prefix: string) => `${prefix}${this.pick(BASE62, 20)}`;
  gitlabTrigger = () => `glptt-${this.pick(HEX, 40)}`;
  gitlabRunnerRegistration = () => `GR1348941${this.pick(BASE62, 20)}`;
  slackBot = () =>
    `xoxb-${this.pick(DIGITS, 11)}-${this.pick(DIGITS, 13)}-${this.pick(BASE62, 24)}`;
  slackUser = () =>
    `xoxp-${this.pick(DIGITS, 10)}-${this.pick(DIGITS, 12)}-${this.pick(DIGITS, 13)}-${this.pick(HEX, 32)}`;
  slackLegacy = () =>
    `xoxs-${this.pick(DIGITS, 10)}-${this.pick(DIGITS, 12)}-${this.pick(BASE62, 24)}`;
  slackApp = () =>
    `xapp-1-A${this.pick(UPPER + DIGITS, 10)}-${this.pick(DIGITS, 13)}-${this.pick(HEX, 64)}`;
  slackWebhook = () =>
    `https://hooks.slack.com/services/T${this.pick(UPPER + DIGITS, 8)}/B${this.pick(UPPER + DIGITS, 10)}/${this.pick(BASE62, 24)}`;
  stripe = (kind: 'sk' | 'rk') => `${kind}_live_${this.pick(BASE62, 34)}`;
  npm = () => `npm_${this.pick(BASE62, 36)}`;
  hex = (length: number) => this.pick(HEX, length);
  password = () => `${this.pick(BASE62, 10)}!${this.pick(DIGITS, 3)}${this.pick(BASE62, 8)}`;

  jwt(): string {
    const b64url = (text: string) => Buffer.from(text).toString('base64url');
    const header = b64url('{"alg":"HS256","typ":"JWT"}');
    const payload = b64url(
      `{"sub":"${this.pick(DIGITS, 10)}","name":"user${this.pick(LOWER, 6)}","iat":1516239022}`,
    );
    return `${header}.${payload}.${this.pick(BASE64URL, 43)}`;
  }

  /** A PEM-style block; `kind` is '', 'RSA ', 'EC ', 'OPENSSH ' or 'PGP ' (with BLOCK). */
  privateKey(kind: string): string[] {
    const label = kind === 'PGP ' ? 'PGP PRIVATE KEY BLOCK' : `${kind}PRIVATE KEY`;
    const body = Array.from({ length: 6 }, () => this.pick(BASE64, 64));
    return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`];
  }
}
