// Windowed and .pt feature tracks through FeatureStore: a track of one feature per 32-frame window every 16 frames
// is read per video frame (each frame gets its nearest window's row) across block boundaries, from an .npy file and
// from a torch.save-written .pt file; a file with the wrong number of windows is refused before any read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureStore, type FeatureTrackLocation } from '../../../main/features/FeatureStore';
import { FeatureReadError } from '../../../main/features/FeatureTrackFile';
import { framesForWindowCount, OMNIVORE_WINDOWS, rowOfFrame, windowCount } from '../../../main/features/featureWindows';
import { NpyWriter } from '../../../main/formats/npy';
import { fixtureMatrix, pythonTorch, writeTensorFiles } from '../../fixtures/torch/torchFixtures';
import { needs } from '../../preconditions';

const ROWS = 23;
const DIM = 6;
/** Frames of a backed-up video: 23 windows, the last one ending at frame 370 (not on the 16-frame grid). */
const FRAMES = 370;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-windowed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Row-major [frames, DIM]: each frame's nearest window's row of `rows`. */
function perFrame(rows: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames * DIM);
  for (let t = 0; t < frames; t++) {
    const r = rowOfFrame(t, frames, OMNIVORE_WINDOWS);
    out.set(rows.subarray(r * DIM, (r + 1) * DIM), t * DIM);
  }
  return out;
}

function storeOf(location: FeatureTrackLocation): FeatureStore {
  return new FeatureStore(() => location, { blockFrames: 4 });
}

describe('windowed feature tracks', () => {
  it('reads an .npy of window rows per video frame, across cached blocks of rows', () => {
    expect(windowCount(FRAMES, OMNIVORE_WINDOWS)).toBe(ROWS);
    const rows = fixtureMatrix(ROWS, DIM, 11);
    const path = join(dir, 'windows.npy');
    const writer = NpyWriter.create(path, { dtype: 'float32', rows: ROWS, cols: DIM });
    writer.writeRows(rows);
    writer.close();
    const store = storeOf({ path, layout: 'TF', windowed: { windows: OMNIVORE_WINDOWS, frames: FRAMES } });
    expect(store.track(1)).toMatchObject({ frames: FRAMES, dim: DIM, windows: OMNIVORE_WINDOWS });
    const expected = perFrame(rows, FRAMES);
    for (const [start, end] of [[0, FRAMES], [0, 1], [7, 9], [23, 25], [60, 130], [350, FRAMES], [FRAMES - 1, FRAMES]] as const) {
      expect(store.readFrames(1, start, end)).toEqual(expected.subarray(start * DIM, end * DIM));
    }
    expect(store.stats().bytesRead).toBe(ROWS * DIM * 4);
    expect(() => store.readFrames(1, 0, FRAMES + 1)).toThrow(/expected frames 0 <= start < end <= 370, got \[0, 371\)/);
  });

  it('refuses a file whose row count is not the windows of the frames the catalog records', () => {
    const path = join(dir, 'short.npy');
    const writer = NpyWriter.create(path, { dtype: 'float16', rows: 5, cols: DIM });
    writer.writeRows(new Float32Array(5 * DIM));
    writer.close();
    const store = storeOf({ path, layout: 'TF', windowed: { windows: OMNIVORE_WINDOWS, frames: FRAMES } });
    expect(() => store.track(1)).toThrow(FeatureReadError);
    expect(() => store.track(1)).toThrow(/short\.npy\): expected 23 frame-major rows \(windows of 32 frames every 16 over 370 frames\), the file holds 5/);
  });

  needs(pythonTorch).describe('from torch.save files', () => {
    it('reads a .pt track per frame and a windowed [T, 1, F] .pt track per video frame', () => {
      const perFramePath = join(dir, 'frames.pt');
      const windowedPath = join(dir, 'omnivore.pt');
      writeTensorFiles(
        [
          { path: perFramePath, kind: 'matrix', rows: 90, cols: DIM, dtype: 'float16', base: 4 },
          { path: windowedPath, kind: 'stacked', rows: ROWS, cols: DIM, dtype: 'float32', base: 9 },
        ],
        dir,
      );
      const frames = storeOf({ path: perFramePath, layout: 'TF', dtype: 'float16' });
      expect(frames.track(1)).toMatchObject({ frames: 90, dim: DIM, dtype: 'float16', featureMajor: false });
      expect(frames.readFrames(1, 3, 77)).toEqual(fixtureMatrix(90, DIM, 4).subarray(3 * DIM, 77 * DIM));

      const videoFrames = framesForWindowCount(ROWS, OMNIVORE_WINDOWS);
      const windowed = storeOf({ path: windowedPath, layout: 'TF', windowed: { windows: OMNIVORE_WINDOWS, frames: videoFrames } });
      expect(windowed.readFrames(1, 0, videoFrames)).toEqual(perFrame(fixtureMatrix(ROWS, DIM, 9), videoFrames));
    });
  });
});
