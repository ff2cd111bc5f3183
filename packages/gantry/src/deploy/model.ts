import type { MetricSpec } from '../analysis/index.js';

/**
 * The deployment side of gantry.yml after checking: apps (how a release runs locally) and
 * environments (when and how a release reaches them). Durations are milliseconds. Names
 * follow Argo Rollouts where the concept is the same (`setWeight`, `pause`, `analysis`,
 * `autoPromotion`, `scaleDownDelay`, `failureLimit`, ...).
 */
export interface DeployConfig {
  readonly proxy: { readonly port: number; readonly metricsPort: number };
  readonly apps: Readonly<Record<string, AppConfig>>;
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
}

export interface HttpCheck {
  readonly path: string;
  /** Expected status: an exact code, or a class such as `2xx`. */
  readonly expect: string;
}

export interface AppConfig {
  readonly name: string;
  /** The app's directory in the repository. */
  readonly path: string;
  /** Run once per release in its directory before any instance starts (`uv sync --frozen`). */
  readonly prepare?: string;
  /** The command of one instance; `$PORT` is the port Gantry chose for it. */
  readonly start: string;
  readonly instances: number;
  readonly env: Readonly<Record<string, string>>;
  readonly readiness: {
    readonly path: string;
    readonly intervalMs: number;
    readonly timeoutMs: number;
  };
  /** Requests every instance of a new release must answer as expected before it gets traffic. */
  readonly smoke: readonly HttpCheck[];
  /** Zero-downtime migrations (expand -> migrate -> contract), run in the release's directory. */
  readonly migrations?: {
    readonly expand?: string;
    readonly contract?: string;
    /** Releases a contract step may stay pending before `policy` applies. */
    readonly pendingLimit: number;
    readonly policy: 'warn' | 'block';
  };
  readonly stopGraceMs: number;
  readonly startTimeoutMs: number;
}

export type Promotion =
  | { readonly on: 'branch'; readonly branches: readonly string[] }
  | { readonly on: 'tag'; readonly tags: readonly string[] }
  | { readonly on: 'manual' };

export interface Approvals {
  readonly required: number;
  /** Who may approve; empty: anyone but the one who asked for the deployment. */
  readonly approvers: readonly string[];
}

export interface AnalysisConfig {
  readonly metrics: readonly MetricSpec[];
  /** Synthetic requests per second while the analysis runs, for releases without traffic. */
  readonly load?: { readonly rps: number; readonly path: string };
}

export type CanaryStep =
  | { readonly setWeight: number }
  | { readonly pause: { readonly durationMs?: number } }
  | { readonly analysis: AnalysisConfig };

export type Strategy =
  | { readonly type: 'recreate' }
  | { readonly type: 'rolling'; readonly maxSurge: number }
  | {
      readonly type: 'blueGreen';
      readonly autoPromotion: boolean;
      readonly autoPromotionMs?: number;
      readonly prePromotionAnalysis?: AnalysisConfig;
      readonly postPromotionAnalysis?: AnalysisConfig;
      readonly scaleDownDelayMs: number;
    }
  | {
      readonly type: 'canary';
      readonly steps: readonly CanaryStep[];
      readonly analysis?: AnalysisConfig;
      readonly scaleDownDelayMs: number;
    };

export interface EnvironmentConfig {
  readonly name: string;
  /** The host the proxy routes to this environment; `{number}` in an ephemeral one. */
  readonly host: string;
  readonly apps: readonly string[];
  readonly promotion: Promotion;
  readonly approvals: Approvals;
  readonly strategy: Strategy;
  /** Per-environment values for the apps' instances (DATABASE_URL, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** A template for pull-request environments `pr-<number>`, destroyed on close or after ttl. */
  readonly ephemeral?: { readonly ttlMs: number };
}
