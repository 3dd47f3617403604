// Settings of the TempAgg anticipation evaluation (Sener, Singhania & Yao, "Temporal Aggregate Representations
// for Long-Range Video Understanding", ECCV 2020; github.com/dibschat/tempAgg, and its Assembly101 adaptation
// github.com/assembly-101/assembly101-action-anticipation, tempAgg-action-anticipation/main.py): where the
// observed input ends, which snippets of the past are pooled, the network's size and its training. Two presets:
// `paper` is the Assembly101 baseline as its authors train it (--past_attention, 2048-d features, latent and
// linear 512, dropout 0.3; 15 epochs of Adam, lr 1e-4 × 0.1 after 10 epochs, batch 32, verb and object losses
// weighted 1); `cpu` keeps their sampling and blocks on a shared linear projection of the input to 64 values,
// with latent 32, linear 64 and two of their four recent windows (1.6 and 0.8 s; all three spanning granularities),
// 30 epochs at lr 1e-3: each step costs a few thousand small kernels, so this keeps the demo's anticipation stage
// in tens of seconds on 2 CPU cores (all four windows cost about twice as much).
import { ArgumentError } from '../../../contract/errors';

export type SnippetPooling = 'max' | 'avg';
export type AnticipationPreset = 'cpu' | 'paper';
export const anticipationPresetNames: readonly AnticipationPreset[] = ['cpu', 'paper'];

/**
 * The axis the non-local blocks attend over. 'latent': the Assembly101 code's NONLocalBlock1D, an L × L affinity
 * of the latent channels (summed over the feature axis); 'feature': the original EPIC-Kitchens code's, an F × F
 * affinity of the feature positions (summed over the latent channels). Both have the same weights.
 */
export type NonLocalAttention = 'latent' | 'feature';

export interface AnticipationConfig {
  /** The preset the other values started from. */
  preset: AnticipationPreset;
  /** Frames per second of the feature tracks (Assembly101: 30). */
  fps: number;
  /** τ_a = τ_s − this many seconds: the observed input ends this long before the segment starts (published 1). */
  anticipationSeconds: number;
  /** A segment is left out when τ_a is earlier than this many seconds after the first frame (TempAgg: 2). */
  minObservedSeconds: number;
  /** The spanning snippets cover the last this many seconds up to τ_a (TempAgg: 6). */
  spanningSeconds: number;
  /** The spanning past is split into K snippets for each K here, one coupling block each (TempAgg: 5, 3, 2). */
  spanningGranularities: number[];
  /** Lengths (seconds) of the recent windows ending at τ_a, one aggregate block and classifier each (1.6 … 0.4). */
  recentSeconds: number[];
  /** Snippets each recent window is split into (TempAgg's recent_dim: 2). */
  recentSnippets: number;
  /** How a snippet's frames become one vector (TempAgg: max). */
  pooling: SnippetPooling;
  /** Width of a shared linear projection of the input features before the network; 0: none (the authors'). */
  inputProjection: number;
  /** Latent channels of the non-local blocks (TempAgg's latent_dim: 512). */
  latentDim: number;
  /** Width of the coupling blocks' fully connected layers and of the classifiers' input halves (linear_dim: 512). */
  linearDim: number;
  /** Dropout after each non-local block and inside the fully connected layers (TempAgg: 0.3). */
  dropout: number;
  /** Spanning snippets attend to themselves before the recent ones attend to them (Assembly101: --past_attention). */
  pastAttention: boolean;
  nonLocalAttention: NonLocalAttention;
  /** Weights of the verb and object cross-entropies beside the action one (TempAgg: 1 and 1). */
  verbLossWeight: number;
  objectLossWeight: number;
  /** Passes over the training samples. */
  epochs: number;
  /** Samples per Adam step; a last, incomplete batch is dropped in training (Assembly101's drop_last). */
  batchSize: number;
  /** Adam learning rate (no weight decay). */
  lr: number;
  /** StepLR: the learning rate is multiplied by lrGamma from epoch lrStepEpochs on, and every lrStepEpochs after. */
  lrStepEpochs: number;
  lrGamma: number;
}

const paper: AnticipationConfig = {
  preset: 'paper',
  fps: 30,
  anticipationSeconds: 1,
  minObservedSeconds: 2,
  spanningSeconds: 6,
  spanningGranularities: [5, 3, 2],
  recentSeconds: [1.6, 1.2, 0.8, 0.4],
  recentSnippets: 2,
  pooling: 'max',
  inputProjection: 0,
  latentDim: 512,
  linearDim: 512,
  dropout: 0.3,
  pastAttention: true,
  nonLocalAttention: 'latent',
  verbLossWeight: 1,
  objectLossWeight: 1,
  epochs: 15,
  batchSize: 32,
  lr: 1e-4,
  lrStepEpochs: 10,
  lrGamma: 0.1,
};

const cpu: AnticipationConfig = {
  ...paper,
  preset: 'cpu',
  recentSeconds: [1.6, 0.8],
  inputProjection: 64,
  latentDim: 32,
  linearDim: 64,
  epochs: 30,
  lr: 1e-3,
  lrStepEpochs: 20,
};

const presets: Readonly<Record<AnticipationPreset, AnticipationConfig>> = { cpu, paper };

/** A preset (`overrides.preset`, default 'cpu') with the other overrides applied, validated field by field. */
export function resolveAnticipationConfig(overrides: Partial<AnticipationConfig> = {}): AnticipationConfig {
  const preset = overrides.preset ?? 'cpu';
  if (!anticipationPresetNames.includes(preset)) {
    throw new ArgumentError(`expected anticipation preset ${anticipationPresetNames.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(preset)}`);
  }
  const config = structuredClone(presets[preset]);
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in config)) throw new ArgumentError(`unexpected anticipation setting ${key}`);
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = structuredClone(value);
  }
  positive('fps', config.fps);
  nonNegative('anticipationSeconds', config.anticipationSeconds);
  nonNegative('minObservedSeconds', config.minObservedSeconds);
  positive('spanningSeconds', config.spanningSeconds);
  list('spanningGranularities', config.spanningGranularities, (v) => Number.isInteger(v) && v >= 1, 'integers >= 1');
  list('recentSeconds', config.recentSeconds, (v) => Number.isFinite(v) && v > 0, 'numbers > 0');
  oneOf('pooling', config.pooling, ['max', 'avg']);
  oneOf('nonLocalAttention', config.nonLocalAttention, ['latent', 'feature']);
  if (typeof config.pastAttention !== 'boolean') {
    throw new ArgumentError(`expected pastAttention to be true or false, got ${JSON.stringify(config.pastAttention)}`);
  }
  for (const key of ['recentSnippets', 'latentDim', 'linearDim', 'epochs', 'batchSize', 'lrStepEpochs'] as const) integer(key, config[key], 1);
  integer('inputProjection', config.inputProjection, 0);
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new ArgumentError(`expected dropout in [0, 1), got ${config.dropout}`);
  nonNegative('verbLossWeight', config.verbLossWeight);
  nonNegative('objectLossWeight', config.objectLossWeight);
  positive('lr', config.lr);
  if (!(config.lrGamma > 0 && config.lrGamma <= 1)) throw new ArgumentError(`expected lrGamma in (0, 1], got ${config.lrGamma}`);
  return config;
}

/** The learning rate of epoch `epoch` (1-based): StepLR stepped at each epoch's start, as the authors' loop does. */
export function epochLearningRate(config: Pick<AnticipationConfig, 'lr' | 'lrStepEpochs' | 'lrGamma'>, epoch: number): number {
  return config.lr * Math.pow(config.lrGamma, Math.floor(epoch / config.lrStepEpochs));
}

function integer(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new ArgumentError(`expected ${name} to be an integer >= ${min}, got ${value}`);
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new ArgumentError(`expected ${name} > 0, got ${value}`);
}

function nonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new ArgumentError(`expected ${name} >= 0, got ${value}`);
}

function oneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw new ArgumentError(`expected ${name} to be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
}

function list(name: string, value: unknown, valid: (v: number) => boolean, what: string): void {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && valid(v))) {
    throw new ArgumentError(`expected ${name} to be a non-empty list of ${what}, got ${JSON.stringify(value)}`);
  }
}
