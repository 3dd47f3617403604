// Tests of TempAgg's snippets on frames whose rows encode their index: which frames each span covers and how
// they are pooled.
import { describe, expect, it } from 'vitest';
import { resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';
import { recentSpans, spanningSpans, tempAggSnippets } from '../../../../main/eval/anticipation/snippets';
import type { FrameMatrix } from '../../../../main/eval/frameFeatures/sceneFrames';

/** Row f is [f, −f]. */
function indexFrames(count: number): FrameMatrix {
  const data = new Float32Array(count * 2);
  for (let f = 0; f < count; f++) data.set([f, -f], f * 2);
  return { data, frames: count, dim: 2 };
}

const config = resolveAnticipationConfig({ fps: 10, spanningGranularities: [2, 3], recentSeconds: [0.5, 1] });

describe('TempAgg snippets', () => {
  it('splits the whole observed past into K spans per granularity and ends recent spans at τ_a', () => {
    expect(spanningSpans(12, config)).toEqual([[0, 6], [6, 12], [0, 4], [4, 8], [8, 12]]);
    expect(recentSpans(12, config)).toEqual([[7, 12], [2, 12]]);
    expect(spanningSpans(25, { ...config, spanningSeconds: 1 })).toEqual([[15, 20], [20, 25], [15, 18], [18, 21], [21, 25]]);
  });

  it('keeps one frame per span when the past is shorter than the spans, and cuts recent spans at frame 0', () => {
    expect(spanningSpans(2, config)).toEqual([[0, 1], [1, 2], [0, 1], [0, 1], [1, 2]]);
    expect(recentSpans(3, config)).toEqual([[0, 3], [0, 3]]);
  });

  it('max-pools or averages each span’s frames', () => {
    const max = tempAggSnippets(indexFrames(20), 12, config);
    // A span [a, b) max-pools rows [f, −f] to [b − 1, −a].
    expect(Array.from(max.spanning)).toEqual([5, -0, 11, -6, 3, -0, 7, -4, 11, -8]);
    expect(Array.from(max.recent)).toEqual([11, -7, 11, -2]);
    expect(max.featureDim).toBe(2);
    const avg = tempAggSnippets(indexFrames(20), 12, { ...config, pooling: 'avg' });
    expect(Array.from(avg.recent)).toEqual([9, -9, 6.5, -6.5]);
  });

  it('never reads at or after τ_a', () => {
    const frames = indexFrames(30);
    const snippets = tempAggSnippets(frames, 17, config);
    const firstColumn = [...snippets.spanning, ...snippets.recent].filter((_, i) => i % 2 === 0);
    expect(Math.max(...firstColumn)).toBe(16);
    expect(() => tempAggSnippets(frames, 0, config)).toThrow(/expected an observed end in \[1, 30\], got 0/);
  });
});
