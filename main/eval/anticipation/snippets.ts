// TempAgg's snippet features of the observed past (Sener et al. 2020, §3): for an anticipation time τ_a, the
// "spanning" snippets split the observed past [τ_a − spanning, τ_a) into K equal spans for each granularity K,
// and the "recent" snippets are spans of a few lengths ending at τ_a; every span is max- (or average-) pooled
// over its frames to one vector. Spans reaching before the first frame are cut at it; a span shorter than one
// frame takes the single frame where it lies, so every snippet exists whenever one frame was observed.
import { ArgumentError } from '../../../contract/errors';
import type { FrameMatrix } from '../frameFeatures/sceneFrames';
import type { AnticipationConfig, SnippetPooling } from './config';

/** Pooled snippets of one anticipation sample: spanning [S, C] (S = Σ K) and recent [R, C], row-major. */
export interface TempAggSnippets {
  spanning: Float32Array;
  recent: Float32Array;
  /** C: values per snippet. */
  featureDim: number;
}

/** Frame ranges [from, to) of the spanning snippets, granularity by granularity. */
export function spanningSpans(observedEnd: number, config: Pick<AnticipationConfig, 'fps' | 'spanningSeconds' | 'spanningGranularities'>): [number, number][] {
  const start = config.spanningSeconds === 0 ? 0 : Math.max(0, observedEnd - Math.round(config.spanningSeconds * config.fps));
  const length = observedEnd - start;
  const spans: [number, number][] = [];
  for (const K of config.spanningGranularities) {
    for (let i = 0; i < K; i++) {
      const from = Math.min(observedEnd - 1, start + Math.floor((i * length) / K));
      spans.push([from, Math.max(from + 1, start + Math.floor(((i + 1) * length) / K))]);
    }
  }
  return spans;
}

/** Frame ranges [from, to) of the recent snippets, all ending at the observed end. */
export function recentSpans(observedEnd: number, config: Pick<AnticipationConfig, 'fps' | 'recentSeconds'>): [number, number][] {
  return config.recentSeconds.map((seconds) => {
    const from = Math.max(0, observedEnd - Math.max(1, Math.round(seconds * config.fps)));
    return [from, observedEnd];
  });
}

/** The pooled snippets of frames [0, observedEnd) of a feature matrix. */
export function tempAggSnippets(frames: FrameMatrix, observedEnd: number, config: AnticipationConfig): TempAggSnippets {
  if (!Number.isInteger(observedEnd) || observedEnd < 1 || observedEnd > frames.frames) {
    throw new ArgumentError(`expected an observed end in [1, ${frames.frames}], got ${observedEnd}`);
  }
  return {
    spanning: poolSpans(frames, spanningSpans(observedEnd, config), config.pooling),
    recent: poolSpans(frames, recentSpans(observedEnd, config), config.pooling),
    featureDim: frames.dim,
  };
}

function poolSpans(frames: FrameMatrix, spans: readonly [number, number][], pooling: SnippetPooling): Float32Array {
  const { data, dim } = frames;
  const out = new Float32Array(spans.length * dim);
  spans.forEach(([from, to], s) => {
    const row = out.subarray(s * dim, (s + 1) * dim);
    row.set(data.subarray(from * dim, (from + 1) * dim));
    for (let t = from + 1; t < to; t++) {
      for (let c = 0; c < dim; c++) {
        const value = data[t * dim + c]!;
        row[c] = pooling === 'max' ? Math.max(row[c]!, value) : row[c]! + value;
      }
    }
    if (pooling === 'avg') for (let c = 0; c < dim; c++) row[c] = row[c]! / (to - from);
  });
  return out;
}
