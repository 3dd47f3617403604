// LmdbTrackReader on environments in Assembly101's real layout: frame ranges read exactly (key frame = frame + 1),
// ranges outside the track refused, a missing key or a value of the wrong size named.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FeatureReadError } from '../../../../main/features/FeatureTrackFile';
import { lmdbKeyPrefix, LmdbTrackReader, parseLmdbFrameKey } from '../../../../main/features/lmdbTrack';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';
import { frameValues, TRAIN_SEQUENCE, tracksFor, writeLmdbFeatures } from './assembly101Fixture';

const tempDir = useTempDir();
const readers: LmdbTrackReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close();
});

function reader(): LmdbTrackReader {
  const made = new LmdbTrackReader();
  readers.push(made);
  return made;
}

describe('LmdbTrackReader', () => {
  it('reads frames [start, end) of one sequence as row-major float32, among other sequences', async () => {
    const features = tempDir();
    await writeLmdbFeatures(features, [...tracksFor('other-seq', ['C10095_rgb'], 9, 5), ...tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 70, 5)]);
    const track = { environment: join(features, 'C10095_rgb'), keyPrefix: lmdbKeyPrefix(TRAIN_SEQUENCE, 'C10095_rgb'), dim: 5, frames: 70 };
    const frames = reader().readFrames(track, 64, 70);
    expect(frames.length).toBe(6 * 5);
    expect(Array.from(frames.subarray(0, 5))).toEqual(Array.from(frameValues('C10095_rgb', 64, 5)));
    expect(Array.from(frames.subarray(25))).toEqual(Array.from(frameValues('C10095_rgb', 69, 5)));
  });

  it('refuses a range outside the track', async () => {
    const features = tempDir();
    await writeLmdbFeatures(features, tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 4, 2));
    const track = { environment: join(features, 'C10095_rgb'), keyPrefix: lmdbKeyPrefix(TRAIN_SEQUENCE, 'C10095_rgb'), dim: 2, frames: 4 };
    expect(() => reader().readFrames(track, 2, 5)).toThrow(/expected frames 0 <= start < end <= 4, got \[2, 5\)/);
  });

  it('names a missing key and a value of the wrong size', async () => {
    const features = tempDir();
    await writeLmdbFeatures(features, tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 6, 2), [3]);
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
