// One feature track on disk (.npy, or a PyTorch .pt tensor as Ego-Exo4D ships them; float32 or float16) read a
// block of rows at a time with positioned reads, whether the matrix is stored frame-major ([T, F], each row's
// features contiguous) or feature-major ([F, T], as Assembly101's `features.npy` [2048, T]; also a Fortran-order
// [T, F]). A row is one frame, or one window of frames for a windowed track (featureWindows.ts).
//
// Cost of the feature-major layout: the F values of one frame lie T values apart, so frames [t0, t1) take F
// positioned reads of (t1 - t0) values each (2048 reads per block for Assembly101) instead of one read of
// (t1 - t0)·F values, plus a transpose; the bytes read are the same. The reads are syscall-bound: measured on
// a warm page cache (F = 2048, float16, T = 18000), about 7 ms per uncached 40-frame clip against 0.8 ms
// frame-major. Whole blocks of frames (FeatureStore's blockFrames) are read and cached so the cost is paid once
// per block; writeFrameMajorCopy converts a track once where that is still too slow.
import { readSync } from 'node:fs';
import { decodeFloat16 } from '../formats/float16';
import { bytesPerValue, type NpyDtype } from '../formats/npy';
import { readFeatureFileMatrix } from './featureFile';
import type { FeatureWindows } from './featureWindows';

/** How a track file's 2-D shape is read: [frames, features] ('TF') or [features, frames] ('FT'). */
export type FeatureLayout = 'TF' | 'FT';

/** A frame range outside a track, or a read that came back short; the message names the track and its file. */
export class FeatureReadError extends Error {
  override name = 'FeatureReadError';
}

/** The header facts of a feature track file: enough to read any frame range without the file being open. */
export interface FeatureTrackFile {
  trackId: number;
  path: string;
  layout: FeatureLayout;
  dtype: NpyDtype;
  frames: number;
  dim: number;
  /** Byte offset of the first value. */
  dataOffset: number;
  /** Whether one feature's values over time are contiguous on disk (the strided case for frame reads). */
  featureMajor: boolean;
  /**
   * Set for a windowed track: `frames` counts video frames and the file holds windowCount(frames, windows) rows,
   * one per window (always frame-major). Unset: one row per frame.
   */
  windows?: FeatureWindows;
}

/** Reads the header of `path` and checks it against what the catalog says about the track. */
export function describeFeatureTrack(
  trackId: number,
  path: string,
  layout: FeatureLayout,
  expectedDtype?: NpyDtype,
): FeatureTrackFile {
  const header = readFeatureFileMatrix(path);
  const { rows, cols } = header;
  if (expectedDtype !== undefined && header.dtype !== expectedDtype) {
    throw new FeatureReadError(`track ${trackId} (${path}): expected dtype ${expectedDtype}, file holds ${header.dtype}`);
  }
  const [frames, dim] = layout === 'TF' ? [rows, cols] : [cols, rows];
  // A Fortran-order [T, F] is stored as a C-order [F, T], and vice versa.
  const featureMajor = (layout === 'FT') !== header.fortranOrder;
  return { trackId, path, layout, dtype: header.dtype, frames, dim, dataOffset: header.dataOffset, featureMajor };
}

/** Rows [start, end) of the track's file (frames, unless it is windowed) as a row-major [end - start, dim] Float32Array, read from the open `fd`. */
export function readTrackFrames(track: FeatureTrackFile, fd: number, start: number, end: number): Float32Array {
  const block = readTrackBlock(track, fd, start, end);
  if (block instanceof Float32Array) return block;
  const out = new Float32Array(block.length);
  decodeFloat16(block, out);
  return out;
}

/**
 * Frames [start, end) as stored, row-major [end - start, dim]: float32 values, or float16 bit patterns (a Uint16Array,
 * half the memory of decoded values; FeatureStore caches blocks so and decodes the rows it hands out).
 */
export function readTrackBlock(track: FeatureTrackFile, fd: number, start: number, end: number): Float32Array | Uint16Array {
  const count = end - start;
  const width = bytesPerValue(track.dtype);
  const values = (length: number) => (track.dtype === 'float32' ? new Float32Array(length) : new Uint16Array(length));
  if (!track.featureMajor) {
    const out = values(count * track.dim);
    readInto(track, fd, new Uint8Array(out.buffer), track.dataOffset + start * track.dim * width);
    return out;
  }
  const out = values(count * track.dim);
  const run = values(count);
  const runBytes = new Uint8Array(run.buffer);
  for (let f = 0; f < track.dim; f++) {
    readInto(track, fd, runBytes, track.dataOffset + (f * track.frames + start) * width);
    for (let t = 0; t < count; t++) out[t * track.dim + f] = run[t]!;
  }
  return out;
}

function readInto(track: FeatureTrackFile, fd: number, buffer: Uint8Array, position: number): void {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) {
      throw new FeatureReadError(`track ${track.trackId} (${track.path}): file ended at byte ${position + done} while reading`);
    }
    done += n;
  }
}
