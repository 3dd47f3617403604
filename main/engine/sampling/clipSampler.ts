// What the pair and group samplers share: a cursor over (epoch, batchIndex) that a run can save and restore,
// and the reading of one clip of one view into a batch buffer.
import type { FrameReader } from '../../features/FeatureStore';
import type { Resampling } from '../config';
import { resampleFrameRows, resampleRows, tokenPositions, viewFrameSpan } from './clipWindow';
import { FeatureDimensionError, NoUsableScenesError } from './errors';
import type { SamplingPlan } from './plan';
import type { SamplerPosition, SetSchedule } from './schedule';
import type { SourceView } from './sources';

export interface ClipSampler<Batch> {
  /** Full batches in one epoch. */
  readonly batchesPerEpoch: number;
  /** Scenes left out and why. */
  readonly warnings: readonly string[];
  /** The batch at the current position; then moves to the next one (the next epoch after the last). */
  next(): Batch;
  /** The batch at any position, without moving. */
  batchAt(position: SamplerPosition): Batch;
  /** The position of the batch next() returns next: save it with a checkpoint. */
  state(): SamplerPosition;
  /** Continue from a saved position: the batches are the same as the original run's from there on. */
  restore(position: SamplerPosition): void;
}

/** What createClipSampler needs of a schedule: how many batches an epoch has and which positions exist. */
export type BatchLayout = Pick<SetSchedule, 'batchesPerEpoch' | 'checkPosition'>;

export function createClipSampler<Batch>(
  schedule: BatchLayout,
  warnings: readonly string[],
  build: (position: SamplerPosition) => Batch,
): ClipSampler<Batch> {
  let position: SamplerPosition = { epoch: 0, batchIndex: 0 };
  return {
    batchesPerEpoch: schedule.batchesPerEpoch,
    warnings,
    next() {
      const batch = build(position);
      const following = position.batchIndex + 1;
      position = following < schedule.batchesPerEpoch ? { epoch: position.epoch, batchIndex: following } : { epoch: position.epoch + 1, batchIndex: 0 };
      return batch;
    },
    batchAt: build,
    state: () => ({ ...position }),
    restore(saved) {
      schedule.checkPosition(saved);
      position = { epoch: saved.epoch, batchIndex: saved.batchIndex };
    },
  };
}

/** Throws NoUsableScenesError saying why, when a plan cannot fill one batch. */
export function requireBatches(plan: SamplingPlan, what: 'pair' | 'group', schedule: SetSchedule, batchSize: number): void {
  if (schedule.batchesPerEpoch > 0) return;
  const skipped = plan.scenes.filter((s) => s.skipped !== null).map((s) => `${s.name}: ${s.skipped}`);
  const reasons = [
    `${schedule.setsPerEpoch} sets of ${plan.settings.sampling.clipsPerSet} per epoch, a batch of ${batchSize} needs ${schedule.setsPerBatch}`,
    ...skipped,
    ...(what === 'group' ? plan.warnings.filter((w) => w.includes('step 2')) : []),
  ];
  throw new NoUsableScenesError(`no ${what} batch can be made from ${plan.scenes.length} scenes (${reasons.join('; ')})`);
}

/** Reads view `view`'s clip at scene time t (length L frames) as `tokens` × dim values into out[offset…]. */
export function readClipInto(
  store: FrameReader,
  view: SourceView,
  t: number,
  length: number,
  tokens: number,
  dim: number,
  mode: Resampling,
  out: Float32Array,
  offset: number,
): void {
  const { first, end } = viewFrameSpan(view, t, length);
  if (store.frameRow !== undefined) {
    const frameRow = store.frameRow.bind(store);
    const row = (frame: number) => {
      const found = frameRow(view.trackId, frame);
      if (found.dim !== dim) {
        throw new FeatureDimensionError(`track ${view.trackId} (view ${view.name}): expected frames of dimension ${dim}, the track has ${found.dim}`);
      }
      return found;
    };
    resampleFrameRows(row, first, end, dim, tokenPositions(view, t, length, tokens), mode, out, offset);
    return;
  }
  const rows = store.readFrames(view.trackId, first, end);
  if (rows.length !== (end - first) * dim) {
    throw new FeatureDimensionError(
      `track ${view.trackId} (view ${view.name}): expected ${end - first} frames of dimension ${dim}, read ${rows.length} values`,
    );
  }
  resampleRows(rows, first, dim, tokenPositions(view, t, length, tokens), mode, out, offset);
}
