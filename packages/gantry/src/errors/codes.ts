/**
 * Every error a user can cause has a stable code, registered here once.
 * `docs/errors.md` lists the same codes; a test keeps the two in sync.
 */
export const errorCodes = {
  GANTRY_USAGE: 'The command line is wrong: an unknown flag, a missing value or a bad argument.',
  GANTRY_CONFIG_INVALID:
    'A workflow, action or config file is invalid: bad YAML, schema errors, unknown needs, cycles or bad expressions. All problems are listed with file:line:column.',
  GANTRY_WORKFLOW_NOT_FOUND: 'No workflow file was found where one was expected.',
  GANTRY_EXPRESSION_INVALID: 'A `${{ }}` expression cannot be parsed.',
  GANTRY_EXPRESSION_FAILED: 'A `${{ }}` expression failed while it was evaluated.',
  GANTRY_MATRIX_INVALID: 'A `strategy.matrix` is invalid or expands to more than 256 jobs.',
  GANTRY_INPUT_INVALID: 'A `--input` does not fit the workflow_dispatch `inputs:` definition.',
  GANTRY_GIT_FAILED: 'A git command Gantry needs (to read refs, commits or changed files) failed.',
  GANTRY_SECRETS_FILE_INVALID: 'The `--secrets-file` cannot be read or parsed.',
  GANTRY_ACTION_NOT_FOUND:
    'A `uses:` action is neither built in, local, nor vendored in the GANTRY_ACTIONS_PATH mirror.',
  GANTRY_ACTION_INVALID: 'An action.yml is invalid or names an unknown `runs.using`.',
  GANTRY_ACTION_INPUT_MISSING: 'A required action input has no value and no default.',
  GANTRY_UNSUPPORTED:
    'The workflow uses a feature that needs containers (`container:` jobs, Docker actions).',
  GANTRY_TOOL_MISSING:
    'A tool a setup action asked for is not installed on this host in the requested version.',
  GANTRY_SERVICE_UNSUPPORTED:
    'A job declares a `services:` image that Gantry has no native provider for.',
  GANTRY_SERVICE_BINARY_MISSING:
    'A `services:` image has a native provider, but its server is not installed on this host.',
  GANTRY_SERVICE_FAILED:
    'A service did not start or did not become healthy (its `--health-cmd` or readiness check kept failing).',
  GANTRY_EXEC_SPAWN_FAILED: 'A process could not be started (shell or program not found).',
  GANTRY_EXEC_TIMEOUT: 'A step or job exceeded its `timeout-minutes`.',
  GANTRY_CACHE_FAILED: 'The local cache store could not be read or written.',
  GANTRY_REMOTE_CACHE_FAILED:
    'The remote task cache could not be reached or refused a request; Gantry went on with the local cache.',
  GANTRY_CACHE_OUTPUTS_MISSING:
    'A cached task finished but the files its `generates:` declares are missing, so nothing was stored.',
  GANTRY_TASK_FAILED:
    'A Taskfile task failed: a command exited non-zero or a precondition was not met.',
  GANTRY_ARTIFACT_NOT_FOUND: 'download-artifact asked for an artifact this run has not uploaded.',
  GANTRY_STORE_FAILED: 'The run store (`.gantry/gantry.db`) could not be opened or written.',
  GANTRY_RUN_NOT_FOUND: 'No recorded run (or job) matches the id given to `gantry logs`.',
  GANTRY_REPORT_INVALID:
    'A quality report (JUnit, coverage, SARIF, scanner JSON, ...) is malformed, truncated or not in the format named.',
  GANTRY_REPORT_MISSING:
    'A report the gate policy expects does not exist, so the gate fails rather than passing silently.',
  GANTRY_GATE_FAILED: 'A required quality gate did not pass.',
  GANTRY_GATE_EXPRESSION_INVALID:
    'A gate rule (`--require`, `--warn` or `gates:`) cannot be parsed or names something the model does not have.',
  GANTRY_IGNORE_EXPIRED:
    "An ignore entry (`.trivyignore` `exp:`, Gantry's ignore file) is past its expiry date.",
  GANTRY_SECRETS_FOUND: 'The secret scanner found secrets in the working tree or the git history.',
  GANTRY_VULNERABILITIES_FOUND:
    'The dependency scanner found known vulnerabilities in the locked dependencies.',
  GANTRY_LOCKFILE_INVALID: 'A lockfile or requirements file cannot be read.',
  GANTRY_NO_LOCKFILE: 'No lockfile Gantry can read was found for an SBOM or a dependency scan.',
  GANTRY_OSV_DB_INVALID:
    'The OSV database given to `gantry scan deps --db` is missing or not a directory of OSV JSON or an OSV `all.zip` export.',
  GANTRY_SCAN_CONFIG_INVALID:
    'A secret-scanner configuration (gitleaks TOML) or an ignore file cannot be parsed.',
  GANTRY_PROXY_PORT_IN_USE:
    'The deployment proxy (or its metrics listener) cannot listen: the port is taken.',
  GANTRY_PROXY_NO_BACKEND:
    'The deployment proxy has no route for a host, or no ready instance behind it (HTTP 404 or 503 to the client).',
  GANTRY_RELEASE_UNHEALTHY:
    "A release's process did not become ready (its readiness check kept failing) before the deadline.",
  GANTRY_RELEASE_CRASHED:
    "A release's process kept exiting and was not restarted again (more crashes than its restart limit).",
  GANTRY_ANALYSIS_CONDITION_INVALID:
    'An analysis `successCondition` or `failureCondition` cannot be parsed or uses an unknown name.',
  GANTRY_ANALYSIS_PROVIDER_FAILED:
    'A metric provider could not take a measurement (Prometheus unreachable, a bad query, an unexpected response).',
  GANTRY_DEPLOY_UNKNOWN_ENVIRONMENT:
    'A deployment names an environment gantry.yml does not declare (nor a `pr-<number>` one with an ephemeral template).',
  GANTRY_DEPLOY_NOT_FOUND: 'A command names a deployment (or a release) that is not recorded.',
  GANTRY_DEPLOY_NOT_ALLOWED:
    'The user may not approve or reject this deployment (not a listed approver, or the one who requested it).',
  GANTRY_DEPLOY_INVALID_STATE:
    'A command does not apply to the deployment as it is (promote a finished one, approve one that needs no approval).',
  GANTRY_DEPLOY_FAILED:
    'A deployment ended failed, aborted, rejected or superseded (reported by `gantry deploy --wait` and `gantry/deploy@v1`).',
  GANTRY_AGENT_FAILED:
    'The deployment agent (`gantry agent`) could not start or stopped answering; its log is in .gantry/deploy/agent.log.',
  GANTRY_INTERNAL: 'A bug in Gantry. Please report it with the command you ran.',
} as const;

export type ErrorCode = keyof typeof errorCodes;
