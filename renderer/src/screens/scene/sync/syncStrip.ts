// Drawing the sync heat map: cross-view similarity over time (x) and candidate offsets (y, the exo view's offset,
// largest at the top), and beside it the mean-by-offset curve, with the current and the suggested offsets (from the
// scene's estimate the profile carries) marked across both; and what is under the pointer, in words. Colours run
// from dark blue (least similar) to yellow (most), viridis-like.
import type { SyncProfile, SyncSuggestion } from '../../../../../contract/api';
import { formatFrameTime } from '../../../lib/videoSync';

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

/** Rows to mark, as candidate shifts of the profile (relative to the offsets it was computed at). */
export interface StripMarks {
  /** Where the pair stands now (the exo view's shift, the ego view's own change taken off). */
  current: number;
  /** Where the scene's estimate puts the pair. */
  suggested: number;
}

const suggestionOf = (profile: SyncProfile, viewId: number): SyncSuggestion | undefined =>
  profile.estimate.suggestions.find((s) => s.viewId === viewId);

/** The exo view's catalog offset the profile was computed at: its row of shift 0. */
export function profileBase(profile: SyncProfile): number {
  return suggestionOf(profile, profile.exoViewId)?.currentOffset ?? 0;
}

/** The marks for the pair, given the offsets as applied now (`offsetOf`). */
export function pairMarks(profile: SyncProfile, offsetOf: (viewId: number) => number): StripMarks {
  const ego = suggestionOf(profile, profile.egoViewId);
  const exo = suggestionOf(profile, profile.exoViewId);
  if (!ego || !exo) return { current: 0, suggested: 0 };
  const egoMoved = (to: number) => to - ego.currentOffset;
  const exoMoved = (to: number) => to - exo.currentOffset;
  return {
    current: exoMoved(offsetOf(exo.viewId)) - egoMoved(offsetOf(ego.viewId)),
    suggested: exoMoved(exo.suggestedOffset) - egoMoved(ego.suggestedOffset),
  };
}

/** The exo offset that puts the pair at candidate `shift`, the ego view where it stands now. */
export function exoOffsetFor(profile: SyncProfile, shift: number, offsetOf: (viewId: number) => number): number {
  const ego = suggestionOf(profile, profile.egoViewId);
  return profileBase(profile) + shift + (ego ? offsetOf(ego.viewId) - ego.currentOffset : 0);
}

export interface StripCell {
  /** Index into profile.offsets. */
  offsetIndex: number;
  /** Index into profile.binFrames. */
  bin: number;
}

/** The cell under a point at fractions (fx, fy) of the heat map's width and height (top row: largest offset). */
export function cellAt(profile: SyncProfile, fx: number, fy: number): StripCell | null {
  const rows = profile.offsets.length;
  const bins = profile.binFrames.length;
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1) || rows === 0 || bins === 0) return null;
  return { offsetIndex: rows - 1 - Math.floor(fy * rows), bin: Math.floor(fx * bins) };
}

/** "v1 at +3 (shift +1) · 0:12.05 · similarity 0.213 (mean 0.101)": the cell in words. */
export function describeCell(profile: SyncProfile, cell: StripCell, exoName: string, exoOffset: number, fps: number): string {
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const shift = profile.offsets[cell.offsetIndex]!;
  const similarity = profile.similarity[cell.offsetIndex]![cell.bin]!;
  const mean = profile.meanByOffset[cell.offsetIndex]!;
  return (
    `${exoName} at ${signed(exoOffset)} (shift ${signed(shift)}) · ${formatFrameTime(profile.binFrames[cell.bin]!, fps)} · ` +
    `similarity ${similarity.toFixed(3)} (mean ${mean.toFixed(3)})`
  );
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
  const suggested = offsetRow(profile.offsets, marks.suggested);
  const current = offsetRow(profile.offsets, marks.current);
  if (suggested !== null) markRow(ctx, centre(suggested), width, markColors.suggested, false);
  if (current !== null) markRow(ctx, centre(current), width, markColors.current, true);
}
