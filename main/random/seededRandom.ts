// The project's one seeded random generator, so that everything drawn from a seed (encoder initialization, clip
// sampling, head training orders, the demo dataset, test inputs) is the same on every machine and backend
// (tf.random*'s seeding is backend-specific).
//
// Exactly, because clip sampling is mirrored bit for bit in PyTorch (python/):
//   - generator: mulberry32. The state starts at (seed ^ 0x9e3779b9) mod 2^32; each draw adds 0x6d2b79f5 to it
//     (mod 2^32), then t = state; t = imul(t ^ (t >>> 15), t | 1); t ^= t + imul(t ^ (t >>> 7), t | 61);
//     uniform = ((t ^ (t >>> 14)) mod 2^32) / 2^32, in [0, 1). (imul: the low 32 bits of the product.)
//   - int(n) = min(n − 1, floor(uniform · n)), in double precision.
//   - shuffle: Fisher–Yates from the end, for i = n − 1 down to 1: j = int(i + 1), swap values i and j.
//   - deriveSeed(parts…): h = 0x811c9dc5; for each part k (an integer taken mod 2^32): k = imul(k ^ (k >>> 16),
//     0x85ebca6b); k = imul(k ^ (k >>> 13), 0xc2b2ae35); k ^= k >>> 16; h = imul(h ^ k, 0x01000193) mod 2^32;
//     h ^= h >>> 15 (murmur3's finalizer per part, FNV-style mixing). A string part (used by the demo's named
//     streams) is first turned into an integer by 32-bit FNV-1a over its UTF-16 code units.
//   - normal: Box–Muller, two uniforms u, v per pair: r = sqrt(−2 ln(1 − u)); r·cos(2πv) first, r·sin(2πv) next.

/** A part of a stream's name: an integer, or a string hashed into one. */
export type SeedPart = number | string;

export class SeededRandom {
  /** The seed this generator started from (forks derive from it, not from the current position). */
  readonly seed: number;
  #state: number;
  #spareNormal: number | undefined;

  constructor(seed: number) {
    this.seed = Math.trunc(seed) >>> 0;
    this.#state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: expected a non-empty list');
    return items[this.int(items.length)]!;
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.#spareNormal !== undefined) {
      const spare = this.#spareNormal;
      this.#spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.uniform(); // (0, 1], so log(u) is finite
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** `size` values uniform in [-bound, bound). */
  uniformArray(size: number, bound: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = (2 * this.uniform() - 1) * bound;
    return out;
  }

  /** `size` values normal with mean 0 and the given standard deviation. */
  normalArray(size: number, std: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.normal() * std;
    return out;
  }

  /** An independent stream named by `parts`, derived from this generator's seed (not from its position). */
  fork(...parts: SeedPart[]): SeededRandom {
    return new SeededRandom(deriveSeed(this.seed, ...parts));
  }
}

/** A 32-bit seed mixed from the parts (see the header), distinct for distinct tuples in practice. */
export function deriveSeed(...parts: SeedPart[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let k = (typeof part === 'string' ? hashName(part) : Math.trunc(part)) >>> 0;
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x01000193) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h;
}

/** The generator of the stream named by `parts`: new SeededRandom(deriveSeed(...parts)). */
export function randomFor(...parts: SeedPart[]): SeededRandom {
  return new SeededRandom(deriveSeed(...parts));
}

/** 32-bit FNV-1a over the string's UTF-16 code units. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
