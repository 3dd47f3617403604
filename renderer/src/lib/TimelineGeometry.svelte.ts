// Where frames lie on the shared timeline under the video grid: the ruler and every layer row (annotation segments,
// sampling windows) share one horizontal scale, measured from the left edge of the rows' drawing area. The scale
// shows a visible range of the scene (all of it, or a zoomed-in part): zoom keeps the frame under the pointer in
// place, panning never leaves the scene, and the playhead can be kept in view.
import { clampFrame } from './videoSync';

/** The narrowest visible range, in frames: about the width at which single frames are easy to hit. */
export const minVisibleFrames = 10;
/** How far one zoom step (a button, a key) zooms. */
export const zoomStep = 1.5;

export class TimelineGeometry {
  /** Width in px of the drawing area (set by the timeline as it is laid out). */
  width = $state(0);
  /** The first visible frame (fractional). */
  start = $state(0);
  /** How many frames the drawing area shows. */
  span = $state(1);
  readonly totalFrames: number;
  readonly fps: number;

  constructor(totalFrames: number, fps: number) {
    this.totalFrames = Math.max(1, totalFrames);
    this.fps = fps;
    this.span = this.totalFrames;
  }

  /** The frame at the right edge of the drawing area. */
  get end(): number {
    return this.start + this.span;
  }

  /** How many times the whole scene is magnified (1 = all of it in view). */
  get zoom(): number {
    return this.totalFrames / this.span;
  }

  get smallestSpan(): number {
    return Math.min(this.totalFrames, minVisibleFrames);
  }

  /** px from the drawing area's left edge where `frame` starts (the visible range's end lands on the right edge). */
  frameToX(frame: number): number {
    return ((frame - this.start) / this.span) * this.width;
  }

  /** The frame under `px` (fractional; clamped to the scene). */
  xToFrame(px: number): number {
    if (this.width <= 0) return 0;
    return clampFrame(this.start + (px / this.width) * this.span, this.totalFrames);
  }

  /** Magnifies by `factor` (> 1 zooms in), keeping frame `around` where it is on screen. */
  zoomBy(factor: number, around: number = this.start + this.span / 2): void {
    if (!(factor > 0)) throw new RangeError(`expected a zoom factor > 0, got ${factor}`);
    const span = Math.max(this.smallestSpan, Math.min(this.totalFrames, this.span / factor));
    const start = around - ((around - this.start) / this.span) * span;
    this.span = span;
    this.panTo(start);
  }

  /** Shows the whole scene. */
  fit(): void {
    this.span = this.totalFrames;
    this.start = 0;
  }

  /** Moves the visible range to start at `start`, within the scene. */
  panTo(start: number): void {
    this.start = Math.max(0, Math.min(this.totalFrames - this.span, start));
  }

  /** Brings `frame` into view when it is outside, placing it a tenth into the range (so playback reads ahead). */
  keepInView(frame: number): void {
    if (frame >= this.start && frame <= this.end) return;
    this.panTo(frame - this.span * 0.1);
  }
}
