// Feature tracks stored in LMDB environments the way Assembly101 ships its TSM features: one environment per
// camera folder, one entry per frame, key `{sequence}/{view}/{view}_{frame:010d}.jpg` (UTF-8, frames counted from
// 1), value the raw little-endian float32 bytes of one feature vector. A track is an environment plus a key
// prefix; frame ranges are read with one ordered range scan, so a block of frames costs one cursor walk.
// Environments are opened read-only once per path and shared by every track in them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { FeatureReadError, type FeatureTrackFile } from './FeatureTrackFile';

/** Digits of the zero-padded frame number in a key. */
const FRAME_DIGITS = 10;
/** Frame number of a sequence's first key. */
export const LMDB_FIRST_KEY_FRAME = 1;

/** `{sequence}/{view}/{view}_` : what every key of one (sequence, view) track starts with. */
export function lmdbKeyPrefix(sequence: string, view: string): string {
  return `${sequence}/${view}/${view}_`;
}

/** The key of one frame (`keyFrame` counted as in the environment, from 1). */
export function lmdbFrameKey(prefix: string, keyFrame: number): string {
  return `${prefix}${String(keyFrame).padStart(FRAME_DIGITS, '0')}.jpg`;
}

/** Parses a key into its sequence, view and frame; undefined when it has another shape. */
export function parseLmdbFrameKey(key: string): { sequence: string; view: string; keyFrame: number } | undefined {
  const match = /^([^/]+)\/([^/]+)\/([^/]+)_(\d+)\.jpg$/.exec(key);
  if (!match || match[2] !== match[3] || match[4]!.length !== FRAME_DIGITS) return undefined;
  return { sequence: match[1]!, view: match[2]!, keyFrame: Number(match[4]) };
}

/** Whether `folder` holds an LMDB environment (its data file). */
export function isLmdbEnvironment(folder: string): boolean {
  return existsSync(join(folder, 'data.mdb'));
}

/** Opens an environment read-only with raw byte keys and values. */
export function openLmdbEnvironment(folder: string): RootDatabase<Buffer, Buffer> {
  if (!isLmdbEnvironment(folder)) throw new FeatureReadError(`${folder}: not an LMDB environment (no data.mdb)`);
  return open<Buffer, Buffer>({ path: folder, readOnly: true, keyEncoding: 'binary', encoding: 'binary' });
}

export interface LmdbTrackLocation {
  /** Absolute path of the environment folder. */
  environment: string;
  /** Key prefix of the track, from lmdbKeyPrefix. */
  keyPrefix: string;
  /** Values per frame (each value is dim float32s). */
  dim: number;
  /** Frames in the track (keys 1..frames), as the catalog recorded at import. */
  frames: number;
}

/** The header facts FeatureStore keeps per track, for an LMDB track (frame-major float32, no file offset). */
export function describeLmdbTrack(trackId: number, track: LmdbTrackLocation): FeatureTrackFile {
  return { trackId, path: `${track.environment} ${track.keyPrefix}`, layout: 'TF', dtype: 'float32', frames: track.frames, dim: track.dim, dataOffset: 0, featureMajor: false };
}

/** Reads frame ranges of LMDB-backed tracks; one shared handle per environment. */
export class LmdbTrackReader {
  readonly #environments = new Map<string, RootDatabase<Buffer, Buffer>>();

  /** Frames [start, end) (0-based; key frame = frame + 1) as a row-major [end - start, dim] Float32Array. */
  readFrames(track: LmdbTrackLocation, start: number, end: number): Float32Array {
    const { environment, keyPrefix, dim, frames } = track;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > frames) {
      throw new FeatureReadError(`${environment} ${keyPrefix}: expected frames 0 <= start < end <= ${frames}, got [${start}, ${end})`);
    }
    const db = this.#environment(environment);
    const out = new Float32Array((end - start) * dim);
    const bytes = new Uint8Array(out.buffer);
    let expected = start;
    for (const { key, value } of db.getRange({
      start: Buffer.from(lmdbFrameKey(keyPrefix, start + LMDB_FIRST_KEY_FRAME)),
      end: Buffer.from(lmdbFrameKey(keyPrefix, end + LMDB_FIRST_KEY_FRAME)),
    })) {
      const wanted = lmdbFrameKey(keyPrefix, expected + LMDB_FIRST_KEY_FRAME);
      const got = Buffer.from(key).toString('utf8');
      if (got !== wanted) throw new FeatureReadError(`${environment}: key ${wanted} is missing (next key is ${got})`);
      if (value.length !== dim * 4) {
        throw new FeatureReadError(`${environment} key ${got}: expected ${dim * 4} bytes (${dim} float32), got ${value.length}`);
      }
      bytes.set(value, (expected - start) * dim * 4);
      expected++;
    }
    if (expected < end) {
      throw new FeatureReadError(`${environment}: key ${lmdbFrameKey(keyPrefix, expected + LMDB_FIRST_KEY_FRAME)} is missing`);
    }
    return out;
  }

  /** Closes every environment; later reads reopen them. */
  async close(): Promise<void> {
    const environments = [...this.#environments.values()];
    this.#environments.clear();
    await Promise.all(environments.map((db) => db.close()));
  }

  #environment(folder: string): RootDatabase<Buffer, Buffer> {
    let db = this.#environments.get(folder);
    if (!db) {
      db = openLmdbEnvironment(folder);
      this.#environments.set(folder, db);
    }
    return db;
  }
}
