// Ruler ticks for the shared timeline's visible range: a "nice" step that keeps labels at least a minimum width
// apart — whole seconds and minutes when zoomed out, frames within each second when zoomed in (labelled "+05f", as
// the clock writes frames after the second).

const niceSeconds = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
const niceFrames = [1, 2, 5, 10];

export interface Tick {
  frame: number;
  /** "m:ss" on whole seconds, "+ffF" on frames within a second. */
  label: string;
}

function secondLabel(second: number): string {
  return `${Math.floor(second / 60)}:${String(second % 60).padStart(2, '0')}`;
}

/** Ticks of the frames [startFrame, endFrame] shown on a ruler `widthPx` wide, at least `minSpacingPx` apart. */
export function timelineTicks(startFrame: number, endFrame: number, fps: number, widthPx: number, minSpacingPx = 64): Tick[] {
  if (widthPx <= 0 || endFrame <= startFrame || fps <= 0) return [];
  const pxPerFrame = widthPx / (endFrame - startFrame);
  const inView = (frame: number) => frame >= startFrame - 1e-9 && frame <= endFrame + 1e-9;
  const ticks: Tick[] = [];
  const frameStep = niceFrames.find((step) => step < fps && step * pxPerFrame >= minSpacingPx);
  if (frameStep !== undefined) {
    // Counted from each second, so every second is a tick whatever the step.
    for (let second = Math.max(0, Math.floor(startFrame / fps)); second * fps <= endFrame; second++) {
      const first = Math.round(second * fps);
      const next = Math.round((second + 1) * fps);
      for (let frame = first; frame < next; frame += frameStep) {
        if (frame > first && next - frame < frameStep / 2) break; // too close to the next second's label
        if (inView(frame)) ticks.push({ frame, label: frame === first ? secondLabel(second) : `+${String(frame - first).padStart(2, '0')}f` });
      }
    }
    return ticks;
  }
  const step = niceSeconds.find((s) => s * fps * pxPerFrame >= minSpacingPx) ?? niceSeconds[niceSeconds.length - 1]!;
  for (let i = Math.max(0, Math.ceil(startFrame / fps / step)); i * step * fps <= endFrame + 1e-9; i++) {
    ticks.push({ frame: Math.round(i * step * fps), label: secondLabel(i * step) });
  }
  return ticks;
}
