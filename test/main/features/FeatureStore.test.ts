import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureStore, type FeatureTrackLocation, type FrameReader } from '../../../main/features/FeatureStore';
import { readClipInto } from '../../../main/engine/sampling/clipSampler';
import type { SourceView } from '../../../main/engine/sampling/sources';

type NpyTrackLocation = Extract<FeatureTrackLocation, { path: string }>;
import { writeFrameMajorCopy } from '../../../main/features/convertToFrameMajor';
import { FeatureReadError } from '../../../main/features/FeatureTrackFile';
import { decodeFloat16, encodeFloat16, float16BitsToFloat32 } from '../../../main/formats/float16';
import { formatNpyHeader, NpyWriter, type NpyDtype } from '../../../main/formats/npy';

const FRAMES = 300;
const DIM = 5;
let dir: string;

/** [FRAMES, DIM] values, distinct per cell. */
const matrix = Float32Array.from({ length: FRAMES * DIM }, (_, i) => Math.sin(i * 0.37) * 10 + i / 100);

/** What the file holds after storing `values` in `dtype` (float16 rounds). */
function stored(values: Float32Array, dtype: NpyDtype): Float32Array {
  if (dtype === 'float32') return values;
  const half = new Uint16Array(values.length);
  encodeFloat16(values, half);
  const out = new Float32Array(values.length);
  decodeFloat16(half, out);
  return out;
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

function writeNpy(name: string, dtype: NpyDtype, rows: number, cols: number, values: Float32Array): string {
  const file = join(dir, name);
  const writer = NpyWriter.create(file, { dtype, rows, cols });
  writer.writeRows(values);
  writer.close();
  return file;
}

const tracks = new Map<number, NpyTrackLocation>();
const resolve = (trackId: number): FeatureTrackLocation => {
  const location = tracks.get(trackId);
  if (!location) throw new Error(`no track ${trackId}`);
  return location;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-features-'));
  tracks.set(1, { path: writeNpy('tf32.npy', 'float32', FRAMES, DIM, matrix), layout: 'TF' });
  tracks.set(2, { path: writeNpy('ft32.npy', 'float32', DIM, FRAMES, transpose(matrix, FRAMES, DIM)), layout: 'FT' });
  tracks.set(3, { path: writeNpy('tf16.npy', 'float16', FRAMES, DIM, matrix), layout: 'TF', dtype: 'float16' });
  tracks.set(4, { path: writeNpy('ft16.npy', 'float16', DIM, FRAMES, transpose(matrix, FRAMES, DIM)), layout: 'FT' });
  // A Fortran-order [FRAMES, DIM]: the bytes of a C-order [DIM, FRAMES].
  const header = Buffer.from(formatNpyHeader('float32', [FRAMES, DIM]).toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1');
  const data = transpose(matrix, FRAMES, DIM);
  const fortran = join(dir, 'fortran.npy');
  writeFileSync(fortran, Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
  tracks.set(5, { path: fortran, layout: 'TF' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ranges: [number, number][] = [[0, 1], [0, 300], [10, 50], [60, 70], [63, 129], [250, 300], [299, 300]];

describe('FeatureStore', () => {
  it.each([
    [1, 'TF float32', 'float32'],
    [2, 'FT float32', 'float32'],
    [3, 'TF float16', 'float16'],
    [4, 'FT float16', 'float16'],
    [5, 'Fortran-order TF float32', 'float32'],
  ] as const)('reads frame ranges of track %i (%s) equal to the matrix rows', (trackId, _kind, dtype) => {
    const store = new FeatureStore(resolve, { blockFrames: 64 });
    const expected = stored(matrix, dtype);
    for (const [start, end] of ranges) {
      expect(store.readFrames(trackId, start, end)).toEqual(expected.slice(start * DIM, end * DIM));
    }
    expect(store.track(trackId)).toMatchObject({ frames: FRAMES, dim: DIM, dtype });
    store.close();
  });

  it.each([1, 2, 3, 4, 5])('hands out single frames of track %i in place, equal to the frame ranges', (trackId) => {
    const store = new FeatureStore(resolve, { blockFrames: 64 });
    const expected = store.readFrames(trackId, 0, FRAMES);
    for (const frame of [0, 1, 63, 64, 200, 299]) {
      const { values, offset, dim } = store.frameRow(trackId, frame);
      expect(dim).toBe(DIM);
      const row = Array.from(values.subarray(offset, offset + dim), (value) => (values instanceof Float32Array ? value : float16BitsToFloat32(value)));
      expect(row).toEqual(Array.from(expected.subarray(frame * DIM, (frame + 1) * DIM)));
    }
    expect(() => store.frameRow(trackId, FRAMES)).toThrow(FeatureReadError);
    store.close();
  });

  it.each([1, 3, 4])('resamples clips of track %i in place exactly as from copied frame ranges, linear and nearest', (trackId) => {
    const store = new FeatureStore(resolve, { blockFrames: 64 });
    const byRange: FrameReader = { readFrames: (id, start, end) => store.readFrames(id, start, end) };
    const view: SourceView = { viewId: 1, name: 'v', role: 'ego', syncOffsetFrames: 3, frameCount: FRAMES, featureDim: DIM, trackId };
    for (const mode of ['linear', 'nearest'] as const) {
      for (const [t, length] of [[0, 20], [50, 10], [60, 40], [100, 13.7], [250, 37]] as const) {
        const [inPlace, copied] = [new Float32Array(20 * DIM), new Float32Array(20 * DIM)];
        readClipInto(store, view, t, length, 20, DIM, mode, inPlace, 0);
        readClipInto(byRange, view, t, length, 20, DIM, mode, copied, 0);
        expect(inPlace).toEqual(copied);
      }
    }
    store.close();
  });

  it('keeps cached blocks within the byte budget, evicting the least recently used', () => {
    const blockBytes = 64 * DIM * 4;
    const store = new FeatureStore(resolve, { blockFrames: 64, cacheBytes: 2 * blockBytes });
    store.readFrames(1, 0, 10); // block 0
    store.readFrames(1, 70, 80); // block 1
    store.readFrames(1, 5, 6); // block 0 again: a hit, now most recent
    expect(store.stats()).toMatchObject({ hits: 1, misses: 2, blocks: 2, bytes: 2 * blockBytes, evictions: 0 });
    store.readFrames(1, 130, 140); // block 2 evicts block 1
    store.readFrames(1, 0, 1); // block 0 still there
    expect(store.stats()).toMatchObject({ hits: 2, misses: 3, evictions: 1, bytes: 2 * blockBytes });
    store.readFrames(1, 70, 71); // block 1 was evicted
    expect(store.stats().misses).toBe(4);
    for (let t = 0; t < FRAMES; t += 7) store.readFrames(1, t, t + 1);
    expect(store.stats().bytes).toBeLessThanOrEqual(2 * blockBytes);
    store.close();
  });

  it('reads without caching when a block is larger than the whole budget', () => {
    const store = new FeatureStore(resolve, { blockFrames: 64, cacheBytes: 100 });
    expect(store.readFrames(2, 3, 9)).toEqual(matrix.slice(3 * DIM, 9 * DIM));
    expect(store.stats()).toMatchObject({ bytes: 0, blocks: 0, misses: 1 });
    store.close();
  });

  it('holds at most maxOpenFiles descriptors and reopens closed tracks', () => {
    const store = new FeatureStore(resolve, { blockFrames: 16, cacheBytes: 0, maxOpenFiles: 2 });
    for (const trackId of [1, 2, 3, 4, 1, 2]) {
      expect(store.readFrames(trackId, 20, 40)).toEqual(stored(matrix, trackId >= 3 ? 'float16' : 'float32').slice(20 * DIM, 40 * DIM));
      expect(store.stats().openFiles).toBeLessThanOrEqual(2);
    }
    store.close();
    expect(store.stats().openFiles).toBe(0);
  });

  it('names the track and file of a frame range outside the track', () => {
    const store = new FeatureStore(resolve);
    expect(() => store.readFrames(2, 290, 301)).toThrow(FeatureReadError);
    expect(() => store.readFrames(2, 290, 301)).toThrow(/track 2 \(.*ft32\.npy\): expected frames 0 <= start < end <= 300, got \[290, 301\)/);
    expect(() => store.readFrames(1, -1, 3)).toThrow(/tf32\.npy/);
    expect(() => store.readFrames(1, 5, 5)).toThrow(/got \[5, 5\)/);
    store.close();
  });

  it('rejects a file whose dtype differs from the catalog, naming it', () => {
    tracks.set(6, { path: tracks.get(1)!.path, layout: 'TF', dtype: 'float16' });
    const store = new FeatureStore(resolve);
    expect(() => store.readFrames(6, 0, 1)).toThrow(/track 6 \(.*tf32\.npy\): expected dtype float16, file holds float32/);
  });

  it('reports a missing file by its path', () => {
    tracks.set(7, { path: join(dir, 'missing.npy'), layout: 'TF' });
    expect(() => new FeatureStore(resolve).readFrames(7, 0, 1)).toThrow(/missing\.npy/);
  });
});

describe('writeFrameMajorCopy', () => {
  it('rewrites a feature-major track as a frame-major one with the same frames', () => {
    const target = join(dir, 'converted.npy');
    expect(writeFrameMajorCopy(tracks.get(4)!.path, 'FT', target, { chunkFrames: 70 })).toEqual({ frames: FRAMES, dim: DIM });
    tracks.set(8, { path: target, layout: 'TF' });
    const store = new FeatureStore(resolve);
    expect(store.track(8)).toMatchObject({ featureMajor: false, dtype: 'float16', frames: FRAMES, dim: DIM });
    expect(store.readFrames(8, 0, FRAMES)).toEqual(stored(matrix, 'float16'));
    store.close();
  });
});
