// The mixed step-1 order (mixSchedule.ts): each dataset's share of set slots follows its weight at every prefix
// (within one set per nesting level), every batch is a function of (seed, batch number) alone, each dataset runs
// through its own epochs of sets, and the header's algorithm is what the class does (an independent, literal
// transcription of the header below is compared with it).
import { describe, expect, it } from 'vitest';
import { MixSchedule, mixWeights } from '../../../../main/engine/sampling/mixSchedule';
import { epochSets } from '../../../../main/engine/sampling/schedule';
import { randomFor } from '../../../../main/random/seededRandom';

const options = { clipsPerSet: 4, batchSize: 14, scaleMin: 0.5, scaleMax: 2, seed: 5 };
// Dataset 0: three sources (30, 9, 12 windows: 8 + 3 + 3 = 14 sets); dataset 1: one source (40 windows: 10 sets);
// dataset 2: two sources (5, 6 windows: 2 + 2 = 4 sets).
const windows = [[30, 9, 12], [40], [5, 6]];

describe('MixSchedule', () => {
  it('gives each dataset its weight share of the set slots, within two sets of its quota at every prefix (three datasets)', () => {
    const weights = [5, 3, 2];
    const schedule = new MixSchedule(windows, weights, options);
    const counts = [0, 0, 0];
    for (let g = 0; g < 5000; g++) {
      const { dataset, set } = schedule.slot(g);
      expect(set).toBe(counts[dataset]); // each dataset's sets are used in order, none skipped
      counts[dataset]!++;
      for (const [d, weight] of weights.entries()) expect(Math.abs(counts[d]! - ((g + 1) * weight) / 10)).toBeLessThanOrEqual(2);
    }
  });

  it('mixes the pairs of many batches in the requested proportions (within 1% after 500 batches)', () => {
    for (const proportions of [[0.5, 0.5], [0.8, 0.2], [1, 3], [2, 1, 1]]) {
      const schedule = new MixSchedule(windows.slice(0, proportions.length), mixWeights(proportions), options);
      const total = proportions.reduce((a, b) => a + b, 0);
      const shares = schedule.clipShares(500);
      proportions.forEach((p, d) => expect(Math.abs(shares[d]! - p / total), `${proportions} dataset ${d}`).toBeLessThan(0.01));
      // The batches themselves agree with clipShares.
      const drawn = proportions.map(() => 0);
      for (let b = 0; b < 500; b++) {
        const position = { epoch: Math.floor(b / schedule.batchesPerEpoch), batchIndex: b % schedule.batchesPerEpoch };
        for (const clip of schedule.batch(position)) drawn[clip.dataset]!++;
      }
      expect(drawn.map((n) => n / (500 * options.batchSize))).toEqual(shares);
    }
  });

  it('makes each batch from (seed, batch number) alone: a fresh schedule recomputes any batch', () => {
    const a = new MixSchedule(windows, [2, 1, 1], options);
    const sequence = Array.from({ length: 40 }, (_, b) => a.batch({ epoch: Math.floor(b / a.batchesPerEpoch), batchIndex: b % a.batchesPerEpoch }));
    const b = new MixSchedule(windows, [2, 1, 1], options);
    for (const index of [37, 3, 20, 0]) {
      expect(b.batch({ epoch: Math.floor(index / b.batchesPerEpoch), batchIndex: index % b.batchesPerEpoch })).toEqual(sequence[index]);
    }
    const other = new MixSchedule(windows, [2, 1, 1], { ...options, seed: 6 });
    expect(other.batch({ epoch: 0, batchIndex: 0 })).not.toEqual(sequence[0]);
  });

  it('keeps B clips per batch in sets of K distinct windows of one source, scales in range', () => {
    const schedule = new MixSchedule(windows, [1, 1, 1], options);
    for (let b = 0; b < 30; b++) {
      const clips = schedule.batch({ epoch: Math.floor(b / schedule.batchesPerEpoch), batchIndex: b % schedule.batchesPerEpoch });
      expect(clips).toHaveLength(14);
      for (let set = 0; set < 4; set++) {
        const members = clips.filter((c) => c.set === set);
        expect(members.length).toBe(set < 3 ? 4 : 2);
        expect(new Set(members.map((c) => `${c.dataset}/${c.source}`)).size).toBe(1);
        expect(new Set(members.map((c) => c.window)).size).toBe(members.length);
      }
      for (const clip of clips) expect(clip.scale >= 0.5 && clip.scale < 2).toBe(true);
    }
  });

  it('runs each dataset through its own epochs: every set of an epoch once, then a new shuffle', () => {
    const schedule = new MixSchedule(windows, [1, 1, 1], { ...options, batchSize: 12 });
    const seen: string[][] = [[], [], []];
    for (let b = 0; b < 60; b++) {
      const clips = schedule.batch({ epoch: Math.floor(b / schedule.batchesPerEpoch), batchIndex: b % schedule.batchesPerEpoch });
      for (const clip of clips) seen[clip.dataset]!.push(`${clip.source}:${clip.window}`);
    }
    // Dataset 2 has 4 sets of 4 per epoch: its first epoch covers windows 0..4 of source 0 and 0..5 of source 1.
    const firstEpoch = new Set(seen[2]!.slice(0, 16));
    expect(firstEpoch).toEqual(new Set([...[0, 1, 2, 3, 4].map((w) => `0:${w}`), ...[0, 1, 2, 3, 4, 5].map((w) => `1:${w}`)]));
    expect(seen[2]!.slice(16, 32)).not.toEqual(seen[2]!.slice(0, 16));
  });

  it('follows the algorithm written in its header', () => {
    const weights = mixWeights([0.3, 0.45, 0.25]);
    const schedule = new MixSchedule(windows, weights, options);
    const literal = headerTranscription(windows, weights, options);
    for (let b = 0; b < 25; b++) {
      const position = { epoch: Math.floor(b / schedule.batchesPerEpoch), batchIndex: b % schedule.batchesPerEpoch };
      expect(schedule.batch(position), `batch ${b}`).toEqual(literal(b));
    }
  });

  it('refuses fewer than two datasets, a weight below 1 and a source shorter than a set', () => {
    expect(() => new MixSchedule([[10]], [1], options)).toThrow(/at least 2 datasets/);
    expect(() => new MixSchedule(windows, [1, 0, 1], options)).toThrow(/dataset 1: expected an integer weight >= 1, got 0/);
    expect(() => new MixSchedule([[10], [3]], [1, 1], options)).toThrow(/dataset 1 source 0: expected at least clipsPerSet \(4\) windows, got 3/);
    expect(() => mixWeights([1, -1])).toThrow(RangeError);
    expect(mixWeights([1, 3])).toEqual([250_000, 750_000]);
  });
});

/** The header of mixSchedule.ts, step by step, without the class's caching: batch b's clips. */
function headerTranscription(windowsPerDataset: number[][], w: number[], o: typeof options) {
  const STREAM = 3;
  const K = o.clipsPerSet;
  const S = Math.ceil(o.batchSize / K);
  const D = w.length;
  const S_d = windowsPerDataset.map((n) => n.reduce((sum, x) => sum + Math.ceil(x / K), 0));
  const P = randomFor(o.seed, STREAM, 0);
  const R: number[] = [];
  const phi: number[] = [];
  for (let d = 0; d < D - 1; d++) {
    R.push(w.slice(d).reduce((a, b) => a + b, 0));
    phi.push(P.int(R[d]!));
  }
  const slot = (g: number): [number, number] => {
    let j = g;
    for (let d = 0; d < D - 1; d++) {
      const lo = Math.floor((j * w[d]! + phi[d]!) / R[d]!);
      const hi = Math.floor(((j + 1) * w[d]! + phi[d]!) / R[d]!);
      if (hi > lo) return [d, lo];
      j = j - lo;
    }
    return [D - 1, j];
  };
  return (b: number) => {
    const r = randomFor(o.seed, STREAM, 1, b);
    const t = r.int(S);
    const order = [...Array.from({ length: S }, (_, i) => i).filter((i) => i !== t), t];
    const clips: { dataset: number; source: number; window: number; set: number; scale: number }[] = [];
    order.forEach((i, set) => {
      const [d, k] = slot(b * S + i);
      const e = Math.floor(k / S_d[d]!);
      const sets = epochSets(windowsPerDataset[d]!, K, randomFor(o.seed, STREAM, 2, d, e));
      const index = k % S_d[d]!;
      for (let c = 0; c < K; c++) clips.push({ dataset: d, source: sets.setSource[index]!, window: sets.setWindows[index * K + c]!, set, scale: 0 });
    });
    const kept = clips.slice(0, o.batchSize);
    for (const clip of kept) clip.scale = o.scaleMin + (o.scaleMax - o.scaleMin) * r.uniform();
    return kept;
  };
}
