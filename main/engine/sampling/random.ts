// Seeded randomness for clip sampling. The generator itself is the encoder's mulberry32 (SeededRandom); here are
// the few things sampling adds: independent streams derived from (seed, epoch, batch, ...) so any batch can be
// recomputed from its position alone (resume needs no saved generator state), and a Fisher–Yates shuffle.
import { SeededRandom } from '../encoder/random';

/** A 32-bit seed mixed from integer parts (murmur3's finalizer per part), distinct for distinct tuples in practice. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let k = Math.trunc(part) >>> 0;
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x01000193) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h;
}

/** A generator for the stream named by `parts`. */
export function randomFor(...parts: number[]): SeededRandom {
  return new SeededRandom(deriveSeed(...parts));
}

/** An integer uniform in [0, n). */
export function randomInt(random: SeededRandom, n: number): number {
  return Math.min(n - 1, Math.floor(random.uniform() * n));
}

/** Shuffles `values` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [index: number]: number }>(values: T, random: SeededRandom): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
  return values;
}
