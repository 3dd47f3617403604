// Per-frame class indices of a scene's frames from its annotated segments (scene time, end exclusive), for the
// frames [range.start, range.end) the features cover. Frames no segment covers take the `unlabeled` class when
// one is given (e.g. a dataset's background); otherwise they are an error, since a silently invented label
// would change the metrics.
import { ArgumentError } from '../../../contract/errors';
import type { SceneFrameRange } from '../frameFeatures/sceneFrames';

export interface LabelledSpan {
  startFrame: number;
  /** Exclusive. */
  endFrame: number;
  label: string;
}

/** The class list of a set of segments: every label once, sorted, so indices do not depend on scene order. */
export function classList(segments: Iterable<LabelledSpan>, extra: readonly string[] = []): string[] {
  const labels = new Set<string>(extra);
  for (const segment of segments) labels.add(segment.label);
  return [...labels].sort();
}

/** Class index of every frame in `range` (later segments win where segments overlap). */
export function frameLabels(
  segments: readonly LabelledSpan[],
  range: SceneFrameRange,
  classes: readonly string[],
  scene: string,
  unlabeled?: string,
): Int32Array {
  const index = new Map(classes.map((name, i) => [name, i]));
  const frames = range.end - range.start;
  const labels = new Int32Array(frames).fill(-1);
  for (const segment of segments) {
    const label = index.get(segment.label);
    if (label === undefined) throw new ArgumentError(`scene ${scene}: segment label ${JSON.stringify(segment.label)} is not in the class list`);
    const from = Math.max(segment.startFrame, range.start) - range.start;
    const to = Math.min(segment.endFrame, range.end) - range.start;
    for (let t = from; t < to; t++) labels[t] = label;
  }
  const fill = unlabeled === undefined ? undefined : index.get(unlabeled);
  if (unlabeled !== undefined && fill === undefined) {
    throw new ArgumentError(`scene ${scene}: unlabeled class ${JSON.stringify(unlabeled)} is not in the class list`);
  }
  for (let t = 0; t < frames; t++) {
    if (labels[t] !== -1) continue;
    if (fill === undefined) {
      throw new ArgumentError(`scene ${scene}: frame ${range.start + t} is in no segment and no unlabeled class was given`);
    }
    labels[t] = fill;
  }
  return labels;
}
