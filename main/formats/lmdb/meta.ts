// LMDB's two meta pages (pages 0 and 1): each records a committed snapshot — page size, last page used,
// transaction id and the root of the main database. As mdb.c's mdb_env_read_header and mdb_env_pick_meta do, both
// are read and the valid one with the higher transaction id is used. Unlike LMDB, a damaged meta page does not make
// the environment unreadable when the other is intact: the older snapshot's pages are not reused before the meta
// page that names it is overwritten, so it is still whole.
import {
  DB,
  DB_KEY_ORDER_FLAGS,
  isInvalidPage,
  MAX_PAGE_SIZE,
  MAX_TREE_DEPTH,
  MDB_DATA_VERSION,
  MDB_MAGIC,
  META,
  META_BYTES,
  MIN_PAGE_SIZE,
  P_META,
  PAGE,
  readU16,
  readU32,
  readU64,
} from './layout';
import { LmdbFormatError } from './LmdbFormatError';

/** The main (unnamed) database of a snapshot. */
export interface MainDatabase {
  flags: number;
  /** Levels of the B+tree: 0 when empty, 1 when the root is a leaf. */
  depth: number;
  entries: number;
  branchPages: number;
  leafPages: number;
  overflowPages: number;
  /** Root page number; undefined when the database is empty. */
  root: number | undefined;
}

export interface LmdbMeta {
  /** The meta page (0 or 1) the snapshot was read from. */
  metaPage: 0 | 1;
  pageSize: number;
  /** Id of the transaction that committed this snapshot. */
  txnid: number;
  /** Last page number the snapshot may use. */
  lastPage: number;
  main: MainDatabase;
}

type Parsed = LmdbMeta | { invalid: string };

/** Page sizes tried for meta page 1 when meta page 0 cannot say (LMDB uses the OS page size). */
const LIKELY_PAGE_SIZES = [4096, 16384, 8192, 65536, 32768, 2048, 1024, 512];

function hex(value: number, digits = 8): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

function describeMagicMismatch(bytes: Uint8Array): string {
  if (readU32(bytes, 12) === MDB_MAGIC) {
    return 'written by a 32-bit build of LMDB (4-byte page numbers); only the 64-bit layout (x86-64, arm64) is read';
  }
  const bigEndian = ((bytes[16]! << 24) | (bytes[17]! << 16) | (bytes[18]! << 8) | bytes[19]!) >>> 0;
  if (bigEndian === MDB_MAGIC) return 'written by a big-endian machine; only the little-endian layout (x86-64, arm64) is read';
  return `expected the LMDB magic ${hex(MDB_MAGIC)} at byte ${META.magic}, got ${hex(readU32(bytes, META.magic))}: not an LMDB data file`;
}

function describeVersion(version: number): string {
  const writer =
    version === 2
      ? " (LMDB 1.0's format, the default of the lmdb npm package)"
      : version === 999
        ? ' (a development build of LMDB)'
        : '';
  return `data format version ${version}${writer}; expected version ${MDB_DATA_VERSION} (LMDB 0.9, as Python's lmdb and the LMDB C library write)`;
}

/** Parses meta page `metaPage` from its first META_BYTES bytes; says why when it is not a valid meta page. */
export function parseMetaPage(bytes: Uint8Array, metaPage: 0 | 1): Parsed {
  const flags = readU16(bytes, PAGE.flags);
  if (!(flags & P_META)) return { invalid: `expected a meta page (flags with P_META ${hex(P_META, 2)}), got flags ${hex(flags, 4)}` };
  const magic = readU32(bytes, META.magic);
  if (magic !== MDB_MAGIC) return { invalid: describeMagicMismatch(bytes) };
  const version = readU32(bytes, META.version);
  if (version !== MDB_DATA_VERSION) return { invalid: describeVersion(version) };
  const pgno = readU64(bytes, PAGE.pgno);
  if (pgno !== metaPage) return { invalid: `expected page number ${metaPage} in its header, got ${pgno}` };
  const pageSize = readU32(bytes, META.freeDb + DB.pad);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    return { invalid: `page size ${pageSize}: expected a power of two from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}` };
  }
  const lastPage = readU64(bytes, META.lastPage);
  const txnid = readU64(bytes, META.txnid);
  const db = META.mainDb;
  const depth = readU16(bytes, db + DB.depth);
  const root = isInvalidPage(bytes, db + DB.root) ? undefined : readU64(bytes, db + DB.root);
  if (root === undefined ? depth !== 0 : depth < 1 || depth > MAX_TREE_DEPTH) {
    return { invalid: `main database depth ${depth} with ${root === undefined ? 'no root page' : `root page ${root}`}: expected 0 when empty, else 1 to ${MAX_TREE_DEPTH}` };
  }
  if (root !== undefined && (root < 2 || root > lastPage)) {
    return { invalid: `main database root page ${root}: expected a page from 2 to the last page ${lastPage}` };
  }
  return {
    metaPage,
    pageSize,
    txnid,
    lastPage,
    main: {
      flags: readU16(bytes, db + DB.flags),
      depth,
      entries: readU64(bytes, db + DB.entries),
      branchPages: readU64(bytes, db + DB.branchPages),
      leafPages: readU64(bytes, db + DB.leafPages),
      overflowPages: readU64(bytes, db + DB.overflowPages),
      root,
    },
  };
}

/**
 * Reads both meta pages of `file` through `read(length, position)` (which may return fewer bytes at the end of the
 * file) and returns the newest valid snapshot; throws LmdbFormatError when neither is valid or the main database
 * orders or stores its keys in a way this reader does not support.
 */
export function readNewestMeta(file: string, fileSize: number, read: (length: number, position: number) => Uint8Array): LmdbMeta {
  if (fileSize === 0) throw new LmdbFormatError(file, 'empty file (0 bytes): expected an LMDB data file starting with two meta pages');
  if (fileSize < META_BYTES) {
    throw new LmdbFormatError(file, `file is ${fileSize} bytes: too short for an LMDB meta page (${META_BYTES} bytes)`);
  }
  const first = parseMetaPage(read(META_BYTES, 0), 0);
  // Meta page 1 starts one page in: at meta page 0's page size, or, when meta page 0 is damaged, at the first likely
  // page size that holds a valid meta page of that size (the reason reported is the one at the likeliest size).
  const offsets = 'invalid' in first ? LIKELY_PAGE_SIZES : [first.pageSize];
  let second: Parsed = { invalid: `(byte ${offsets[0]}): the file (${fileSize} bytes) ends before its end` };
  for (const [i, offset] of offsets.entries()) {
    if (offset + META_BYTES > fileSize) continue;
    const parsed = parseMetaPage(read(META_BYTES, offset), 1);
    if (!('invalid' in parsed) && parsed.pageSize === offset) {
      second = parsed;
      break;
    }
    if (i === 0) second = { invalid: `(byte ${offset}): ${'invalid' in parsed ? parsed.invalid : `page size ${parsed.pageSize}, but it starts at byte ${offset}`}` };
  }
  if ('invalid' in first && 'invalid' in second) {
    throw new LmdbFormatError(file, `meta page 0 (byte 0): ${first.invalid}; meta page 1 ${second.invalid}`);
  }
  const meta = 'invalid' in second ? (first as LmdbMeta) : 'invalid' in first || second.txnid > first.txnid ? second : first;
  const orderFlags = Object.entries(DB_KEY_ORDER_FLAGS)
    .filter(([bit]) => meta.main.flags & Number(bit))
    .map(([, name]) => name);
  if (orderFlags.length > 0) {
    throw new LmdbFormatError(
      file,
      `meta page ${meta.metaPage}: the main database was created with ${orderFlags.join(', ')}; expected plain byte-ordered keys with one value each`,
    );
  }
  return meta;
}
