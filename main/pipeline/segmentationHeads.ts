// Training and scoring one segmentation head of the pipeline: which scenes and views make its training and test
// videos, and the head run itself for one compared input. Training videos rotate through the candidate views
// (or view pairs) across the train scenes, `perScene` per scene, so every candidate is seen while the cost stays
// fixed; test videos are every candidate of every test scene. All videos of a scene cover the same frames (the
// frames every view covers and the segments annotate), so variants and protocols are scored on equal footing.
import type { SegmentationHeadName } from '../../contract/api';
import type { SegmentationScores } from '../eval/segmentation/metrics';
import type { PreparedFrameInput } from '../eval/frameFeatures/frameFeatureInputs';
import { readSceneFrames } from '../eval/frameFeatures/sceneFrames';
import { frameLabels } from '../eval/segmentationHead/frameLabels';
import { trainSegmentation, type SegmentationVideo } from '../eval/segmentationHead/trainSegmentation';
import { viewsNamed, type EvaluationData, type EvaluationScene } from './evaluationData';
import { headOverrides, type PipelineSettings } from './settings';

/** One video: a scene seen through one view, or two views joined per frame. */
export type VideoSpec = { scene: EvaluationScene; views: string[] };

/** `perScene` candidates per scene, rotating through the candidates from scene to scene. */
export function rotatingVideos(scenes: readonly EvaluationScene[], candidates: readonly string[][], perScene: number): VideoSpec[] {
  const specs: VideoSpec[] = [];
  const count = Math.min(perScene, candidates.length);
  scenes.forEach((scene, index) => {
    for (let j = 0; j < count; j++) {
      const views = candidates[(index * count + j) % candidates.length]!;
      if (viewsNamed(scene, views).length === views.length) specs.push({ scene, views: [...views] });
    }
  });
  return specs;
}

/** Every candidate of every scene that has its views. */
export function allVideos(scenes: readonly EvaluationScene[], candidates: readonly string[][]): VideoSpec[] {
  return scenes.flatMap((scene) =>
    candidates.filter((views) => viewsNamed(scene, views).length === views.length).map((views) => ({ scene, views: [...views] })),
  );
}

/** Ego-exo view pairs covering every view once: (ego[i mod M], exo[i mod N]) for i < max(M, N). */
export function coveringPairs(ego: readonly string[], exo: readonly string[]): string[][] {
  return Array.from({ length: Math.max(ego.length, exo.length) }, (_, i) => [ego[i % ego.length]!, exo[i % exo.length]!]);
}

export type HeadScore = SegmentationScores & { trainVideos: number; testVideos: number; finalLoss: number };

/** Trains a head on `train` with the given input and returns MS-TCN's metrics on `test`. */
export function scoreHead(options: {
  head: SegmentationHeadName;
  data: EvaluationData;
  input: PreparedFrameInput;
  train: readonly VideoSpec[];
  test: readonly VideoSpec[];
  settings: PipelineSettings['segmentation'];
  seed: number;
}): HeadScore {
  const { head, data, input, settings, seed } = options;
  const video = (spec: VideoSpec): SegmentationVideo => {
    const name = `${spec.scene.source.name}/${spec.views.join('+')}`;
    let features: Float32Array | undefined;
    return {
      name,
      labels: frameLabels(spec.scene.segments, spec.scene.range, data.actions, spec.scene.source.name, data.unlabeled),
      features: () => {
        features ??= input.features(name, readSceneFrames(data.store, viewsNamed(spec.scene, spec.views), spec.scene.range).frames).data;
        return features;
      },
    };
  };
  const result = trainSegmentation({
    train: options.train.map(video),
    test: options.test.map(video),
    classes: data.actions,
    head,
    preset: settings.headPreset,
    config: headOverrides(settings, head),
    seed,
    ...(input.trainable && { trainable: input.trainable }),
  });
  const { f1_10, f1_25, f1_50, edit, acc, avg } = result.metrics;
  return { f1_10, f1_25, f1_50, edit, acc, avg, trainVideos: options.train.length, testVideos: options.test.length, finalLoss: result.epochLosses.at(-1) ?? NaN };
}
