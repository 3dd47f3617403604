// LMDB's on-disk layout, data format version 1 (LMDB 0.9.x, the reference C library's `mdb.c` / `lmdb.h`), as
// laid out by a 64-bit little-endian build (x86-64, arm64): page numbers and sizes are 8 bytes. The one source of
// these offsets and flags for the reader in this folder.
//
// Every page starts with a 16-byte header: mp_pgno u64 (the page's own number), mp_pad u16, mp_flags u16, then
// either mp_lower u16 + mp_upper u16 (branch and leaf pages: the end of the node pointer array and the start of
// the node area) or mp_pages u32 (the first page of an overflow run: how many pages the run spans).
// Branch and leaf pages hold an array of u16 node offsets (mp_ptrs, sorted by key) right after the header; each
// node is mn_lo u16, mn_hi u16, mn_flags u16, mn_ksize u16, then the key, then (leaf) the data. On a leaf,
// lo | hi << 16 is the data size; on a branch, lo | hi << 16 | flags << 32 is the child page number.
// Pages 0 and 1 are the meta pages; transaction N writes meta page N % 2, and a reader uses the one with the
// higher transaction id.

/** Bytes of every page header (offsetof(MDB_page, mp_ptrs) with 8-byte page numbers). */
export const PAGE_HEADER_BYTES = 16;
/** Bytes of a node header before its key (offsetof(MDB_node, mn_data)). */
export const NODE_HEADER_BYTES = 8;
/** Bytes of an overflow page number stored as a leaf node's data (F_BIGDATA). */
export const PAGE_NUMBER_BYTES = 8;

/** Page header field offsets. */
export const PAGE = { pgno: 0, pad: 8, flags: 10, lower: 12, upper: 14, overflowPages: 12 } as const;

/** mp_flags bits (mdb.c, "Page Flags"). */
export const P_BRANCH = 0x01;
export const P_LEAF = 0x02;
export const P_OVERFLOW = 0x04;
export const P_META = 0x08;
export const P_LEAF2 = 0x20;
export const P_SUBP = 0x40;
/** The bits that say what kind of page it is (the others, such as P_DIRTY, are in-memory state). */
export const PAGE_KIND_BITS = P_BRANCH | P_LEAF | P_OVERFLOW | P_META | P_LEAF2 | P_SUBP;

/** mn_flags bits of a leaf node (mdb.c, "Node Flags"). */
export const F_BIGDATA = 0x01;
export const F_SUBDATA = 0x02;
export const F_DUPDATA = 0x04;

/** md_flags of a database (lmdb.h, mdb_dbi_open): the ones that change key order or allow several values per key. */
export const DB_KEY_ORDER_FLAGS = { 0x02: 'REVERSEKEY', 0x04: 'DUPSORT', 0x08: 'INTEGERKEY', 0x10: 'DUPFIXED', 0x20: 'INTEGERDUP', 0x40: 'REVERSEDUP' } as const;

/** The meta page's stamp (MDB_MAGIC) and the data format version this reader reads (MDB_DATA_VERSION of 0.9.x). */
export const MDB_MAGIC = 0xbeefc0de;
export const MDB_DATA_VERSION = 1;

/** MDB_meta field offsets from the start of a meta page (the meta follows the page header). */
export const META = {
  magic: 16,
  version: 20,
  address: 24,
  mapSize: 32,
  /** mm_dbs[FREE_DBI]; its md_pad is the page size (mm_psize). */
  freeDb: 40,
  /** mm_dbs[MAIN_DBI]: the default (unnamed) database. */
  mainDb: 88,
  lastPage: 136,
  txnid: 144,
} as const;
/** Bytes of a meta page that hold the meta (header + MDB_meta). */
export const META_BYTES = 152;

/** MDB_db field offsets from the start of an mm_dbs entry. */
export const DB = { pad: 0, flags: 4, depth: 6, branchPages: 8, leafPages: 16, overflowPages: 24, entries: 32, root: 40 } as const;

/** The smallest and largest page sizes a meta page may declare (LMDB uses the OS page size, at most 32 KiB in 0.9). */
export const MIN_PAGE_SIZE = 512;
export const MAX_PAGE_SIZE = 65536;
/** LMDB's cursor stack depth (CURSOR_STACK): no valid tree is deeper. */
export const MAX_TREE_DEPTH = 32;

/** An unsigned little-endian 64-bit integer as a number; values past 2^53 come back approximate but still huge. */
export function readU64(bytes: Uint8Array, offset: number): number {
  return readU32(bytes, offset) + readU32(bytes, offset + 4) * 2 ** 32;
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

export function readU16(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

/** Whether the 8 bytes at `offset` are P_INVALID (all ones): the root of an empty database. */
export function isInvalidPage(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 8; i++) if (bytes[offset + i] !== 0xff) return false;
  return true;
}
