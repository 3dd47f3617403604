// A scene's anticipation samples for one compared input (Ego, Exo or Ego+Exo, see samples.ts): every view of the
// roles involved is read on the views' shared timeline, turned into the compared features (raw rows for Base,
// a frozen encoder's features for EVGAP*) one view at a time, and combined per frame.
import { ArgumentError } from '../../../contract/errors';
import type { FrameReader } from '../../features/FeatureStore';
import type { SceneSource } from '../../engine/sampling/sources';
import type { PreparedFrameInput } from '../frameFeatures/frameFeatureInputs';
import { readViewFrames, sharedSceneFrames } from '../frameFeatures/sceneFrames';
import type { AnticipationConfig } from './config';
import { anticipationSamples, roleFrames, type AnticipationInput, type AnticipationSample, type LabelledSegment } from './samples';

/** The samples of one scene for one input; `features` is a single-view prepared input (base or evgap-frozen). */
export function sceneAnticipationSamples(
  reader: FrameReader,
  scene: SceneSource,
  input: AnticipationInput,
  segments: readonly LabelledSegment[],
  features: PreparedFrameInput,
  config: AnticipationConfig,
): AnticipationSample[] {
  if (features.trainable !== undefined) {
    throw new ArgumentError(`expected fixed per-view features for anticipation (base or evgap-frozen), got input '${features.input}'`);
  }
  const roles = input === 'ego+exo' ? ['ego', 'exo'] : [input];
  const views = scene.views.filter((view) => roles.includes(view.role));
  if (views.length === 0) throw new ArgumentError(`scene ${scene.name}: input '${input}' needs ${roles.join(' and ')} views, got none`);
  const range = sharedSceneFrames(views);
  if (range.end <= range.start) return [];
  const perView = views.map((view) => ({
    role: view.role,
    frames: features.features(`${scene.name}/${view.name}`, readViewFrames(reader, view, range)),
  }));
  return anticipationSamples(scene.name, roleFrames(perView, input), range, segments, config);
}
