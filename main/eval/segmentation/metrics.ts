// Temporal action segmentation metrics, computed as the MS-TCN evaluation script computes them
// (github.com/yabufarha/ms-tcn, eval.py, itself adapted from Lea et al.'s TemporalConvolutionalNetworks metrics.py):
// F1@{10,25,50}, Edit and frame accuracy, in percent (docs/method.md, "Evaluation").
//
// What eval.py does, and what is matched here:
// - Segments are maximal runs of one label; runs of a background label are dropped, so `A bg A` is two A segments.
//   A segment is [start, end) in frames, end exclusive.
// - IoU of two segments is (min(ends) − max(starts)) / (max(ends) − min(starts)), with no +1: adjacent segments
//   have IoU 0, and disjoint ones a negative IoU.
// - F1 matching is greedy over the predicted segments in time order: each takes the ground-truth segment with the
//   highest IoU among ALL ground-truth segments, scoring segments of another label as 0, the first one on a tie.
//   It is a true positive if that IoU ≥ the overlap and that segment is not matched yet; otherwise a false
//   positive, even when another, still unmatched segment would pass the overlap (docs/method.md's "the unmatched
//   segment with the highest IoU" words this loosely; eval.py's argmax runs over matched segments too).
//   FN = ground-truth segments never matched.
// - TP, FP and FN are summed over all videos, and F1 is computed once from the sums:
//   precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2·precision·recall/(precision+recall), no epsilon; a 0/0
//   becomes 0 (numpy's nan_to_num), so F1 is 0 whenever TP is 0, including when there are no segments at all.
// - Edit = (1 − Levenshtein(predicted labels, true labels) / max(lengths)) × 100 on the segment label sequences,
//   averaged over videos. Both sequences empty (only background) is 0/0: eval.py yields NaN, and so does this,
//   for that video and for the average (callers can tell which videos were empty from `perVideo`).
// - Accuracy counts every frame, background included: 100 · correct frames / all frames.
// Where eval.py crashes, this decides: a video without ground-truth segments (only background) makes every
// predicted segment a false positive (eval.py's argmax over an empty array raises), and empty videos or
// prediction lengths different from the ground truth's are argument errors.
// Avg is the mean of F1@10, F1@25, F1@50, Edit and Acc.
import { ArgumentError } from '../../../contract/errors';

/** One video's frame labels: ground truth and prediction, one label per frame. */
export interface LabelledVideo {
  name: string;
  gt: readonly string[];
  pred: readonly string[];
}

export interface SegmentationMetricsOptions {
  /** Labels whose segments F1 and Edit ignore (eval.py's bg_class). Default: none, as for Assembly101. */
  background?: readonly string[];
  /** IoU thresholds of the `f1` list, each in (0, 1]. Default: 0.1, 0.25, 0.5. */
  overlaps?: readonly number[];
}

/** A run of one label over frames [start, end). */
export interface Segment {
  label: string;
  start: number;
  end: number;
}

/** Segment matching counts at one IoU threshold, and the F1 (percent) computed from them. */
export interface OverlapScore {
  overlap: number;
  tp: number;
  fp: number;
  fn: number;
  f1: number;
}

/** The five published numbers and their mean, in percent. */
export interface SegmentationScores {
  f1_10: number;
  f1_25: number;
  f1_50: number;
  edit: number;
  acc: number;
  avg: number;
}

export interface FrameAndSegmentCounts {
  frames: number;
  correctFrames: number;
  gtSegments: number;
  predSegments: number;
  /** At each requested overlap. */
  f1: OverlapScore[];
}

export interface VideoSegmentationMetrics extends SegmentationScores, FrameAndSegmentCounts {
  name: string;
}

export interface SegmentationMetrics extends SegmentationScores, FrameAndSegmentCounts {
  videos: number;
  perVideo: VideoSegmentationMetrics[];
}

export const standardOverlaps: readonly number[] = [0.1, 0.25, 0.5];

/** Maximal runs of equal labels, without the runs of background labels. */
export function labelSegments(labels: readonly string[], background: ReadonlySet<string> = new Set()): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (let frame = 1; frame <= labels.length; frame++) {
    if (frame < labels.length && labels[frame] === labels[start]) continue;
    const label = labels[start]!;
    if (!background.has(label)) segments.push({ label, start, end: frame });
    start = frame;
  }
  return segments;
}

/** eval.py's IoU: end-exclusive frames, no +1; negative for disjoint segments. */
function intersectionOverUnion(a: Segment, b: Segment): number {
  return (Math.min(a.end, b.end) - Math.max(a.start, b.start)) / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/** For each predicted segment, the ground-truth segment eval.py's argmax picks and its IoU (-1 if none exist). */
function bestMatches(pred: readonly Segment[], gt: readonly Segment[]): { index: number; iou: number }[] {
  return pred.map((p) => {
    let index = -1;
    let iou = -Infinity;
    gt.forEach((g, i) => {
      const score = g.label === p.label ? intersectionOverUnion(p, g) : 0;
      if (score > iou) {
        index = i;
        iou = score;
      }
    });
    return { index, iou };
  });
}

function countAtOverlap(matches: readonly { index: number; iou: number }[], gtCount: number, overlap: number): OverlapScore {
  const hit = new Array<boolean>(gtCount).fill(false);
  let tp = 0;
  let fp = 0;
  for (const { index, iou } of matches) {
    if (index >= 0 && iou >= overlap && !hit[index]) {
      hit[index] = true;
      tp++;
    } else fp++;
  }
  const fn = gtCount - tp;
  return { overlap, tp, fp, fn, f1: f1Percent(tp, fp, fn) };
}

/** eval.py's F1 from summed counts: precision and recall first, no epsilon, 0/0 → 0. */
export function f1Percent(tp: number, fp: number, fn: number): number {
  if (tp === 0) return 0;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return ((2 * (precision * recall)) / (precision + recall)) * 100;
}

/** Levenshtein distance between two label sequences (unit costs). */
export function levenshtein(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1] ? previous[j - 1]! : 1 + Math.min(previous[j]!, current[j - 1]!, previous[j - 1]!);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** eval.py's normalized edit score in percent; NaN when both sequences are empty (its 0/0). */
export function editScore(pred: readonly string[], gt: readonly string[]): number {
  const longest = Math.max(pred.length, gt.length);
  return longest === 0 ? NaN : (1 - levenshtein(pred, gt) / longest) * 100;
}

function scoreAt(scores: readonly OverlapScore[], overlap: number): number {
  return scores.find((s) => s.overlap === overlap)!.f1;
}

function summarize(f1: readonly OverlapScore[], edit: number, acc: number): SegmentationScores {
  const f1_10 = scoreAt(f1, 0.1);
  const f1_25 = scoreAt(f1, 0.25);
  const f1_50 = scoreAt(f1, 0.5);
  return { f1_10, f1_25, f1_50, edit, acc, avg: (f1_10 + f1_25 + f1_50 + edit + acc) / 5 };
}

function checkVideo(video: LabelledVideo, index: number): void {
  const name = `videos[${index}] (${JSON.stringify(video.name)})`;
  if (video.gt.length === 0) throw new ArgumentError(`${name}: expected at least one ground-truth frame, got 0`);
  if (video.pred.length !== video.gt.length) {
    throw new ArgumentError(`${name}: expected ${video.gt.length} predicted frames (one per ground-truth frame), got ${video.pred.length}`);
  }
}

function checkOverlaps(overlaps: readonly number[]): void {
  if (overlaps.length === 0) throw new ArgumentError('overlaps: expected at least one IoU threshold, got none');
  for (const overlap of overlaps) {
    if (!(overlap > 0 && overlap <= 1)) throw new ArgumentError(`overlaps: expected thresholds in (0, 1], got ${overlap}`);
  }
}

interface VideoCounts {
  name: string;
  frames: number;
  correctFrames: number;
  gtSegments: number;
  predSegments: number;
  edit: number;
  /** At the standard and the requested overlaps. */
  f1: OverlapScore[];
}

function countVideo(video: LabelledVideo, background: ReadonlySet<string>, overlaps: readonly number[]): VideoCounts {
  const gt = labelSegments(video.gt, background);
  const pred = labelSegments(video.pred, background);
  const matches = bestMatches(pred, gt);
  let correctFrames = 0;
  video.gt.forEach((label, frame) => {
    if (video.pred[frame] === label) correctFrames++;
  });
  return {
    name: video.name,
    frames: video.gt.length,
    correctFrames,
    gtSegments: gt.length,
    predSegments: pred.length,
    edit: editScore(
      pred.map((s) => s.label),
      gt.map((s) => s.label),
    ),
    f1: overlaps.map((overlap) => countAtOverlap(matches, gt.length, overlap)),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** F1@overlaps, Edit, accuracy and their average over `videos`, as MS-TCN's eval.py computes them (see header). */
export function segmentationMetrics(videos: readonly LabelledVideo[], options: SegmentationMetricsOptions = {}): SegmentationMetrics {
  const requested = options.overlaps ?? standardOverlaps;
  checkOverlaps(requested);
  if (videos.length === 0) throw new ArgumentError('videos: expected at least one video, got none');
  videos.forEach(checkVideo);
  const background = new Set(options.background ?? []);
  const overlaps = [...new Set([...standardOverlaps, ...requested])];
  const isRequested = (score: OverlapScore) => requested.includes(score.overlap);

  const counts = videos.map((video) => countVideo(video, background, overlaps));
  const perVideo = counts.map(
    (video): VideoSegmentationMetrics => ({
      name: video.name,
      ...summarize(video.f1, video.edit, (100 * video.correctFrames) / video.frames),
      frames: video.frames,
      correctFrames: video.correctFrames,
      gtSegments: video.gtSegments,
      predSegments: video.predSegments,
      f1: video.f1.filter(isRequested),
    }),
  );
  const f1 = overlaps.map((overlap, k): OverlapScore => {
    const tp = sum(counts.map((video) => video.f1[k]!.tp));
    const fp = sum(counts.map((video) => video.f1[k]!.fp));
    const fn = sum(counts.map((video) => video.f1[k]!.fn));
    return { overlap, tp, fp, fn, f1: f1Percent(tp, fp, fn) };
  });
  const frames = sum(counts.map((video) => video.frames));
  const correctFrames = sum(counts.map((video) => video.correctFrames));
  return {
    ...summarize(f1, sum(counts.map((video) => video.edit)) / counts.length, (100 * correctFrames) / frames),
    videos: counts.length,
    frames,
    correctFrames,
    gtSegments: sum(counts.map((video) => video.gtSegments)),
    predSegments: sum(counts.map((video) => video.predSegments)),
    f1: f1.filter(isRequested),
    perVideo,
  };
}
