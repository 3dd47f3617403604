// A scene as a segmentation video: the chosen views' rows on their shared timeline (one view, or two
// concatenated per frame), turned into the compared input's features on demand, and the per-frame labels of
// the scene's segments over the same frames.
import type { FrameReader } from '../../features/FeatureStore';
import type { SceneSource, SourceView } from '../../engine/sampling/sources';
import type { PreparedFrameInput } from '../frameFeatures/frameFeatureInputs';
import { readSceneFrames, sharedSceneFrames } from '../frameFeatures/sceneFrames';
import { frameLabels, type LabelledSpan } from './frameLabels';
import type { SegmentationVideo } from './trainSegmentation';

export interface SceneVideoOptions {
  reader: FrameReader;
  scene: SceneSource;
  /** The views whose rows make each frame's input, in order (one: single-view; two: two-view). */
  views: readonly SourceView[];
  segments: readonly LabelledSpan[];
  classes: readonly string[];
  input: PreparedFrameInput;
  /** The class of frames no segment covers, if the dataset has one. */
  unlabeled?: string;
}

/** The scene's video for the segmentation head; features are read (and frozen ones computed) when first needed. */
export function sceneSegmentationVideo(options: SceneVideoOptions): SegmentationVideo {
  const { reader, scene, views, segments, classes, input, unlabeled } = options;
  const range = sharedSceneFrames(views);
  const name = `${scene.name}/${views.map((v) => v.name).join('+')}`;
  return {
    name,
    labels: frameLabels(segments, range, classes, scene.name, unlabeled),
    features: () => input.features(name, readSceneFrames(reader, views, range).frames).data,
  };
}
