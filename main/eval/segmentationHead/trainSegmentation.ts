// The temporal action segmentation evaluation (docs/method.md, "Evaluation"): train a segmentation head
// (C2F-TCN, ASFormer or LTContext) on the train videos' per-frame features and labels, predict the test videos and score them with MS-TCN's
// metrics. The features come from one of the compared inputs (frameFeatures/frameFeatureInputs.ts): fixed
// arrays for Base and EVGAP*, raw rows plus a jointly trained frame encoder for EVGAP and +random.
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import type { TrainableFrameEncoder } from '../frameFeatures/frameFeatureInputs';
import { segmentationMetrics, type SegmentationMetrics } from '../segmentation/metrics';
import {
  resolveSegmentationHeadConfig,
  type SegmentationHeadConfig,
  type SegmentationHeadName,
  type SegmentationHeadOverrides,
  type SegmentationHeadPreset,
} from './config';
import { SegmentationTrainer } from './SegmentationTrainer';

/** One video: per-frame features [N, C] row-major (or a function reading them when needed) and N class indices. */
export interface SegmentationVideo {
  name: string;
  features: Float32Array | (() => Float32Array);
  labels: Int32Array;
}

export interface SegmentationProgress {
  epoch: number;
  epochs: number;
  /** Mean training loss of the epoch's steps. */
  loss: number;
}

export interface TrainSegmentationOptions {
  train: readonly SegmentationVideo[];
  test: readonly SegmentationVideo[];
  /** Class names; labels index this list. */
  classes: readonly string[];
  /** Which head to train (default C2F-TCN). */
  head?: SegmentationHeadName;
  /** Overrides of the preset's settings (config.ts). */
  config?: SegmentationHeadOverrides;
  preset?: SegmentationHeadPreset;
  /** Seeds the head's weights, the video order and the chunk offsets. */
  seed: number;
  /** A frame encoder trained jointly with the head (EVGAP fine-tuned, +random); videos then hold raw rows. */
  trainable?: TrainableFrameEncoder;
  /** Class names that F1 and Edit ignore (default none, as for Assembly101). */
  background?: readonly string[];
  onProgress?: (progress: SegmentationProgress) => void;
  /** Stops training between steps (throws the signal's reason). */
  signal?: AbortSignal;
}

export interface SegmentationResult {
  metrics: SegmentationMetrics;
  predictions: { name: string; labels: Int32Array }[];
  epochLosses: number[];
  head: SegmentationHeadName;
  /** The resolved settings, to store with the result. */
  config: SegmentationHeadConfig;
}

/** Trains a head on `train`, predicts `test` and returns MS-TCN's metrics of the predictions. */
export function trainSegmentation(options: TrainSegmentationOptions): SegmentationResult {
  const { train, test, classes, seed, trainable, onProgress, signal } = options;
  const head = options.head ?? 'c2f-tcn';
  const config: SegmentationHeadConfig = resolveSegmentationHeadConfig(head, options.config, options.preset);
  if (train.length === 0) throw new ArgumentError('expected at least one training video, got none');
  if (test.length === 0) throw new ArgumentError('expected at least one test video, got none');
  if (new Set(classes).size !== classes.length || classes.length < 2) {
    throw new ArgumentError(`expected at least 2 distinct class names, got ${JSON.stringify(classes)}`);
  }
  for (const video of [...train, ...test]) checkLabels(video, classes.length);
  const inputDim = trainable?.inputDim ?? featureDim(train[0]!);
  const trainer = new SegmentationTrainer({ head, inputDim, classes: classes.length, config, seed, ...(trainable ? { trainable } : {}) });
  const order = new SeededRandom(seed ^ 0x5bd1e995);
  const epochLosses: number[] = [];
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      let lossSum = 0;
      let steps = 0;
      for (const index of order.shuffle(Array.from({ length: train.length }, (_, i) => i))) {
        const video = train[index]!;
        const features = videoFeatures(video, inputDim);
        for (const [from, to] of chunkBounds(video.labels.length, config.chunkFrames, order)) {
          signal?.throwIfAborted();
          lossSum += trainer.step(features.subarray(from * inputDim, to * inputDim), video.labels.subarray(from, to));
          steps++;
        }
      }
      epochLosses.push(lossSum / steps);
      trainer.endEpoch(lossSum / steps);
      onProgress?.({ epoch, epochs: config.epochs, loss: lossSum / steps });
    }
    const predictions = test.map((video) => ({ name: video.name, labels: trainer.predict(videoFeatures(video, inputDim)) }));
    const named = (labels: Int32Array) => Array.from(labels, (label) => classes[label]!);
    const metrics = segmentationMetrics(
      test.map((video, i) => ({ name: video.name, gt: named(video.labels), pred: named(predictions[i]!.labels) })),
      options.background ? { background: options.background } : {},
    );
    return { metrics, predictions, epochLosses, head, config };
  } finally {
    trainer.dispose();
  }
}

/** [from, to) frame ranges of one training pass over a video: the whole video, or chunks at a random offset. */
export function chunkBounds(frames: number, chunkFrames: number, random: SeededRandom): [number, number][] {
  if (chunkFrames === 0 || frames <= chunkFrames) return [[0, frames]];
  const bounds: [number, number][] = [];
  const offset = Math.floor(random.uniform() * chunkFrames);
  if (offset > 0) bounds.push([0, offset]);
  for (let from = offset; from < frames; from += chunkFrames) bounds.push([from, Math.min(frames, from + chunkFrames)]);
  return bounds;
}

function checkLabels(video: SegmentationVideo, classes: number): void {
  if (video.labels.length === 0) throw new ArgumentError(`video ${video.name}: expected at least one labelled frame, got none`);
  video.labels.forEach((label, t) => {
    if (!(label >= 0 && label < classes)) throw new ArgumentError(`video ${video.name}: expected labels in [0, ${classes}), got ${label} at frame ${t}`);
  });
}

function featureDim(video: SegmentationVideo): number {
  const features = typeof video.features === 'function' ? video.features() : video.features;
  const frames = video.labels.length;
  if (frames === 0 || features.length % frames !== 0 || features.length === 0) {
    throw new ArgumentError(`video ${video.name}: expected features of N × C values for ${frames} labels, got ${features.length}`);
  }
  return features.length / frames;
}

function videoFeatures(video: SegmentationVideo, inputDim: number): Float32Array {
  const features = typeof video.features === 'function' ? video.features() : video.features;
  if (features.length !== video.labels.length * inputDim) {
    throw new ArgumentError(
      `video ${video.name}: expected ${video.labels.length} × ${inputDim} feature values (one row per label), got ${features.length}`,
    );
  }
  return features;
}

