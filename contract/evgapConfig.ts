// The engine config's vocabulary, declared once: the preset names, the choices of its choice fields, and every
// field's limits with a line saying what it is. The engine's validation (main/engine/config.ts), the API's argument
// schemas (contract/api.ts) and the renderer's forms (Training settings, the Sampling panel) all read these, so a
// limit is changed in one place. The values themselves (the `paper` and `demo` presets) live with the engine, which
// sends them resolved through listPresets; relations between fields (heads divide the width, scaleMin <= scaleMax,
// …) are checked by the engine.
import { int, num, oneOf, type Schema } from './schema';

/** The named presets of the engine config (main/engine/config.ts `presets`), the default first. */
export const presetNames = ['demo', 'paper'] as const;
export type PresetName = (typeof presetNames)[number];

/** How the positional embedding is made (learned is the default, a choice). */
export const positionalEmbeddings = ['learned', 'sinusoidal'] as const;
/** How a scaled window is brought back to w1 tokens (linear interpolation over time is the default, a choice). */
export const resamplings = ['linear', 'nearest'] as const;
export const optimizerNames = ['adam', 'adamw'] as const;
/** Whether "s initialized to x" sets s = x (the default, a choice) or the temperature t = exp(s) = x. */
export const logitScaleInitMeanings = ['s', 't'] as const;
/** Step 2's sigmoid-loss bias: none as published, or SigLIP's learnable b. */
export const sigmoidBiases = ['none', 'learnable'] as const;
/** Arithmetic of the encoder's matrix products: fp32, or bf16 operands with float32 sums (main/engine/config.ts). */
export const precisions = ['fp32', 'bf16'] as const;

export interface IntegerLimit {
  kind: 'integer';
  min: number;
  max?: number;
  about: string;
}
export interface NumberLimit {
  kind: 'number';
  min?: number;
  exclusiveMin?: number;
  max?: number;
  exclusiveMax?: number;
  about: string;
}
export interface ChoiceLimit {
  kind: 'choice';
  choices: readonly string[];
  about: string;
}
/** What one field of the config takes; `about` says what the field is, in a line the forms show beside it. */
export type ConfigFieldLimit = IntegerLimit | NumberLimit | ChoiceLimit;
export type NumericLimit = IntegerLimit | NumberLimit;

const integer = (min: number, about: string, max?: number): IntegerLimit => ({ kind: 'integer', min, ...(max !== undefined && { max }), about });
const positive = (about: string, max?: number): NumberLimit => ({ kind: 'number', exclusiveMin: 0, ...(max !== undefined && { max }), about });
const nonNegative = (about: string): NumberLimit => ({ kind: 'number', min: 0, about });
const finite = (about: string): NumberLimit => ({ kind: 'number', about });
const fraction = (about: string): NumberLimit => ({ kind: 'number', min: 0, exclusiveMax: 1, about });
const choice = (choices: readonly string[], about: string): ChoiceLimit => ({ kind: 'choice', choices, about });

/** The fields both pre-training steps have, with the step's optimizer's name in the learning rate's line. */
const stepFields = (optimizer: string) => ({
  lr: positive(`${optimizer} learning rate`),
  optimizer: choice(optimizerNames, 'Adam, or AdamW with decoupled weight decay'),
  weightDecay: nonNegative('decoupled weight decay; 0 with plain Adam'),
  beta1: fraction('Adam β1 (PyTorch default; unpublished)'),
  beta2: fraction('Adam β2 (PyTorch default; unpublished)'),
  epsilon: positive('Adam ε (PyTorch default; unpublished)'),
  logitScaleInit: finite('initial logit scale, read as s or t = exp(s) (> 0 as t)'),
  logitScaleInitMeans: choice(logitScaleInitMeanings, 'whether the logit scale init sets s or t = exp(s)'),
  auxWeight: nonNegative('w_l of each earlier layer'),
  steps: integer(1, 'optimizer steps (unpublished: the preset chooses)', 100_000_000),
  checkpointEvery: integer(1, 'optimizer steps between checkpoints'),
});

/** Every field of the engine config by section, with its limits: the one place they are stated. */
export const configFieldLimits = {
  encoder: {
    inputDim: integer(1, 'per-frame feature size F of the dataset'),
    modelDim: integer(1, 'Transformer width D'),
    layers: integer(1, 'Transformer blocks L, one embedding h_l each'),
    heads: integer(1, 'attention heads per block; divide D'),
    ffDim: integer(1, 'hidden size of each block’s feed-forward'),
    tokens: integer(1, 'tokens per clip T, equal to the window w1'),
    layerNormEps: positive('LayerNorm ε (PyTorch’s default)'),
    posEmbed: choice(positionalEmbeddings, 'learned or fixed sinusoidal positional embedding'),
  },
  sampling: {
    window: integer(1, 'frames per clip window w1', 10_000),
    stride: integer(1, 'frames between window starts w2', 100_000),
    scaleMin: positive('smallest window length factor of the scale augmentation', 100),
    scaleMax: positive('largest window length factor of the scale augmentation', 100),
    resample: choice(resamplings, 'how a scaled window is resampled to w1 tokens'),
    clipsPerSet: integer(1, 'clips per set from one source (the hard negatives)', 10_000),
  },
  step1: {
    batchPairs: integer(2, 'ego-exo clip pairs per batch', 100_000),
    ...stepFields('Adam'),
  },
  step2: {
    batchGroups: integer(2, 'groups of one timestamp per batch', 100_000),
    ...stepFields('AdamW'),
    bias: choice(sigmoidBiases, "none as published, or SigLIP's learnable b"),
    biasInit: finite('initial value of the learnable bias (SigLIP: −10)'),
  },
  training: {
    precision: choice(precisions, 'matrix-product precision: fp32, or bf16 mixed precision'),
  },
} as const satisfies Record<string, Record<string, ConfigFieldLimit>>;

/** The config's seed: parameter init and batch sampling. */
export const seedLimit = { kind: 'integer', min: 0, max: 0xffffffff, about: 'seeds parameter init and batch sampling' } as const satisfies IntegerLimit;

/** The argument schema of a numeric field (what the API checks a value against). */
export function numericFieldSchema(limit: NumericLimit): Schema<number> {
  if (limit.kind === 'integer') return int({ min: limit.min, ...(limit.max !== undefined && { max: limit.max }) });
  const { min, exclusiveMin, max, exclusiveMax } = limit;
  return num({ ...(min !== undefined && { min }), ...(exclusiveMin !== undefined && { exclusiveMin }), ...(max !== undefined && { max }), ...(exclusiveMax !== undefined && { exclusiveMax }) });
}

/** The argument schema of a preset name. */
export const presetNameSchema = (): Schema<PresetName> => oneOf(...presetNames);

/**
 * Why `value` is not acceptable for a numeric field, as "> 0", ">= 2", "<= 100" or "< 1" (the first bound it
 * breaks), or null when it is within the limits (the value is assumed a finite number of the field's kind).
 */
export function brokenBound(limit: NumericLimit, value: number): { relation: '>' | '>=' | '<' | '<='; bound: number } | null {
  const exclusiveMin = limit.kind === 'number' ? limit.exclusiveMin : undefined;
  const exclusiveMax = limit.kind === 'number' ? limit.exclusiveMax : undefined;
  if (exclusiveMin !== undefined && value <= exclusiveMin) return { relation: '>', bound: exclusiveMin };
  if (limit.min !== undefined && value < limit.min) return { relation: '>=', bound: limit.min };
  if (exclusiveMax !== undefined && value >= exclusiveMax) return { relation: '<', bound: exclusiveMax };
  if (limit.max !== undefined && value > limit.max) return { relation: '<=', bound: limit.max };
  return null;
}
