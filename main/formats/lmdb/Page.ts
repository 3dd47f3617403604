// One branch or leaf page of an LMDB B+tree, checked once when it is read so that every later access stays inside
// it: the header (its own page number, its kind, the node pointer array within the page) and every node (header,
// key and inline data within the page). Accessors then read keys, data sizes, overflow page numbers and child page
// numbers without further checks and without allocating. Layout: ./layout.ts.
import {
  F_BIGDATA,
  NODE_HEADER_BYTES,
  P_BRANCH,
  P_LEAF,
  PAGE,
  PAGE_HEADER_BYTES,
  PAGE_KIND_BITS,
  PAGE_NUMBER_BYTES,
  readU16,
  readU64,
} from './layout';
import { LmdbFormatError } from './LmdbFormatError';

export class Page {
  /** Byte offset of each node in the page, in key order (a copy of mp_ptrs). */
  readonly #nodes: Uint16Array;

  private constructor(
    readonly pgno: number,
    readonly bytes: Buffer,
    readonly isLeaf: boolean,
    nodes: Uint16Array,
  ) {
    this.#nodes = nodes;
  }

  /** Checks the page's header and nodes; `bytes` is the whole page. Throws LmdbFormatError naming the page. */
  static parse(file: string, pgno: number, bytes: Buffer): Page {
    const where = `page ${pgno} (byte ${pgno * bytes.length})`;
    const fail = (problem: string) => new LmdbFormatError(file, `${where}: ${problem}`);
    const pageSize = bytes.length;
    const ownNumber = readU64(bytes, PAGE.pgno);
    if (ownNumber !== pgno) throw fail(`expected its own page number ${pgno} in the header, got ${ownNumber}`);
    const kind = readU16(bytes, PAGE.flags) & PAGE_KIND_BITS;
    if (kind !== P_BRANCH && kind !== P_LEAF) {
      throw fail(`expected a branch (0x01) or leaf (0x02) page of the main database, got page flags 0x${kind.toString(16).padStart(2, '0')}`);
    }
    const isLeaf = kind === P_LEAF;
    const lower = readU16(bytes, PAGE.lower);
    const upper = readU16(bytes, PAGE.upper);
    if (lower < PAGE_HEADER_BYTES + 2 || (lower - PAGE_HEADER_BYTES) % 2 !== 0 || lower > upper || upper > pageSize) {
      throw fail(`expected ${PAGE_HEADER_BYTES + 2} <= lower <= upper <= ${pageSize} with an even node pointer array, got lower ${lower}, upper ${upper}`);
    }
    const count = (lower - PAGE_HEADER_BYTES) / 2;
    const nodes = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      const node = readU16(bytes, PAGE_HEADER_BYTES + 2 * i);
      if (node < lower || node + NODE_HEADER_BYTES > pageSize) {
        throw fail(`node ${i} at offset ${node}: expected a node header within bytes ${lower}..${pageSize} of the page`);
      }
      const keyEnd = node + NODE_HEADER_BYTES + readU16(bytes, node + 6);
      if (keyEnd > pageSize) throw fail(`node ${i} at offset ${node}: its key of ${keyEnd - node - NODE_HEADER_BYTES} bytes runs past the page end`);
      if (isLeaf) {
        const dataBytes = readU16(bytes, node + 4) & F_BIGDATA ? PAGE_NUMBER_BYTES : readU16(bytes, node) + readU16(bytes, node + 2) * 65536;
        if (keyEnd + dataBytes > pageSize) throw fail(`node ${i} at offset ${node}: its ${dataBytes} data bytes run past the page end`);
      }
      nodes[i] = node;
    }
    return new Page(pgno, bytes, isLeaf, nodes);
  }

  /** Nodes on the page. */
  get count(): number {
    return this.#nodes.length;
  }

  keyOffset(i: number): number {
    return this.#nodes[i]! + NODE_HEADER_BYTES;
  }

  keySize(i: number): number {
    return readU16(this.bytes, this.#nodes[i]! + 6);
  }

  /** Sign of (key of node i − `key`), in LMDB's default order (bytes compared unsigned, then shorter first). */
  compareKey(i: number, key: Uint8Array): number {
    const start = this.keyOffset(i);
    return this.bytes.compare(key, 0, key.length, start, start + this.keySize(i));
  }

  /** Leaf node flags (F_BIGDATA, F_SUBDATA, F_DUPDATA). */
  nodeFlags(i: number): number {
    return readU16(this.bytes, this.#nodes[i]! + 4);
  }

  /** Leaf: the value's size in bytes (inline or in overflow pages). */
  dataSize(i: number): number {
    const node = this.#nodes[i]!;
    return readU16(this.bytes, node) + readU16(this.bytes, node + 2) * 65536;
  }

  /** Leaf: offset of the inline value, or of the overflow page number when F_BIGDATA. */
  dataOffset(i: number): number {
    return this.keyOffset(i) + this.keySize(i);
  }

  /** Leaf with F_BIGDATA: the first page of the value's overflow run. */
  overflowPage(i: number): number {
    return readU64(this.bytes, this.dataOffset(i));
  }

  /** Branch: the child page of node i (mn_lo | mn_hi << 16 | mn_flags << 32). */
  child(i: number): number {
    const node = this.#nodes[i]!;
    return readU16(this.bytes, node) + readU16(this.bytes, node + 2) * 65536 + readU16(this.bytes, node + 4) * 2 ** 32;
  }
}
