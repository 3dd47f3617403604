// Step-1 batches drawn from several datasets at once, mixed in every batch by integer weights (mixSchedule.ts has
// the exact order): each dataset is planned on its own (its pair sources, window starts and warnings), all must
// share one feature dimension, and every clip is read as in a single-dataset batch (pairSampler.ts). Track ids are
// the catalog's, unique across datasets, so one FrameReader serves them all.
import type { FrameReader } from '../../features/FeatureStore';
import { createClipSampler, type ClipSampler } from './clipSampler';
import { FeatureDimensionError, NoUsableScenesError } from './errors';
import { MixSchedule } from './mixSchedule';
import { readPairBatch, type PairBatch } from './pairSampler';
import { planSampling, type SamplingPlan } from './plan';
import type { SamplerSettings } from './settings';
import type { SceneSource } from './sources';

export interface MixDataset {
  name: string;
  sources: readonly SceneSource[];
}

/** What one dataset contributes: its distinct step-1 pairs (Σ windows over pair sources) and sets per epoch. */
export interface MixDatasetCounts {
  name: string;
  pairs: number;
  pairSources: number;
  setsPerEpoch: number;
}

export interface MixedPairSampler extends ClipSampler<PairBatch> {
  readonly datasets: readonly MixDatasetCounts[];
  /** Each dataset's share of the clips of the first `batches` batches. */
  clipShares(batches: number): number[];
}

/** Plans every dataset and checks that each yields pairs of one shared feature dimension. */
export function planMix(datasets: readonly MixDataset[], settings: SamplerSettings): SamplingPlan[] {
  const plans = datasets.map((dataset) => {
    try {
      return planSampling(dataset.sources, settings);
    } catch (error) {
      if (error instanceof Error) error.message = `dataset ${dataset.name}: ${error.message}`;
      throw error;
    }
  });
  for (const [d, plan] of plans.entries()) {
    if (plan.dim !== plans[0]!.dim) {
      throw new FeatureDimensionError(
        `step 1 on several datasets needs features of one dimension: ${datasets[0]!.name} has ${plans[0]!.dim}-d features, ${datasets[d]!.name} has ${plan.dim}-d`,
      );
    }
    if (plan.pairSources.length === 0) {
      const skipped = plan.scenes.filter((s) => s.skipped !== null).map((s) => `${s.name}: ${s.skipped}`);
      throw new NoUsableScenesError(`dataset ${datasets[d]!.name} yields no step-1 pair (${skipped.join('; ') || 'no scenes'})`);
    }
  }
  return plans;
}

export function createMixedPairSampler(
  datasets: readonly MixDataset[],
  weights: readonly number[],
  store: FrameReader,
  settings: SamplerSettings,
  seed: number,
): MixedPairSampler {
  const plans = planMix(datasets, settings);
  const { scaleMin, scaleMax, clipsPerSet } = settings.sampling;
  const schedule = new MixSchedule(
    plans.map((plan) => plan.pairSources.map((p) => p.scene.windows)),
    weights,
    { clipsPerSet, batchSize: settings.batchPairs, scaleMin, scaleMax, seed },
  );
  const warnings = plans.flatMap((plan, d) => plan.warnings.map((warning) => `dataset ${datasets[d]!.name}: ${warning}`));
  const sampler = createClipSampler(schedule, warnings, (position) =>
    readPairBatch(
      position,
      schedule.batch(position).map((clip) => ({ ...clip, pair: plans[clip.dataset]!.pairSources[clip.source]! })),
      store,
      settings,
      plans[0]!.dim,
    ),
  );
  return {
    ...sampler,
    datasets: plans.map((plan, d) => ({
      name: datasets[d]!.name,
      pairs: plan.pairSources.reduce((sum, p) => sum + p.scene.windows, 0),
      pairSources: plan.pairSources.length,
      setsPerEpoch: schedule.datasetSetsPerEpoch[d]!,
    })),
    clipShares: (batches) => schedule.clipShares(batches),
  };
}
