/** A Taskfile as loaded: every task keyed by its full name (`backend:test`). */
export interface TaskGraph {
  /** The root Taskfile's path. */
  readonly rootFile: string;
  readonly tasks: ReadonlyMap<string, TaskDef>;
  /** Alias → full task name. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Root-level settings (`output`, `method`, `run`, `silent`, `set`, `shopt`, `interval`). */
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface TaskDef {
  /** Full name with include namespaces, e.g. `backend:test`. */
  readonly name: string;
  /** The Taskfile that declares the task. */
  readonly file: string;
  readonly line: number;
  /** Where the task runs unless it sets `dir:` (the include's `dir`, else the including Taskfile's). */
  readonly dir: string;
  /** Variable layers from the outermost include inwards: global vars, include-site vars. */
  readonly varLayers: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly envLayers: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The task's own YAML mapping, as plain data (templated when it runs). */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Internal tasks are callable from tasks but not from the command line or `--list`. */
  readonly internal: boolean;
  readonly aliases: readonly string[];
}
