// The order in which step 1 draws clips when it trains on several datasets at once (the publication pre-trains
// step 1 on Assembly101 and Charades-Ego pairs together): every batch mixes sets of K pairs from each dataset in
// fixed proportions, and any batch can be recomputed from (seed, batch number) alone, so a resumed run continues
// the same mixed order. A single dataset uses SetSchedule (schedule.ts) instead, unchanged.
//
// Exactly (integers throughout; uniform, int and shuffle are those of random/seededRandom.ts; STREAM = 3):
//   Inputs: D >= 2 datasets in the order given (the run's `mix.datasets`); dataset d has pair sources s in the order
//   planSampling lists them (as for a single dataset, plan.ts) with window counts n_{d,s} (each >= K), and an integer
//   weight w_d >= 1 (`mix.datasets[d].weight`); W = Σ w_d. K = clipsPerSet, B = batch size (batchPairs),
//   S = ⌈B/K⌉ sets per batch. Dataset d's epoch holds S_d = Σ_s ⌈n_{d,s}/K⌉ sets.
//   1. Each dataset is its own stream of sets: its k-th set (k = 0, 1, …) is set (k mod S_d) of its epoch
//      e = ⌊k / S_d⌋, where an epoch's sets are epochSets(n_{d,·}, K, randomFor(seed, STREAM, 2, d, e)) (schedule.ts:
//      every source's windows shuffled and cut into sets of K, then all of the dataset's sets shuffled).
//   2. Set slots are numbered globally: batch b owns slots g = b·S + i, i = 0…S−1. Slot g goes to a dataset by
//      nested even spreading, with phases φ_0…φ_{D−2} drawn once: P = randomFor(seed, STREAM, 0); R_d = Σ_{e>=d} w_e;
//      φ_d = P.int(R_d) for d = 0, 1, … in order. Then, with j = g:
//        for d = 0 … D−2: lo = ⌊(j·w_d + φ_d) / R_d⌋, hi = ⌊((j+1)·w_d + φ_d) / R_d⌋;
//                         if hi > lo: the slot is dataset d's set number k = lo; stop.
//                         else j = j − lo  (the slot's index among the slots the datasets after d share)
//        otherwise the slot is dataset D−1's set number k = j.
//      So of the first j slots that reach level d, dataset d gets exactly ⌊(j·w_d + φ_d)/R_d⌋: its share of all
//      slots is w_d/W, and after any number of slots it is within one set of that at each level.
//   3. Batch b: r = randomFor(seed, STREAM, 1, b); t = r.int(S). The batch's sets are its slots in order i = 0…S−1
//      with slot t moved to the end (so which dataset's set is cut short when K does not divide B varies); its clips
//      are each set's K (source, window) pairs in order (a clip's set number is its set's position in this order),
//      the first B of them kept. Then one scale per kept clip, in order: scaleMin + (scaleMax − scaleMin)·r.uniform().
//   A sampler position (epoch, batchIndex) is batch b = epoch·E + batchIndex, E = max(1, ⌊Σ_d S_d / S⌋) (a nominal
//   epoch: as many batches as one pass over every dataset's sets would fill).
import { randomFor } from '../../random/seededRandom';
import { epochSets, type EpochSets, type SamplerPosition } from './schedule';

export interface MixedClip {
  /** Index of the dataset in the mix. */
  dataset: number;
  /** Index of the pair source within its dataset's list. */
  source: number;
  /** Window index within the source. */
  window: number;
  /** Set number within the batch. */
  set: number;
  /** Window length factor. */
  scale: number;
}

export interface MixScheduleOptions {
  clipsPerSet: number;
  batchSize: number;
  scaleMin: number;
  scaleMax: number;
  seed: number;
}

/** The random stream number of the mixed schedule (single-dataset samplers use 1 and 2). */
export const MIXED_PAIR_STREAM = 3;
/** Weights of a requested mix add up to about this many parts. */
export const MIX_WEIGHT_TOTAL = 1_000_000;

/** Integer weights from positive proportions (any scale): round(MIX_WEIGHT_TOTAL · p / Σp), at least 1. */
export function mixWeights(proportions: readonly number[]): number[] {
  const total = proportions.reduce((a, b) => a + b, 0);
  if (!proportions.every((p) => Number.isFinite(p) && p > 0) || !Number.isFinite(total)) {
    throw new RangeError(`expected positive finite proportions, got ${proportions.join(', ')}`);
  }
  return proportions.map((p) => Math.max(1, Math.round((MIX_WEIGHT_TOTAL * p) / total)));
}

export class MixSchedule {
  /** Sets in one epoch of each dataset (S_d). */
  readonly datasetSetsPerEpoch: readonly number[];
  readonly setsPerBatch: number;
  /** Batches in one nominal epoch (E). */
  readonly batchesPerEpoch: number;
  readonly #windows: readonly (readonly number[])[];
  readonly #weights: readonly number[];
  readonly #options: MixScheduleOptions;
  /** Per level d: R_d and φ_d. */
  readonly #rest: number[] = [];
  readonly #phase: number[] = [];
  /** Per dataset, the epochs planned most recently (a batch may straddle two). */
  readonly #epochs: Map<number, EpochSets>[];

  constructor(windowsPerDataset: readonly (readonly number[])[], weights: readonly number[], options: MixScheduleOptions) {
    const { clipsPerSet: K, batchSize } = options;
    if (windowsPerDataset.length < 2 || weights.length !== windowsPerDataset.length) {
      throw new RangeError(`expected at least 2 datasets with one weight each, got ${windowsPerDataset.length} datasets and ${weights.length} weights`);
    }
    for (const [d, weight] of weights.entries()) {
      if (!Number.isSafeInteger(weight) || weight < 1) throw new RangeError(`dataset ${d}: expected an integer weight >= 1, got ${weight}`);
    }
    for (const [d, windows] of windowsPerDataset.entries()) {
      if (windows.length === 0) throw new RangeError(`dataset ${d}: expected at least one pair source`);
      for (const [source, n] of windows.entries()) {
        if (n < K) throw new RangeError(`dataset ${d} source ${source}: expected at least clipsPerSet (${K}) windows, got ${n}`);
      }
    }
    this.#windows = windowsPerDataset;
    this.#weights = weights;
    this.#options = options;
    this.datasetSetsPerEpoch = windowsPerDataset.map((windows) => windows.reduce((sum, n) => sum + Math.ceil(n / K), 0));
    this.setsPerBatch = Math.ceil(batchSize / K);
    this.batchesPerEpoch = Math.max(1, Math.floor(this.datasetSetsPerEpoch.reduce((a, b) => a + b, 0) / this.setsPerBatch));
    const phases = randomFor(options.seed, MIXED_PAIR_STREAM, 0);
    let rest = weights.reduce((a, b) => a + b, 0);
    for (let d = 0; d < weights.length - 1; d++) {
      this.#rest.push(rest);
      this.#phase.push(phases.int(rest));
      rest -= weights[d]!;
    }
    this.#epochs = windowsPerDataset.map(() => new Map());
  }

  /** Throws RangeError unless `position` names a batch. */
  checkPosition(position: SamplerPosition): void {
    const { epoch, batchIndex } = position;
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex >= this.batchesPerEpoch) {
      throw new RangeError(`expected epoch >= 0 and 0 <= batchIndex < ${this.batchesPerEpoch}, got epoch ${epoch}, batchIndex ${batchIndex}`);
    }
  }

  /** The global batch number b of a position. */
  batchNumber(position: SamplerPosition): number {
    this.checkPosition(position);
    return position.epoch * this.batchesPerEpoch + position.batchIndex;
  }

  /** Which dataset set slot g holds, and that dataset's set number k (step 2 of the header). */
  slot(g: number): { dataset: number; set: number } {
    let j = g;
    for (let d = 0; d < this.#rest.length; d++) {
      const weight = this.#weights[d]!;
      const rest = this.#rest[d]!;
      const phase = this.#phase[d]!;
      const high = (j + 1) * weight + phase;
      if (!Number.isSafeInteger(high)) throw new RangeError(`set slot ${g} is beyond the exact integer range of the mix`);
      const lo = Math.floor((j * weight + phase) / rest);
      if (Math.floor(high / rest) > lo) return { dataset: d, set: lo };
      j -= lo;
    }
    return { dataset: this.#rest.length, set: j };
  }

  /** The B clips of a batch, in order. */
  batch(position: SamplerPosition): MixedClip[] {
    const b = this.batchNumber(position);
    const { clipsPerSet: K, batchSize, scaleMin, scaleMax, seed } = this.#options;
    const S = this.setsPerBatch;
    const random = randomFor(seed, MIXED_PAIR_STREAM, 1, b);
    const last = random.int(S);
    const order = [...Array.from({ length: S }, (_, i) => i).filter((i) => i !== last), last];
    const clips: MixedClip[] = [];
    for (const [set, i] of order.entries()) {
      const { dataset, set: k } = this.slot(b * S + i);
      const sets = this.#datasetEpoch(dataset, Math.floor(k / this.datasetSetsPerEpoch[dataset]!));
      const index = k % this.datasetSetsPerEpoch[dataset]!;
      for (let c = 0; c < K && clips.length < batchSize; c++) {
        clips.push({ dataset, source: sets.setSource[index]!, window: sets.setWindows[index * K + c]!, set, scale: 0 });
      }
    }
    for (const clip of clips) clip.scale = scaleMin + (scaleMax - scaleMin) * random.uniform();
    return clips;
  }

  /** Each dataset's share of the clips of batches [0, batches): the proportions the run actually trains on. */
  clipShares(batches: number): number[] {
    const counts = this.#windows.map(() => 0);
    const { clipsPerSet: K, batchSize } = this.#options;
    const S = this.setsPerBatch;
    const cutShort = K * S - batchSize;
    for (let b = 0; b < batches; b++) {
      const last = randomFor(this.#options.seed, MIXED_PAIR_STREAM, 1, b).int(S);
      for (let i = 0; i < S; i++) counts[this.slot(b * S + i).dataset]! += i === last ? K - cutShort : K;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((count) => (total === 0 ? 0 : count / total));
  }

  #datasetEpoch(dataset: number, epoch: number): EpochSets {
    const cache = this.#epochs[dataset]!;
    let sets = cache.get(epoch);
    if (sets === undefined) {
      sets = epochSets(this.#windows[dataset]!, this.#options.clipsPerSet, randomFor(this.#options.seed, MIXED_PAIR_STREAM, 2, dataset, epoch));
      if (cache.size >= 2) cache.delete(cache.keys().next().value!);
      cache.set(epoch, sets);
    }
    return sets;
  }
}
