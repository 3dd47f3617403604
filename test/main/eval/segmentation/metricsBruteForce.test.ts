// The segmentation metrics against a deliberately naive re-derivation on ~200 seeded random videos: segments found
// frame by frame, IoU by counting frames, matching by looping over every (prediction, ground truth) pair, Edit by a
// full Levenshtein table, F1 as 2TP/(2TP+FP+FN) (equal to eval.py's precision/recall form).
import { describe, expect, it } from 'vitest';
import { segmentationMetrics, type LabelledVideo } from '../../../../main/eval/segmentation/metrics';
import { SeededRandom } from '../../../../main/random/seededRandom';

interface NaiveSegment {
  label: string;
  frames: number[];
}

function naiveSegments(labels: readonly string[], background: readonly string[]): NaiveSegment[] {
  const all: NaiveSegment[] = [];
  labels.forEach((label, frame) => {
    const last = all[all.length - 1];
    if (last && last.label === label && last.frames[last.frames.length - 1] === frame - 1) last.frames.push(frame);
    else all.push({ label, frames: [frame] });
  });
  return all.filter((segment) => !background.includes(segment.label));
}

/** Frames in both / frames in either: for overlapping segments equal to eval.py's IoU, 0 instead of negative. */
function naiveIoU(a: NaiveSegment, b: NaiveSegment): number {
  const both = a.frames.filter((f) => b.frames.includes(f)).length;
  const either = new Set([...a.frames, ...b.frames]).size;
  return both / either;
}

function naiveMatchCounts(pred: NaiveSegment[], gt: NaiveSegment[], overlap: number) {
  const matched: boolean[] = gt.map(() => false);
  let tp = 0;
  let fp = 0;
  for (const p of pred) {
    let best = -1;
    let bestIoU = 0;
    for (let g = 0; g < gt.length; g++) {
      const iou = gt[g]!.label === p.label ? naiveIoU(p, gt[g]!) : 0;
      if (best === -1 || iou > bestIoU) {
        best = g;
        bestIoU = iou;
      }
    }
    if (best !== -1 && bestIoU >= overlap && !matched[best]) {
      matched[best] = true;
      tp++;
    } else fp++;
  }
  return { tp, fp, fn: matched.filter((m) => !m).length };
}

function naiveLevenshtein(a: string[], b: string[]): number {
  const table: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    table.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) table[i]![j] = i + j;
      else {
        const substitute = table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
        table[i]![j] = Math.min(substitute, table[i - 1]![j]! + 1, table[i]![j - 1]! + 1);
      }
    }
  }
  return table[a.length]![b.length]!;
}

function naiveMetrics(videos: LabelledVideo[], background: string[]) {
  const overlaps = [0.1, 0.25, 0.5];
  const totals = overlaps.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  let correct = 0;
  let frames = 0;
  let editSum = 0;
  const perVideo = videos.map((v) => {
    const gt = naiveSegments(v.gt, background);
    const pred = naiveSegments(v.pred, background);
    const counts = overlaps.map((overlap) => naiveMatchCounts(pred, gt, overlap));
    counts.forEach((c, k) => {
      totals[k]!.tp += c.tp;
      totals[k]!.fp += c.fp;
      totals[k]!.fn += c.fn;
    });
    let videoCorrect = 0;
    for (let f = 0; f < v.gt.length; f++) if (v.gt[f] === v.pred[f]) videoCorrect++;
    correct += videoCorrect;
    frames += v.gt.length;
    const longest = Math.max(gt.length, pred.length);
    const distance = naiveLevenshtein(
      pred.map((s) => s.label),
      gt.map((s) => s.label),
    );
    const edit = longest === 0 ? NaN : 100 - (100 * distance) / longest;
    editSum += edit;
    return { counts, edit, acc: (100 * videoCorrect) / v.gt.length };
  });
  const f1 = totals.map(({ tp, fp, fn }) => (tp === 0 ? 0 : (200 * tp) / (2 * tp + fp + fn)));
  return { totals, f1, edit: editSum / videos.length, acc: (100 * correct) / frames, perVideo };
}

/** Uniform values in [0, 1) from the project's seeded generator, so every run sees the same inputs. */
function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uniform();
}

/** Ground truth as runs of random labels; the prediction a noisy copy (shifted boundaries, flipped and split runs). */
function randomVideo(random: () => number, index: number): LabelledVideo {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const labels = ['bg', 'a', 'b', 'c', 'd', 'e'].slice(0, 1 + Math.ceil(random() * 5));
  const length = 1 + Math.floor(random() * 80);
  const gt: string[] = [];
  while (gt.length < length) {
    const label = pick(labels);
    const run = 1 + Math.floor(random() * 15);
    for (let i = 0; i < run && gt.length < length; i++) gt.push(label);
  }
  const shift = Math.floor(random() * 5) - 2;
  const pred = gt.map((_, f) => gt[Math.min(length - 1, Math.max(0, f + shift))]!);
  const noise = random() * 0.3;
  for (let f = 0; f < length; f++) {
    if (random() < noise) {
      const label = pick(labels);
      const run = 1 + Math.floor(random() * 4);
      for (let i = f; i < Math.min(length, f + run); i++) pred[i] = label;
    }
  }
  return { name: `video${index}`, gt, pred };
}

function expectSame(actual: number, expected: number): void {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(actual).toBeCloseTo(expected, 9);
}

describe('segmentationMetrics against a naive re-derivation', () => {
  const random = seededRandom(20261129);
  const videos = Array.from({ length: 200 }, (_, i) => randomVideo(random, i));

  for (const background of [[], ['bg']]) {
    it(`agrees per video and on groups of videos (background: ${background.join(',') || 'none'})`, () => {
      for (let start = 0; start < videos.length; start += 8) {
        const group = videos.slice(start, start + 8);
        const fast = segmentationMetrics(group, { background });
        const naive = naiveMetrics(group, background);
        fast.f1.forEach((score, k) => {
          expect({ tp: score.tp, fp: score.fp, fn: score.fn }).toEqual(naive.totals[k]);
          expectSame(score.f1, naive.f1[k]!);
        });
        expectSame(fast.edit, naive.edit);
        expectSame(fast.acc, naive.acc);
        fast.perVideo.forEach((v, i) => {
          const n = naive.perVideo[i]!;
          expect(v.f1.map(({ tp, fp, fn }) => ({ tp, fp, fn }))).toEqual(n.counts);
          expectSame(v.edit, n.edit);
          expectSame(v.acc, n.acc);
        });
      }
    });
  }

  it('exercises true positives, false positives, misses and background-only videos', () => {
    const fast = segmentationMetrics(videos, { background: ['bg'] });
    const [at10, , at50] = fast.f1;
    expect(at10!.tp).toBeGreaterThan(100);
    expect(at50!.fp).toBeGreaterThan(100);
    expect(at50!.fn).toBeGreaterThan(100);
    expect(fast.perVideo.some((v) => v.gtSegments === 0)).toBe(true);
    expect(fast.perVideo.some((v) => v.gtSegments > 5 && v.f1_50 > 0 && v.f1_50 < 100)).toBe(true);
  });
});
