import type { AllowlistSpec, RuleSpec } from './types.js';

/**
 * Gantry's built-in rules, written from each provider's documented token format, in Go RE2
 * syntax (the same dialect as a gitleaks config, compiled by the same translation). Rule ids
 * follow gitleaks' names where the token is the same, so `.gitleaksignore` files carry over.
 * Every rule has keywords: the prefilter runs a rule's regex only where one occurs.
 */

const github = (id: string, prefix: string, what: string, length = '{36}'): RuleSpec => ({
  id,
  description: `GitHub ${what}`,
  regex: `\\b(${prefix}_[0-9A-Za-z]${length})\\b`,
  entropy: 3,
  keywords: [`${prefix}_`],
  tags: ['github'],
});

/** Values that are names of things, not secrets: dotted paths, camelCase and snake_case words. */
const identifierValues = [
  '^[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+$',
  '^[a-z]+(?:[A-Z][a-z]+)+$',
  '^[a-z]+(?:_[a-z]+)+$',
  '^[A-Z]+(?:_[A-Z]+)+$',
];

const genericKeywords = ['password', 'passwd', 'pwd', 'secret', 'token'].concat(
  ['api', 'access', 'auth'].flatMap((w) => ['', '_', '-', '.'].map((sep) => `${w}${sep}key`)),
);

export const builtinRules: readonly RuleSpec[] = [
  {
    id: 'aws-access-token',
    description: 'AWS access key ID',
    // 20 characters: a 4-character type prefix, then 16 base32 characters.
    regex: '\\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\\b',
    entropy: 3,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    tags: ['aws'],
    // AWS documentation's placeholder keys all end in EXAMPLE.
    allowlists: [{ regexes: ['EXAMPLE$'] }],
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    // 40 base64 characters assigned to a name that says what it is.
    regex:
      '(?i)\\b(?:aws[_.-]?)?secret[_.-]?access[_.-]?key["\']?\\s{0,5}(?::=|=>|=|:)\\s{0,5}["\']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)',
    entropy: 4,
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'secret.access.key'],
    tags: ['aws'],
    allowlists: [{ regexes: ['EXAMPLEKEY$'] }],
  },
  {
    id: 'gcp-service-account-key',
    description: 'Google Cloud service account key (JSON key file)',
    regex: '"private_key_id"\\s*:\\s*"([0-9a-f]{40})"',
    entropy: 3,
    keywords: ['private_key_id'],
    tags: ['gcp'],
  },
  {
    id: 'gcp-api-key',
    description: 'Google API key',
    regex: '\\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)',
    entropy: 3,
    keywords: ['aiza'],
    tags: ['gcp'],
  },
  {
    id: 'azure-storage-account-key',
    description: 'Azure storage account key (connection string AccountKey)',
    // 64 random bytes in base64: 86 characters and `==`.
    regex: '(?i)\\bAccountKey\\s*=\\s*([A-Za-z0-9+/]{86}==)',
    entropy: 4,
    keywords: ['accountkey'],
    tags: ['azure'],
  },
  {
    id: 'azure-ad-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secret',
    // 3 characters, a digit, `Q~`, then 31–34 more.
    regex:
      '(?:^|[\\s\'"\\x60=:(,\\[])([0-9A-Za-z_~.]{3}[0-9]Q~[0-9A-Za-z_~.-]{31,34})(?:$|[\\s\'"\\x60,;)\\]])',
    entropy: 3,
    keywords: ['q~'],
    tags: ['azure'],
  },
  github('github-pat', 'ghp', 'personal access token (classic)'),
  github('github-oauth', 'gho', 'OAuth access token'),
  {
    ...github('github-app-token', 'ghu', 'App user-to-server or server-to-server token'),
    regex: '\\b((?:ghu|ghs)_[0-9A-Za-z]{36})\\b',
    keywords: ['ghu_', 'ghs_'],
  },
  github('github-refresh-token', 'ghr', 'App refresh token', '{36,76}'),
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    regex: '\\b(github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59})\\b',
    entropy: 3,
    keywords: ['github_pat_'],
    tags: ['github'],
  },
  ...(
    [
      ['gitlab-pat', 'glpat-', 'personal, project or group access token'],
      ['gitlab-runner-token', 'glrt-', 'runner authentication token'],
      ['gitlab-deploy-token', 'gldt-', 'deploy token'],
      ['gitlab-cicd-job-token', 'glcbt-', 'CI/CD job token'],
    ] as const
  ).map(([id, prefix, what]): RuleSpec => ({
    id,
    description: `GitLab ${what}`,
    // Legacy tokens: 20 characters; routable tokens add `.<2>.<9>` after a longer body.
    regex: `\\b(${prefix}[0-9A-Za-z_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{9})?)(?:[^0-9A-Za-z_.-]|$)`,
    entropy: 3,
    keywords: [prefix],
    tags: ['gitlab'],
  })),
  {
    id: 'gitlab-ptt',
    description: 'GitLab pipeline trigger token',
    regex: '\\b(glptt-[0-9a-f]{40})\\b',
    entropy: 3,
    keywords: ['glptt-'],
    tags: ['gitlab'],
  },
  {
    id: 'gitlab-rrt',
    description: 'GitLab runner registration token (legacy)',
    regex: '\\b(GR1348941[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$)',
    entropy: 3,
    keywords: ['gr1348941'],
    tags: ['gitlab'],
  },
  {
    id: 'slack-bot-token',
    description: 'Slack bot token',
    regex: '\\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z]{24,34})\\b',
    entropy: 3,
    keywords: ['xoxb-'],
    tags: ['slack'],
  },
  {
    id: 'slack-user-token',
    description: 'Slack user or refresh token',
    regex: '\\b(xox[pe](?:-[0-9]{10,13}){3}-[0-9A-Za-z]{28,34})\\b',
    entropy: 3,
    keywords: ['xoxp-', 'xoxe-'],
    tags: ['slack'],
  },
  {
    id: 'slack-legacy-token',
    description: 'Slack legacy workspace, app or refresh token',
    regex: '\\b(xox[ars]-(?:[0-9]{1,13}-){1,4}[0-9A-Za-z]{8,48})\\b',
    entropy: 3,
    keywords: ['xoxa-', 'xoxr-', 'xoxs-'],
    tags: ['slack'],
  },
  {
    id: 'slack-app-token',
    description: 'Slack app-level token',
    regex: '(?i)\\b(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[0-9a-f]{40,64})\\b',
    entropy: 3,
    keywords: ['xapp-'],
    tags: ['slack'],
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook or workflow trigger URL',
    regex:
      '(?:https?://)?hooks\\.slack\\.com/(?:services/T[0-9A-Z]{8,12}/B[0-9A-Z]{8,12}/[0-9A-Za-z]{24}|(?:workflows|triggers)/T[0-9A-Z]{8,12}/A[0-9A-Z]{8,12}/[0-9]{15,20}/[0-9A-Za-z]{32})',
    keywords: ['hooks.slack.com'],
    tags: ['slack'],
  },
  {
    id: 'stripe-access-token',
    description: 'Stripe secret or restricted API key',
    regex: '\\b((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,99})\\b',
    entropy: 3,
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    tags: ['stripe'],
  },
  {
    id: 'npm-access-token',
    description: 'npm access token',
    regex: '\\b(npm_[0-9A-Za-z]{36})\\b',
    entropy: 3,
    keywords: ['npm_'],
    tags: ['npm'],
  },
  {
    id: 'private-key',
    description: 'Private key (PEM or OpenSSH/PGP armour)',
    // The whole block, BEGIN to END; JSON-escaped `\n` line breaks match as well.
    regex:
      '(?i)-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{32,}?-----END (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----',
    keywords: ['-----begin'],
    tags: ['key'],
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    // Header and payload are base64url JSON objects, so both start with `eyJ`.
    regex: '\\b(eyJ[0-9A-Za-z_-]{8,}\\.eyJ[0-9A-Za-z_-]{8,}\\.[0-9A-Za-z_-]{16,})',
    entropy: 3,
    keywords: ['eyj'],
    tags: ['jwt'],
  },
  {
    id: 'generic-api-key',
    description: 'Generic secret assigned to a password, secret, token or key',
    regex:
      '(?i)(?:password|passwd|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key)[\\w.-]{0,20}?["\']?\\s{0,5}(?::=|=>|\\|\\|:|=|:)\\s{0,5}["\'\\x60]?([0-9A-Za-z+/=_.~!@#%^&*?-]{8,128})(?:[^0-9A-Za-z+/=_.~!@#%^&*?-]|$)',
    secretGroup: 1,
    entropy: 3.5,
    keywords: genericKeywords,
    tags: ['generic'],
    allowlists: [
      { regexes: identifierValues },
      {
        stopwords: [
          'example',
          'sample',
          'changeme',
          'change_me',
          'placeholder',
          'dummy',
          'redacted',
          'xxxxxx',
          'your_',
          'your-',
          'process.env',
          'os.environ',
          'getenv',
        ],
      },
    ],
  },
];

export const builtinAllowlists: readonly AllowlistSpec[] = [
  {
    description: 'dependencies, lockfiles and binary media',
    paths: [
      '(?:^|/)(?:node_modules|vendor|\\.git)/',
      '(?:^|/)(?:package-lock\\.json|npm-shrinkwrap\\.json|yarn\\.lock|pnpm-lock\\.yaml|go\\.sum|Cargo\\.lock|poetry\\.lock|uv\\.lock|composer\\.lock|Gemfile\\.lock)$',
      '(?i)\\.(?:png|jpe?g|gif|bmp|ico|webp|woff2?|ttf|otf|eot|pdf|zip|gz|tgz|bz2|xz|7z|jar|class|so|dylib|dll|exe|mp3|mp4|mov)$',
    ],
  },
  {
    description: 'literals that are never secrets',
    regexes: ['(?i)^(?:true|false|null|none|nil|undefined)$'],
  },
];
