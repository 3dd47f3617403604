// An ordered cursor over the main database of an LMDB snapshot. LMDB's leaves have no sibling pointers, so the
// cursor keeps the path from the root: one (page, node index) per level, as mdb.c's MDB_cursor does. `seek`
// descends to the first key >= a given key (in a branch, child i covers keys from node i's key up to node i+1's;
// node 0's key is ignored), `next` moves right in the leaf and climbs the path to the next subtree when a leaf ends.
//
// A hostile file must not hang the reader: the descent follows exactly `depth` levels (branch pages above, a leaf at
// the bottom), and a page reached twice in one walk — a cycle, or a subtree shared by two parents, which a valid
// tree never has — is an error. Every page is entered at most once per walk, so a walk ends after at most as many
// page reads as the file has pages.
//
// Keys and inline values are read from the cached page; `key()`/`value()` copy, `compareKey`/`keyStartsWith` and
// `readValue` (into the caller's buffer) do not allocate.
import { F_BIGDATA, F_DUPDATA, F_SUBDATA } from './layout';
import { LmdbFormatError } from './LmdbFormatError';
import type { OverflowBatch } from './OverflowBatch';
import type { Page } from './Page';
import type { PageFile } from './PageFile';

export class LmdbCursor {
  readonly #file: PageFile;
  readonly #root: number | undefined;
  readonly #depth: number;
  /** pages[level], level 0 the root, level depth-1 the leaf. */
  readonly #pages: Page[] = [];
  readonly #indices: number[] = [];
  readonly #visited = new Set<number>();
  #positioned = false;

  constructor(file: PageFile, root: number | undefined, depth: number) {
    this.#file = file;
    this.#root = root;
    this.#depth = depth;
  }

  /** Whether the cursor is on an entry (false after running past the last key, or in an empty database). */
  get positioned(): boolean {
    return this.#positioned;
  }

  /** Moves to the first key; false when the database is empty. */
  first(): boolean {
    return this.seek(new Uint8Array(0));
  }

  /** Moves to the first key >= `key`; false when there is none. */
  seek(key: Uint8Array): boolean {
    this.#visited.clear();
    this.#pages.length = 0;
    this.#indices.length = 0;
    this.#positioned = false;
    if (this.#root === undefined) return false;
    let pgno = this.#root;
    for (let level = 0; level < this.#depth; level++) {
      const page = this.#enter(pgno, level);
      if (page.isLeaf) {
        this.#indices[level] = lowerBound(page, key);
        break;
      }
      const index = childFor(page, key);
      this.#indices[level] = index;
      pgno = page.child(index);
    }
    this.#positioned = true;
    const leaf = this.#depth - 1;
    if (this.#indices[leaf]! < this.#pages[leaf]!.count) return true;
    return this.#advanceLeaf();
  }

  /** Moves to the next key; false (and no longer positioned) after the last one. */
  next(): boolean {
    if (!this.#positioned) return false;
    const leaf = this.#depth - 1;
    if (++this.#indices[leaf]! < this.#pages[leaf]!.count) return true;
    return this.#advanceLeaf();
  }

  /** Sign of (current key − `key`). */
  compareKey(key: Uint8Array): number {
    const page = this.#leaf();
    const index = this.#leafIndex;
    return page.compareKey(index, key);
  }

  /** Whether the current key starts with `prefix`. */
  keyStartsWith(prefix: Uint8Array): boolean {
    const page = this.#leaf();
    const index = this.#leafIndex;
    if (page.keySize(index) < prefix.length) return false;
    const start = page.keyOffset(index);
    return page.bytes.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
  }

  /** A copy of the current key. */
  key(): Buffer {
    const page = this.#leaf();
    const index = this.#leafIndex;
    const start = page.keyOffset(index);
    return Buffer.from(page.bytes.subarray(start, start + page.keySize(index)));
  }

  /** The current key as UTF-8 text (for messages and text keys). */
  keyText(): string {
    const page = this.#leaf();
    const index = this.#leafIndex;
    const start = page.keyOffset(index);
    return page.bytes.toString('utf8', start, start + page.keySize(index));
  }

  /** Bytes of the current value (a value in overflow pages is checked to lie inside the file). */
  valueSize(): number {
    const page = this.#leaf();
    const index = this.#leafIndex;
    const size = page.dataSize(index);
    if (this.#checkPlainValue(page, index) & F_BIGDATA) this.#file.checkOverflowRange(page.overflowPage(index), size);
    return size;
  }

  /**
   * Copies the current value into target[offset ... offset + valueSize()). With a `batch`, a value in overflow
   * pages is only queued: it is in `target` after `batch.flush()`.
   */
  readValue(target: Uint8Array, offset = 0, batch?: OverflowBatch): void {
    const page = this.#leaf();
    const index = this.#leafIndex;
    const flags = this.#checkPlainValue(page, index);
    const size = page.dataSize(index);
    if (offset < 0 || offset + size > target.length) {
      throw new RangeError(`expected room for ${size} bytes at offset ${offset} of a ${target.length}-byte buffer`);
    }
    if (flags & F_BIGDATA) {
      if (batch) batch.add(page.overflowPage(index), size, target, offset);
      else this.#file.readOverflow(page.overflowPage(index), size, target, offset);
    } else {
      const start = page.dataOffset(index);
      page.bytes.copy(target, offset, start, start + size);
    }
  }

  /** A copy of the current value. */
  value(): Buffer {
    const out = Buffer.allocUnsafe(this.valueSize());
    this.readValue(out);
    return out;
  }

  /** The current leaf; #leafIndex is the node on it. */
  #leaf(): Page {
    if (!this.#positioned) throw new Error('the LMDB cursor is not on an entry (seek or first, and check the result)');
    return this.#pages[this.#depth - 1]!;
  }

  get #leafIndex(): number {
    return this.#indices[this.#depth - 1]!;
  }

  /** The node's flags, once it is known to hold one value (readOverflow and OverflowBatch check where it lies). */
  #checkPlainValue(page: Page, index: number): number {
    const flags = page.nodeFlags(index);
    if (flags & (F_SUBDATA | F_DUPDATA)) {
      const what = flags & F_DUPDATA ? 'has several values (DUPSORT)' : 'names a sub-database';
      throw new LmdbFormatError(
        this.#file.file,
        `page ${page.pgno} node ${index}: key ${JSON.stringify(this.keyText())} ${what}; expected one plain value per key`,
      );
    }
    return flags;
  }

  /** From the end of a leaf, climbs to the nearest level with a next child and descends to its leftmost leaf. */
  #advanceLeaf(): boolean {
    let level = this.#depth - 2;
    while (level >= 0 && this.#indices[level]! + 1 >= this.#pages[level]!.count) level--;
    if (level < 0) {
      this.#positioned = false;
      return false;
    }
    this.#indices[level]!++;
    for (; level < this.#depth - 1; level++) {
      this.#enter(this.#pages[level]!.child(this.#indices[level]!), level + 1);
      this.#indices[level + 1] = 0;
    }
    return true;
  }

  /** Reads page `pgno` as the page at `level` of the path, checking it is of the kind that level needs. */
  #enter(pgno: number, level: number): Page {
    if (this.#visited.has(pgno)) {
      throw new LmdbFormatError(this.#file.file, `page ${pgno} is reached twice in one walk of the tree (a cycle or a shared subtree)`);
    }
    this.#visited.add(pgno);
    const page = this.#file.page(pgno);
    const leafLevel = this.#depth - 1;
    if (page.isLeaf !== (level === leafLevel)) {
      throw new LmdbFormatError(
        this.#file.file,
        `page ${pgno} (byte ${pgno * this.#file.pageSize}): expected a ${level === leafLevel ? 'leaf' : 'branch'} page at level ${level + 1} of a ${this.#depth}-level tree, got a ${page.isLeaf ? 'leaf' : 'branch'} page`,
      );
    }
    this.#pages[level] = page;
    return page;
  }
}

/** Leaf: index of the first node whose key >= `key` (count when none). */
function lowerBound(page: Page, key: Uint8Array): number {
  let low = 0;
  let high = page.count;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (page.compareKey(mid, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Branch: index of the last node whose key <= `key`, node 0 standing for every key below node 1's. */
function childFor(page: Page, key: Uint8Array): number {
  let low = 1;
  let high = page.count;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (page.compareKey(mid, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}
