// A small seeded random generator for parameter initialization, so that an encoder created with the same config
// and seed has the same weights on every machine and backend (tf.randomUniform's seeding is backend-specific).

/** Uniform floats in [0, 1) from the mulberry32 generator; normal floats by Box–Muller. */
export class SeededRandom {
  #state: number;
  #spareNormal: number | undefined;

  constructor(seed: number) {
    this.#state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

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
}
