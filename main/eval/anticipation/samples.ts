// Anticipation samples of a scene: one per annotated segment that TempAgg's sampling keeps (τ_a = τ_s − 1 s at
// least 2 s after the first frame; snippets.ts), with its verb, object and action class indices and TempAgg's
// snippets of the features observed up to τ_a. Frames are counted from the first frame every view of the scene
// has (the authors count from the video's first frame). The compared inputs (docs/method.md: Ego, Exo, Ego+Exo) are made
// per frame from the scene's views on their shared timeline: Ego is the mean of the ego views' rows, Exo the
// mean of the exo views' rows (a choice: one input of fixed size however many cameras a scene has, and each
// sample counted once), Ego+Exo the two means concatenated, [ego mean | exo mean].
import { ArgumentError } from '../../../contract/errors';
import type { Role } from '../../../contract/api';
import { concatenateFrames, type FrameMatrix, type SceneFrameRange } from '../frameFeatures/sceneFrames';
import type { AnticipationConfig } from './config';
import { snippetFrames, tempAggSnippets, type TempAggSnippets } from './snippets';

export type AnticipationInput = 'ego' | 'exo' | 'ego+exo';

export interface AnticipationLabels {
  verb: number;
  object: number;
  action: number;
}

export interface AnticipationSample extends TempAggSnippets, AnticipationLabels {
  /** Scene and segment start, to trace a sample back. */
  scene: string;
  segmentStart: number;
}

/** A segment in scene time with its class indices. */
export interface LabelledSegment extends AnticipationLabels {
  startFrame: number;
}

/** The per-frame input of one kind from the views' rows on the shared timeline (see the header). */
export function roleFrames(views: readonly { role: Role; frames: FrameMatrix }[], input: AnticipationInput): FrameMatrix {
  const mean = (role: Role) => {
    const chosen = views.filter((v) => v.role === role).map((v) => v.frames);
    if (chosen.length === 0) throw new ArgumentError(`input '${input}' needs at least one ${role} view, got none`);
    const { frames, dim } = chosen[0]!;
    const data = new Float32Array(frames * dim);
    for (const view of chosen) {
      if (view.frames !== frames || view.dim !== dim) {
        throw new ArgumentError(`expected every ${role} view to have ${frames} × ${dim} rows, got ${view.frames} × ${view.dim}`);
      }
      for (let i = 0; i < data.length; i++) data[i] = data[i]! + view.data[i]! / chosen.length;
    }
    return { data, frames, dim };
  };
  if (input === 'ego') return mean('ego');
  if (input === 'exo') return mean('exo');
  if (input === 'ego+exo') return concatenateFrames([mean('ego'), mean('exo')]);
  throw new ArgumentError(`expected input to be one of 'ego', 'exo', 'ego+exo', got ${JSON.stringify(input)}`);
}

/**
 * The samples of one scene: `frames` covers scene times [range.start, range.end); a segment yields a sample when
 * it starts inside that range and TempAgg's sampling keeps it.
 */
export function anticipationSamples(
  scene: string,
  frames: FrameMatrix,
  range: SceneFrameRange,
  segments: readonly LabelledSegment[],
  config: AnticipationConfig,
): AnticipationSample[] {
  if (frames.frames !== range.end - range.start) {
    throw new ArgumentError(`scene ${scene}: expected ${range.end - range.start} frames for range [${range.start}, ${range.end}), got ${frames.frames}`);
  }
  const samples: AnticipationSample[] = [];
  for (const segment of segments) {
    if (segment.startFrame < range.start || segment.startFrame >= range.end) continue;
    const chosen = snippetFrames(segment.startFrame - range.start, config);
    if (chosen === undefined) continue;
    samples.push({
      scene,
      segmentStart: segment.startFrame,
      verb: segment.verb,
      object: segment.object,
      action: segment.action,
      ...tempAggSnippets(frames, chosen, config.pooling),
    });
  }
  return samples;
}
