// A sync offset typed into a tile: a whole number of frames within the range that still shows some of the scene, or
// a sentence saying why not (shown beside the field; nothing is sent).

export type OffsetInput = { value: number } | { error: string };

/** Decimal numbers, optionally signed, with an optional exponent ("12", "-3", "1e3"); a typographic minus counts. */
const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** `text` as an offset of at most `limit` frames either way (an offset that large shows nothing of the scene). */
export function parseOffset(text: string, limit: number): OffsetInput {
  const trimmed = text.trim().replace('−', '-');
  if (!numberPattern.test(trimmed)) return { error: `“${text.trim()}” is not a number of frames: type a whole number such as 3 or -12` };
  const value = Number(trimmed);
  if (!Number.isInteger(value)) return { error: `${trimmed} is not a whole number of frames: offsets move a view by whole frames` };
  if (Math.abs(value) > limit) return { error: `${trimmed} frames is out of range: at most ±${limit} (the scene's length), or the view shows nothing of it` };
  return { value: value + 0 };
}
