// Drawing the sync check strip: a heatmap of cross-view similarity over time (x) and candidate offsets (y, the exo
// view's absolute offset, largest at the top), and beside it the mean-by-offset curve, with the current and the
// suggested offsets marked across both. Colours run from dark blue (least similar) to yellow (most), viridis-like.
import type { SyncProfile } from '../../../../../contract/api';

/** Viridis at five stops (matplotlib's colormap), interpolated linearly between them. */
const viridis: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of `value` on a scale from `min` to `max` (a flat scale shows the middle colour). */
export function similarityColor(value: number, min: number, max: number): [number, number, number] {
  const unit = max > min ? Math.max(0, Math.min(1, (value - min) / (max - min))) : 0.5;
  const position = unit * (viridis.length - 1);
  const low = Math.min(viridis.length - 2, Math.floor(position));
  const mix = position - low;
  const a = viridis[low]!;
  const b = viridis[low + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * mix)) as [number, number, number];
}

/** Smallest and largest similarity in the profile. */
export function similarityRange(similarity: readonly (readonly number[])[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const row of similarity) for (const value of row) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/** Row of candidate `relativeOffset` from the top of the strip (largest offset on top), or null when outside. */
export function offsetRow(offsets: readonly number[], relativeOffset: number): number | null {
  const index = offsets.indexOf(relativeOffset);
  return index < 0 ? null : offsets.length - 1 - index;
}

export interface StripMarks {
  /** The exo view's offset the profile was computed at (its row is relative offset 0). */
  baseOffset: number;
  /** The exo view's offset as applied now. */
  currentOffset: number;
}

export const markColors = { current: '#ffffff', suggested: '#ff5f87' } as const;

function markRow(ctx: CanvasRenderingContext2D, y: number, width: number, color: string, dashed: boolean): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(dashed ? [4, 3] : []);
  ctx.beginPath();
  ctx.moveTo(0, y);
  ctx.lineTo(width, y);
  ctx.stroke();
  ctx.restore();
}

function canvasSize(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; width: number; height: number } | null {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

/** The heatmap: one cell per (time bin, candidate offset), then the offset marks. */
export function drawHeatmap(canvas: HTMLCanvasElement, profile: SyncProfile, marks: StripMarks): void {
  const sized = canvasSize(canvas);
  if (!sized) return;
  const { ctx, width, height } = sized;
  const rows = profile.offsets.length;
  const bins = profile.binFrames.length;
  const { min, max } = similarityRange(profile.similarity);
  const cells = new OffscreenCanvas(Math.max(1, bins), Math.max(1, rows));
  const cellsCtx = cells.getContext('2d');
  if (!cellsCtx) return;
  const image = cellsCtx.createImageData(Math.max(1, bins), Math.max(1, rows));
  profile.similarity.forEach((row, o) => {
    const y = rows - 1 - o;
    row.forEach((value, b) => {
      const [r, g, bl] = similarityColor(value, min, max);
      const at = (y * bins + b) * 4;
      image.data.set([r, g, bl, 255], at);
    });
  });
  cellsCtx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(cells, 0, 0, width, height);
  drawMarks(ctx, profile, marks, width, height);
}

/** The mean similarity per candidate offset, as a curve running down beside the heatmap (same rows). */
export function drawMeanCurve(canvas: HTMLCanvasElement, profile: SyncProfile, marks: StripMarks): void {
  const sized = canvasSize(canvas);
  if (!sized) return;
  const { ctx, width, height } = sized;
  ctx.clearRect(0, 0, width, height);
  const rows = profile.offsets.length;
  const { min, max } = similarityRange([profile.meanByOffset]);
  const rowHeight = height / rows;
  ctx.strokeStyle = '#5aa9e6';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  profile.meanByOffset.forEach((value, o) => {
    const x = 2 + (max > min ? (value - min) / (max - min) : 0.5) * (width - 4);
    const y = (rows - 1 - o + 0.5) * rowHeight;
    if (o === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  drawMarks(ctx, profile, marks, width, height);
}

function drawMarks(ctx: CanvasRenderingContext2D, profile: SyncProfile, marks: StripMarks, width: number, height: number): void {
  const rowHeight = height / profile.offsets.length;
  const centre = (row: number) => (row + 0.5) * rowHeight;
  const suggested = offsetRow(profile.offsets, profile.suggestedOffset - marks.baseOffset);
  const current = offsetRow(profile.offsets, marks.currentOffset - marks.baseOffset);
  if (suggested !== null) markRow(ctx, centre(suggested), width, markColors.suggested, false);
  if (current !== null) markRow(ctx, centre(current), width, markColors.current, true);
}
