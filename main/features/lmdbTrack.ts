// Feature tracks stored in LMDB environments the way Assembly101 ships its TSM features: one environment per
// camera folder, one entry per frame, key `{sequence}/{view}/{view}_{frame:010d}.jpg` (UTF-8, frames counted from
// 1), value the raw little-endian float32 bytes of one feature vector. A track is an environment plus a key
// prefix; a frame range is one ordered scan from its first key, each value read straight into the output (values
// in overflow pages together, see OverflowBatch), so a block of frames costs one cursor walk and few reads.
// Environments are read with the project's own read-only LMDB reader (main/formats/lmdb: no native code, no lock
// file, a corrupt file is an error), opened once per path and shared by every track in them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LmdbCursor } from '../formats/lmdb/LmdbCursor';
import { LMDB_DATA_FILE, LmdbEnvironment } from '../formats/lmdb/LmdbEnvironment';
import type { OverflowBatch } from '../formats/lmdb/OverflowBatch';
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
  return existsSync(join(folder, LMDB_DATA_FILE));
}

/** Opens an environment for reading; a folder without data.mdb is a FeatureReadError naming it. */
export function openLmdbEnvironment(folder: string): LmdbEnvironment {
  if (!isLmdbEnvironment(folder)) throw new FeatureReadError(`${folder}: not an LMDB environment (no ${LMDB_DATA_FILE})`);
  return LmdbEnvironment.open(folder);
}

/** The bytes of a frame key whose frame number can be rewritten in place (no allocation per frame of a scan). */
class FrameKeyBytes {
  readonly bytes: Buffer;
  readonly #digitsAt: number;

  constructor(prefix: string) {
    this.bytes = Buffer.from(lmdbFrameKey(prefix, 0), 'utf8');
    this.#digitsAt = Buffer.byteLength(prefix, 'utf8');
  }

  set(keyFrame: number): void {
    let rest = keyFrame;
    for (let i = this.#digitsAt + FRAME_DIGITS - 1; i >= this.#digitsAt; i--) {
      this.bytes[i] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
  }

  /** The next frame's key (counting up in the digits, as set(keyFrame + 1) but without dividing). */
  increment(): void {
    for (let i = this.#digitsAt + FRAME_DIGITS - 1; i >= this.#digitsAt; i--) {
      if (this.bytes[i] !== 0x39) {
        this.bytes[i]!++;
        return;
      }
      this.bytes[i] = 0x30;
    }
  }

  text(): string {
    return this.bytes.toString('utf8');
  }
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

function checkRange({ environment, keyPrefix, frames }: LmdbTrackLocation, start: number, end: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > frames) {
    throw new FeatureReadError(`${environment} ${keyPrefix}: expected frames 0 <= start < end <= ${frames}, got [${start}, ${end})`);
  }
}

/** Reads frame ranges of LMDB-backed tracks; one shared handle per environment. */
export class LmdbTrackReader {
  /** Per environment folder: the open environment, and the cursor and batch every read of it reuses. */
  readonly #environments = new Map<string, { env: LmdbEnvironment; cursor: LmdbCursor; batch: OverflowBatch }>();

  /**
   * Frames [start, end) (0-based; key frame = frame + 1) as a row-major [end - start, dim] Float32Array. A missing
   * key is a FeatureReadError naming it; a damaged environment an LmdbFormatError naming its data.mdb.
   */
  readFrames(track: LmdbTrackLocation, start: number, end: number): Float32Array {
    checkRange(track, start, end);
    const out = new Float32Array((end - start) * track.dim); // [end - start, dim]
    this.readFramesInto(track, start, end, out);
    return out;
  }

  /** As readFrames, into out[0 .. (end - start) * dim) of a caller's array (a reused buffer costs no allocation). */
  readFramesInto(track: LmdbTrackLocation, start: number, end: number, out: Float32Array): void {
    const { environment, dim } = track;
    checkRange(track, start, end);
    if (out.length < (end - start) * dim) throw new RangeError(`expected room for ${(end - start) * dim} values, got ${out.length}`);
    const { cursor, batch } = this.#environment(environment);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const frameBytes = dim * 4;
    const key = new FrameKeyBytes(track.keyPrefix);
    key.set(start + LMDB_FIRST_KEY_FRAME);
    try {
      let onKey = cursor.seek(key.bytes);
      for (let frame = start; frame < end; frame++, key.increment()) {
        if (!onKey || cursor.compareKey(key.bytes) !== 0) {
          throw new FeatureReadError(`${environment}: key ${key.text()} is missing${onKey ? ` (next key is ${cursor.keyText()})` : ''}`);
        }
        const size = cursor.valueSize();
        if (size !== frameBytes) {
          throw new FeatureReadError(`${environment} key ${key.text()}: expected ${frameBytes} bytes (${dim} float32), got ${size}`);
        }
        cursor.readValue(bytes, (frame - start) * frameBytes, batch);
        onKey = cursor.next();
      }
      batch.flush();
    } finally {
      batch.discard();
    }
  }

  /** Closes every environment; later reads reopen them. */
  close(): void {
    for (const { env } of this.#environments.values()) env.close();
    this.#environments.clear();
  }

  #environment(folder: string): { env: LmdbEnvironment; cursor: LmdbCursor; batch: OverflowBatch } {
    let open = this.#environments.get(folder);
    if (!open) {
      const env = openLmdbEnvironment(folder);
      open = { env, cursor: env.cursor(), batch: env.overflowBatch() };
      this.#environments.set(folder, open);
    }
    return open;
  }
}
