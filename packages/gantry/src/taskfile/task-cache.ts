import { closeSync, mkdirSync, openSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { packArtifact, unpackArtifact, type LogChunk } from '../cache/artifact.js';
import type { LocalCache, TaskState } from '../cache/local-store.js';
import { cacheKey, explainDifferences, sha256, type TaskManifest } from '../cache/manifest.js';
import { GantryError } from '../errors/index.js';
import {
  everyGlobMatches,
  hashFiles,
  matchFiles,
  racyWindowMs,
  stampFiles,
  type FileStamp,
  type GlobSpec,
} from './fingerprint.js';

/** The part of a remote cache the runner uses (see cache/remote.ts). */
export interface RemoteTaskCache {
  get(hash: string): Promise<{ body: Buffer } | undefined>;
  put(hash: string, body: Buffer, durationMs: number): Promise<void>;
}

export type Method = 'checksum' | 'timestamp' | 'none';

/** A task's inputs, computed once per execution before deciding whether it must run. */
export interface Fingerprint {
  readonly task: string;
  readonly dir: string;
  readonly method: Method;
  readonly sources: readonly GlobSpec[];
  readonly generates: readonly GlobSpec[];
  /** With `method: checksum` and `sources:`: the manifest and its key. */
  readonly manifest?: TaskManifest;
  readonly key?: string;
  /** The sources' stamps behind `manifest.files`, and when they were taken. */
  readonly stamps?: Readonly<Record<string, FileStamp>>;
  readonly stampedAt?: number;
  /** Some stamp was too recent to trust next time unless recorded again now. */
  readonly racy?: boolean;
  /** Where the state of this task in this checkout is kept. */
  readonly stateId: string;
  /** The task has a `status:` check: it decides by itself, so only `generates:` are cached. */
  readonly hasStatus: boolean;
}

export interface Verdict {
  readonly upToDate: boolean;
  /** Why, in words, for `--explain`; several lines when inputs changed. */
  readonly reasons: readonly string[];
}

export interface CacheOptions {
  readonly local: LocalCache;
  readonly remote?: RemoteTaskCache;
  readonly rootDir: string;
  /** Masks secrets in what is written to the cache (logs and manifests). */
  readonly mask: (text: string) => string;
  readonly warn: (message: string) => void;
}

/**
 * go-task's up-to-date checks (`method: checksum | timestamp | none`) made content-addressed:
 * with `checksum`, a task's key covers its templated definition, declared env, source
 * contents, dependencies' keys and platform, so a change to any of them (not only to source
 * files, go-task#548) makes it run. A task that also declares `generates:` is cached: its
 * outputs and log are stored under the key, locally and in the remote cache, and restored
 * instead of running, in this checkout or any other; a task with `sources:` only and no
 * `status:` (a linter, a type check) is cached as its log.
 */
export class TaskCache {
  private readonly uploads: Array<Promise<void>> = [];
  /** States read or written in this run: fingerprint and check both need them. */
  private readonly states = new Map<string, TaskState | undefined>();

  constructor(private readonly options: CacheOptions) {}

  private state(id: string): TaskState | undefined {
    if (!this.states.has(id)) this.states.set(id, this.options.local.readState(id));
    return this.states.get(id);
  }

  private writeState(id: string, state: TaskState | undefined, manifest?: TaskManifest): void {
    if (state) this.options.local.writeState(id, state, manifest);
    else this.options.local.removeState(id);
    this.states.set(id, state);
  }

  fingerprint(input: {
    task: string;
    dir: string;
    method: Method;
    sources: readonly GlobSpec[];
    generates: readonly GlobSpec[];
    definition: unknown;
    env: Readonly<Record<string, string>>;
    deps: Readonly<Record<string, string>>;
    platform: string;
    salt: string;
    hasStatus: boolean;
  }): Fingerprint {
    const { rootDir } = this.options;
    const stateId = `${input.task.replace(/[^A-Za-z0-9]/g, '-')}-${sha256(`${rootDir}\0${input.task}`).slice(0, 12)}`;
    const base = {
      task: input.task,
      dir: input.dir,
      method: input.method,
      sources: input.sources,
      generates: input.generates,
      stateId,
      hasStatus: input.hasStatus,
    };
    if (input.method !== 'checksum' || input.sources.length === 0) return base;
    const previous = this.state(stateId);
    const stampedAt = Date.now();
    const stamps = stampFiles(
      input.dir,
      matchFiles(input.dir, input.sources),
      previous?.sources,
      previous?.stampedAt ?? 0,
    );
    const files = Object.fromEntries(Object.entries(stamps).map(([file, s]) => [file, s[4]]));
    const manifest: TaskManifest = {
      salt: input.salt,
      task: input.task,
      dir: relativeDir(rootDir, input.dir),
      platform: input.platform,
      definition: JSON.parse(
        JSON.stringify(input.definition ?? null).replaceAll(
          JSON.stringify(rootDir).slice(1, -1),
          '$ROOT_DIR',
        ),
      ) as unknown,
      env: Object.fromEntries(Object.entries(input.env).map(([k, v]) => [k, sha256(v)])),
      files,
      deps: input.deps,
    };
    // Stamps the last record could not vouch for (too recent then) are recorded again with
    // this stampedAt, so the next check can trust them once they are old enough.
    const trustedBefore = (previous?.stampedAt ?? 0) - racyWindowMs;
    const racy = Object.values(stamps).some((s) => s[1] >= trustedBefore);
    return {
      ...base,
      manifest,
      key: cacheKey(manifest),
      stamps,
      stampedAt,
      racy,
    };
  }

  /** Is the task up to date in this checkout (go-task's rules, with Gantry's key)? */
  check(fp: Fingerprint, dry: boolean): Verdict {
    if (fp.method === 'none' || fp.sources.length === 0)
      return { upToDate: false, reasons: ['it declares no sources (or method: none)'] };
    if (fp.method === 'timestamp') return this.checkTimestamps(fp, dry);
    const state = this.state(fp.stateId);
    // Nothing reads it again: kept, it would be copied by every young-generation GC.
    this.states.delete(fp.stateId);
    if (!state?.key || !fp.manifest)
      return { upToDate: false, reasons: ['no earlier run of it is recorded in this checkout'] };
    if (state.key !== fp.key) {
      const previous = this.options.local.readManifest(fp.stateId);
      const changes = previous ? explainDifferences(previous, fp.manifest) : [];
      return {
        upToDate: false,
        reasons: [
          `its key changed (${state.key.slice(0, 12)} → ${fp.key?.slice(0, 12)})`,
          ...changes,
        ],
      };
    }
    const changed = changedOutputs(fp.dir, state);
    if (changed.length > 0)
      return {
        upToDate: false,
        reasons: changed.map((file) => `generated file ${file} was changed or removed`),
      };
    // Every recorded output exists now, so a glob matching one of them needs no walk.
    if (!everyGlobMatches(fp.dir, fp.generates, Object.keys(state.outputs)))
      return { upToDate: false, reasons: ['some of its generated files are missing'] };
    // Like `git status` refreshing the index: remember stamps that had to be hashed again
    // (a touched file, a state from before stamps), so the next check only stats them.
    if (!dry && fp.stamps && (fp.racy === true || !sameStamps(state.sources, fp.stamps)))
      this.writeState(fp.stateId, { ...state, ...this.stampsToRecord(fp) });
    return { upToDate: true, reasons: [`its key ${fp.key?.slice(0, 12)} matches the last run`] };
  }

  /**
   * Whether a successful run of this task is stored in (and restorable from) the cache: a task
   * with `generates:` (its outputs and log), or a check with `sources:` only, such as a linter
   * (its log: any checkout with the same key has passed it, as with Turborepo's tasks without
   * outputs). A task with a `status:` command and no `generates:` decides by itself.
   */
  cacheable(fp: Fingerprint): boolean {
    if (fp.key === undefined) return false;
    if (fp.generates.length > 0) return fp.generates.some((g) => !g.exclude);
    return !fp.hasStatus;
  }

  /**
   * Restores the task's outputs from the local cache, else the remote one. Returns the log to
   * replay, or undefined on a miss (a corrupt artifact is a miss with a warning).
   */
  async restore(
    fp: Fingerprint,
  ): Promise<{ from: 'local' | 'remote'; log: readonly LogChunk[] } | undefined> {
    if (!fp.key || !this.cacheable(fp)) return undefined;
    let from: 'local' | 'remote' = 'local';
    let body = this.options.local.get(fp.key);
    if (!body && this.options.remote) {
      body = (await this.options.remote.get(fp.key))?.body;
      from = 'remote';
    }
    if (!body) return undefined;
    try {
      const { meta, entries, hashes } = unpackArtifact(body, fp.dir);
      if (meta.key !== fp.key) throw new Error(`it is stored for key ${meta.key}`);
      if (from === 'remote') this.options.local.put(fp.key, body);
      // The restored files are the task's outputs (as matched when it was stored).
      this.record(fp, fp.manifest as TaskManifest, {
        outputs: entries.map((e) => e.path),
        hashes,
      });
      return { from, log: meta.log };
    } catch (error) {
      this.options.warn(
        `task: the ${from} cache entry ${fp.key} of "${fp.task}" is unusable (${(error as Error).message}); running the task [GANTRY_CACHE_FAILED]`,
      );
      return undefined;
    }
  }

  /** After a successful run: remember the key and, for cached tasks, store outputs and log. */
  save(fp: Fingerprint, log: readonly LogChunk[] | undefined, durationMs: number): void {
    if (fp.method === 'timestamp' || !fp.key || !fp.manifest) return;
    if (fp.generates.length > 0 && !everyGlobMatches(fp.dir, fp.generates)) {
      const missing = fp.generates
        .filter((g) => !g.exclude && !everyGlobMatches(fp.dir, [g]))
        .map((g) => g.pattern);
      this.options.warn(
        `task: "${fp.task}" finished but generated no file for ${missing.join(', ')}; nothing was cached [GANTRY_CACHE_OUTPUTS_MISSING]`,
      );
      this.writeState(fp.stateId, undefined);
      return;
    }
    const manifest = JSON.parse(this.options.mask(JSON.stringify(fp.manifest))) as TaskManifest;
    const outputs = this.record(fp, manifest);
    if (!this.cacheable(fp) || log === undefined) return;
    const { body } = packArtifact(
      {
        task: fp.task,
        key: fp.key,
        durationMs,
        createdAt: new Date().toISOString(),
        manifest,
        log: log.map(([stream, text]) => [stream, this.options.mask(text)] as const),
      },
      fp.dir,
      outputs,
    );
    this.options.local.put(fp.key, body);
    if (this.options.remote) this.uploads.push(this.options.remote.put(fp.key, body, durationMs));
  }

  /** After a failure: the next run must not think the task is up to date. */
  forget(fp: Fingerprint): void {
    this.writeState(fp.stateId, undefined);
  }

  /** The key a dependent task records for this one. */
  identity(fp: Fingerprint, definition: unknown): string {
    return fp.key ?? sha256(JSON.stringify(definition ?? null)).slice(0, 32);
  }

  /** Waits for uploads and trims the local store to its size limit. */
  async flush(): Promise<void> {
    await Promise.all(this.uploads);
    this.options.local.evict();
  }

  private record(
    fp: Fingerprint,
    manifest: TaskManifest,
    restored?: { outputs: readonly string[]; hashes: Readonly<Record<string, string>> },
  ): readonly string[] {
    const outputs =
      restored?.outputs ?? (fp.generates.length > 0 ? matchFiles(fp.dir, fp.generates) : []);
    const hashes = {
      ...hashFiles(
        fp.dir,
        outputs.filter((file) => restored?.hashes[file] === undefined),
      ),
      ...restored?.hashes,
    };
    const state: TaskState = {
      key: fp.key as string,
      outputs: Object.fromEntries(
        outputs.map((file) => {
          const stat = statSync(path.join(fp.dir, file));
          return [file, [stat.size, stat.mtimeMs, hashes[file] as string] as const];
        }),
      ),
      ...this.stampsToRecord(fp),
    };
    this.writeState(fp.stateId, state, manifest);
    return outputs;
  }

  /** Masked like the manifest: a path holding a secret is then only hashed again. */
  private stampsToRecord(fp: Fingerprint): Pick<TaskState, 'sources' | 'stampedAt'> {
    if (!fp.stamps) return {};
    return {
      sources: JSON.parse(this.options.mask(JSON.stringify(fp.stamps))) as Record<
        string,
        FileStamp
      >,
      stampedAt: fp.stampedAt ?? 0,
    };
  }

  /**
   * go-task's `method: timestamp`: up to date when no source is newer than the newest
   * generated file (or the stamp of the last check, kept in the cache directory).
   */
  private checkTimestamps(fp: Fingerprint, dry: boolean): Verdict {
    const sources = matchFiles(fp.dir, fp.sources).map((f) => path.join(fp.dir, f));
    const generates = matchFiles(fp.dir, fp.generates).map((f) => path.join(fp.dir, f));
    const stamp = path.join(this.options.local.dir, 'timestamp', fp.stateId);
    try {
      statSync(stamp);
      generates.push(stamp);
    } catch {
      if (!dry) {
        mkdirSync(path.dirname(stamp), { recursive: true });
        closeSync(openSync(stamp, 'w'));
      }
    }
    const now = new Date();
    const newestOutput = Math.max(0, ...generates.map(mtime));
    if (newestOutput === 0) return { upToDate: false, reasons: ['it has no generated files yet'] };
    const newer = sources.find((file) => mtime(file) > newestOutput);
    if (!dry) utimesSync(stamp, now, now);
    return newer
      ? {
          upToDate: false,
          reasons: [`source ${path.relative(fp.dir, newer)} is newer than its generated files`],
        }
      : { upToDate: true, reasons: ['no source is newer than its generated files'] };
  }
}

/**
 * A task's directory relative to the root, `/`-separated. The common case (a directory
 * below the root, already normalised by the loader) is a slice: `path.relative` resolves
 * both sides first, ~25 µs a task, which a 300-package monorepo's up-to-date run feels.
 */
function relativeDir(rootDir: string, dir: string): string {
  const prefix = rootDir.endsWith(path.sep) ? rootDir : rootDir + path.sep;
  const fast =
    dir.startsWith(prefix) &&
    !dir.includes(`${path.sep}.`) &&
    !dir.includes(path.sep + path.sep) &&
    !dir.endsWith(path.sep)
      ? dir.slice(prefix.length)
      : undefined;
  return (fast ?? path.relative(rootDir, dir)).split(path.sep).join('/') || '.';
}

function sameStamps(
  recorded: Readonly<Record<string, readonly unknown[]>> | undefined,
  current: Readonly<Record<string, FileStamp>>,
): boolean {
  if (recorded === undefined) return false;
  const files = Object.keys(current);
  if (Object.keys(recorded).length !== files.length) return false;
  return files.every((file) => {
    const [a, b] = [recorded[file], current[file]];
    return a !== undefined && b !== undefined && a.every((v, i) => v === b[i]);
  });
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Recorded outputs whose stats differ and whose content does too (a touch alone is no change). */
function changedOutputs(dir: string, state: TaskState): string[] {
  const changed: string[] = [];
  for (const [file, [size, mtimeMs, hash]] of Object.entries(state.outputs)) {
    let stat;
    try {
      stat = statSync(path.join(dir, file));
    } catch {
      changed.push(file);
      continue;
    }
    if (stat.size === size && stat.mtimeMs === mtimeMs) continue;
    if (stat.size !== size || hashFiles(dir, [file])[file] !== hash) changed.push(file);
  }
  return changed;
}

/** A Taskfile's `method:` value, checked. */
export function parseMethod(raw: unknown, task: string): Method {
  const method = raw === undefined ? 'checksum' : String(raw);
  if (method === 'checksum' || method === 'timestamp' || method === 'none') return method;
  throw new GantryError('GANTRY_CONFIG_INVALID', `task "${task}": unknown method "${method}"`, {
    hint: 'use checksum (the default), timestamp or none',
  });
}
