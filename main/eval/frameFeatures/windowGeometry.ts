// Which encoder windows cover a track of N frames, for both per-frame feature methods (settings.ts). Shared by
// the differentiable tensor path and the batched frozen path, so both read exactly the same frames.
import { ArgumentError } from '../../../contract/errors';

/** A 'tokens' window: frames [start, start + T) read, and the frames [ownedFrom, ownedTo) whose features it gives. */
export interface TokenWindow {
  start: number;
  ownedFrom: number;
  ownedTo: number;
}

/**
 * Windows at 0, T, 2T, … while they fit, and one more right-aligned at N − T for a remainder, which owns only the
 * frames no earlier window covers. A track shorter than T is one window at 0 (read with its last frame repeated).
 */
export function tokenWindows(frames: number, tokens: number): TokenWindow[] {
  checkCounts(frames, tokens);
  if (frames <= tokens) return [{ start: 0, ownedFrom: 0, ownedTo: frames }];
  const windows: TokenWindow[] = [];
  const full = Math.floor(frames / tokens);
  for (let w = 0; w < full; w++) windows.push({ start: w * tokens, ownedFrom: w * tokens, ownedTo: (w + 1) * tokens });
  if (full * tokens < frames) windows.push({ start: frames - tokens, ownedFrom: full * tokens, ownedTo: frames });
  return windows;
}

/**
 * 'sliding-cls' centres 0, s, 2s, … up to the first one at or past the last frame, so every frame lies between
 * two centres (or on one). The window of centre c reads frames c − ⌊T/2⌋ … c − ⌊T/2⌋ + T − 1, clamped to the track.
 */
export function slidingCentres(frames: number, stride: number): number[] {
  checkCounts(frames, 1);
  if (!Number.isInteger(stride) || stride < 1) throw new ArgumentError(`expected stride >= 1, got ${stride}`);
  const count = Math.ceil((frames - 1) / stride) + 1;
  return Array.from({ length: count }, (_, k) => k * stride);
}

/** First frame a sliding window centred on `centre` reads (may be negative: clamped when read). */
export function slidingWindowStart(centre: number, tokens: number): number {
  return centre - Math.floor(tokens / 2);
}

/** Weight of the next centre for the frames j = 0 … s − 1 after a centre: j/s ('linear') or j/s rounded ('nearest'). */
export function centreWeights(stride: number, upsampling: 'nearest' | 'linear'): Float32Array {
  const weights = new Float32Array(stride);
  for (let j = 0; j < stride; j++) weights[j] = upsampling === 'linear' ? j / stride : 2 * j >= stride ? 1 : 0;
  return weights;
}

function checkCounts(frames: number, tokens: number): void {
  if (!Number.isInteger(frames) || frames < 1) throw new ArgumentError(`expected frames >= 1, got ${frames}`);
  if (!Number.isInteger(tokens) || tokens < 1) throw new ArgumentError(`expected tokens >= 1, got ${tokens}`);
}
