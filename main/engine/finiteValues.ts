// NaN and ±Infinity in weights and inputs, found before they are used: one NaN in a weight or an input frame makes
// every embedding it touches NaN, and a run or evaluation would go on and report nonsense. Errors name the tensor
// or the clip, frame and feature.
import { ArgumentError } from '../../contract/errors';

/** Index of the first NaN or ±Infinity in `values`, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) return i;
  }
  return -1;
}

function shown(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** Throws ArgumentError naming the tensor and index of its first non-finite value. */
export function checkFiniteTensor(values: ArrayLike<number>, shape: readonly number[], what: string): void {
  const i = firstNonFinite(values);
  if (i >= 0) throw new ArgumentError(`${what}: holds ${shown(values[i]!)} at index ${i} (shape [${shape.join(', ')}]): expected finite values`);
}

/**
 * Throws ArgumentError naming the clip (by `clipName`, default `clip <index>`), frame and feature of the first
 * non-finite value of row-major clips [B, T, F].
 */
export function checkFiniteClips(
  data: ArrayLike<number>,
  shape: readonly [number, number, number] | readonly number[],
  what: string,
  clipName: (clip: number) => string = (clip) => `clip ${clip}`,
): void {
  const i = firstNonFinite(data);
  if (i < 0) return;
  const [, tokens, dim] = shape as [number, number, number];
  const clip = Math.floor(i / (tokens * dim));
  const frame = Math.floor((i % (tokens * dim)) / dim);
  throw new ArgumentError(`${what}: ${clipName(clip)} holds ${shown(data[i]!)} at frame ${frame}, feature ${i % dim}: expected finite features`);
}
