// Synthetic feature tracks with known sync offsets, for the sync tests: every view shows one scene content c(t) (a
// piecewise-constant "action" that changes every 23 frames plus fast shared motion) at its frame t + offset, mixed
// by its own or a shared matrix, with its own gain, bias and noise; a view may instead see nothing of the scene.
import type { FeatureTrackSource } from '../../../main/sync/viewSignals';

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

export interface SyntheticOptions {
  frames: number;
  dim: number;
  /** True offset of each view: its frame t + offset shows scene frame t. */
  offsets: number[];
  /** Noise of each view's own, per frame and feature. */
  noise: number;
  /** One mixing matrix for all views (appearance works) instead of one per view (structure only). */
  sharedBasis?: boolean;
  /** Views that see only their own noise (nothing of the scene). */
  blind?: number[];
  seed?: number;
}

/** Track k of the source is view k. */
export function syntheticScene(options: SyntheticOptions): FeatureTrackSource {
  const { frames, dim, offsets, noise } = options;
  const random = seeded(options.seed ?? 7);
  const pad = 100;
  const span = frames + 2 * pad;
  const content = new Float32Array(span * dim);
  let value = Array.from({ length: dim }, random);
  for (let t = 0; t < span; t++) {
    if (t % 23 === 0) value = Array.from({ length: dim }, random);
    for (let d = 0; d < dim; d++) content[t * dim + d] = value[d]! + 0.2 * random();
  }
  const commonMixing = Array.from({ length: dim * dim }, random);
  const tracks = offsets.map((offset, k) => {
    const mixing = options.sharedBasis ? commonMixing : Array.from({ length: dim * dim }, random);
    const blind = options.blind?.includes(k) ?? false;
    const track = new Float32Array(frames * dim);
    for (let j = 0; j < frames; j++) {
      const t = j - offset + pad;
      for (let f = 0; f < dim; f++) {
        let sum = 3 * k + noise * random();
        if (!blind) for (let d = 0; d < dim; d++) sum += mixing[f * dim + d]! * content[t * dim + d]! * (k + 1);
        track[j * dim + f] = sum;
      }
    }
    return track;
  });
  return {
    track: () => ({ frames, dim }),
    readFrames: (id, start, end) => tracks[id]!.slice(start * dim, end * dim),
  };
}
