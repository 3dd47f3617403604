// Streaming access to per-frame feature tracks by track id: tracks are opened lazily through a resolver (the
// catalog knows where each track's file is), frame ranges are served from fixed-size blocks of rows kept in a
// byte-bounded LRU cache, and at most `maxOpenFiles` file descriptors stay open. Nothing ever reads a whole
// dataset: memory is the cache budget plus the blocks a read is assembled from. A windowed track (one row per
// window of frames, featureWindows.ts) is read per frame too: each frame gets the row nearest to it in time.
// float16 tracks are cached as stored (half the bytes of decoded values, so twice the frames fit) and decoded as
// frames are handed out; clip sampling reads single frames in place (frameRow) instead of copying each clip's frame
// range first.
import { closeSync, openSync } from 'node:fs';
import { decodeFloat16 } from '../formats/float16';
import { bytesPerValue, type NpyDtype } from '../formats/npy';
import { BlockCache, type BlockCacheStats, type FeatureBlock } from './BlockCache';
import {
  describeFeatureTrack,
  FeatureReadError,
  readTrackBlock,
  type FeatureLayout,
  type FeatureTrackFile,
} from './FeatureTrackFile';
import { rowOfFrame, rowSpan, windowCount, type FeatureWindows } from './featureWindows';
import { describeLmdbTrack, LmdbTrackReader, type LmdbTrackLocation } from './lmdbTrack';

/** A file track with one row per window of frames: the geometry and how many video frames the track covers. */
export interface WindowedTrack {
  windows: FeatureWindows;
  /** Video frames the track covers; the file must hold windowCount(frames, windows) rows. */
  frames: number;
}

/**
 * Where a track's features are: an .npy or .pt file (absolute path, how its matrix is laid out, optionally its
 * dtype, and for a windowed track its windows), or frames stored one per key in an LMDB environment (Assembly101's
 * TSM features).
 */
export type FeatureTrackLocation =
  | {
      path: string;
      layout: FeatureLayout;
      /** When given, the file's dtype must match. */
      dtype?: NpyDtype;
      windowed?: WindowedTrack;
    }
  | { lmdb: LmdbTrackLocation };

export type FeatureTrackResolver = (trackId: number) => FeatureTrackLocation;

/** One frame's values where they are kept: values[offset … offset + dim), float32 or float16 bit patterns. */
export type FrameRow = { values: FeatureBlock; offset: number; dim: number };

/** What clip sampling needs from a feature source (FeatureStore, or an in-memory stand-in). */
export interface FrameReader {
  /** Frames [start, end) of a track as a row-major [end - start, dim] Float32Array the caller may keep. */
  readFrames(trackId: number, start: number, end: number): Float32Array;
  /** One frame in place, without a copy; read-only, valid until the next read. Readers without it are read by range. */
  frameRow?(trackId: number, frame: number): FrameRow;
}

export interface FeatureStoreOptions {
  /** Frames per cached block (default 64, about one clip: random clip access wastes little; feature-major files pay F reads per block). */
  blockFrames?: number;
  /** Most bytes of cached blocks kept (default 256 MiB; float16 tracks are kept as stored, 2 bytes a value). */
  cacheBytes?: number;
  /** Most file descriptors held open at once (default 32); the least recently used is closed first. */
  maxOpenFiles?: number;
}

export interface FeatureStoreStats extends BlockCacheStats {
  openFiles: number;
  /** Bytes read from disk so far (values as stored: 2 per float16, 4 per float32). */
  bytesRead: number;
}

export const DEFAULT_BLOCK_FRAMES = 64;
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_OPEN_FILES = 32;

export class FeatureStore implements FrameReader {
  readonly blockFrames: number;
  readonly maxOpenFiles: number;
  readonly #resolve: FeatureTrackResolver;
  readonly #cache: BlockCache;
  readonly #tracks = new Map<number, FeatureTrackFile>();
  readonly #lmdbTracks = new Map<number, LmdbTrackLocation>();
  readonly #lmdb = new LmdbTrackReader();
  // Insertion order = least recently used first, as in BlockCache.
  readonly #openFds = new Map<number, number>();
  #bytesRead = 0;

  constructor(resolve: FeatureTrackResolver, options: FeatureStoreOptions = {}) {
    const { blockFrames = DEFAULT_BLOCK_FRAMES, cacheBytes = DEFAULT_CACHE_BYTES, maxOpenFiles = DEFAULT_MAX_OPEN_FILES } = options;
    if (!Number.isInteger(blockFrames) || blockFrames < 1) throw new RangeError(`expected blockFrames >= 1, got ${blockFrames}`);
    if (!Number.isInteger(maxOpenFiles) || maxOpenFiles < 1) throw new RangeError(`expected maxOpenFiles >= 1, got ${maxOpenFiles}`);
    this.#resolve = resolve;
    this.blockFrames = blockFrames;
    this.maxOpenFiles = maxOpenFiles;
    this.#cache = new BlockCache(cacheBytes);
  }

  /** The track's header facts (frames, dim, dtype, layout, windows); reads only the file's header, once. */
  track(trackId: number): FeatureTrackFile {
    let track = this.#tracks.get(trackId);
    if (!track) {
      const location = this.#resolve(trackId);
      if ('lmdb' in location) {
        track = describeLmdbTrack(trackId, location.lmdb);
        this.#lmdbTracks.set(trackId, location.lmdb);
      } else {
        track = describeFeatureTrack(trackId, location.path, location.layout, location.dtype);
        if (location.windowed) track = windowedTrack(track, location.windowed);
      }
      this.#tracks.set(trackId, track);
    }
    return track;
  }

  readFrames(trackId: number, start: number, end: number): Float32Array {
    const track = this.track(trackId);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > track.frames) {
      throw new FeatureReadError(
        `track ${trackId} (${track.path}): expected frames 0 <= start < end <= ${track.frames}, got [${start}, ${end})`,
      );
    }
    if (!track.windows) return this.#readRows(track, start, end);
    const { dim, frames, windows } = track;
    const span = rowSpan(start, end, frames, windows);
    const rows = this.#readRows(track, span.first, span.end);
    const out = new Float32Array((end - start) * dim);
    for (let frame = start; frame < end; frame++) {
      const row = rowOfFrame(frame, frames, windows) - span.first;
      out.set(rows.subarray(row * dim, (row + 1) * dim), (frame - start) * dim);
    }
    return out;
  }

  /** Rows [start, end) of the track's file, from cached blocks of `blockFrames` rows. */
  #readRows(track: FeatureTrackFile, start: number, end: number): Float32Array {
    const { dim } = track;
    const out = new Float32Array((end - start) * dim);
    const firstBlock = Math.floor(start / this.blockFrames);
    const lastBlock = Math.floor((end - 1) / this.blockFrames);
    for (let b = firstBlock; b <= lastBlock; b++) {
      const blockStart = b * this.blockFrames;
      const block = this.#block(track, b);
      const from = Math.max(start, blockStart);
      const to = Math.min(end, blockStart + this.blockFrames);
      const values = block.subarray((from - blockStart) * dim, (to - blockStart) * dim);
      const target = out.subarray((from - start) * dim, (to - start) * dim);
      if (values instanceof Float32Array) target.set(values);
      else decodeFloat16(values, target);
    }
    return out;
  }

  frameRow(trackId: number, frame: number): FrameRow {
    const track = this.track(trackId);
    if (!Number.isInteger(frame) || frame < 0 || frame >= track.frames) {
      throw new FeatureReadError(`track ${trackId} (${track.path}): expected a frame in [0, ${track.frames}), got ${frame}`);
    }
    const index = Math.floor(frame / this.blockFrames);
    return { values: this.#block(track, index), offset: (frame - index * this.blockFrames) * track.dim, dim: track.dim };
  }

  stats(): FeatureStoreStats {
    return { ...this.#cache.stats(), openFiles: this.#openFds.size, bytesRead: this.#bytesRead };
  }

  /** Closes every file and empties the cache; the store can still be used (files reopen on demand). */
  close(): void {
    for (const fd of this.#openFds.values()) closeSync(fd);
    this.#openFds.clear();
    this.#lmdb.close();
    this.#cache.clear();
  }

  #block(track: FeatureTrackFile, index: number): FeatureBlock {
    return this.#cache.get(`${track.trackId}:${index}`, () => {
      const start = index * this.blockFrames;
      const end = Math.min(rowCount(track), start + this.blockFrames);
      const lmdb = this.#lmdbTracks.get(track.trackId);
      const block = lmdb ? this.#lmdb.readFrames(lmdb, start, end) : readTrackBlock(track, this.#fd(track), start, end);
      this.#bytesRead += (end - start) * track.dim * bytesPerValue(track.dtype);
      return block;
    });
  }

  #fd(track: FeatureTrackFile): number {
    const open = this.#openFds.get(track.trackId);
    if (open !== undefined) {
      this.#openFds.delete(track.trackId);
      this.#openFds.set(track.trackId, open);
      return open;
    }
    while (this.#openFds.size >= this.maxOpenFiles) {
      const [oldestTrack, oldestFd] = this.#openFds.entries().next().value as [number, number];
      closeSync(oldestFd);
      this.#openFds.delete(oldestTrack);
    }
    let fd: number;
    try {
      fd = openSync(track.path, 'r');
    } catch (error) {
      throw new FeatureReadError(`track ${track.trackId} (${track.path}): cannot open: ${(error as Error).message}`);
    }
    this.#openFds.set(track.trackId, fd);
    return fd;
  }
}

/** Rows in a track's file: one per frame, or one per window for a windowed track. */
function rowCount(track: FeatureTrackFile): number {
  return track.windows ? windowCount(track.frames, track.windows) : track.frames;
}

/** A file track's facts with its frames counted in video frames, after checking the file holds one row per window. */
function windowedTrack(file: FeatureTrackFile, windowed: WindowedTrack): FeatureTrackFile {
  const { windows, frames } = windowed;
  const expected = windowCount(frames, windows);
  if (file.featureMajor || file.frames !== expected) {
    throw new FeatureReadError(
      `track ${file.trackId} (${file.path}): expected ${expected} frame-major rows (windows of ${windows.windowFrames} frames every ` +
        `${windows.strideFrames} over ${frames} frames), the file holds ${file.frames}${file.featureMajor ? ' stored feature-major' : ''}`,
    );
  }
  return { ...file, frames, windows };
}
