// Types of scripts/drill.mjs, for the test that runs the drill (test/example/drill.test.ts).

/** The deployment API the drill drives; the test passes the TypeScript sources' own. */
export interface DeployApi {
  readonly DeployRuntime: unknown;
  readonly requestDeployment: unknown;
  readonly commandDeployment: unknown;
  readonly decide: unknown;
  readonly readDeployConfig: unknown;
  readonly loadProjectConfig: unknown;
  readonly openStore: unknown;
  readonly startLoad: unknown;
}

export interface DrillOptions {
  /** What is wrong with the bad release: 30 % of requests answer 500, or +300 ms each. */
  readonly bad?: 'errors' | 'latency';
  /** Overrides the production analysis interval of the example's gantry.yml (5 s). */
  readonly intervalSeconds?: number;
  /** The clients' steady load, requests per second (default 50). */
  readonly rps?: number;
  /** Keeps the example repository and its .gantry directory. */
  readonly keep?: boolean;
  /** Installs uv from PyPI when it is nowhere (default true). */
  readonly installUv?: boolean;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
  /** Default: bundled from packages/gantry/src with esbuild. */
  readonly api?: DeployApi;
}

export interface LoadCounts {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly errors5xx: number;
  readonly dropped: number;
}

export interface DrillCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface DrillReport {
  readonly ok: boolean;
  readonly example: string;
  readonly bad: 'errors' | 'latency';
  readonly badRelease: string;
  readonly analysisIntervalSeconds: number;
  readonly loadRps: number;
  readonly loadPath: string;
  /** Canary start (its first WeightSet) to the AnalysisFailed event. */
  readonly detectionSeconds: number | null;
  /** Canary start to the failed measurement itself. */
  readonly failedMeasurementSeconds: number | null;
  /** AnalysisFailed to ScaledDown: traffic back on stable, the canary stopped. */
  readonly rollbackSeconds: number | null;
  readonly canaryStartToFullRollbackSeconds: number | null;
  readonly rollbackTarget: { readonly seconds: number; readonly met: boolean };
  readonly failedMeasurement: {
    readonly metric: string;
    readonly value: number | number[] | null;
    readonly message: string | null;
  } | null;
  readonly canary: {
    readonly message: string | null;
    readonly events: readonly string[];
    readonly servedByCanary: { readonly requests: number; readonly errors5xx: number };
    readonly clients: LoadCounts;
    readonly afterRollback: { readonly requests: number; readonly fromGoodRelease: number };
  };
  readonly blueGreen: {
    readonly requests: number;
    readonly ok: number;
    readonly failed: number;
    readonly errors5xx: number;
    readonly dropped: number;
    readonly switchedAfterSeconds: number;
    readonly loadSecondsAfterBlueStopped: number;
  };
  readonly final: {
    readonly environments: readonly {
      readonly environment: string;
      readonly host: string | undefined;
      readonly stableRelease: string | null;
      readonly running: readonly string[];
    }[];
    readonly deployments: readonly {
      readonly id: number;
      readonly environment: string;
      readonly release: string;
      readonly strategy: string | undefined;
      readonly status: string;
      readonly message: string | null;
    }[];
  };
  readonly checks: readonly DrillCheck[];
  readonly durationSeconds: number;
}

export function runDrill(options?: DrillOptions): Promise<DrillReport>;
