// The arithmetic of keeping a group of <video> elements on one master clock: where each view's video should be for a
// scene frame, and how hard to nudge its playbackRate toward that. Plain functions so they can be tested without a
// browser. Measured in Chromium: play() on each video leaves them about a frame apart for good, hard seeks cannot
// get below about a frame, and a rate nudge proportional to the error (capped at ±10 %) converges to well under one.

/** Proportional gain: a video this many seconds behind plays faster by error / gain, up to the cap. */
export const rateCorrectionSeconds = 0.5;
/** Largest relative change of a video's playbackRate (±10 %), so the nudge never shows as a speed change. */
export const maxRateCorrection = 0.1;
/** Errors larger than this (after a scrub, a stall) are fixed with a seek instead of a rate nudge. */
export const hardSeekSeconds = 0.3;

/** The view frame showing scene frame `sceneFrame`: scene time t is the view's frame t + offset. */
export function viewFrame(sceneFrame: number, offsetFrames: number): number {
  return sceneFrame + offsetFrames;
}

/**
 * The currentTime that shows whole scene frame `sceneFrame` in a view when paused or stepping. Half a frame in, so
 * the decoder never lands on the previous frame's boundary (setting n/fps showed frame n−1 about a third of the time).
 */
export function parkedTime(sceneFrame: number, offsetFrames: number, fps: number): number {
  return (Math.round(sceneFrame) + offsetFrames + 0.5) / fps;
}

/** The currentTime a playing view should be at when the master clock stands at (fractional) `sceneFrame`. */
export function playingTime(sceneFrame: number, offsetFrames: number, fps: number): number {
  return (sceneFrame + offsetFrames) / fps;
}

export type Correction = { kind: 'rate'; playbackRate: number } | { kind: 'seek'; currentTime: number };

/**
 * What to do with a playing video that is at `currentTime` while the clock wants `target` (seconds), at the clock's
 * speed `rate`: a seek for a large error, otherwise a playbackRate that closes the error in about
 * `rateCorrectionSeconds`, capped at ±`maxRateCorrection` of the clock's speed.
 */
export function correction(currentTime: number, target: number, rate: number): Correction {
  const error = currentTime - target;
  if (Math.abs(error) > hardSeekSeconds * Math.max(1, rate)) return { kind: 'seek', currentTime: target };
  const relative = Math.max(-maxRateCorrection, Math.min(maxRateCorrection, -error / rateCorrectionSeconds));
  return { kind: 'rate', playbackRate: rate * (1 + relative) };
}

/** Clamps a frame into [0, totalFrames − 1]. */
export function clampFrame(frame: number, totalFrames: number): number {
  return Math.max(0, Math.min(Math.max(0, totalFrames - 1), frame));
}

/** Playback speeds the clock offers, slowest first. */
export const playbackRates = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** The next offered speed up (+1) or down (−1) from `rate`, staying at the ends. */
export function nextRate(rate: number, direction: 1 | -1): number {
  if (direction > 0) return playbackRates.find((r) => r > rate + 1e-9) ?? playbackRates[playbackRates.length - 1]!;
  return [...playbackRates].reverse().find((r) => r < rate - 1e-9) ?? playbackRates[0];
}

/** "m:ss.ff" for a frame at `fps` (frames within the second after the dot). */
export function formatFrameTime(frame: number, fps: number): string {
  const whole = Math.max(0, Math.round(frame));
  const seconds = Math.floor(whole / fps);
  const rest = whole - seconds * fps;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}.${String(rest).padStart(2, '0')}`;
}
