// LmdbTrackReader on environments in Assembly101's real layout, written by the reference LMDB library: frame ranges
// read exactly (key frame = frame + 1) from deep trees of 8 KB values in overflow pages with several sequences per
// environment whose names sort around each other, ranges outside the track refused, a missing key in the middle of
// a range or a value of the wrong size named, and the importer's key scan of the same environments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeatureReadError } from '../../../../main/features/FeatureTrackFile';
import { LMDB_FIRST_KEY_FRAME, lmdbFrameKey, lmdbKeyPrefix, LmdbTrackReader, parseLmdbFrameKey } from '../../../../main/features/lmdbTrack';
import { scanLmdbEnvironment } from '../../../../main/importers/assembly101/featureTracks';
import { ImportFormatError } from '../../../../main/importers/common/errors';
import { ProgressCounter } from '../../../../main/importers/common/progress';
import { LmdbRecords, writeReferenceLmdbs, type ReferenceLmdbStat } from '../../../fixtures/referenceLmdb';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';
import { frameValues, TRAIN_SEQUENCE, tracksFor, writeLmdbFeatures } from './assembly101Fixture';

const tempDir = useTempDir();
const readers: LmdbTrackReader[] = [];
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});

function reader(): LmdbTrackReader {
  const made = new LmdbTrackReader();
  readers.push(made);
  return made;
}

describe('LmdbTrackReader', () => {
  it('reads frames [start, end) of one sequence as row-major float32, among other sequences', async () => {
    const features = tempDir();
    writeLmdbFeatures(features, [...tracksFor('other-seq', ['C10095_rgb'], 9, 5), ...tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 70, 5)]);
    const track = { environment: join(features, 'C10095_rgb'), keyPrefix: lmdbKeyPrefix(TRAIN_SEQUENCE, 'C10095_rgb'), dim: 5, frames: 70 };
    const frames = reader().readFrames(track, 64, 70);
    expect(frames.length).toBe(6 * 5);
    expect(Array.from(frames.subarray(0, 5))).toEqual(Array.from(frameValues('C10095_rgb', 64, 5)));
    expect(Array.from(frames.subarray(25))).toEqual(Array.from(frameValues('C10095_rgb', 69, 5)));
  });

  it('refuses a range outside the track', async () => {
    const features = tempDir();
    writeLmdbFeatures(features, tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 4, 2));
    const track = { environment: join(features, 'C10095_rgb'), keyPrefix: lmdbKeyPrefix(TRAIN_SEQUENCE, 'C10095_rgb'), dim: 2, frames: 4 };
    expect(() => reader().readFrames(track, 2, 5)).toThrow(/expected frames 0 <= start < end <= 4, got \[2, 5\)/);
  });

  it('names a missing key and a value of the wrong size', async () => {
    const features = tempDir();
    writeLmdbFeatures(features, tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 6, 2), [3]);
    const track = { environment: join(features, 'C10095_rgb'), keyPrefix: lmdbKeyPrefix(TRAIN_SEQUENCE, 'C10095_rgb'), dim: 2, frames: 6 };
    const lmdb = reader();
    expect(() => lmdb.readFrames(track, 0, 6)).toThrow(FeatureReadError);
    expect(() => lmdb.readFrames(track, 0, 6)).toThrow(/C10095_rgb_0000000003\.jpg is missing/);
    expect(() => lmdb.readFrames({ ...track, dim: 3 }, 0, 1)).toThrow(/expected 12 bytes \(3 float32\), got 8/);
  });

  it('parses only keys in the real format', () => {
    expect(parseLmdbFrameKey('seq/C10095_rgb/C10095_rgb_0000000012.jpg')).toEqual({ sequence: 'seq', view: 'C10095_rgb', keyFrame: 12 });
    expect(parseLmdbFrameKey('seq/C10095_rgb/C10115_rgb_0000000012.jpg')).toBeUndefined();
    expect(parseLmdbFrameKey('seq/C10095_rgb/C10095_rgb_12.jpg')).toBeUndefined();
  });
});

describe('LmdbTrackReader on Assembly101-sized tracks', () => {
  const DIM = 2048;
  const FRAMES = 1500;
  const VIEWS = ['C10095_rgb', 'HMC_84346135_mono10bit'];
  // '-' sorts before the '/' that ends a sequence name in a key, '0' after it.
  const SEQUENCES = [`${TRAIN_SEQUENCE}-b`, TRAIN_SEQUENCE, `${TRAIN_SEQUENCE}0`];
  /** The sequence and view without the key of frame index MISSING_FRAME (key frame MISSING_FRAME + 1). */
  const GAP = { sequence: SEQUENCES[2]!, view: VIEWS[1]! };
  const MISSING_FRAME = 700;
  let features: string;
  let stats: ReferenceLmdbStat[];

  /** Frame t of a sequence: distinct per sequence, view, frame and component. */
  const expectedFrame = (s: number, view: string, t: number) => frameValues(view, s * 10_000 + t, DIM);
  const track = (s: number, view: string) => ({ environment: join(features, view), keyPrefix: lmdbKeyPrefix(SEQUENCES[s]!, view), dim: DIM, frames: FRAMES });

  function expectFrames(s: number, view: string, start: number, end: number, frames: Float32Array): void {
    expect(frames.length).toBe((end - start) * DIM);
    for (let t = start; t < end; t++) {
      const expected = expectedFrame(s, view, t);
      const got = frames.subarray((t - start) * DIM, (t - start + 1) * DIM);
      if (got[0] !== expected[0] || got[DIM - 1] !== expected[DIM - 1] || got[DIM >> 1] !== expected[DIM >> 1]) {
        expect.fail(`${SEQUENCES[s]} ${view} frame ${t}: got ${got[0]}.., expected ${expected[0]}..`);
      }
    }
  }

  beforeAll(() => {
    features = mkdtempSync(join(tmpdir(), 'evgap-lmdb-tracks-'));
    stats = writeReferenceLmdbs(
      VIEWS.map((view) => {
        const records = new LmdbRecords();
        SEQUENCES.forEach((sequence, s) => {
          for (let t = 0; t < FRAMES; t++) {
            if (sequence === GAP.sequence && view === GAP.view && t === MISSING_FRAME) continue;
            records.put(lmdbFrameKey(lmdbKeyPrefix(sequence, view), t + LMDB_FIRST_KEY_FRAME), new Uint8Array(expectedFrame(s, view, t).buffer));
          }
        });
        return { folder: join(features, view), records };
      }),
    );
  });
  afterAll(() => rmSync(features, { recursive: true, force: true }));

  it('is a tree with branch levels and every value in overflow pages', () => {
    for (const stat of stats) {
      expect(stat.depth).toBeGreaterThanOrEqual(3);
      expect(stat.overflow_pages).toBeGreaterThanOrEqual(stat.entries * Math.ceil((DIM * 4) / stat.psize));
    }
  });

  it('reads whole tracks, FeatureStore-sized blocks and ranges across leaf pages, each from its own sequence', () => {
    const lmdb = reader();
    for (const view of VIEWS) {
      for (let s = 0; s < SEQUENCES.length; s++) {
        if (view === GAP.view && s === 2) continue;
        expectFrames(s, view, 0, FRAMES, lmdb.readFrames(track(s, view), 0, FRAMES));
      }
    }
    for (let start = 0; start < FRAMES; start += 64) {
      const end = Math.min(FRAMES, start + 64);
      expectFrames(1, VIEWS[0]!, start, end, lmdb.readFrames(track(1, VIEWS[0]!), start, end));
    }
    for (const [start, end] of [[0, 1], [FRAMES - 1, FRAMES], [37, 1234], [699, 702]] as const) {
      expectFrames(2, VIEWS[0]!, start, end, lmdb.readFrames(track(2, VIEWS[0]!), start, end));
      expectFrames(0, VIEWS[1]!, start, end, lmdb.readFrames(track(0, VIEWS[1]!), start, end));
    }
  });

  it('names a key missing in the middle of a range and reads the frames on either side of it', () => {
    const lmdb = reader();
    const gapTrack = track(2, GAP.view);
    const missingKey = lmdbFrameKey(gapTrack.keyPrefix, MISSING_FRAME + LMDB_FIRST_KEY_FRAME);
    const nextKey = lmdbFrameKey(gapTrack.keyPrefix, MISSING_FRAME + LMDB_FIRST_KEY_FRAME + 1);
    expect(() => lmdb.readFrames(gapTrack, 650, 714)).toThrow(FeatureReadError);
    expect(() => lmdb.readFrames(gapTrack, 0, FRAMES)).toThrow(`${gapTrack.environment}: key ${missingKey} is missing (next key is ${nextKey})`);
    expectFrames(2, GAP.view, 0, MISSING_FRAME, lmdb.readFrames(gapTrack, 0, MISSING_FRAME));
    expectFrames(2, GAP.view, MISSING_FRAME + 1, FRAMES, lmdb.readFrames(gapTrack, MISSING_FRAME + 1, FRAMES));
  });

  it('is scanned by the importer into one track per sequence, and the missing key is named', async () => {
    const counter = new ProgressCounter(1, {});
    const found = await scanLmdbEnvironment(join(features, VIEWS[0]!), VIEWS[0]!, counter);
    expect(found.map((t) => [t.sequence, t.frames, t.dim])).toEqual(SEQUENCES.map((sequence) => [sequence, FRAMES, DIM]));
    const gap = scanLmdbEnvironment(join(features, GAP.view), GAP.view, counter);
    await expect(gap).rejects.toThrow(ImportFormatError);
    await expect(scanLmdbEnvironment(join(features, GAP.view), GAP.view, counter)).rejects.toThrow(
      `${lmdbFrameKey(lmdbKeyPrefix(GAP.sequence, GAP.view), MISSING_FRAME + LMDB_FIRST_KEY_FRAME)}: missing: the next key is`,
    );
  });
});
