// Ruler ticks for the shared timeline: a "nice" step in seconds that keeps labels at least a minimum width apart.

const niceSteps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

export interface Tick {
  frame: number;
  /** "m:ss" (or "m:ss.5" for half seconds). */
  label: string;
}

/** Ticks every nice number of seconds, at least `minSpacingPx` apart on a ruler `widthPx` wide. */
export function timelineTicks(totalFrames: number, fps: number, widthPx: number, minSpacingPx = 64): Tick[] {
  if (widthPx <= 0 || totalFrames <= 0 || fps <= 0) return [];
  const seconds = totalFrames / fps;
  const step = niceSteps.find((s) => (s / seconds) * widthPx >= minSpacingPx) ?? niceSteps[niceSteps.length - 1]!;
  const ticks: Tick[] = [];
  for (let i = 0; i * step <= seconds; i++) {
    const t = i * step;
    const whole = Math.floor(t);
    const label = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}${t > whole ? '.5' : ''}`;
    ticks.push({ frame: Math.round(t * fps), label });
  }
  return ticks;
}
