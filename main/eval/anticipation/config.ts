// Settings of the TempAgg-style anticipation evaluation (Sener, Singhania & Yao, "Temporal Aggregate
// Representations for Long-Range Video Understanding", ECCV 2020; docs/method.md, "Evaluation"): where the
// observed input ends, which snippets of the past are pooled, the head's size and its training. TempAgg's own
// values for EPIC-Kitchens (recent spans of 1.6/1.2/0.8 s, spanning granularities 2, 3, 5, max pooling) are the
// defaults; the head is smaller than TempAgg's to train on CPU.
import { ArgumentError } from '../../../contract/errors';

export type SnippetPooling = 'max' | 'avg';

export interface AnticipationConfig {
  /** Frames per second of the feature tracks (Assembly101: 30). */
  fps: number;
  /** τ_a = τ_s − this many seconds: the observed input ends this long before the segment starts (published 1). */
  anticipationSeconds: number;
  /** Length of observed past the spanning snippets cover, ending at τ_a; 0: the whole observed past. */
  spanningSeconds: number;
  /** The spanning past is split into K equal spans for each K here, each span pooled to one vector. */
  spanningGranularities: number[];
  /** Lengths (seconds) of the recent spans, all ending at τ_a, each pooled to one vector. */
  recentSeconds: number[];
  /** How a span's frames become one vector (TempAgg: max). */
  pooling: SnippetPooling;
  /** Width of the head (projections, attention, MLP). */
  hiddenDim: number;
  /** Passes over the training samples. */
  epochs: number;
  /** Samples per Adam step. */
  batchSize: number;
  /** Adam learning rate. */
  lr: number;
}

export const defaultAnticipationConfig: Readonly<AnticipationConfig> = {
  fps: 30,
  anticipationSeconds: 1,
  spanningSeconds: 0,
  spanningGranularities: [2, 3, 5],
  recentSeconds: [0.8, 1.2, 1.6],
  pooling: 'max',
  hiddenDim: 128,
  epochs: 30,
  batchSize: 64,
  lr: 1e-3,
};

/** The defaults with `overrides` applied, validated field by field. */
export function resolveAnticipationConfig(overrides: Partial<AnticipationConfig> = {}): AnticipationConfig {
  const config: AnticipationConfig = {
    ...defaultAnticipationConfig,
    spanningGranularities: [...defaultAnticipationConfig.spanningGranularities],
    recentSeconds: [...defaultAnticipationConfig.recentSeconds],
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in config)) throw new ArgumentError(`unexpected anticipation setting ${key}`);
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
  }
  positive('fps', config.fps);
  nonNegative('anticipationSeconds', config.anticipationSeconds);
  nonNegative('spanningSeconds', config.spanningSeconds);
  list('spanningGranularities', config.spanningGranularities, (v) => Number.isInteger(v) && v >= 1, 'integers >= 1');
  list('recentSeconds', config.recentSeconds, (v) => Number.isFinite(v) && v > 0, 'numbers > 0');
  if (config.pooling !== 'max' && config.pooling !== 'avg') {
    throw new ArgumentError(`expected pooling to be one of 'max', 'avg', got ${JSON.stringify(config.pooling)}`);
  }
  for (const key of ['hiddenDim', 'epochs', 'batchSize'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new ArgumentError(`expected ${key} to be an integer >= 1, got ${config[key]}`);
  }
  positive('lr', config.lr);
  return config;
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new ArgumentError(`expected ${name} > 0, got ${value}`);
}

function nonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new ArgumentError(`expected ${name} >= 0, got ${value}`);
}

function list(name: string, value: unknown, valid: (v: number) => boolean, what: string): void {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && valid(v))) {
    throw new ArgumentError(`expected ${name} to be a non-empty list of ${what}, got ${JSON.stringify(value)}`);
  }
}
