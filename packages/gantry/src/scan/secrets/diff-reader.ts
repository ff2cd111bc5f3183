import { Buffer } from 'node:buffer';
import type { CommitInfo, Fragment } from './detect.js';
import type { KeywordPrefilter } from './prefilter.js';

const NL = 0x0a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const AT = 0x40;
/** Starts the one header line per commit: `--format=%x01%H%x00%at%x00%ae%x00%an`. */
const COMMIT_MARK = 0x01;
export const commitFormat = '--format=%x01%H%x00%at%x00%ae%x00%an';

/**
 * Reads `git log -p -U0` output as it streams, as bytes: no line is decoded unless it is a
 * header or part of a fragment the prefilter let through. Each hunk's added lines are one
 * fragment, numbered from the hunk's new start line (what gitleaks does). The keyword
 * automaton runs over each added line while it is read; a fragment with no keyword (and no
 * keyword-less rule) is dropped without ever being copied or decoded. Hunks are consumed by
 * their line counts, so an added line that looks like a header stays content.
 */
export class DiffReader {
  /** Bytes of diff read so far. */
  bytes = 0;
  private carry: Buffer[] = [];
  private commit: CommitInfo | undefined;
  private file: string | undefined;
  private remaining = 0;
  private nextLine = 0;
  private lastWasAdd = false;
  // The open fragment: raw diff lines from earlier buffers, and where it starts in this one.
  private open = false;
  private parts: Buffer[] = [];
  private regionStart = -1;
  private startLine = 0;
  private fragmentBytes = 0;
  private noNewlineAtEnd = false;

  constructor(
    private readonly prefilter: KeywordPrefilter,
    private readonly onFragment: (fragment: Fragment, rules: readonly number[]) => void,
    /** A hunk larger than this is searched in pieces (a match cannot span two pieces). */
    private readonly maxFragmentBytes = 10 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    if (this.carry.length > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry.push(chunk);
        return;
      }
      const line = Buffer.concat([...this.carry, chunk.subarray(0, nl + 1)]);
      this.carry = [];
      this.lines(line, 0, line.length);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= start) this.lines(chunk, start, last + 1);
    const tail = Math.max(start, last + 1);
    if (tail < chunk.length) this.carry.push(chunk.subarray(tail));
  }

  end(): void {
    if (this.carry.length > 0) {
      const line = Buffer.concat([...this.carry, Buffer.from('\n')]);
      this.carry = [];
      this.lines(line, 0, line.length);
    }
    this.close(undefined, 0);
  }

  /** Complete lines in [from, to): `to` is just past a newline. */
  private lines(buf: Buffer, from: number, to: number): void {
    if (this.open) this.regionStart = from;
    let pos = from;
    while (pos < to) {
      const nl = buf.indexOf(NL, pos);
      const first = buf[pos]!;
      if (this.remaining > 0) {
        if (first === PLUS) {
          if (!this.open) this.openAt(pos);
          this.prefilter.scan(buf, pos + 1, nl);
          this.remaining--;
          this.nextLine++;
          this.lastWasAdd = true;
          this.fragmentBytes += nl - pos;
          pos = nl + 1;
          if (this.fragmentBytes > this.maxFragmentBytes) this.close(buf, pos);
          continue;
        }
        if (first === MINUS || first === SPACE) {
          if (first === SPACE) this.nextLine++;
          this.remaining--;
          this.lastWasAdd = false;
          pos = nl + 1;
          continue;
        }
        if (first !== BACKSLASH) this.remaining = 0;
      }
      if (first === BACKSLASH) {
        // "\ No newline at end of file": the line before it has no newline.
        if (this.lastWasAdd && this.open) this.noNewlineAtEnd = true;
        pos = nl + 1;
        continue;
      }
      this.close(buf, pos);
      this.lastWasAdd = false;
      if (first === COMMIT_MARK) this.readCommit(buf, pos + 1, nl);
      else if (first === AT && buf[pos + 1] === AT) this.readHunk(buf, pos, nl);
      else if (first === PLUS && buf[pos + 1] === PLUS && buf[pos + 2] === PLUS) {
        this.file = newPath(buf.toString('utf8', pos + 4, nl));
      } else if (isDiffLine(buf, pos)) this.file = undefined;
      pos = nl + 1;
    }
    if (this.open && this.regionStart >= 0) {
      this.parts.push(buf.subarray(this.regionStart, to));
      this.regionStart = -1;
    }
  }

  private openAt(pos: number): void {
    this.open = true;
    this.regionStart = pos;
    this.parts = [];
    this.startLine = this.nextLine;
    this.fragmentBytes = 0;
    this.noNewlineAtEnd = false;
    this.prefilter.begin();
  }

  /** Ends the open fragment at `end` of `buf` and hands it on if a rule may match it. */
  private close(buf: Buffer | undefined, end: number): void {
    if (!this.open) return;
    this.open = false;
    const pieces = this.parts;
    this.parts = [];
    if (buf !== undefined && this.regionStart >= 0)
      pieces.push(buf.subarray(this.regionStart, end));
    this.regionStart = -1;
    const { candidates, always } = this.prefilter;
    if ((candidates.length === 0 && always.length === 0) || this.file === undefined) return;
    const text = addedText(pieces, this.fragmentBytes, this.noNewlineAtEnd);
    const fragment: Fragment = {
      text,
      startLine: this.startLine,
      file: this.file,
      ...(this.commit ? { commit: this.commit } : {}),
    };
    this.onFragment(fragment, candidates.length === 0 ? always : [...candidates, ...always]);
  }

  private readCommit(buf: Buffer, from: number, to: number): void {
    const [sha = '', time = '0', email = '', author = ''] = buf
      .toString('utf8', from, to)
      .split('\0');
    this.commit = {
      sha,
      author,
      email,
      date: new Date(Number(time) * 1000).toISOString().replace('.000Z', 'Z'),
    };
    this.file = undefined;
  }

  /** `@@ -a[,b] +c[,d] @@`: the hunk spans b + d lines; added lines are numbered from c. */
  private readHunk(buf: Buffer, pos: number, nl: number): void {
    const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(
      buf.toString('latin1', pos, Math.min(nl, pos + 80)),
    );
    if (!m) return;
    this.remaining = Number(m[1] ?? 1) + Number(m[3] ?? 1);
    this.nextLine = Number(m[2]);
  }
}

function isDiffLine(buf: Buffer, pos: number): boolean {
  return buf[pos] === 0x64 && buf.toString('latin1', pos, pos + 5) === 'diff ';
}

/** The added lines' content: each `+` line without its `+`. */
function addedText(pieces: readonly Buffer[], size: number, noNewlineAtEnd: boolean): string {
  const out = Buffer.allocUnsafe(size);
  let length = 0;
  for (const piece of pieces) {
    let pos = 0;
    while (pos < piece.length) {
      let nl = piece.indexOf(NL, pos);
      if (nl < 0) nl = piece.length - 1;
      if (piece[pos] === PLUS) length += piece.copy(out, length, pos + 1, nl + 1);
      pos = nl + 1;
    }
  }
  if (noNewlineAtEnd && length > 0 && out[length - 1] === NL) length--;
  return out.toString('utf8', 0, length);
}

/** The path of `+++ b/<path>` (C-quoted when it has unusual characters), or none. */
function newPath(raw: string): string | undefined {
  let name = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  if (name.startsWith('"')) name = unquote(name);
  if (name === '/dev/null') return undefined;
  return name.startsWith('b/') ? name.slice(2) : name;
}

function unquote(quoted: string): string {
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
  const body = Buffer.from(quoted.slice(1, quoted.lastIndexOf('"')), 'utf8');
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b !== BACKSLASH) {
      bytes.push(b);
      continue;
    }
    const next = String.fromCharCode(body[++i] ?? 0);
    if (next >= '0' && next <= '7') {
      bytes.push(parseInt(body.toString('latin1', i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
