// A least-recently-used cache of feature blocks (float32 values, or float16 bit patterns as stored) bounded by
// bytes, so random clip sampling over a large dataset re-reads recently used frames from memory while never holding
// more than the budget.

/** A block of frames as cached: float32 values, or float16 bit patterns. */
export type FeatureBlock = Float32Array | Uint16Array;

export interface BlockCacheStats {
  hits: number;
  misses: number;
  /** Bytes of the blocks held now (never above the budget). */
  bytes: number;
  blocks: number;
  evictions: number;
}

export class BlockCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used block first.
  readonly #blocks = new Map<string, FeatureBlock>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(readonly budgetBytes: number) {
    if (!Number.isFinite(budgetBytes) || budgetBytes < 0) {
      throw new RangeError(`BlockCache: expected budgetBytes >= 0, got ${budgetBytes}`);
    }
  }

  /** The cached block, or the one `load` makes (then kept if it fits the budget at all). */
  get(key: string, load: () => FeatureBlock): FeatureBlock {
    const cached = this.#blocks.get(key);
    if (cached) {
      this.#hits++;
      this.#blocks.delete(key);
      this.#blocks.set(key, cached);
      return cached;
    }
    this.#misses++;
    const block = load();
    if (block.byteLength <= this.budgetBytes) {
      while (this.#bytes + block.byteLength > this.budgetBytes) this.#evictOldest();
      this.#blocks.set(key, block);
      this.#bytes += block.byteLength;
    }
    return block;
  }

  clear(): void {
    this.#blocks.clear();
    this.#bytes = 0;
  }

  stats(): BlockCacheStats {
    return { hits: this.#hits, misses: this.#misses, bytes: this.#bytes, blocks: this.#blocks.size, evictions: this.#evictions };
  }

  #evictOldest(): void {
    const oldest = this.#blocks.entries().next();
    if (oldest.done) return;
    const [key, block] = oldest.value;
    this.#blocks.delete(key);
    this.#bytes -= block.byteLength;
    this.#evictions++;
  }
}
