// The arithmetic of keeping a group of <video> elements on one master clock: where each view's video should be for a
// scene frame, how hard to nudge its playbackRate toward that, and whether what it *presents* goes on screen with the
// clock's frame changes. Plain functions so they can be tested without a browser. Measured in
// Chromium: play() on each video leaves them about a frame apart for good, hard seeks cannot get below about a frame,
// and a rate nudge proportional to the error (capped at ±10 %) brings currentTime to well under one. But currentTime
// is not what is on screen: Chromium's renderer (media/filters/video_renderer_algorithm.cc) shows each frame for a
// fixed cadence of display refreshes once it finds one, and keeps that cadence while the frame stays within half a
// frame of its ideal time, so two videos whose currentTime agree to a millisecond can show their frames a whole
// refresh apart for good (measured on the demo: three of 12 views one refresh late for seconds, views a frame apart
// on screen in half the refreshes). Moving such a video's media time does not help: measured, it moves what the video
// shows by whole frames and keeps the refresh on which its frames change. A seek does: the renderer starts its frame
// schedule afresh. So requestVideoFrameCallback tells the clock when each frame goes on screen; the clock keeps its
// frame changes on the display refreshes (so that no refresh is a coin flip between two frames), starts all
// videos together, and re-seats (seeks) a video whose frames keep going on screen a refresh before or after the
// clock's frame changes.

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

/**
 * At a display refresh, how far the clock's nearest frame change is from it, in refreshes, in [−0.5, 0.5] (positive:
 * the change came before the refresh); null at a refresh more than half a refresh from any change, and when a refresh
 * is a frame or longer (frames then change on every refresh whatever the phase). Chromium's renderer shows, for each
 * refresh, the frame that covers most of the interval from that refresh to the next (video_renderer_algorithm.cc
 * "coverage"); a frame change midway between refreshes makes that a coin flip decided by a millisecond of media
 * time (measured: views split into two groups a refresh apart, and the split wandered). The clock keeps this near 0,
 * so every interval between refreshes lies within one frame and a view may be half a refresh off and still show it.
 */
export function clockPhaseError(sceneFrame: number, refresh: number): number | null {
  if (!(refresh > 0 && refresh < 1)) return null;
  const intoFrame = sceneFrame - Math.floor(sceneFrame);
  const error = (intoFrame < 0.5 ? intoFrame : intoFrame - 1) / refresh;
  return Math.abs(error) <= 0.5 ? error : null;
}

/**
 * Whether a view shows its frames when the clock says: `phase` is the clock's scene position when a frame first went
 * on screen minus the scene frame it shows, 0 for a view on the clock (the clock's frame changes fall on refreshes,
 * clockPhaseError). A view whose frames go on screen a refresh before or after that is early or late (refresh: one
 * display interval in frames); one further off than a refresh and a half has stalled (its decoder fell behind),
 * which mends itself unless it lasts.
 */
export function presentationTiming(phase: number, refresh: number): 'early' | 'on-time' | 'late' | 'stalled' {
  if (Math.abs(phase) >= 1.5 * refresh) return 'stalled';
  if (phase < -refresh / 2) return 'early';
  return phase < refresh / 2 ? 'on-time' : 'late';
}

/**
 * Where more than half of the views show their frames, in whole refreshes off the clock (in frames; 0 when on it or
 * when no such majority is off it): `phases` as for presentationTiming, one per view. Chromium's renderer keeps the
 * frame cadence it set when playing started, so all views can show their frames a refresh after the clock's change:
 * the clock then moves to them, rather than every view being re-seated to it.
 */
export function majorityPhase(phases: readonly number[], refresh: number): number {
  const counts = new Map<number, number>();
  for (const phase of phases) {
    const refreshes = Math.round(phase / refresh);
    counts.set(refreshes, (counts.get(refreshes) ?? 0) + 1);
  }
  for (const [refreshes, count] of counts) if (refreshes !== 0 && 2 * count > phases.length) return refreshes * refresh;
  return 0;
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

/** A frame as whole seconds and the frames after them: `frame` at `fps` is `seconds` s + `frames` frames. */
export function frameTime(frame: number, fps: number): { minutes: number; seconds: number; frames: number } {
  const whole = Math.max(0, Math.round(frame));
  const totalSeconds = Math.floor(whole / fps);
  const frames = Math.max(0, Math.round(whole - totalSeconds * fps));
  return { minutes: Math.floor(totalSeconds / 60), seconds: totalSeconds % 60, frames };
}

/**
 * "m:ss +ffF" for a frame at `fps`: whole seconds, then the frames after them marked as frames ("0:06 +02f" is
 * 6 s and 2 frames), so it never reads as hundredths of a second.
 */
export function formatFrameTime(frame: number, fps: number): string {
  const { minutes, seconds, frames } = frameTime(frame, fps);
  return `${minutes}:${String(seconds).padStart(2, '0')} +${String(frames).padStart(2, '0')}f`;
}

/** The same in words, for a tooltip: "6 s + 2 frames at 15 fps". */
export function describeFrameTime(frame: number, fps: number): string {
  const { minutes, seconds, frames } = frameTime(frame, fps);
  return `${minutes > 0 ? `${minutes} min ` : ''}${seconds} s + ${frames} ${frames === 1 ? 'frame' : 'frames'} at ${fps} fps`;
}
