// Tests of TempAgg's snippets on frames whose rows encode their index: which frames each snippet covers (the
// authors' linspace rule, ends included), which segments are left out, and how snippets are pooled. Frame for
// frame agreement with the authors' dataset code over many starts and frame rates is in parity.test.ts.
import { describe, expect, it } from 'vitest';
import { resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';
import { linspaceFloor, snippetFrames, tempAggSnippets } from '../../../../main/eval/anticipation/snippets';
import type { FrameMatrix } from '../../../../main/eval/frameFeatures/sceneFrames';

/** Row f is [f, −f]. */
function indexFrames(count: number): FrameMatrix {
  const data = new Float32Array(count * 2);
  for (let f = 0; f < count; f++) data.set([f, -f], f * 2);
  return { data, frames: count, dim: 2 };
}

const config = resolveAnticipationConfig({ fps: 10, spanningSeconds: 2, spanningGranularities: [2, 3], recentSeconds: [0.5, 1], recentSnippets: 2 });

describe('TempAgg snippets', () => {
  it('splits the last spanning seconds into K snippets per granularity and each recent window into n, ends included', () => {
    // start 60 at 10 fps: τ_a = 5 s, last observed frame 50; spanning [30, 50], recent [45, 50] and [40, 50].
    expect(snippetFrames(60, config)).toEqual({
      spanning: [[30, 40], [40, 50], [30, 36], [36, 43], [43, 50]],
      recent: [[45, 47], [47, 50], [40, 45], [45, 50]],
    });
  });

  it('cuts windows at frame 0 and leaves out segments whose τ_a is under 2 s', () => {
    expect(snippetFrames(29, config)).toBeUndefined(); // τ_a = 1.9 s
    expect(snippetFrames(30, config)).toEqual({
      spanning: [[0, 10], [10, 20], [0, 6], [6, 13], [13, 20]],
      recent: [[15, 17], [17, 20], [10, 15], [15, 20]],
    });
    expect(snippetFrames(30, { ...config, minObservedSeconds: 0.1 })!.spanning[0]).toEqual([0, 10]);
  });

  it('floors numpy’s linspace, keeping the authors’ float arithmetic', () => {
    expect(linspaceFloor(0, 10, 4)).toEqual([0, 3, 6, 10]);
    expect(linspaceFloor(5, 5, 3)).toEqual([5, 5, 5]);
    // 1.1 s at 25 fps is 27.500000000000004 frames, so the window starts at 0.4999999999999964: exactly, the fourth
    // index would be 16.99…, floored to 16; numpy's rounded float steps give 17, and so does ours.
    expect(linspaceFloor(28 - 1.1 * 25, 28, 6)).toEqual([0, 5, 11, 17, 22, 28]);
  });

  it('max-pools or averages each snippet’s frames, both ends included', () => {
    const frames = indexFrames(80);
    const chosen = snippetFrames(60, config)!;
    const max = tempAggSnippets(frames, chosen, 'max');
    // A snippet [a, b] max-pools rows [f, −f] to [b, −a].
    expect(Array.from(max.spanning)).toEqual([40, -30, 50, -40, 36, -30, 43, -36, 50, -43]);
    expect(Array.from(max.recent)).toEqual([47, -45, 50, -47, 45, -40, 50, -45]);
    expect(max.featureDim).toBe(2);
    const avg = tempAggSnippets(frames, chosen, 'avg');
    expect(Array.from(avg.recent)).toEqual([46, -46, 48.5, -48.5, 42.5, -42.5, 47.5, -47.5]);
  });

  it('never reads after the last observed frame, and refuses snippets outside the frames', () => {
    const chosen = snippetFrames(47, config)!; // τ_a = 3.7 s: last observed frame 37
    const snippets = tempAggSnippets(indexFrames(100), chosen, 'max');
    const firstColumn = [...snippets.spanning, ...snippets.recent].filter((_, i) => i % 2 === 0);
    expect(Math.max(...firstColumn)).toBe(37);
    expect(() => tempAggSnippets(indexFrames(30), chosen, 'max')).toThrow(/expected a snippet within frames \[0, 29\], got \[27, 37\]/);
    expect(() => snippetFrames(-1, config)).toThrow(/expected a segment start frame >= 0, got -1/);
  });
});
