// A read-only reader of LMDB environments in the reference library's on-disk format (data format version 1, LMDB
// 0.9.x, 64-bit little-endian layout; see ./layout.ts), written in TypeScript for EVGAP Studio. Assembly101 ships
// its TSM features as such environments, written by Python's `lmdb` package.
//
// Why our own reader instead of a binding of the C library (the `lmdb` npm package reads LMDB 1.0's "v2" format
// by default and crashes on these files; a v1 build would still be native code):
// - no native code: nothing to compile or download on the user's machine, the same behaviour on Linux, Windows and
//   macOS, and it loads from inside the packaged app (app.asar) like any other module;
// - read-only for real: the data file is opened O_RDONLY and read with positioned reads — no lock.mdb is created,
//   nothing is memory-mapped, so datasets on read-only or shared mounts are read as they are;
// - a corrupt, truncated or hostile file can only throw an LmdbFormatError (naming the file, page and what was
//   expected), never fault the process: every page number, node offset, key and value size is checked against the
//   page and the file before it is used, and walks are bounded (tree depth, each page at most once per walk).
//
// Supported: the main (unnamed) database with LMDB's default byte-order keys and one value per key; values inline
// or in overflow pages; point lookups, ordered scans from a key, by key prefix or key range. Refused with a clear
// error: DUPSORT / INTEGERKEY / REVERSEKEY main databases, named sub-databases, 32-bit and big-endian layouts, data
// format version 2. The environment is read as the snapshot of the newest valid meta page at open; reopen it to see
// later transactions.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LmdbCursor } from './LmdbCursor';
import { LmdbFormatError } from './LmdbFormatError';
import { OverflowBatch } from './OverflowBatch';
import { readNewestMeta, type LmdbMeta } from './meta';
import { PageFile } from './PageFile';

/** The data file inside an environment folder. */
export const LMDB_DATA_FILE = 'data.mdb';

export interface LmdbStat {
  pageSize: number;
  /** Levels of the main database's B+tree (0 when empty). */
  depth: number;
  entries: number;
  branchPages: number;
  leafPages: number;
  overflowPages: number;
  /** Transaction id of the snapshot read, and the meta page it came from. */
  txnid: number;
  metaPage: 0 | 1;
}

/** Keys to visit, in order: those starting with `prefix`, and/or from `start` (inclusive) to `end` (exclusive). */
export interface LmdbKeyRange {
  prefix?: Uint8Array | string;
  start?: Uint8Array | string;
  end?: Uint8Array | string;
}

const bytesOf = (key: Uint8Array | string): Uint8Array => (typeof key === 'string' ? Buffer.from(key, 'utf8') : key);

export class LmdbEnvironment {
  readonly #pages: PageFile;
  readonly #meta: LmdbMeta;

  private constructor(pages: PageFile, meta: LmdbMeta) {
    this.#pages = pages;
    this.#meta = meta;
  }

  /** Opens the environment in folder `path` (its data.mdb), or the data file `path` itself, for reading. */
  static open(path: string): LmdbEnvironment {
    const file = isFolder(path) ? join(path, LMDB_DATA_FILE) : path;
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new LmdbFormatError(file, code === 'ENOENT' ? 'no such file: expected an LMDB environment (data.mdb)' : `cannot be opened (${code ?? (error as Error).message})`);
    }
    try {
      const fileSize = fstatSync(fd).size;
      const meta = readNewestMeta(file, fileSize, (length, position) => {
        const bytes = Buffer.alloc(length);
        const n = readSync(fd, bytes, 0, length, position);
        return bytes.subarray(0, n);
      });
      return new LmdbEnvironment(new PageFile(file, fd, fileSize, meta.pageSize, meta.lastPage), meta);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The data file's path (named by every error). */
  get file(): string {
    return this.#pages.file;
  }

  get stat(): LmdbStat {
    const { pageSize, txnid, metaPage, main } = this.#meta;
    const { depth, entries, branchPages, leafPages, overflowPages } = main;
    return { pageSize, depth, entries, branchPages, leafPages, overflowPages, txnid, metaPage };
  }

  /** A new cursor over the main database (not positioned: call first or seek). */
  cursor(): LmdbCursor {
    return new LmdbCursor(this.#pages, this.#meta.main.root, this.#meta.main.depth);
  }

  /** A batch for LmdbCursor.readValue: overflow values read together by its flush (see OverflowBatch). */
  overflowBatch(): OverflowBatch {
    return new OverflowBatch(this.#pages);
  }

  /** The value of `key`, or undefined when the key is absent. */
  get(key: Uint8Array | string): Buffer | undefined {
    const bytes = bytesOf(key);
    const cursor = this.cursor();
    return cursor.seek(bytes) && cursor.compareKey(bytes) === 0 ? cursor.value() : undefined;
  }

  /** Copies of the keys in `range`, in order, without reading their values. */
  *keys(range: LmdbKeyRange = {}): Generator<Buffer> {
    const bytes = byteRange(range);
    const cursor = this.cursor();
    for (let more = seekRange(cursor, bytes); more; more = cursor.next() && inRange(cursor, bytes)) yield cursor.key();
  }

  /** Copies of the entries in `range`, in key order. */
  *entries(range: LmdbKeyRange = {}): Generator<{ key: Buffer; value: Buffer }> {
    const bytes = byteRange(range);
    const cursor = this.cursor();
    for (let more = seekRange(cursor, bytes); more; more = cursor.next() && inRange(cursor, bytes)) {
      yield { key: cursor.key(), value: cursor.value() };
    }
  }

  close(): void {
    this.#pages.close();
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

type ByteRange = { prefix?: Uint8Array; start?: Uint8Array; end?: Uint8Array };

function byteRange(range: LmdbKeyRange): ByteRange {
  const optional = (key: Uint8Array | string | undefined) => (key === undefined ? undefined : bytesOf(key));
  return { prefix: optional(range.prefix), start: optional(range.start), end: optional(range.end) };
}

/** Positions `cursor` on the first key of `range`; false when the range is empty. */
function seekRange(cursor: LmdbCursor, range: ByteRange): boolean {
  const { prefix, start } = range;
  const from = prefix && start ? (Buffer.compare(prefix, start) > 0 ? prefix : start) : (prefix ?? start ?? new Uint8Array(0));
  return cursor.seek(from) && inRange(cursor, range);
}

function inRange(cursor: LmdbCursor, range: ByteRange): boolean {
  if (range.prefix !== undefined && !cursor.keyStartsWith(range.prefix)) return false;
  return range.end === undefined || cursor.compareKey(range.end) < 0;
}
