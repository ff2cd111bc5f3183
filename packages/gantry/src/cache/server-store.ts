import { randomUUID } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';

/** What the server keeps next to each artifact and echoes back to the client. */
export interface ArtifactInfo {
  size: number;
  durationMs: number;
  /** turbo's `x-artifact-tag`, stored as sent: the server never holds the signing key. */
  tag?: string;
}

/**
 * Artifact and team names. The API allows `[A-Za-z0-9._-]`; a leading dot is refused too, so
 * no name can be `.`/`..` (no path escapes) or collide with the store's own dot-files.
 */
const namePattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function isValidName(name: string): boolean {
  return namePattern.test(name);
}

export type PutResult = 'stored' | 'too-large';

/**
 * The server's disk layout, one directory per team:
 *
 *     <dir>/<team>/<hash>         the artifact body, as uploaded
 *     <dir>/<team>/.<hash>.json   its ArtifactInfo
 *     <dir>/.tmp/                 uploads in progress
 *
 * `<team>` is the request's `teamId`, else its `slug`, else `_`. Uploads are written to
 * `.tmp/` and renamed into place, so a reader never sees half an artifact and concurrent
 * uploads of one hash both succeed (the last rename wins; the bytes are the same).
 */
export class ArtifactStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async init(): Promise<void> {
    const tmp = path.join(this.#dir, '.tmp');
    await mkdir(tmp, { recursive: true });
    // A crash mid-upload leaves its temp files behind. No upload lives for a day (Node ends a
    // request after 5 minutes), while another server on the same directory may be mid-upload.
    const stale = Date.now() - 24 * 60 * 60 * 1000;
    for (const name of await readdir(tmp)) {
      const file = path.join(tmp, name);
      const mtime = await stat(file).then(
        (s) => s.mtimeMs,
        () => Infinity,
      );
      if (mtime < stale) await rm(file, { force: true });
    }
  }

  /** The info of a complete artifact, or undefined (missing, or body and sidecar disagree). */
  async info(team: string, hash: string): Promise<ArtifactInfo | undefined> {
    const info = await this.#readInfo(team, hash);
    if (!info) return undefined;
    const size = await stat(this.#bodyPath(team, hash)).then(
      (s) => s.size,
      () => undefined,
    );
    return size === info.size ? info : undefined;
  }

  /** Opens an artifact for streaming; the caller closes the handle. */
  async open(
    team: string,
    hash: string,
  ): Promise<{ info: ArtifactInfo; file: FileHandle } | undefined> {
    const info = await this.#readInfo(team, hash);
    if (!info) return undefined;
    const file = await open(this.#bodyPath(team, hash), 'r').catch(() => undefined);
    if (!file) return undefined;
    // The handle pins the body it opened: if a newer upload replaced it in between, the sizes
    // tell, and a miss is better than a body served with another upload's tag.
    if ((await file.stat()).size !== info.size) {
      await file.close();
      return undefined;
    }
    return { info, file };
  }

  /**
   * Streams `body` to disk. Past `maxBytes` the rest is read and dropped (so the client can
   * still be answered 413) and nothing is stored. A write error rejects once the body has
   * been read to its end, so the caller can still answer too.
   */
  async put(
    team: string,
    hash: string,
    body: Readable,
    meta: Omit<ArtifactInfo, 'size'>,
    maxBytes: number,
  ): Promise<PutResult> {
    const tmpBody = path.join(this.#dir, '.tmp', randomUUID());
    const tmpInfo = `${tmpBody}.json`;
    try {
      const spool = new Spool(await open(tmpBody, 'wx'), maxBytes);
      await pipeline(body, spool);
      if (spool.failure) throw spool.failure;
      if (spool.size > maxBytes) return 'too-large';
      const info: ArtifactInfo = { size: spool.size, ...meta };
      const file = await open(tmpInfo, 'wx');
      await file.writeFile(JSON.stringify(info)).finally(() => file.close());
      await mkdir(path.join(this.#dir, team), { recursive: true });
      await rename(tmpBody, this.#bodyPath(team, hash));
      await rename(tmpInfo, this.#infoPath(team, hash));
      return 'stored';
    } finally {
      await rm(tmpBody, { force: true });
      await rm(tmpInfo, { force: true });
    }
  }

  async #readInfo(team: string, hash: string): Promise<ArtifactInfo | undefined> {
    try {
      const data: unknown = JSON.parse(await readFile(this.#infoPath(team, hash), 'utf8'));
      if (typeof data !== 'object' || data === null) return undefined;
      const { size, durationMs, tag } = data as Record<string, unknown>;
      if (typeof size !== 'number' || typeof durationMs !== 'number') return undefined;
      return typeof tag === 'string' ? { size, durationMs, tag } : { size, durationMs };
    } catch {
      return undefined;
    }
  }

  #bodyPath(team: string, hash: string): string {
    return path.join(this.#dir, team, hash);
  }

  #infoPath(team: string, hash: string): string {
    return path.join(this.#dir, team, `.${hash}.json`);
  }
}

/**
 * A file sink that never fails the pipeline: it keeps the first write error and the byte
 * count, and drops data once either the limit is passed or a write failed. Failing the
 * pipeline would destroy the request, and with it the socket the answer has to go out on.
 */
class Spool extends Writable {
  size = 0;
  failure: unknown;
  readonly #file: FileHandle;
  readonly #max: number;
  #closed: Promise<void> | undefined;

  constructor(file: FileHandle, max: number) {
    super();
    this.#file = file;
    this.#max = max;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.size += chunk.length;
    if (this.failure !== undefined || this.size > this.#max) return done();
    this.#file.write(chunk).then(
      () => done(),
      (error: unknown) => {
        this.failure = error;
        done();
      },
    );
  }

  override _final(done: () => void): void {
    this.#close().then(
      () => done(),
      (error: unknown) => {
        this.failure ??= error;
        done();
      },
    );
  }

  /** Also runs when the request is aborted mid-upload: the handle must not leak. */
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#close().then(
      () => done(error),
      () => done(error),
    );
  }

  #close(): Promise<void> {
    return (this.#closed ??= this.#file.close());
  }
}
