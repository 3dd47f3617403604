// The time geometry of a feature track whose rows are not one per frame but one per window of frames, as Ego4D's
// and Ego-Exo4D's pre-extracted video features are (Omnivore: one feature every 16 frames of 30 fps video, each
// computed on the 32 frames [16·i, 16·i + 32); when the stride does not divide the video, the last window is
// "backed up" to end at the video's end: [n − 32, n)). Reference: Ego4D's feature documentation
// (docs/data/features.md, "Example Window Stride") and ego4d/features/extract_features.py (_num_fvs).
//
// Scene time stays in video frames — the unit of segments, sync offsets, the viewer's clock and the method's clip
// windows (w1 = 20 frames) — and a windowed track is read per frame: frame t reads the row whose window centre is
// nearest to t's centre (t + 0.5). For the regular windows that is row floor((t + 0.5 − w/2)/s + 1/2), i.e. frames
// [16·i + 8, 16·i + 24) read row i (centre 16·i + 16); the frames before the first centre's reach read row 0 and
// the backed-up last window takes the frames nearer its own centre (n − w/2) than to the previous one.
// Why nearest-centre rather than the latest window that started (floor(t / s)): a window's feature describes its
// whole span, and its centre is the moment it represents best; nearest-centre keeps the error within ±s/2 frames.

export interface FeatureWindows {
  /** Video frames between the starts of consecutive windows (rows). */
  strideFrames: number;
  /** Video frames each row's window spans. */
  windowFrames: number;
}

/** Ego-Exo4D's `omnivore_video` features: 32-frame windows every 16 frames (of 30 fps video). */
export const OMNIVORE_WINDOWS: FeatureWindows = { strideFrames: 16, windowFrames: 32 };

/** Rows a video of `frames` frames yields (a video shorter than one window still yields one, as Ego4D's does). */
export function windowCount(frames: number, windows: FeatureWindows): number {
  const { strideFrames: s, windowFrames: w } = windows;
  const beyond = frames - w;
  if (beyond <= 0) return 1;
  return Math.floor(beyond / s) + 1 + (beyond % s === 0 ? 0 : 1);
}

/** The longest video (in frames) that yields `rows` rows: the frame count to assume when only the rows are known. */
export function framesForWindowCount(rows: number, windows: FeatureWindows): number {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`expected at least one row, got ${rows}`);
  return (rows - 1) * windows.strideFrames + windows.windowFrames;
}

/** First frame of row `row`'s window in a video of `frames` frames (the last window backed up to end at `frames`). */
export function windowStart(row: number, frames: number, windows: FeatureWindows): number {
  const regular = row * windows.strideFrames;
  return row === windowCount(frames, windows) - 1 ? Math.min(regular, Math.max(0, frames - windows.windowFrames)) : regular;
}

/** The row whose window centre is nearest frame `frame`'s centre, in a video of `frames` frames. */
export function rowOfFrame(frame: number, frames: number, windows: FeatureWindows): number {
  const { strideFrames: s, windowFrames: w } = windows;
  const rows = windowCount(frames, windows);
  const time = frame + 0.5;
  let row = Math.min(rows - 1, Math.max(0, Math.floor((time - w / 2) / s + 0.5)));
  // The backed-up last window's centre lies before the regular grid's: frames near the end may be nearer to it.
  if (row === rows - 2) {
    const lastCentre = windowStart(rows - 1, frames, windows) + w / 2;
    if (Math.abs(lastCentre - time) <= Math.abs(row * s + w / 2 - time)) row = rows - 1;
  }
  return row;
}

/** Rows [first, end) that frames [start, end) of a video of `frames` frames read. */
export function rowSpan(start: number, end: number, frames: number, windows: FeatureWindows): { first: number; end: number } {
  return { first: rowOfFrame(start, frames, windows), end: rowOfFrame(end - 1, frames, windows) + 1 };
}
