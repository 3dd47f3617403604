// Where frames lie on the shared timeline under the video grid: the ruler and every layer row (annotation segments,
// sampling windows) share one horizontal scale, measured from the left edge of the rows' drawing area.
import { clampFrame } from './videoSync';

export class TimelineGeometry {
  /** Width in px of the drawing area (set by the timeline as it is laid out). */
  width = $state(0);
  readonly totalFrames: number;
  readonly fps: number;

  constructor(totalFrames: number, fps: number) {
    this.totalFrames = totalFrames;
    this.fps = fps;
  }

  /** px from the drawing area's left edge where `frame` starts (frame totalFrames lands on the right edge). */
  frameToX(frame: number): number {
    return (frame / Math.max(1, this.totalFrames)) * this.width;
  }

  /** The frame under `px` (fractional; clamped to the scene). */
  xToFrame(px: number): number {
    if (this.width <= 0) return 0;
    return clampFrame((px / this.width) * this.totalFrames, this.totalFrames);
  }
}
