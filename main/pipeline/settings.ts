// Settings of the one-click pipeline (pre-train step 1 → step 2 → retrieval → segmentation with novel views →
// anticipation → ablation → report) on top of the engine's presets: how long each training runs and how the
// downstream heads are trained. Three sizes: 'paper' (the published training lengths and heads), 'demo' (the
// default of `evgap demo`: the whole pipeline within 15 minutes on 2 CPU cores) and quick (a few steps and
// epochs, for tests and the UI's quick check). Every head of one pipeline uses the same settings and seed, so the
// compared variants differ only in their input features.
import { ArgumentError } from '../../contract/errors';
import type { PipelineOutline, SavedSamplingSettings } from '../../contract/api';
import { withSavedSampling } from '../engine/sampling/savedSampling';
import { resolveConfig, type ConfigOverrides, type PresetName } from '../engine/config';
import { resolveAnticipationConfig, type AnticipationConfig } from '../eval/anticipation/config';
import { resolveFrameFeatureSettings, type FrameFeatureSettings } from '../eval/frameFeatures/settings';
import { segmentationHeadNames } from '../../contract/api';
import {
  checkHeadName,
  resolveSegmentationHeadConfig,
  type SegmentationHeadName,
  type SegmentationHeadOverrides,
  type SegmentationHeadPreset,
} from '../eval/segmentationHead/config';

/** Which EVGAP features the +EVGAP / +step rows feed the heads: frozen (EVGAP*) or fine-tuned with the head (EVGAP). */
export type EncoderFeatureMode = 'evgap-frozen' | 'evgap';

export type PipelineSettings = {
  /** Engine config overrides for both pre-training steps (the preset's values otherwise). */
  training: ConfigOverrides;
  /** Optimizer steps of the ablation's '+step2' run (step 2 from a random init); the step-2 length by default. */
  step2FromRandomSteps: number;
  segmentation: {
    /**
     * The heads the segmentation table compares inputs with, one block each (the publication's Table 2: C2F-TCN,
     * ASFormer, LTContext); the first also runs the novel-view and ablation stages.
     */
    heads: SegmentationHeadName[];
    /** Each head's preset: 'cpu' (small) or 'paper' (the authors' network and recipe). */
    headPreset: SegmentationHeadPreset;
    /** Overrides applied to every head (settings all heads have, such as epochs). */
    head: SegmentationHeadOverrides;
    /** Overrides of one head's own settings, on top of `head`. */
    headOverrides: Partial<Record<SegmentationHeadName, SegmentationHeadOverrides>>;
    /** The EVGAP inputs the segmentation table compares with Base: frozen (+EVGAP*) and fine-tuned (+EVGAP). */
    compare: EncoderFeatureMode[];
    /** Training videos taken from each train scene (views rotate across scenes so that every view is used). */
    trainViewsPerScene: number;
    /** How the novel-view +EVGAP and the ablation's +step rows use the encoder (+random is always trained end to end). */
    encoderMode: EncoderFeatureMode;
    frameFeatures: Partial<FrameFeatureSettings>;
  };
  /** The TempAgg head's preset ('cpu' or 'paper') and overrides of its settings. */
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
    heads: ['c2f-tcn'],
    headPreset: 'cpu',
    // 12 epochs over 10 videos per head: the Base heads read 2048-d (two-view: 4096-d) rows, the costliest part.
    head: { epochs: 12 },
    headOverrides: {},
    compare: ['evgap-frozen', 'evgap'],
    trainViewsPerScene: 2,
    // Frozen features: a fine-tuned encoder costs a forward and backward pass per frame and epoch on top of the head.
    encoderMode: 'evgap-frozen',
    frameFeatures: {},
  },
  anticipation: { preset: 'cpu' },
};

const paper: PipelineSettings = {
  training: {},
  step2FromRandomSteps: 10_000,
  segmentation: {
    heads: ['c2f-tcn', 'asformer', 'ltcontext'],
    headPreset: 'paper',
    head: {},
    headOverrides: {},
    compare: ['evgap-frozen', 'evgap'],
    trainViewsPerScene: 12,
    encoderMode: 'evgap',
    frameFeatures: {},
  },
  anticipation: { preset: 'paper' },
};

/**
 * A few steps and one epoch: a smoke check that every stage (the fine-tuned +EVGAP heads included) runs end to end,
 * in about a minute on an idle 2-core machine; its numbers mean nothing.
 */
const quick: PipelineSettings = {
  training: {
    step1: { steps: 24, checkpointEvery: 12, batchPairs: 32 },
    step2: { ...siglipStep2, steps: 12, checkpointEvery: 6, batchGroups: 10 },
  },
  step2FromRandomSteps: 6,
  segmentation: {
    heads: ['c2f-tcn'],
    headPreset: 'cpu',
    head: { epochs: 1 },
    headOverrides: {},
    compare: ['evgap-frozen', 'evgap'],
    trainViewsPerScene: 1,
    encoderMode: 'evgap-frozen',
    frameFeatures: {},
  },
  anticipation: { preset: 'cpu', epochs: 2 },
};

/**
 * What the pipeline runs with a preset, with or without quick mode (and a saved sampling config, applied as
 * runPipeline applies it), as the Training screen shows it: the resolved pre-training lengths and batches, the ablation's step-2-from-random length and each default head's epochs.
 */
export function pipelineOutline(preset: PresetName, quickMode: boolean, saved?: SavedSamplingSettings): PipelineOutline {
  const settings = pipelineSettings(preset, quickMode);
  const config = resolveConfig(preset, saved === undefined ? settings.training : withSavedSampling(settings.training, saved));
  const { segmentation } = settings;
  return {
    preset,
    quick: quickMode,
    step1: { steps: config.step1.steps, batchPairs: config.step1.batchPairs },
    step2: { steps: config.step2.steps, batchGroups: config.step2.batchGroups },
    step2FromRandomSteps: settings.step2FromRandomSteps,
    heads: segmentation.heads.map((head) => ({
      head,
      epochs: resolveSegmentationHeadConfig(head, headOverrides(segmentation, head), segmentation.headPreset).epochs,
    })),
    anticipationEpochs: resolveAnticipationConfig(settings.anticipation).epochs,
  };
}

/** The overrides of one head: the common ones, then its own. */
export function headOverrides(segmentation: PipelineSettings['segmentation'], head: SegmentationHeadName): SegmentationHeadOverrides {
  return { ...segmentation.head, ...segmentation.headOverrides[head] };
}

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
  const modes: readonly unknown[] = ['evgap-frozen', 'evgap'];
  if (!modes.includes(segmentation.encoderMode)) {
    throw new ArgumentError(`expected segmentation.encoderMode to be 'evgap-frozen' or 'evgap', got ${JSON.stringify(segmentation.encoderMode)}`);
  }
  if (!Array.isArray(segmentation.compare) || segmentation.compare.some((mode) => !modes.includes(mode)) || new Set(segmentation.compare).size !== segmentation.compare.length) {
    throw new ArgumentError(`expected segmentation.compare to list distinct inputs of 'evgap-frozen', 'evgap', got ${JSON.stringify(segmentation.compare)}`);
  }
  if (!Array.isArray(segmentation.heads) || segmentation.heads.length === 0) {
    throw new ArgumentError(`expected segmentation.heads to list at least one of ${segmentationHeadNames.join(', ')}, got ${JSON.stringify(segmentation.heads)}`);
  }
  segmentation.heads.forEach((head) => checkHeadName(head));
  if (new Set(segmentation.heads).size !== segmentation.heads.length) {
    throw new ArgumentError(`expected segmentation.heads without repeats, got ${JSON.stringify(segmentation.heads)}`);
  }
  for (const head of Object.keys(segmentation.headOverrides ?? {})) checkHeadName(head);
  for (const head of segmentation.heads) resolveSegmentationHeadConfig(head, headOverrides(segmentation, head), segmentation.headPreset);
  resolveFrameFeatureSettings(segmentation.frameFeatures);
  resolveAnticipationConfig(settings.anticipation);
}
