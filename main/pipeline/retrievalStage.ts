// Pipeline stage: cross-view retrieval on the test scenes before and after pre-training — the raw-feature Base,
// the step-1 encoder and the step-2 encoder — per (ego view, exo view) and their mean, ego→exo and exo→ego,
// Recall@1/5/10 and median rank with chance. All three use the same clips (the encoder's window w1 at scale 1,
// every w2 frames of the run's sampling config), so only the embedding differs.
import type { Encoder } from '../engine/encoder/encoder';
import type { EvgapConfig } from '../engine/config';
import { crossViewRetrieval, type CrossViewResult, type RetrievalSummary } from '../eval/retrieval/crossViewRetrieval';
import { encoderEmbedder, rawFeatureEmbedder } from '../eval/retrieval/embedders';
import type { ClipEmbedder } from '../eval/retrieval/evaluationClips';
import type { RetrievalVariant } from '../../contract/report';
import { finiteOrNull, type SeedRetrieval, type SeedRetrievalNumbers } from './seedResults';
import type { EvaluationData } from './evaluationData';

const labels: Record<RetrievalVariant, string> = { raw: 'Raw features (Base)', step1: 'EVGAP step 1', step2: 'EVGAP step 1+2' };

export function retrievalStage(
  data: EvaluationData,
  config: EvgapConfig,
  encoders: { step1: Encoder; step2: Encoder },
  onVariant: (done: number, total: number, what: string) => void,
): SeedRetrieval {
  const geometry = { window: config.sampling.window, stride: config.sampling.stride, resample: config.sampling.resample };
  const embedders: [RetrievalVariant, ClipEmbedder][] = [
    ['raw', rawFeatureEmbedder],
    ['step1', encoderEmbedder(encoders.step1)],
    ['step2', encoderEmbedder(encoders.step2)],
  ];
  const results: [RetrievalVariant, CrossViewResult][] = embedders.map(([variant, embed], index) => {
    onVariant(index, embedders.length, labels[variant]);
    return [variant, crossViewRetrieval({ scenes: data.sources, reader: data.store, geometry, embed, split: 'test' })];
  });
  const first = results[0]![1];
  return {
    split: 'test',
    window: first.window,
    stride: first.stride,
    ks: first.ks,
    scenes: first.scenes,
    mean: results.map(([variant, result]) => ({
      variant,
      label: labels[variant],
      egoToExo: numbers(result.mean.egoToExo, false),
      exoToEgo: numbers(result.mean.exoToEgo, false),
    })),
    chance: { egoToExo: numbers(first.mean.egoToExo, true), exoToEgo: numbers(first.mean.exoToEgo, true) },
    pairs: results.flatMap(([variant, result]) =>
      result.pairs.map((pair) => ({
        variant,
        label: labels[variant],
        egoView: pair.egoView,
        exoView: pair.exoView,
        egoToExo: numbers(pair.egoToExo, false),
        exoToEgo: numbers(pair.exoToEgo, false),
      })),
    ),
  };
}

function numbers(summary: RetrievalSummary, chance: boolean): SeedRetrievalNumbers {
  const recall = chance ? summary.chanceRecallAt : summary.recallAt;
  const recallAt: Record<string, number | null> = {};
  for (const [k, value] of Object.entries(recall)) recallAt[k] = finiteOrNull(value);
  return { recallAt, medianRank: finiteOrNull(chance ? summary.chanceMedianRank : summary.medianRank) };
}
