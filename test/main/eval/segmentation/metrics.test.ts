// Hand-worked cases of the MS-TCN segmentation metrics: segment extraction, F1 matching (eval.py's argmax rule),
// counts summed over videos, Edit (including empty sequences), accuracy over all frames, and argument checks.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { editScore, f1Percent, labelSegments, levenshtein, segmentationMetrics, type LabelledVideo } from '../../../../main/eval/segmentation/metrics';

/** Frame labels from run lengths: runs('A', 3, 'B', 2) → A A A B B. */
function runs(...spec: (string | number)[]): string[] {
  const labels: string[] = [];
  for (let i = 0; i < spec.length; i += 2) labels.push(...new Array<string>(spec[i + 1] as number).fill(spec[i] as string));
  return labels;
}

function video(gt: string[], pred: string[], name = 'v'): LabelledVideo {
  return { name, gt, pred };
}

describe('labelSegments', () => {
  it('splits repeated labels into separate runs', () => {
    expect(labelSegments(['A', 'A', 'B', 'A'])).toEqual([
      { label: 'A', start: 0, end: 2 },
      { label: 'B', start: 2, end: 3 },
      { label: 'A', start: 3, end: 4 },
    ]);
  });

  it('drops background runs but keeps the segments on either side apart', () => {
    expect(labelSegments(['bg', 'A', 'bg', 'bg', 'A', 'bg'], new Set(['bg']))).toEqual([
      { label: 'A', start: 1, end: 2 },
      { label: 'A', start: 4, end: 5 },
    ]);
  });

  it('gives no segments for an all-background sequence', () => {
    expect(labelSegments(['bg', 'bg'], new Set(['bg']))).toEqual([]);
  });
});

describe('editScore', () => {
  it('is NaN for two empty sequences, as eval.py’s 0/0', () => {
    expect(editScore([], [])).toBeNaN();
  });

  it('is 0 when exactly one sequence is empty', () => {
    expect(editScore([], ['A', 'B'])).toBe(0);
    expect(editScore(['A'], [])).toBe(0);
  });

  it('normalizes the Levenshtein distance by the longer sequence', () => {
    expect(levenshtein(['A', 'B', 'C'], ['A', 'C'])).toBe(1);
    expect(levenshtein(['k', 'i', 't', 't', 'e', 'n'], ['s', 'i', 't', 't', 'i', 'n', 'g'])).toBe(3);
    expect(editScore(['A', 'B', 'C'], ['A', 'C'])).toBeCloseTo(100 * (1 - 1 / 3), 12);
  });
});

describe('f1Percent', () => {
  it('is 0 without true positives, even with no segments at all', () => {
    expect(f1Percent(0, 0, 0)).toBe(0);
    expect(f1Percent(0, 3, 0)).toBe(0);
    expect(f1Percent(0, 0, 3)).toBe(0);
  });

  it('is the harmonic mean of precision and recall', () => {
    expect(f1Percent(1, 1, 0)).toBeCloseTo(200 / 3, 12);
    expect(f1Percent(3, 1, 1)).toBeCloseTo(75, 12);
  });
});

describe('segmentationMetrics', () => {
  it('scores a perfect single segment 100 everywhere', () => {
    const m = segmentationMetrics([video(runs('A', 5), runs('A', 5))]);
    expect([m.f1_10, m.f1_25, m.f1_50, m.edit, m.acc, m.avg]).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('scores a single segment half-covered by its prediction by IoU threshold', () => {
    // GT A[0,10); predicted A[0,4) (IoU 0.4) and B[4,10) (no same-label GT: a false positive).
    const m = segmentationMetrics([video(runs('A', 10), runs('A', 4, 'B', 6))]);
    expect(m.f1).toEqual([
      { overlap: 0.1, tp: 1, fp: 1, fn: 0, f1: expect.closeTo(200 / 3, 10) },
      { overlap: 0.25, tp: 1, fp: 1, fn: 0, f1: expect.closeTo(200 / 3, 10) },
      { overlap: 0.5, tp: 0, fp: 2, fn: 1, f1: 0 },
    ]);
    expect(m.edit).toBe(50);
    expect(m.acc).toBe(40);
    expect(m.avg).toBeCloseTo((200 / 3 + 200 / 3 + 0 + 50 + 40) / 5, 10);
  });

  it('gives F1 0, Edit NaN and full accuracy when everything is configured background', () => {
    const m = segmentationMetrics([video(runs('bg', 5), runs('bg', 5))], { background: ['bg'] });
    expect(m.f1.map((s) => [s.tp, s.fp, s.fn, s.f1])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(m.edit).toBeNaN();
    expect(m.acc).toBe(100);
    expect(m.avg).toBeNaN();
    expect(m.perVideo[0]).toMatchObject({ gtSegments: 0, predSegments: 0 });
  });

  it('counts predicted segments as false positives when the ground truth is all background', () => {
    const m = segmentationMetrics([video(runs('bg', 6), runs('bg', 2, 'A', 2, 'bg', 2))], { background: ['bg'] });
    expect(m.f1[0]).toEqual({ overlap: 0.1, tp: 0, fp: 1, fn: 0, f1: 0 });
    expect(m.edit).toBe(0);
    expect(m.acc).toBeCloseTo(400 / 6, 12);
  });

  it('counts background frames in the accuracy but not in F1 or Edit', () => {
    const m = segmentationMetrics([video(runs('bg', 5, 'A', 5), runs('bg', 5, 'B', 5))], { background: ['bg'] });
    expect(m.acc).toBe(50);
    expect(m.f1_10).toBe(0);
    expect(m.edit).toBe(0);
  });

  it('treats background as an ordinary label when none is configured', () => {
    const m = segmentationMetrics([video(runs('bg', 5, 'A', 5), runs('bg', 5, 'B', 5))]);
    expect(m.f1[0]).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(m.edit).toBe(50);
  });

  it('still matches segments whose boundaries are off by one frame', () => {
    // A: 10/11, B: 9/10 IoU.
    const m = segmentationMetrics([video(runs('A', 10, 'B', 10), runs('A', 11, 'B', 9))]);
    expect([m.f1_10, m.f1_25, m.f1_50, m.edit]).toEqual([100, 100, 100, 100]);
    expect(m.acc).toBe(95);
  });

  it('takes IoU without +1: 4 of 9 frames is below 0.5 (with +1 it would be 5/10)', () => {
    const m = segmentationMetrics([video(runs('A', 9, 'B', 3), runs('A', 4, 'C', 8))]);
    expect(m.f1.map((s) => s.tp)).toEqual([1, 1, 0]);
  });

  it('keeps repeated labels as separate segments (A A B A → A, B, A)', () => {
    const m = segmentationMetrics([video(['A', 'A', 'B', 'A'], ['A', 'A', 'B', 'A'])]);
    expect(m.gtSegments).toBe(3);
    expect(m.f1[2]).toMatchObject({ tp: 3, fp: 0, fn: 0, f1: 100 });
    expect(m.edit).toBe(100);
  });

  it('punishes over-segmentation: only the first fragment of a segment is a true positive', () => {
    // GT A[0,10); predicted A[0,3) B A[4,7) B A[8,10): IoUs 0.3, 0.3, 0.2 with the one GT segment.
    const m = segmentationMetrics([video(runs('A', 10), runs('A', 3, 'B', 1, 'A', 3, 'B', 1, 'A', 2))]);
    expect(m.f1.map((s) => [s.tp, s.fp, s.fn])).toEqual([
      [1, 4, 0],
      [1, 4, 0],
      [0, 5, 1],
    ]);
    expect(m.f1_10).toBeCloseTo(100 / 3, 10);
    expect(m.edit).toBeCloseTo(20, 10); // [A B A B A] vs [A]: 4 edits over 5
    expect(m.acc).toBe(80);
  });

  it('follows eval.py: a prediction whose best ground-truth segment is taken is a false positive', () => {
    // GT A[0,10) B[10,11) A[11,21); predicted A[0,4) C[4,5) A[5,13) C[13,21).
    // A[0,4) takes GT A[0,10) (IoU 0.4). A[5,13) overlaps GT A[0,10) best (5/13) although it is taken, so it is a
    // false positive at 0.1, even though the unmatched GT A[11,21) has IoU 2/16 = 0.125 with it.
    const m = segmentationMetrics([video(runs('A', 10, 'B', 1, 'A', 10), runs('A', 4, 'C', 1, 'A', 8, 'C', 8))]);
    expect(m.f1[0]).toEqual({ overlap: 0.1, tp: 1, fp: 3, fn: 2, f1: expect.closeTo(200 / 7, 10) });
    expect(m.f1[2]).toMatchObject({ tp: 0, fp: 4, fn: 3, f1: 0 });
  });

  it('sums TP/FP/FN over videos before F1, averages Edit per video and weights accuracy by frames', () => {
    const perfect = video(runs('A', 10, 'B', 10, 'C', 10), runs('A', 10, 'B', 10, 'C', 10), 'perfect');
    const wrong = video(runs('A', 10), runs('B', 10), 'wrong');
    const m = segmentationMetrics([perfect, wrong]);
    expect(m.f1[0]).toMatchObject({ tp: 3, fp: 1, fn: 1 });
    expect(m.f1_10).toBeCloseTo(75, 10); // not the mean of the videos' F1 (50)
    expect(m.edit).toBe(50);
    expect(m.acc).toBe(75); // 30 of 40 frames, not the mean of 100 and 0
    expect(m.perVideo.map((v) => [v.name, v.f1_10, v.edit, v.acc])).toEqual([
      ['perfect', 100, 100, 100],
      ['wrong', 0, 0, 0],
    ]);
  });

  it('lists F1 at requested overlaps and keeps the standard five-number summary', () => {
    const m = segmentationMetrics([video(runs('A', 10), runs('A', 8, 'B', 2))], { overlaps: [0.75, 0.9] });
    expect(m.f1.map((s) => [s.overlap, s.tp])).toEqual([
      [0.75, 1],
      [0.9, 0],
    ]);
    expect(m.perVideo[0]!.f1.map((s) => s.overlap)).toEqual([0.75, 0.9]);
    expect(m.f1_50).toBeCloseTo(200 / 3, 10);
  });

  it('rejects videos it cannot score, naming the video', () => {
    expect(() => segmentationMetrics([])).toThrow(new ArgumentError('videos: expected at least one video, got none'));
    expect(() => segmentationMetrics([video([], [], 'empty')])).toThrow(/videos\[0\] \("empty"\): expected at least one ground-truth frame, got 0/);
    expect(() => segmentationMetrics([video(['A', 'A'], ['A'], 'short')])).toThrow(/"short"\): expected 2 predicted frames .* got 1/);
    expect(() => segmentationMetrics([video(['A'], ['A'])], { overlaps: [0] })).toThrow(/expected thresholds in \(0, 1\], got 0/);
    expect(() => segmentationMetrics([video(['A'], ['A'])], { overlaps: [] })).toThrow(ArgumentError);
  });
});
