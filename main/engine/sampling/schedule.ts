// The order in which clips are drawn: epochs of sets, batches of sets, a scale per clip, all derived from
// (seed, epoch, batch) so any batch can be recomputed from its position and a resumed run continues identically.
//
// An epoch, exactly: each source's timestamps (window indices 0..n−1) are shuffled and cut into ⌈n/K⌉ sets of K
// consecutive shuffled indices; a short last set is filled up with the first indices of the same shuffled order
// (distinct from its own, since n >= K), so every set holds K distinct timestamps of one source and every
// timestamp is in at least one set. The sets of all sources are then shuffled together. Batch b takes sets
// [b·S, (b+1)·S) with S = ⌈B/K⌉ and keeps their first B clips (when K does not divide B, the tail of the batch's
// last set is not used); the ⌊sets/S⌋ full batches make the epoch and the remaining sets are left out of it.
// Scales are uniform in [scaleMin, scaleMax], one per clip (shared by all views of the clip).
import { randomFor, type SeededRandom } from '../../random/seededRandom';

export interface ScheduledClip {
  /** Index of the source (pair source or group scene) in the sampler's list. */
  source: number;
  /** Window index within the source: timestamp start + window·stride. */
  window: number;
  /** Set number within the batch. */
  set: number;
  /** Window length factor: the clip covers window·scale frames. */
  scale: number;
}

export interface ScheduleOptions {
  clipsPerSet: number;
  batchSize: number;
  scaleMin: number;
  scaleMax: number;
  seed: number;
  /** Separates the random streams of different samplers with one seed (step 1 and step 2). */
  stream: number;
}

/** One epoch's sets: setSource[i] is set i's source, setWindows[i·K … i·K + K) its window indices. */
export interface EpochSets {
  setSource: Int32Array<ArrayBuffer>;
  setWindows: Int32Array<ArrayBuffer>;
}

export interface SamplerPosition {
  epoch: number;
  batchIndex: number;
}

/** Sets per epoch (Σ ⌈n/K⌉), sets per batch (⌈B/K⌉) and full batches per epoch. */
export function epochLayout(windowsPerSource: readonly number[], clipsPerSet: number, batchSize: number) {
  const setsPerEpoch = windowsPerSource.reduce((sum, n) => sum + Math.ceil(n / clipsPerSet), 0);
  const setsPerBatch = Math.ceil(batchSize / clipsPerSet);
  return { setsPerEpoch, setsPerBatch, batchesPerEpoch: Math.floor(setsPerEpoch / setsPerBatch) };
}

export class SetSchedule {
  readonly setsPerEpoch: number;
  readonly setsPerBatch: number;
  readonly batchesPerEpoch: number;
  readonly #windows: readonly number[];
  readonly #options: ScheduleOptions;
  #epoch = -1;
  /** Source of each set of #epoch, in epoch order. */
  #setSource: Int32Array<ArrayBuffer> = new Int32Array(0);
  /** Window indices of each set of #epoch, K per set. */
  #setWindows: Int32Array<ArrayBuffer> = new Int32Array(0);

  constructor(windowsPerSource: readonly number[], options: ScheduleOptions) {
    for (const [source, n] of windowsPerSource.entries()) {
      if (n < options.clipsPerSet) {
        throw new RangeError(`source ${source}: expected at least clipsPerSet (${options.clipsPerSet}) windows, got ${n}`);
      }
    }
    this.#windows = windowsPerSource;
    this.#options = options;
    const layout = epochLayout(windowsPerSource, options.clipsPerSet, options.batchSize);
    this.setsPerEpoch = layout.setsPerEpoch;
    this.setsPerBatch = layout.setsPerBatch;
    this.batchesPerEpoch = layout.batchesPerEpoch;
  }

  /** Throws RangeError unless `position` names a batch of this schedule. */
  checkPosition(position: SamplerPosition): void {
    const { epoch, batchIndex } = position;
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex >= this.batchesPerEpoch) {
      throw new RangeError(`expected epoch >= 0 and 0 <= batchIndex < ${this.batchesPerEpoch}, got epoch ${epoch}, batchIndex ${batchIndex}`);
    }
  }

  /** The B clips of a batch, in order. */
  batch(position: SamplerPosition): ScheduledClip[] {
    this.checkPosition(position);
    const { epoch, batchIndex } = position;
    this.#planEpoch(epoch);
    const { clipsPerSet: K, batchSize, scaleMin, scaleMax, seed, stream } = this.#options;
    const scales = randomFor(seed, stream, epoch, batchIndex);
    const clips: ScheduledClip[] = [];
    for (let i = 0; i < batchSize; i++) {
      const set = Math.floor(i / K);
      const epochSet = batchIndex * this.setsPerBatch + set;
      clips.push({
        source: this.#setSource[epochSet]!,
        window: this.#setWindows[epochSet * K + (i % K)]!,
        set,
        scale: scaleMin + (scaleMax - scaleMin) * scales.uniform(),
      });
    }
    return clips;
  }

  #planEpoch(epoch: number): void {
    if (epoch === this.#epoch) return;
    const { clipsPerSet, seed, stream } = this.#options;
    const sets = epochSets(this.#windows, clipsPerSet, randomFor(seed, stream, epoch, 0x5e75));
    this.#setSource = sets.setSource;
    this.#setWindows = sets.setWindows;
    this.#epoch = epoch;
  }
}

/**
 * One epoch's sets, in epoch order, drawn with `random` as the header says: each source's window indices shuffled
 * and cut into ⌈n/K⌉ sets of K (a short last set filled from the start of the same order), then all sets shuffled.
 */
export function epochSets(windowsPerSource: readonly number[], clipsPerSet: number, random: SeededRandom): EpochSets {
  const K = clipsPerSet;
  const setsPerEpoch = windowsPerSource.reduce((sum, n) => sum + Math.ceil(n / K), 0);
  const setSource = new Int32Array(setsPerEpoch);
  const setWindows = new Int32Array(setsPerEpoch * K);
  let set = 0;
  for (const [source, n] of windowsPerSource.entries()) {
    const order = random.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let first = 0; first < n; first += K, set++) {
      setSource[set] = source;
      for (let k = 0; k < K; k++) setWindows[set * K + k] = order[(first + k) % n]!;
    }
  }
  const setOrder = random.shuffle(Int32Array.from({ length: setsPerEpoch }, (_, i) => i));
  const shuffled: EpochSets = { setSource: new Int32Array(setsPerEpoch), setWindows: new Int32Array(setsPerEpoch * K) };
  for (const [to, from] of setOrder.entries()) {
    shuffled.setSource[to] = setSource[from]!;
    shuffled.setWindows.set(setWindows.subarray(from * K, (from + 1) * K), to * K);
  }
  return shuffled;
}
