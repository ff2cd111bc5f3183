import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import { GantryError } from '../errors/index.js';
import type { TaskManifest } from './manifest.js';

// zlib is loaded when an artifact is packed or unpacked, not by every up-to-date check.
const nodeRequire = createRequire(import.meta.url);
const zlib = (): typeof Zlib => nodeRequire('node:zlib') as typeof Zlib;

/** One output file as stored: its content follows the header, in this order. */
export interface ArtifactEntry {
  /** Relative to the task's directory, with `/` separators. */
  readonly path: string;
  readonly mode: number;
  readonly size: number;
  /** Set for a symbolic link (stored as a link, never followed). */
  readonly link?: string;
}

/** A chunk of the task's terminal output, replayed on a hit: `o` stdout, `e` stderr. */
export type LogChunk = readonly ['o' | 'e', string];

export interface ArtifactMeta {
  readonly task: string;
  readonly key: string;
  readonly durationMs: number;
  readonly createdAt: string;
  readonly manifest: TaskManifest;
  readonly log: readonly LogChunk[];
}

interface Header extends ArtifactMeta {
  readonly format: 1;
  readonly entries: readonly ArtifactEntry[];
}

const magic = Buffer.from('GTC1');

/**
 * Packs a task's outputs and log into one gzip'd blob: a magic, a JSON header (meta and the
 * list of entries) and the file contents back to back. The format is Gantry's own: remote
 * servers store it as opaque bytes, and reading it needs no tar parser on the hot path.
 */
export function packArtifact(
  meta: ArtifactMeta,
  baseDir: string,
  files: readonly string[],
): { body: Buffer; entries: ArtifactEntry[] } {
  const entries: ArtifactEntry[] = [];
  const contents: Buffer[] = [];
  for (const file of files) {
    const full = path.join(baseDir, file);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) {
      entries.push({ path: file, mode: 0o777, size: 0, link: readlinkSync(full) });
    } else if (stat.isFile()) {
      const content = readFileSync(full);
      entries.push({ path: file, mode: stat.mode & 0o777, size: content.length });
      contents.push(content);
    }
  }
  const header = Buffer.from(JSON.stringify({ format: 1, ...meta, entries } satisfies Header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return {
    body: zlib().gzipSync(Buffer.concat([magic, length, header, ...contents]), { level: 1 }),
    entries,
  };
}

/** The header of an artifact, without writing anything. Throws GANTRY_CACHE_FAILED if corrupt. */
export function readArtifact(body: Buffer): {
  meta: ArtifactMeta;
  entries: readonly ArtifactEntry[];
  data: Buffer;
  offset: number;
} {
  let raw: Buffer;
  try {
    raw = zlib().gunzipSync(body);
  } catch (error) {
    throw corrupt('it is not gzip data', error);
  }
  if (raw.length < 8 || !raw.subarray(0, 4).equals(magic)) throw corrupt('the magic is wrong');
  const length = raw.readUInt32BE(4);
  let header: Header;
  try {
    header = JSON.parse(raw.subarray(8, 8 + length).toString('utf8')) as Header;
  } catch (error) {
    throw corrupt('the header is not JSON', error);
  }
  if (header.format !== 1 || !Array.isArray(header.entries))
    throw corrupt(`format ${String(header.format)} is not one this Gantry reads`);
  const total = header.entries.reduce((sum, e) => sum + e.size, 0);
  if (raw.length !== 8 + length + total) throw corrupt('it is truncated');
  for (const entry of header.entries) safeRelative(entry.path);
  const { entries, ...meta } = header;
  return { meta, entries, data: raw, offset: 8 + length };
}

/**
 * Writes an artifact's files under `baseDir` and returns its meta. Every path is checked to
 * stay inside `baseDir` before anything is written; an existing file or link at a path is
 * replaced, never written through.
 */
export function unpackArtifact(
  body: Buffer,
  baseDir: string,
): { meta: ArtifactMeta; entries: readonly ArtifactEntry[]; hashes: Record<string, string> } {
  const { meta, entries, data, offset } = readArtifact(body);
  // sha256 of each restored file, from the bytes written: no need to read them back.
  const hashes: Record<string, string> = {};
  let at = offset;
  const made = new Set<string>();
  for (const entry of entries) {
    const target = path.join(baseDir, safeRelative(entry.path));
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    removeInTheWay(target);
    if (entry.link !== undefined) {
      symlinkSync(entry.link, target);
      continue;
    }
    const bytes = data.subarray(at, at + entry.size);
    writeFileSync(target, bytes, { mode: entry.mode });
    chmodSync(target, entry.mode);
    hashes[entry.path] = createHash('sha256').update(bytes).digest('hex');
    at += entry.size;
  }
  return { meta, entries, hashes };
}

/** Whatever is at `target` (a file, a link, a directory) goes; nothing there is fine. */
function removeInTheWay(target: string): void {
  try {
    unlinkSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EISDIR' || code === 'EPERM') rmSync(target, { recursive: true, force: true });
    else throw error;
  }
}

function safeRelative(file: string): string {
  const normal = path.posix.normalize(file);
  if (
    typeof file !== 'string' ||
    file === '' ||
    path.posix.isAbsolute(normal) ||
    normal === '..' ||
    normal.startsWith('../') ||
    normal.includes('\0')
  )
    throw corrupt(`it holds a path outside the task's directory (${JSON.stringify(file)})`);
  return normal;
}

function corrupt(why: string, cause?: unknown): GantryError {
  return new GantryError('GANTRY_CACHE_FAILED', `a cache artifact cannot be read: ${why}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}
