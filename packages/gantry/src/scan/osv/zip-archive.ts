import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive, still compressed. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated: the methods OSV's exports (Python's zipfile) write. */
  readonly method: number;
  readonly compressed: Buffer;
  readonly size: number;
}

const signatures = {
  central: 0x02014b50,
  local: 0x04034b50,
  end: 0x06054b50,
  zip64Locator: 0x07064b50,
  zip64End: 0x06064b50,
};

/**
 * The files of a zip archive, read through its central directory (PKWARE APPNOTE.TXT 4.3),
 * ZIP64 included: OSV's npm export holds far more than 65,535 entries. Entries are inflated
 * one by one with `inflateEntry`, by Node's native zlib: on exports of tens of thousands of
 * small records that is about three times faster than fflate's JavaScript inflate, the
 * largest cost of a scan. Throws an Error saying what is wrong; callers name the file.
 */
export function readZipEntries(archive: Buffer): ZipEntry[] {
  const end = findEnd(archive);
  let count = u16(archive, end + 10);
  let offset = u32(archive, end + 16);
  const locator = end - 20;
  if (locator >= 0 && u32(archive, locator) === signatures.zip64Locator) {
    const zip64End = u64(archive, locator + 8);
    expectSignature(archive, zip64End, signatures.zip64End, 'ZIP64 end of central directory');
    count = u64(archive, zip64End + 32);
    offset = u64(archive, zip64End + 48);
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    expectSignature(archive, at, signatures.central, 'central directory entry');
    const flags = u16(archive, at + 8);
    const method = u16(archive, at + 10);
    const nameLength = u16(archive, at + 28);
    const extraLength = u16(archive, at + 30);
    const name = slice(archive, at + 46, nameLength).toString('utf8');
    const sizes = zip64Sizes(
      slice(archive, at + 46 + nameLength, extraLength),
      u32(archive, at + 24),
      u32(archive, at + 20),
      u32(archive, at + 42),
    );
    at += 46 + nameLength + extraLength + u16(archive, at + 32);
    if (flags & 1) throw new Error(`${name} is encrypted`);
    expectSignature(archive, sizes.local, signatures.local, `local header of ${name}`);
    const data = sizes.local + 30 + u16(archive, sizes.local + 26) + u16(archive, sizes.local + 28);
    entries.push({
      name,
      method,
      compressed: slice(archive, data, sizes.compressed),
      size: sizes.size,
    });
  }
  return entries;
}

/** The entry's bytes. Throws when the method is neither stored nor deflate, or the data is damaged. */
export function inflateEntry(entry: ZipEntry): Buffer {
  let data: Buffer;
  if (entry.method === 0) data = entry.compressed;
  // One output chunk of the known size: the default 16 KiB would be allocated per entry.
  else if (entry.method === 8)
    data = inflateRawSync(entry.compressed, { chunkSize: Math.max(64, entry.size + 1) });
  else
    throw new Error(
      `compression method ${entry.method} is not supported (only stored and deflate)`,
    );
  if (data.length !== entry.size)
    throw new Error(`${data.length} bytes where the directory says ${entry.size}`);
  return data;
}

/** The end of central directory record, searched back over a trailing comment. */
function findEnd(archive: Buffer): number {
  const last = archive.length - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--)
    if (u32(archive, at) === signatures.end) return at;
  throw new Error('no end of central directory record');
}

/** Sizes and offset, from the ZIP64 extra field (id 1) where the header holds 0xFFFFFFFF. */
function zip64Sizes(extra: Buffer, size: number, compressed: number, local: number) {
  const result = { size, compressed, local };
  for (let at = 0; at + 4 <= extra.length; at += 4 + u16(extra, at + 2)) {
    if (u16(extra, at) !== 1) continue;
    let field = at + 4;
    for (const key of ['size', 'compressed', 'local'] as const)
      if (result[key] === 0xffffffff) {
        result[key] = u64(extra, field);
        field += 8;
      }
  }
  return result;
}

function expectSignature(archive: Buffer, at: number, signature: number, what: string): void {
  if (u32(archive, at) !== signature) throw new Error(`no ${what} at offset ${at}`);
}

function slice(buffer: Buffer, at: number, length: number): Buffer {
  within(buffer, at, length);
  return buffer.subarray(at, at + length);
}

function u16(buffer: Buffer, at: number): number {
  return within(buffer, at, 2).readUInt16LE(at);
}

function u32(buffer: Buffer, at: number): number {
  return within(buffer, at, 4).readUInt32LE(at);
}

function u64(buffer: Buffer, at: number): number {
  const value = within(buffer, at, 8).readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('offset beyond 2^53');
  return Number(value);
}

function within(buffer: Buffer, at: number, length: number): Buffer {
  if (at < 0 || at + length > buffer.length) throw new Error('truncated archive');
  return buffer;
}
