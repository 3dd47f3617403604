// The four compared inputs of the segmentation evaluation (docs/method.md, "Evaluation") as one interface the
// heads consume: per-video features that are fixed (Base: the raw rows as they are; EVGAP*: a frozen encoder's
// features, computed once per video and kept in memory for the whole head training) or a trainable frame
// encoder the head trains jointly (EVGAP: the trained encoder fine-tuned; +random: the same from a randomly
// initialized encoder). Several views per frame (two-view input) share one encoder: each view's columns are
// encoded separately and the results concatenated per frame, [view 1 features | view 2 features].
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { createEncoder, type Encoder } from '../../engine/encoder/encoder';
import { encoderFrameFeatures, frozenEncoderFrameFeatures } from './encoderFrameFeatures';
import { concatenateFrames, type FrameMatrix } from './sceneFrames';
import type { FrameFeatureInput, FrameFeatureSettings } from './settings';

/** Maps raw frames [N, views·F] to features [N, views·D], differentiably; its params train with the head. */
export interface TrainableFrameEncoder {
  readonly inputDim: number;
  readonly outputDim: number;
  /** The variables to train, by name. */
  readonly params: Map<string, tf.Variable>;
  /** Features of frames [N, inputDim] → [N, outputDim]; the caller owns the result. */
  apply(frames: tf.Tensor2D): tf.Tensor2D;
}

/** A prepared input: what a head's videos carry, and the encoder to train with the head (if any). */
export interface PreparedFrameInput {
  readonly input: FrameFeatureInput;
  /** Feature size of what `features` returns (the head's input size when `trainable` is absent). */
  readonly featureDim: number;
  /** Present for 'evgap' and 'random': the head trains it; `features` then returns the raw rows. */
  readonly trainable?: TrainableFrameEncoder;
  /** A video's features from its raw rows [N, views·F]; frozen features are cached under `key`. */
  features(key: string, raw: FrameMatrix): FrameMatrix;
  /** Frees what this input created (the random encoder, the cache); a given encoder stays the caller's. */
  dispose(): void;
}

export interface FrameInputOptions {
  input: FrameFeatureInput;
  /** Views per frame in the raw rows (1 single-view, 2 two-view). */
  views: number;
  /** F of each view's raw rows. */
  rawDim: number;
  settings: FrameFeatureSettings;
  /** The trained encoder for 'evgap-frozen' and 'evgap' ('evgap' fine-tunes its variables in place). */
  encoder?: Encoder;
  /** For 'random': its architecture is `encoder`'s config, or this one. */
  randomConfig?: Encoder['config'];
  /** Seeds the random encoder's initialization. */
  seed?: number;
}

/** The shared encoder applied to each view's columns of frames [N, views·F], concatenated per frame. */
export function trainableFrameEncoder(encoder: Encoder, views: number, settings: FrameFeatureSettings): TrainableFrameEncoder {
  checkViews(views);
  const { inputDim: F, modelDim: D } = encoder.config;
  return {
    inputDim: views * F,
    outputDim: views * D,
    params: encoder.params,
    apply(frames) {
      if (frames.rank !== 2 || frames.shape[1] !== views * F) {
        throw new ArgumentError(`expected frames of shape [N, ${views * F}] (${views} view(s) × ${F}), got [${frames.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        const N = frames.shape[0];
        const perView = Array.from({ length: views }, (_, v) =>
          encoderFrameFeatures(encoder, views === 1 ? frames : tf.slice(frames, [0, v * F], [N, F]), settings),
        );
        return perView.length === 1 ? perView[0]! : (tf.concat(perView, 1) as tf.Tensor2D); // [N, views·D]
      });
    },
  };
}

/** The frozen encoder's features of raw rows [N, views·F] → [N, views·D], each view encoded separately. */
export function frozenFrameFeatures(encoder: Encoder, raw: FrameMatrix, views: number, settings: FrameFeatureSettings): FrameMatrix {
  checkViews(views);
  const F = encoder.config.inputDim;
  if (raw.dim !== views * F) throw new ArgumentError(`expected raw rows of ${views} × ${F} features, got ${raw.dim}`);
  const perView: FrameMatrix[] = [];
  for (let v = 0; v < views; v++) {
    const data = views === 1 ? raw.data : new Float32Array(raw.frames * F);
    if (views > 1) {
      for (let t = 0; t < raw.frames; t++) data.set(raw.data.subarray(t * raw.dim + v * F, t * raw.dim + (v + 1) * F), t * F);
    }
    perView.push(frozenEncoderFrameFeatures(encoder, { data, frames: raw.frames, dim: F }, settings));
  }
  return concatenateFrames(perView);
}

/** Prepares one of the four compared inputs (see the header). */
export function prepareFrameInput(options: FrameInputOptions): PreparedFrameInput {
  const { input, views, rawDim, settings, encoder } = options;
  checkViews(views);
  if (!Number.isInteger(rawDim) || rawDim < 1) throw new ArgumentError(`expected rawDim >= 1, got ${rawDim}`);
  const needsEncoder = input === 'evgap-frozen' || input === 'evgap';
  if (needsEncoder && encoder === undefined) throw new ArgumentError(`input '${input}' needs a trained encoder, got none`);
  const checkRaw = (raw: FrameMatrix) => {
    if (raw.dim !== views * rawDim) throw new ArgumentError(`expected raw rows of ${views} × ${rawDim} features, got ${raw.dim}`);
  };
  switch (input) {
    case 'base':
      return { input, featureDim: views * rawDim, features: (_key, raw) => (checkRaw(raw), raw), dispose() {} };
    case 'evgap-frozen': {
      const frozen = encoder as Encoder;
      checkEncoderInput(frozen, rawDim);
      const cache = new Map<string, FrameMatrix>();
      return {
        input,
        featureDim: views * frozen.config.modelDim,
        features(key, raw) {
          checkRaw(raw);
          let cached = cache.get(key);
          if (cached === undefined || cached.frames !== raw.frames) {
            cached = frozenFrameFeatures(frozen, raw, views, settings);
            cache.set(key, cached);
          }
          return cached;
        },
        dispose: () => cache.clear(),
      };
    }
    case 'evgap':
    case 'random': {
      const config = input === 'evgap' ? (encoder as Encoder).config : (options.randomConfig ?? encoder?.config);
      if (config === undefined) throw new ArgumentError(`input 'random' needs an encoder config (encoder or randomConfig), got none`);
      const trained = input === 'evgap' ? (encoder as Encoder) : createEncoder(config, options.seed ?? 0);
      checkEncoderInput(trained, rawDim);
      return {
        input,
        featureDim: views * rawDim,
        trainable: trainableFrameEncoder(trained, views, settings),
        features: (_key, raw) => (checkRaw(raw), raw),
        dispose: () => {
          if (input === 'random') trained.dispose();
        },
      };
    }
    default:
      throw new ArgumentError(`expected input to be one of 'base', 'random', 'evgap-frozen', 'evgap', got ${JSON.stringify(input)}`);
  }
}

function checkEncoderInput(encoder: Encoder, rawDim: number): void {
  if (encoder.config.inputDim !== rawDim) {
    throw new ArgumentError(`expected an encoder for ${rawDim}-d frames, got encoder.inputDim ${encoder.config.inputDim}`);
  }
}

function checkViews(views: number): void {
  if (!Number.isInteger(views) || views < 1) throw new ArgumentError(`expected views >= 1, got ${views}`);
}
