// Positioned, read-only access to the pages of one data.mdb: branch and leaf pages through a small LRU cache of
// checked Page objects (the upper levels of the tree stay cached), and values in overflow pages read straight into
// the caller's buffer. Never memory-maps and never writes: a page number past the file or the snapshot, a short
// read or an overflow run past the end is an LmdbFormatError naming the page, not a fault.
import { closeSync, readSync, readvSync } from 'node:fs';
import { P_OVERFLOW, PAGE, PAGE_HEADER_BYTES, PAGE_KIND_BITS, readU16, readU32, readU64 } from './layout';
import { LmdbFormatError } from './LmdbFormatError';
import { Page } from './Page';

/**
 * Bytes of branch and leaf pages kept per file: 1,024 pages at the usual 4 KiB. The upper levels of even a view's
 * environment of the whole of Assembly101 (millions of keys) stay cached; a range read costs one descent from there
 * and then the leaves it walks.
 */
export const PAGE_CACHE_BYTES = 4 * 2 ** 20;

export class PageFile {
  /** Pages 2..pageLimit-1 may be read: within the file and within the snapshot. */
  readonly pageLimit: number;
  #fd: number | undefined;
  readonly #cache = new Map<number, Page>();
  readonly #cachePages: number;
  readonly #overflowHeader = Buffer.alloc(PAGE_HEADER_BYTES);

  constructor(
    readonly file: string,
    fd: number,
    readonly fileSize: number,
    readonly pageSize: number,
    /** The snapshot's last page (mm_last_pg). */
    readonly lastPage: number,
  ) {
    this.#fd = fd;
    this.pageLimit = Math.min(lastPage + 1, Math.floor(fileSize / pageSize));
    this.#cachePages = Math.max(16, Math.floor(PAGE_CACHE_BYTES / pageSize));
  }

  /** The checked branch or leaf page `pgno`, from the cache or the file. */
  page(pgno: number): Page {
    const cached = this.#cache.get(pgno);
    if (cached) {
      this.#cache.delete(pgno);
      this.#cache.set(pgno, cached);
      return cached;
    }
    this.#checkRange(pgno, 1, `page ${pgno}`);
    const bytes = Buffer.allocUnsafeSlow(this.pageSize);
    this.#readFully(bytes, 0, this.pageSize, pgno * this.pageSize, `page ${pgno}`);
    const page = Page.parse(this.file, pgno, bytes);
    if (this.#cache.size >= this.#cachePages) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(pgno, page);
    return page;
  }

  /** Copies the `size`-byte value stored in the overflow run starting at page `pgno` into target[offset...]. */
  readOverflow(pgno: number, size: number, target: Uint8Array, offset: number): void {
    this.checkOverflowRange(pgno, size);
    const position = pgno * this.pageSize;
    const header = this.#overflowHeader;
    const read = readvSync(this.fd(), [header, target.subarray(offset, offset + size)], position);
    if (read < PAGE_HEADER_BYTES + size) {
      const what = `overflow page ${pgno}`;
      if (read < PAGE_HEADER_BYTES) this.#readFully(header, read, PAGE_HEADER_BYTES - read, position + read, what);
      const done = Math.max(0, read - PAGE_HEADER_BYTES);
      this.#readFully(target, offset + done, size - done, position + PAGE_HEADER_BYTES + done, what);
    }
    this.checkOverflowHeader(header, 0, pgno, size);
  }

  /** Throws unless the overflow run of a `size`-byte value starting at page `pgno` lies inside the file and snapshot. */
  checkOverflowRange(pgno: number, size: number): void {
    const pages = this.#overflowPages(size);
    this.#checkRange(pgno, pages, `overflow run of a ${size}-byte value at pages ${pgno}..${pgno + pages - 1}`);
  }

  /**
   * Checks the header (at bytes[offset...]) of an overflow run's first page: its own page number, its kind, and a
   * page count that covers a `size`-byte value.
   */
  checkOverflowHeader(bytes: Uint8Array, offset: number, pgno: number, size: number): void {
    const pages = this.#overflowPages(size);
    const ownNumber = readU64(bytes, offset + PAGE.pgno);
    const kind = readU16(bytes, offset + PAGE.flags) & PAGE_KIND_BITS;
    const runPages = readU32(bytes, offset + PAGE.overflowPages);
    if (ownNumber !== pgno || kind !== P_OVERFLOW || runPages < pages) {
      throw new LmdbFormatError(
        this.file,
        `overflow page ${pgno} (byte ${pgno * this.pageSize}): expected an overflow page (flags 0x04) numbered ${pgno} spanning at least ${pages} pages ` +
          `for a ${size}-byte value, got page number ${ownNumber}, flags 0x${kind.toString(16).padStart(2, '0')}, ${runPages} pages`,
      );
    }
  }

  /** The open file descriptor (positioned reads only). */
  fd(): number {
    if (this.#fd === undefined) throw new Error(`${this.file}: read after the environment was closed`);
    return this.#fd;
  }

  /** Pages an overflow run needs for a `size`-byte value (OVPAGES in mdb.c). */
  #overflowPages(size: number): number {
    return Math.ceil((PAGE_HEADER_BYTES + size) / this.pageSize);
  }

  /** Throws unless pages pgno..pgno+count-1 are tree pages inside the file and the snapshot; `what` names them. */
  #checkRange(pgno: number, count: number, what: string): void {
    if (Number.isSafeInteger(pgno) && pgno >= 2 && pgno + count <= this.pageLimit) return;
    const filePages = Math.floor(this.fileSize / this.pageSize);
    const problem =
      pgno < 2
        ? 'expected a page number from 2 (pages 0 and 1 are the meta pages)'
        : pgno + count > filePages
          ? `runs past the end of the file (${filePages} pages of ${this.pageSize} bytes: the file is cut short or the page number is corrupt)`
          : `expected pages up to the snapshot's last page ${this.lastPage}`;
    throw new LmdbFormatError(this.file, `${what}: ${problem}`);
  }

  #readFully(buffer: Uint8Array, offset: number, length: number, position: number, what: string): void {
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd(), buffer, offset + done, length - done, position + done);
      if (n === 0) throw new LmdbFormatError(this.file, `${what} (byte ${position}): the file ended after ${done} of ${length} bytes`);
      done += n;
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#cache.clear();
  }
}
