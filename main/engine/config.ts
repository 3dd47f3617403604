// The engine's typed configuration: every setting of the EVGAP method (docs/method.md) with the reason it has
// its value, two named presets (`paper`: the published defaults; `demo`: small enough to train both steps in a
// few minutes on 2 CPU cores) and `resolveConfig`, which applies overrides and validates every field. The
// resolved config is stored with every run, so a run can always be reproduced from it.

import { ArgumentError } from '../../contract/errors';
import {
  brokenBound,
  configFieldLimits,
  seedLimit,
  type ConfigFieldLimit,
  type logitScaleInitMeanings,
  type optimizerNames,
  type positionalEmbeddings,
  type precisions as precisionList,
  type PresetName,
  presetNames,
  type resamplings,
  type sigmoidBiases,
} from '../../contract/evgapConfig';

export type { PresetName } from '../../contract/evgapConfig';
export { precisions, presetNames } from '../../contract/evgapConfig';

/** How the positional embedding is made (the publication does not say: learned is the default here, a choice). */
export type PositionalEmbedding = (typeof positionalEmbeddings)[number];
/** How a scaled window is brought back to w1 tokens (linear interpolation over time is the default, a choice). */
export type Resampling = (typeof resamplings)[number];
export type OptimizerName = (typeof optimizerNames)[number];
/** Whether "s initialized to x" sets s = x (default, a choice) or the temperature t = exp(s) = x. */
export type LogitScaleInitMeaning = (typeof logitScaleInitMeanings)[number];
/** Step 2 sigmoid-loss bias: none as published, or SigLIP's learnable b. */
export type SigmoidBias = (typeof sigmoidBiases)[number];
/**
 * Arithmetic of the encoder's matrix products: fp32, or bf16 operands with float32 sums (mixed precision; the
 * weights, gradients, optimizer and losses stay float32). bf16 runs where the native addon's AVX512_BF16 kernel
 * does and falls back to fp32 elsewhere, with the reason in the backend report and the run record.
 */
export type Precision = (typeof precisionList)[number];

export type EncoderConfig = {
  /** F: per-frame feature size of the dataset (Assembly101 TSM: 2048). */
  inputDim: number;
  /** D: width of the Transformer (published 512). */
  modelDim: number;
  /** L: number of Transformer blocks; one embedding h_l per block (published 6). */
  layers: number;
  /** Attention heads per block; must divide modelDim (published 8). */
  heads: number;
  /** Hidden size of each block's ReLU feed-forward (published 2048). */
  ffDim: number;
  /** T: tokens per clip, equal to the sampling window w1 (the encoder sees resampled windows). */
  tokens: number;
  /** LayerNorm epsilon, PyTorch's default so weights behave the same there. */
  layerNormEps: number;
  /** Learned or fixed sinusoidal positional embedding (choice; learned is the default). */
  posEmbed: PositionalEmbedding;
};

export type SamplingConfig = {
  /** w1: frames per clip window (published 20). */
  window: number;
  /** w2: frames between window starts (published 100), so neighbouring clips are distinct moments. */
  stride: number;
  /** Smallest window length factor of the scale augmentation (published 0.5 → 10 frames). */
  scaleMin: number;
  /** Largest window length factor of the scale augmentation (published 2.0 → 40 frames). */
  scaleMax: number;
  /** How a scaled window is resampled to w1 tokens (choice; linear is the default). */
  resample: Resampling;
  /** Clips per set from one source: temporally distant clips of one source are the hard negatives (published 10). */
  clipsPerSet: number;
};

type StepCommon = {
  /** Adam learning rate. */
  lr: number;
  /** Adam or AdamW (AdamW's decay is decoupled: see optim/adamw.ts). */
  optimizer: OptimizerName;
  /** Decoupled weight decay; must be 0 with plain Adam. */
  weightDecay: number;
  /** Adam β1 (PyTorch default; unpublished). */
  beta1: number;
  /** Adam β2 (PyTorch default; unpublished). */
  beta2: number;
  /** Adam ε (PyTorch default; unpublished). */
  epsilon: number;
  /** Initial value of the logit scale, read as s or t according to logitScaleInitMeans. */
  logitScaleInit: number;
  /** Whether logitScaleInit sets s or t = exp(s) (choice; s is the default). */
  logitScaleInitMeans: LogitScaleInitMeaning;
  /** Weight w_l of each earlier layer's auxiliary loss (published 0.2). */
  auxWeight: number;
  /** Training length in optimizer steps (unpublished: the preset chooses). */
  steps: number;
  /** Steps between checkpoints, so a run can resume and be evaluated midway. */
  checkpointEvery: number;
};

export type Step1Config = StepCommon & {
  /** B: ego-exo clip pairs per batch (published 200). */
  batchPairs: number;
};

export type Step2Config = StepCommon & {
  /** B: groups per batch, each all M ego and N exo clips of one timestamp (published 64). */
  batchGroups: number;
  /** Sigmoid-loss bias: 'none' as published, or SigLIP's 'learnable' (choice). */
  bias: SigmoidBias;
  /** Initial value of the learnable bias (SigLIP: −10); unused with bias 'none'. */
  biasInit: number;
};

export type TrainingConfig = {
  /** Matrix-product precision of pre-training (default fp32; bf16 is mixed precision, see Precision). */
  precision: Precision;
};

export type EvgapConfig = {
  encoder: EncoderConfig;
  sampling: SamplingConfig;
  step1: Step1Config;
  step2: Step2Config;
  training: TrainingConfig;
  /** Seeds parameter init and batch sampling, so a run is reproducible. */
  seed: number;
};

type LimitedSection = keyof typeof configFieldLimits;
/** Per section: true when contract/evgapConfig.ts states limits for exactly this section's fields, else its name. */
type LimitsMatch = {
  [S in LimitedSection]: [keyof EvgapConfig[S]] extends [keyof (typeof configFieldLimits)[S]]
    ? [keyof (typeof configFieldLimits)[S]] extends [keyof EvgapConfig[S]]
      ? true
      : S
    : S;
};
// A field added to a section here without its limits in the contract (or the other way round) does not compile.
({ encoder: true, sampling: true, step1: true, step2: true, training: true }) satisfies LimitsMatch;

/** A partial config: any field of any section may be given; the rest comes from the preset. */
export type ConfigOverrides = {
  encoder?: Partial<EncoderConfig>;
  sampling?: Partial<SamplingConfig>;
  step1?: Partial<Step1Config>;
  step2?: Partial<Step2Config>;
  training?: Partial<TrainingConfig>;
  seed?: number;
};

const pytorchAdam = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

const paper: EvgapConfig = {
  encoder: {
    inputDim: 2048,
    modelDim: 512,
    layers: 6,
    heads: 8,
    ffDim: 2048,
    tokens: 20,
    layerNormEps: 1e-5,
    posEmbed: 'learned',
  },
  sampling: { window: 20, stride: 100, scaleMin: 0.5, scaleMax: 2.0, resample: 'linear', clipsPerSet: 10 },
  step1: {
    batchPairs: 200,
    lr: 5e-4,
    optimizer: 'adam',
    weightDecay: 0,
    ...pytorchAdam,
    logitScaleInit: 1,
    logitScaleInitMeans: 's',
    auxWeight: 0.2,
    steps: 20_000,
    checkpointEvery: 1_000,
  },
  step2: {
    batchGroups: 64,
    lr: 1e-4,
    optimizer: 'adamw',
    weightDecay: 0.01,
    ...pytorchAdam,
    logitScaleInit: Math.log10(1 / 0.7),
    logitScaleInitMeans: 's',
    bias: 'none',
    biasInit: -10,
    auxWeight: 0.2,
    steps: 10_000,
    checkpointEvery: 1_000,
  },
  training: { precision: 'fp32' },
  seed: 1,
};

const demo: EvgapConfig = {
  encoder: { ...paper.encoder, modelDim: 64, layers: 2, heads: 4, ffDim: 128 },
  // The demo's scenes are short (48 s at 15 fps = 720 frames): a stride of 10 frames gives ~65 timestamps per
  // scene, enough for sets of 10 distinct clips, where the published 100 would leave 6.
  sampling: { ...paper.sampling, stride: 10 },
  step1: { ...paper.step1, batchPairs: 64, steps: 300, checkpointEvery: 100 },
  // A short step 2 from the published start (t ≈ 1.17, no bias) undoes much of step 1's alignment on the demo
  // (held-out R@1 70.5 → 6.5 measured); SigLIP's start (t = 10, learnable bias −10), which method.md offers,
  // keeps and improves it (R@1 ≈ 91). The paper preset keeps the published values.
  step2: {
    ...paper.step2,
    batchGroups: 16,
    steps: 150,
    checkpointEvery: 50,
    bias: 'learnable',
    biasInit: -10,
    logitScaleInit: 10,
    logitScaleInitMeans: 't',
  },
  training: { ...paper.training },
  seed: 1,
};

export const presets: Readonly<Record<PresetName, EvgapConfig>> = { paper, demo };

/** The initial value of s (t = exp(s)) for a step, following the step's logitScaleInitMeans choice. */
export function initialLogitScale(step: Pick<StepCommon, 'logitScaleInit' | 'logitScaleInitMeans'>): number {
  return step.logitScaleInitMeans === 's' ? step.logitScaleInit : Math.log(step.logitScaleInit);
}

/**
 * The preset with the overrides applied, validated field by field. `encoder.tokens` follows `sampling.window`
 * unless it is overridden itself (then both must agree).
 */
export function resolveConfig(preset: PresetName, overrides: ConfigOverrides = {}): EvgapConfig {
  const base = presets[preset as PresetName] as EvgapConfig | undefined;
  if (base === undefined) throw new ArgumentError(`expected preset ${presetNames.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(preset)}`);
  if (!isRecord(overrides)) throw new ArgumentError('expected overrides to be an object');
  for (const key of Object.keys(overrides)) {
    if (!(key in base)) throw new ArgumentError(`unexpected config field ${key}`);
  }
  const merged: EvgapConfig = {
    encoder: mergeSection('encoder', base.encoder, overrides.encoder),
    sampling: mergeSection('sampling', base.sampling, overrides.sampling),
    step1: mergeSection('step1', base.step1, overrides.step1),
    step2: mergeSection('step2', base.step2, overrides.step2),
    training: mergeSection('training', base.training, overrides.training),
    seed: overrides.seed ?? base.seed,
  };
  if (overrides.encoder?.tokens === undefined) merged.encoder.tokens = merged.sampling.window;
  validateConfig(merged);
  return merged;
}

/**
 * A config stored by an earlier version, completed with the fields added since at the values that version used
 * (before `training.precision` existed, every run was fp32). Fields that are present are left as they are.
 */
export function upgradeStoredConfig(config: EvgapConfig): EvgapConfig {
  if (!isRecord(config) || (config as Partial<EvgapConfig>).training !== undefined) return config;
  return { ...config, training: { precision: 'fp32' } };
}

/**
 * Throws ArgumentError naming the first invalid field of a (possibly hand-written or stored) config: each field
 * against its limits in contract/evgapConfig.ts, then the relations between fields.
 */
export function validateConfig(config: EvgapConfig): void {
  const { encoder, sampling, step1, step2 } = config;
  const { sampling: samplingLimits, step1: step1Limits, step2: step2Limits, training: trainingLimits } = configFieldLimits;
  field('sampling.window', sampling.window, samplingLimits.window);
  field('sampling.stride', sampling.stride, samplingLimits.stride);
  field('sampling.scaleMin', sampling.scaleMin, samplingLimits.scaleMin);
  field('sampling.scaleMax', sampling.scaleMax, samplingLimits.scaleMax);
  if (sampling.scaleMax < sampling.scaleMin) {
    throw new ArgumentError(
      `expected sampling.scaleMax >= sampling.scaleMin (${sampling.scaleMin}), got ${sampling.scaleMax}`,
    );
  }
  field('sampling.resample', sampling.resample, samplingLimits.resample);
  field('sampling.clipsPerSet', sampling.clipsPerSet, samplingLimits.clipsPerSet);
  validateEncoderConfig(encoder);
  if (encoder.tokens !== sampling.window) {
    throw new ArgumentError(`expected encoder.tokens = sampling.window (${sampling.window}), got ${encoder.tokens}`);
  }

  field('step1.batchPairs', step1.batchPairs, step1Limits.batchPairs);
  validateStep('step1', step1, step1Limits);
  field('step2.batchGroups', step2.batchGroups, step2Limits.batchGroups);
  validateStep('step2', step2, step2Limits);
  field('step2.bias', step2.bias, step2Limits.bias);
  field('step2.biasInit', step2.biasInit, step2Limits.biasInit);
  if (!isRecord(config.training)) throw new ArgumentError(`expected training to be an object, got ${show(config.training)}`);
  field('training.precision', config.training.precision, trainingLimits.precision);

  field('seed', config.seed, seedLimit);
}

/** Throws ArgumentError naming the first invalid encoder field (also used for configs read from weight files). */
export function validateEncoderConfig(encoder: EncoderConfig): void {
  for (const key of ['inputDim', 'modelDim', 'layers', 'heads', 'ffDim', 'tokens', 'layerNormEps', 'posEmbed'] as const) {
    field(`encoder.${key}`, encoder[key], configFieldLimits.encoder[key]);
  }
  if (encoder.modelDim % encoder.heads !== 0) {
    throw new ArgumentError(
      `expected encoder.modelDim divisible by heads, got modelDim ${encoder.modelDim} and heads ${encoder.heads}`,
    );
  }
}

function validateStep(name: 'step1' | 'step2', step: StepCommon, limits: (typeof configFieldLimits)['step1' | 'step2']): void {
  field(`${name}.lr`, step.lr, limits.lr);
  field(`${name}.optimizer`, step.optimizer, limits.optimizer);
  field(`${name}.weightDecay`, step.weightDecay, limits.weightDecay);
  if (step.optimizer === 'adam' && step.weightDecay !== 0) {
    throw new ArgumentError(`expected ${name}.weightDecay = 0 with optimizer 'adam', got ${step.weightDecay}`);
  }
  field(`${name}.beta1`, step.beta1, limits.beta1);
  field(`${name}.beta2`, step.beta2, limits.beta2);
  field(`${name}.epsilon`, step.epsilon, limits.epsilon);
  field(`${name}.logitScaleInitMeans`, step.logitScaleInitMeans, limits.logitScaleInitMeans);
  field(`${name}.logitScaleInit`, step.logitScaleInit, limits.logitScaleInit);
  // As t = exp(s), the initial value must be positive.
  if (step.logitScaleInitMeans === 't' && step.logitScaleInit <= 0) {
    throw new ArgumentError(`expected ${name}.logitScaleInit > 0, got ${step.logitScaleInit}`);
  }
  field(`${name}.auxWeight`, step.auxWeight, limits.auxWeight);
  field(`${name}.steps`, step.steps, limits.steps);
  field(`${name}.checkpointEvery`, step.checkpointEvery, limits.checkpointEvery);
}

function mergeSection<T extends object>(section: string, base: T, override: Partial<T> | undefined): T {
  if (override === undefined) return { ...base };
  if (!isRecord(override)) throw new ArgumentError(`expected ${section} to be an object`);
  for (const key of Object.keys(override)) {
    if (!(key in base)) throw new ArgumentError(`unexpected config field ${section}.${key}`);
  }
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Throws ArgumentError when `value` is not of the field's kind or breaks one of its limits. */
function field(path: string, value: unknown, limit: ConfigFieldLimit): void {
  if (limit.kind === 'choice') {
    if (typeof value !== 'string' || !limit.choices.includes(value)) {
      throw new ArgumentError(`expected ${path} to be one of ${limit.choices.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`);
    }
    return;
  }
  if (limit.kind === 'integer' ? typeof value !== 'number' || !Number.isInteger(value) : typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`expected ${path} to be ${limit.kind === 'integer' ? 'an integer' : 'a finite number'}, got ${show(value)}`);
  }
  const v = value as number;
  const broken = brokenBound(limit, v);
  if (broken === null) return;
  // A field with a lower and an upper limit (Adam's betas) says both.
  if (limit.kind === 'number' && limit.min !== undefined && limit.exclusiveMax !== undefined) {
    throw new ArgumentError(`expected ${limit.min} <= ${path} < ${limit.exclusiveMax}, got ${v}`);
  }
  throw new ArgumentError(`expected ${path} ${broken.relation} ${broken.bound}, got ${v}`);
}
