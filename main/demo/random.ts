// Seeded randomness for the demo generator: mulberry32 (a small, fast 32-bit PRNG) with Box–Muller normals, and
// named sub-streams so every scene and view draws from its own sequence, independent of generation order, and
// smooth random signals built from them.

/** 32-bit FNV-1a of `text`, mixed into `seed`: a stable seed for a named sub-stream. */
export function deriveSeed(seed: number, ...names: (string | number)[]): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const name of names) {
    for (const char of `/${name}`) {
      hash ^= char.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash;
}

export class SeededRandom {
  private state: number;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream for `names`, derived from this stream's seed (not from its position). */
  fork(...names: (string | number)[]): SeededRandom {
    return new SeededRandom(deriveSeed(this.seed, ...names));
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [low, high] inclusive. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: expected a non-empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** `count` normals scaled by `std`. */
  normals(count: number, std = 1): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = std * this.normal();
    return out;
  }
}

/** A smooth unit-variance signal of the frame index: `waves` random sinusoids with periods in [minS, maxS] seconds. */
export function smoothWaves(random: SeededRandom, waves: number, minS: number, maxS: number, fps: number): (frame: number) => number {
  const omegas = Array.from({ length: waves }, () => (2 * Math.PI) / (random.uniform(minS, maxS) * fps));
  const phases = Array.from({ length: waves }, () => random.uniform(0, 2 * Math.PI));
  const amplitude = Math.sqrt(2 / waves);
  return (frame) => {
    let value = 0;
    for (let w = 0; w < waves; w++) value += amplitude * Math.sin(omegas[w]! * frame + phases[w]!);
    return value;
  };
}
