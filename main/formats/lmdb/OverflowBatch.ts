// Values in overflow pages read together: a range read queues each value's overflow run with its destination, and
// `flush` reads runs that lie close together in the file with one scatter read (readv) — the run's header into a
// small buffer (checked afterwards), its data straight into the caller's buffer, the bytes between runs into a
// scratch buffer. LMDB allocates the overflow pages of keys written in order one after another, so a leaf's worth of
// 8 KB features (about 70 values) is one system call instead of 70, and no value is copied twice.
import { readvSync } from 'node:fs';
import { PAGE_HEADER_BYTES } from './layout';
import type { PageFile } from './PageFile';

/** Values queued before the batch reads them on its own (each takes up to three of readv's 1024 buffers). */
const MAX_QUEUED = 256;
/** The most unneeded bytes between two runs that are still read through rather than skipped by a new read. */
const MAX_GAP_BYTES = 64 * 1024;

/** Gap lengths whose scratch views are kept (LMDB's runs leave the same few gaps again and again). */
const KEPT_GAP_VIEWS = 32;

export class OverflowBatch {
  readonly #file: PageFile;
  #count = 0;
  readonly #pgnos = new Float64Array(MAX_QUEUED);
  readonly #sizes = new Float64Array(MAX_QUEUED);
  readonly #offsets = new Float64Array(MAX_QUEUED);
  readonly #targets: Uint8Array[] = [];
  /** Queue positions in file order. */
  readonly #order = new Int32Array(MAX_QUEUED);
  readonly #headers = new Uint8Array(MAX_QUEUED * PAGE_HEADER_BYTES);
  readonly #headerViews: Uint8Array[] = [];
  readonly #gap = new Uint8Array(MAX_GAP_BYTES);
  readonly #gapViews = new Map<number, Uint8Array>();
  /** The readv buffer list, reused by every group. */
  readonly #buffers: Uint8Array[] = [];

  constructor(file: PageFile) {
    this.#file = file;
    for (let i = 0; i < MAX_QUEUED; i++) this.#headerViews.push(this.#headers.subarray(i * PAGE_HEADER_BYTES, (i + 1) * PAGE_HEADER_BYTES));
  }

  /** Queues the `size`-byte value in the overflow run at `pgno` for target[offset...]; read by the next flush. */
  add(pgno: number, size: number, target: Uint8Array, offset: number): void {
    this.#file.checkOverflowRange(pgno, size);
    const i = this.#count++;
    this.#pgnos[i] = pgno;
    this.#sizes[i] = size;
    this.#offsets[i] = offset;
    this.#targets[i] = target;
    if (this.#count === MAX_QUEUED) this.flush();
  }

  /** Reads every queued value into its target and checks each run's header. */
  flush(): void {
    const count = this.#count;
    if (count === 0) return;
    const order = this.#order;
    let ascending = true;
    for (let i = 0; i < count; i++) {
      order[i] = i;
      if (i > 0 && this.#pgnos[i]! < this.#pgnos[i - 1]!) ascending = false;
    }
    if (!ascending) order.subarray(0, count).sort((a, b) => this.#pgnos[a]! - this.#pgnos[b]!);
    try {
      let first = 0;
      while (first < count) first = this.#readGroup(first);
    } finally {
      this.discard();
    }
  }

  /** Forgets the queued values without reading them (after a failed read, so the batch can be used again). */
  discard(): void {
    this.#count = 0;
    this.#targets.length = 0;
  }

  /** Reads the runs order[first...] that follow each other closely with one readv; returns the next index. */
  #readGroup(first: number): number {
    const pageSize = this.#file.pageSize;
    const order = this.#order;
    const buffers = this.#buffers;
    buffers.length = 0;
    const start = this.#pgnos[order[first]!]! * pageSize;
    let end = start;
    let k = first;
    for (; k < this.#count; k++) {
      const i = order[k]!;
      const position = this.#pgnos[i]! * pageSize;
      const gap = position - end;
      if (k > first && (gap < 0 || gap > MAX_GAP_BYTES)) break;
      if (gap > 0) buffers.push(this.#gapView(gap));
      buffers.push(this.#headerViews[i]!);
      const offset = this.#offsets[i]!;
      const size = this.#sizes[i]!;
      buffers.push(this.#targets[i]!.subarray(offset, offset + size));
      end = position + PAGE_HEADER_BYTES + size;
    }
    const read = readvSync(this.#file.fd(), buffers, start);
    for (let j = first; j < k; j++) {
      const i = order[j]!;
      const pgno = this.#pgnos[i]!;
      const size = this.#sizes[i]!;
      if (read < pgno * pageSize + PAGE_HEADER_BYTES + size - start) {
        // A short scatter read (the end of the file, or an interrupted read): this run one at a time, which names
        // the page where the file ends.
        this.#file.readOverflow(pgno, size, this.#targets[i]!, this.#offsets[i]!);
      } else {
        this.#file.checkOverflowHeader(this.#headers, i * PAGE_HEADER_BYTES, pgno, size);
      }
    }
    return k;
  }

  #gapView(length: number): Uint8Array {
    let view = this.#gapViews.get(length);
    if (!view) {
      view = this.#gap.subarray(0, length);
      if (this.#gapViews.size < KEPT_GAP_VIEWS) this.#gapViews.set(length, view);
    }
    return view;
  }
}
