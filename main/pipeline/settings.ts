// Settings of the one-click pipeline (pre-train step 1 → step 2 → retrieval → segmentation with novel views →
// anticipation → ablation → report) on top of the engine's presets: how long each training runs and how the
// downstream heads are trained. Three sizes: 'paper' (the published training lengths and heads), 'demo' (the
// default of `evgap demo`: the whole pipeline within 15 minutes on 2 CPU cores) and quick (a few steps and
// epochs, for tests and the UI's quick check). Every head of one pipeline uses the same settings and seed, so the
// compared variants differ only in their input features.
import { ArgumentError } from '../../contract/errors';
import type { ConfigOverrides, PresetName } from '../engine/config';
import { resolveAnticipationConfig, type AnticipationConfig } from '../eval/anticipation/config';
import { resolveFrameFeatureSettings, type FrameFeatureSettings } from '../eval/frameFeatures/settings';
import { resolveSegmentationHeadConfig, type SegmentationHeadConfig, type SegmentationHeadPreset } from '../eval/segmentationHead/config';

/** Which EVGAP features the +EVGAP / +step rows feed the heads: frozen (EVGAP*) or fine-tuned with the head (EVGAP). */
export type EncoderFeatureMode = 'evgap-frozen' | 'evgap';

export type PipelineSettings = {
  /** Engine config overrides for both pre-training steps (the preset's values otherwise). */
  training: ConfigOverrides;
  /** Optimizer steps of the ablation's '+step2' run (step 2 from a random init); the step-2 length by default. */
  step2FromRandomSteps: number;
  segmentation: {
    headPreset: SegmentationHeadPreset;
    head: Partial<SegmentationHeadConfig>;
    /** Training videos taken from each train scene (views rotate across scenes so that every view is used). */
    trainViewsPerScene: number;
    /** How +EVGAP / +step rows use the encoder (+random is always trained end to end with the head). */
    encoderMode: EncoderFeatureMode;
    frameFeatures: Partial<FrameFeatureSettings>;
  };
  anticipation: Partial<AnticipationConfig>;
};

/**
 * Step 2 with SigLIP's initialization (t = exp(s) = 10, learnable bias b = −10; docs/method.md offers it as a
 * choice). With the published b = 0 and s = 0.155 (t ≈ 1.17), a short step 2 is dominated by the B²·M·N
 * negatives and undoes step 1's alignment: measured on the default demo, test R@1 ego→exo fell from 70.5 after
 * step 1 to 6.5 after 150 step-2 steps, where this initialization reached 91.1.
 */
const siglipStep2: ConfigOverrides['step2'] = { bias: 'learnable', biasInit: -10, logitScaleInit: 10, logitScaleInitMeans: 't' };

const demo: PipelineSettings = {
  training: { step2: siglipStep2 },
  step2FromRandomSteps: 150,
  segmentation: {
    headPreset: 'cpu',
    // 12 epochs over 10 videos per head: the Base heads read 2048-d (two-view: 4096-d) rows, the costliest part.
    head: { epochs: 12 },
    trainViewsPerScene: 2,
    // Frozen features: a fine-tuned encoder costs a forward and backward pass per frame and epoch on top of the head.
    encoderMode: 'evgap-frozen',
    frameFeatures: {},
  },
  anticipation: { epochs: 30 },
};

const paper: PipelineSettings = {
  training: {},
  step2FromRandomSteps: 10_000,
  segmentation: { headPreset: 'c2f-tcn', head: {}, trainViewsPerScene: 12, encoderMode: 'evgap', frameFeatures: {} },
  anticipation: {},
};

/** A few steps and epochs: checks that every stage runs end to end, in seconds. */
const quick: PipelineSettings = {
  training: {
    step1: { steps: 40, checkpointEvery: 20, batchPairs: 32 },
    step2: { ...siglipStep2, steps: 20, checkpointEvery: 10, batchGroups: 10 },
  },
  step2FromRandomSteps: 10,
  segmentation: { headPreset: 'cpu', head: { epochs: 3 }, trainViewsPerScene: 1, encoderMode: 'evgap-frozen', frameFeatures: {} },
  anticipation: { epochs: 5 },
};

/** How the +EVGAP rows use the encoder, in words. */
export function encoderModeLabel(mode: EncoderFeatureMode): string {
  return mode === 'evgap' ? 'encoder fine-tuned with the head (EVGAP)' : 'frozen encoder (EVGAP*)';
}

/** Changes to a preset's settings: `training` replaces the preset's overrides, the other sections are merged. */
export type PipelineSettingsOverrides = {
  training?: ConfigOverrides;
  step2FromRandomSteps?: number;
  segmentation?: Partial<PipelineSettings['segmentation']>;
  anticipation?: Partial<AnticipationConfig>;
};

/** The settings of a preset (or of quick mode) with `overrides` applied, checked field by field. */
export function pipelineSettings(preset: PresetName, quickMode: boolean, overrides: PipelineSettingsOverrides = {}): PipelineSettings {
  const chosen = structuredClone(quickMode ? quick : preset === 'paper' ? paper : demo);
  for (const key of Object.keys(overrides)) {
    if (!(key in chosen)) throw new ArgumentError(`unexpected pipeline setting ${key}`);
  }
  const settings: PipelineSettings = {
    training: overrides.training ?? chosen.training,
    step2FromRandomSteps: overrides.step2FromRandomSteps ?? chosen.step2FromRandomSteps,
    segmentation: { ...chosen.segmentation, ...overrides.segmentation },
    anticipation: { ...chosen.anticipation, ...overrides.anticipation },
  };
  validatePipelineSettings(settings);
  return settings;
}

/** Resolves every part once, so a bad setting fails before the pipeline starts rather than in a late stage. */
export function validatePipelineSettings(settings: PipelineSettings): void {
  const { step2FromRandomSteps, segmentation } = settings;
  if (!Number.isInteger(step2FromRandomSteps) || step2FromRandomSteps < 1) {
    throw new ArgumentError(`expected step2FromRandomSteps to be an integer >= 1, got ${step2FromRandomSteps}`);
  }
  if (!Number.isInteger(segmentation.trainViewsPerScene) || segmentation.trainViewsPerScene < 1) {
    throw new ArgumentError(`expected segmentation.trainViewsPerScene to be an integer >= 1, got ${segmentation.trainViewsPerScene}`);
  }
  if (segmentation.encoderMode !== 'evgap-frozen' && segmentation.encoderMode !== 'evgap') {
    throw new ArgumentError(`expected segmentation.encoderMode to be 'evgap-frozen' or 'evgap', got ${JSON.stringify(segmentation.encoderMode)}`);
  }
  resolveSegmentationHeadConfig(segmentation.head, segmentation.headPreset);
  resolveFrameFeatureSettings(segmentation.frameFeatures);
  resolveAnticipationConfig(settings.anticipation);
}
