// The secret scanner's public API (for the CLI, the gate and workflow shims).
export { builtinRules } from './builtin-rules.js';
export { loadSecretsConfig } from './config-file.js';
export { translateGoRegex, GoRegexError, type TranslatedRegex } from './go-regex.js';
export { redactSecret } from './redact.js';
export { secretsJson, writeSecretsJson } from './report-json.js';
export { secretsSarif, writeSecretsSarif, type SarifOptions } from './report-sarif.js';
export { formatSecretsTable } from './report-table.js';
export { scanSecrets, scanSecretsWithStats } from './scan.js';
export type { RuleSpec, ScanSecretsOptions, SecretConfig, SecretFinding } from './types.js';
