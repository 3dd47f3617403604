// TempAgg's snippets of the observed past (Sener et al. 2020, §3), sampled as the authors' dataset code does
// (tempAgg dataset_anticipation.py and Assembly101's dataset.py, SequenceDataset.__get_snippet_features): for a
// segment starting at frame s, τ_a = s / fps − anticipationSeconds; the segment is left out when τ_a <
// minObservedSeconds; the last observed frame is e = ⌊τ_a · fps⌋. The spanning window [max(e − spanning·fps, 0),
// e] is split into K snippets for each granularity K, and each recent window [max(e − r·fps, 0), e] into
// recentSnippets snippets, by numpy's linspace(start, e, n + 1, dtype=int): snippet k covers frames
// ⌊i_k⌋ … ⌊i_{k+1}⌋, both ends included (neighbouring snippets share a frame). Every snippet is max-pooled (or
// averaged) over its frames to one vector. The float arithmetic is the authors' (for example 1.1 s × 25 fps is
// 27.500000000000004 frames, which moves a split by one frame), so the frames chosen are theirs, frame for frame.
import { ArgumentError } from '../../../contract/errors';
import type { FrameMatrix } from '../frameFeatures/sceneFrames';
import type { AnticipationConfig, SnippetPooling } from './config';

/** Pooled snippets of one anticipation sample: spanning [S, C] (S = Σ K) and recent [R, C] (R = recent lengths × recentSnippets), row-major. */
export interface TempAggSnippets {
  spanning: Float32Array;
  recent: Float32Array;
  /** C: values per snippet. */
  featureDim: number;
}

/** Frame ranges [first, last] (both included) of every snippet: spanning granularity by granularity, recent window by window. */
export interface SnippetFrames {
  spanning: [number, number][];
  recent: [number, number][];
}

type SamplingConfig = Pick<
  AnticipationConfig,
  'fps' | 'anticipationSeconds' | 'minObservedSeconds' | 'spanningSeconds' | 'spanningGranularities' | 'recentSeconds' | 'recentSnippets'
>;

/** The snippets' frames for a segment starting at frame `start` (counted from the first frame), or undefined when it is left out. */
export function snippetFrames(start: number, config: SamplingConfig): SnippetFrames | undefined {
  if (!Number.isInteger(start) || start < 0) throw new ArgumentError(`expected a segment start frame >= 0, got ${start}`);
  const { fps } = config;
  const observedSeconds = start / fps - config.anticipationSeconds;
  if (observedSeconds < config.minObservedSeconds) return undefined;
  const end = Math.floor(observedSeconds * fps);
  const split = (seconds: number, parts: number) => spans(linspaceFloor(Math.max(end - seconds * fps, 0), end, parts + 1));
  return {
    spanning: config.spanningGranularities.flatMap((K) => split(config.spanningSeconds, K)),
    recent: config.recentSeconds.flatMap((seconds) => split(seconds, config.recentSnippets)),
  };
}

/** The pooled snippets of a feature matrix for the given frames. */
export function tempAggSnippets(frames: FrameMatrix, chosen: SnippetFrames, pooling: SnippetPooling): TempAggSnippets {
  return { spanning: poolSpans(frames, chosen.spanning, pooling), recent: poolSpans(frames, chosen.recent, pooling), featureDim: frames.dim };
}

/**
 * numpy.linspace(start, stop, num, dtype=int) as numpy 1.2x computes it: y_i = i · ((stop − start)/(num − 1)) +
 * start in float64, the last one exactly stop, then floored.
 */
export function linspaceFloor(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  return Array.from({ length: num }, (_, i) => Math.floor(i === div ? stop : step === 0 ? (i / div) * delta + start : i * step + start));
}

function spans(indices: readonly number[]): [number, number][] {
  return indices.slice(0, -1).map((first, k) => [first, indices[k + 1]!]);
}

function poolSpans(frames: FrameMatrix, spans: readonly [number, number][], pooling: SnippetPooling): Float32Array {
  const { data, dim } = frames;
  const out = new Float32Array(spans.length * dim);
  spans.forEach(([first, last], s) => {
    if (!(first >= 0 && last >= first && last < frames.frames)) {
      throw new ArgumentError(`expected a snippet within frames [0, ${frames.frames - 1}], got [${first}, ${last}]`);
    }
    const row = out.subarray(s * dim, (s + 1) * dim);
    row.set(data.subarray(first * dim, (first + 1) * dim));
    for (let t = first + 1; t <= last; t++) {
      for (let c = 0; c < dim; c++) {
        const value = data[t * dim + c]!;
        row[c] = pooling === 'max' ? Math.max(row[c]!, value) : row[c]! + value;
      }
    }
    if (pooling === 'avg') for (let c = 0; c < dim; c++) row[c] = row[c]! / (last - first + 1);
  });
  return out;
}

// One loop per pooling, without a branch inside: these run over every frame of the observed past per sample.

function maxInto(out: Float32Array, target: number, data: Float32Array, source: number, dim: number): void {
  for (let c = 0; c < dim; c++) {
    const value = data[source + c]!;
    if (value > out[target + c]! || value !== value) out[target + c] = value;
  }
}

function addInto(out: Float32Array, target: number, data: Float32Array, source: number, dim: number): void {
  for (let c = 0; c < dim; c++) out[target + c] = out[target + c]! + data[source + c]!;
}
