// One downstream head of the pipeline as plain data: what to train (a segmentation head on a protocol's videos, or
// the anticipation head on one input), what it reads (raw features, a random encoder, or pre-trained encoder
// weights as typed arrays), its settings and seed, and what it gives back (numbers). Videos name their scene by id
// and their views, so a job can cross to a worker thread (structured cloning) and be resolved there against that
// thread's own EvaluationData, loaded from the same catalog. Stages build these jobs in their rows' order;
// main/pipeline/headRunner.ts runs them (here, or on the head pool's worker threads) and returns results in order.
import type { SegmentationHeadName } from '../../contract/api';
import type { AnticipationInput } from '../eval/anticipation/samples';
import type { EncoderConfig } from '../engine/config';
import type { EvaluationData, EvaluationScene } from './evaluationData';
import type { EncoderWeights } from './pipelineEncoders';
import type { HeadScore, VideoSpec } from './segmentationHeads';
import type { SeedAnticipationNumbers } from './seedResults';
import type { EncoderFeatureMode, PipelineSettings } from './settings';

/** A video by reference: the scene's id in the catalog and the views joined per frame. */
export type VideoRef = { sceneId: number; views: string[] };

/** Training and test videos of a segmentation protocol, by reference. */
export type ProtocolRef = { train: VideoRef[]; test: VideoRef[]; views: 1 | 2 };

/** What a segmentation head reads: raw rows, a random encoder trained with the head, or encoder weights (frozen or fine-tuned). */
export type HeadFeatureSource =
  | { kind: 'base' }
  | { kind: 'random'; config: EncoderConfig }
  | { kind: 'encoder'; weights: EncoderWeights | undefined; mode: EncoderFeatureMode; name: string };

/** What every job has: a name, and its rough cost relative to the stage's other jobs. */
type JobCommon = {
  /** Names the head in progress messages and errors ("C2F-TCN, two-view: +EVGAP (fine-tuned encoder)"). */
  label: string;
  /**
   * Rough relative cost (e.g. views per frame × 2 for a head that trains an encoder or reads raw rows): a pool hands
   * the costliest jobs out first so that no long one is left to run alone at the end. Never changes a result.
   */
  cost: number;
};

export type SegmentationHeadJob = JobCommon & {
  kind: 'segmentation';
  head: SegmentationHeadName;
  source: HeadFeatureSource;
  protocol: ProtocolRef;
  settings: PipelineSettings['segmentation'];
  seed: number;
};

export type AnticipationHeadJob = JobCommon & {
  kind: 'anticipation';
  input: AnticipationInput;
  /** The frozen encoder whose features the head reads (+EVGAP); none: raw features (Base). */
  encoder: EncoderWeights | undefined;
  frameFeatures: PipelineSettings['segmentation']['frameFeatures'];
  settings: PipelineSettings['anticipation'];
  seed: number;
};

export type HeadJob = SegmentationHeadJob | AnticipationHeadJob;

export type AnticipationHeadResult = { numbers: SeedAnticipationNumbers; trainSamples: number; testSamples: number };

export type HeadJobResult = { kind: 'segmentation'; score: HeadScore } | ({ kind: 'anticipation' } & AnticipationHeadResult);

export function videoRefs(specs: readonly VideoSpec[]): VideoRef[] {
  return specs.map((spec) => ({ sceneId: spec.scene.source.sceneId, views: [...spec.views] }));
}

/** The videos of `refs` in `data` (a scene missing from it is an error: the job was made from other data). */
export function resolveVideos(data: EvaluationData, refs: readonly VideoRef[]): VideoSpec[] {
  const scenes = new Map<number, EvaluationScene>([...data.train, ...data.test].map((scene) => [scene.source.sceneId, scene]));
  return refs.map((ref) => {
    const scene = scenes.get(ref.sceneId);
    if (scene === undefined) throw new Error(`scene ${ref.sceneId} is not an evaluated scene of dataset ${data.datasetName}`);
    return { scene, views: [...ref.views] };
  });
}

/** The segmentation score of a result (a runner returns results in the order and kind of its jobs). */
export function segmentationScore(result: HeadJobResult | undefined): HeadScore {
  if (result?.kind !== 'segmentation') throw new Error(`expected a segmentation head's result, got ${result?.kind ?? 'none'}`);
  return result.score;
}

export function anticipationResult(result: HeadJobResult | undefined): AnticipationHeadResult {
  if (result?.kind !== 'anticipation') throw new Error(`expected an anticipation head's result, got ${result?.kind ?? 'none'}`);
  return result;
}
