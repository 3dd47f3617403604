// How per-frame features for the downstream heads are taken from a clip encoder, and which input a comparison
// row uses (docs/method.md, "Evaluation": Base, +random, EVGAP*, EVGAP). The encoder sees windows of T frames at
// scale 1; two ways to turn that into one feature per frame are offered (a choice):
//
// - 'tokens' (default): tile the track into windows of T frames with stride T (the last window right-aligned
//   to the track's end, so no frame is padded unless the track is shorter than T), run the encoder once per
//   window and use the final layer's token outputs after out_norms (class token dropped) as the features of
//   the frames they came from. Cost: one encoder pass per T frames, about N token evaluations for N frames —
//   the cheapest option, and each frame gets its own output. Quality: token outputs are contextualized by their
//   window but were never the target of the contrastive losses (only the class token is), and windows meet at
//   fixed boundaries, so features can jump every T frames.
// - 'sliding-cls': a window of T frames centred on every s-th frame (edges padded by repeating the first/last
//   frame), its final-layer class-token embedding H (L2-normalized, what the losses trained) as that centre's
//   feature, upsampled to every frame by nearest-centre copy or linear interpolation between centres. Cost: one
//   encoder pass per s frames, about N·T/s token evaluations — T/s times the 'tokens' cost (s = 1: T times).
//   Quality: the trained embedding, smooth over time, but each feature summarizes T frames, so boundaries blur
//   by about T/2 frames and detail finer than s frames is interpolated.
import { ArgumentError } from '../../../contract/errors';

export type FrameFeatureMethod = 'tokens' | 'sliding-cls';
export type CentreUpsampling = 'nearest' | 'linear';

/**
 * The compared inputs: 'base' the raw features as they are; 'evgap-frozen' (EVGAP*) a trained encoder's
 * features computed once per video; 'evgap' (EVGAP) the trained encoder fine-tuned jointly with the head;
 * 'random' (+random) a randomly initialized encoder trained jointly with the head (the 'evgap' mode from random
 * weights).
 */
export type FrameFeatureInput = 'base' | 'random' | 'evgap-frozen' | 'evgap';

export interface FrameFeatureSettings {
  /** How frames get features from the encoder (see the header). */
  method: FrameFeatureMethod;
  /** 'sliding-cls' only: frames between window centres (s). */
  slidingStride: number;
  /** 'sliding-cls' only: how centre features reach the frames between centres. */
  upsampling: CentreUpsampling;
  /** Windows per encoder call, bounding memory for long videos in the frozen mode. */
  windowsPerBatch: number;
}

export const defaultFrameFeatureSettings: Readonly<FrameFeatureSettings> = {
  method: 'tokens',
  slidingStride: 5,
  upsampling: 'linear',
  windowsPerBatch: 64,
};

/** The defaults with `overrides` applied, validated field by field. */
export function resolveFrameFeatureSettings(overrides: Partial<FrameFeatureSettings> = {}): FrameFeatureSettings {
  const settings: FrameFeatureSettings = { ...defaultFrameFeatureSettings };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in settings)) throw new ArgumentError(`unexpected frame feature setting ${key}`);
    if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value;
  }
  if (settings.method !== 'tokens' && settings.method !== 'sliding-cls') {
    throw new ArgumentError(`expected method to be one of 'tokens', 'sliding-cls', got ${JSON.stringify(settings.method)}`);
  }
  if (settings.upsampling !== 'nearest' && settings.upsampling !== 'linear') {
    throw new ArgumentError(`expected upsampling to be one of 'nearest', 'linear', got ${JSON.stringify(settings.upsampling)}`);
  }
  for (const key of ['slidingStride', 'windowsPerBatch'] as const) {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1) throw new ArgumentError(`expected ${key} to be an integer >= 1, got ${value}`);
  }
  return settings;
}
