// A scene's clock settings from its views: the frame rate scene frames are counted in and how many there are.
import { sceneFps, type SceneDetail } from '../../../../../contract/api';

export interface SceneTiming {
  fps: number;
  totalFrames: number;
}

/**
 * The first view's video frame rate (else its feature rate); as many frames as the scene's longest view lasts.
 * Scene frames count in the first video's rate because the viewer steps videos, one decoded frame at a time.
 */
export function sceneTiming(detail: SceneDetail): SceneTiming {
  const tracks = detail.views.map((v) => v.track);
  const fps = sceneFps(detail.views);
  const fromDuration = Math.round(detail.scene.durationS * fps);
  const fromFrames = Math.max(0, ...tracks.map((t) => t?.frameCount ?? 0));
  return { fps, totalFrames: Math.max(1, fromDuration || fromFrames) };
}
