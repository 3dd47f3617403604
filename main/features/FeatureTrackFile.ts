// One feature track on disk (.npy, float32 or float16) read a block of frames at a time with positioned reads,
// whether the matrix is stored frame-major ([T, F], each frame's features contiguous) or feature-major ([F, T],
// as Assembly101's `features.npy` [2048, T]; also a Fortran-order [T, F]).
//
// Cost of the feature-major layout: the F values of one frame lie T values apart, so frames [t0, t1) take F
// positioned reads of (t1 - t0) values each (2048 reads per block for Assembly101) instead of one read of
// (t1 - t0)·F values, plus a transpose; the bytes read are the same. The reads are syscall-bound: measured on
// a warm page cache (F = 2048, float16, T = 18000), about 7 ms per uncached 40-frame clip against 0.8 ms
// frame-major. Whole blocks of frames (FeatureStore's blockFrames) are read and cached so the cost is paid once
// per block; writeFrameMajorCopy converts a track once where that is still too slow.
import { readSync } from 'node:fs';
import { decodeFloat16 } from '../formats/float16';
import { bytesPerValue, matrixShape, readNpyHeader, type NpyDtype } from '../formats/npy';

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
}

/** Reads the header of `path` and checks it against what the catalog says about the track. */
export function describeFeatureTrack(
  trackId: number,
  path: string,
  layout: FeatureLayout,
  expectedDtype?: NpyDtype,
): FeatureTrackFile {
  const header = readNpyHeader(path);
  const [rows, cols] = matrixShape(header, path);
  if (expectedDtype !== undefined && header.dtype !== expectedDtype) {
    throw new FeatureReadError(`track ${trackId} (${path}): expected dtype ${expectedDtype}, file holds ${header.dtype}`);
  }
  const [frames, dim] = layout === 'TF' ? [rows, cols] : [cols, rows];
  // A Fortran-order [T, F] is stored as a C-order [F, T], and vice versa.
  const featureMajor = (layout === 'FT') !== header.fortranOrder;
  return { trackId, path, layout, dtype: header.dtype, frames, dim, dataOffset: header.dataOffset, featureMajor };
}

/** Frames [start, end) of the track as a row-major [end - start, dim] Float32Array, read from the open `fd`. */
export function readTrackFrames(track: FeatureTrackFile, fd: number, start: number, end: number): Float32Array {
  const count = end - start;
  const width = bytesPerValue(track.dtype);
  if (!track.featureMajor) {
    const raw = readFully(track, fd, count * track.dim * width, track.dataOffset + start * track.dim * width);
    return decode(track.dtype, raw, count * track.dim);
  }
  const out = new Float32Array(count * track.dim);
  const runBytes = count * width;
  const run = Buffer.allocUnsafeSlow(runBytes);
  const runValues = new Float32Array(count);
  for (let f = 0; f < track.dim; f++) {
    readInto(track, fd, run, track.dataOffset + (f * track.frames + start) * width);
    decodeInto(track.dtype, run, runValues);
    for (let t = 0; t < count; t++) out[t * track.dim + f] = runValues[t]!;
  }
  return out;
}

function readFully(track: FeatureTrackFile, fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(length);
  readInto(track, fd, buffer, position);
  return buffer;
}

function readInto(track: FeatureTrackFile, fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) {
      throw new FeatureReadError(`track ${track.trackId} (${track.path}): file ended at byte ${position + done} while reading`);
    }
    done += n;
  }
}

function decode(dtype: NpyDtype, raw: Buffer, count: number): Float32Array {
  const out = new Float32Array(count);
  decodeInto(dtype, raw, out);
  return out;
}

function decodeInto(dtype: NpyDtype, raw: Buffer, out: Float32Array): void {
  if (dtype === 'float32') {
    // Copy through bytes: a Buffer's offset in its pool need not be 4-byte aligned.
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(raw.subarray(0, out.byteLength));
  } else {
    decodeFloat16(new Uint16Array(raw.buffer, raw.byteOffset, out.length), out);
  }
}
