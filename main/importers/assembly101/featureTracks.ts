// Finds Assembly101's TSM feature tracks in the two layouts it is used in: per-view LMDB environments
// (`<features>/<view>/data.mdb`, key `{sequence}/{view}/{view}_{frame:010d}.jpg`, value float32 × dim) and numpy
// files (`<features>/<sequence>/<view>/features.npy`, [dim, T]). Each environment is walked key by key in order
// (a cursor, never values in bulk) to count every sequence's frames and check that none is missing; the dimension
// comes from the size of each sequence's first value, read from its node without reading the value. Every error
// names the folder, file or key; a damaged environment is an LmdbFormatError naming its data.mdb.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LmdbCursor } from '../../formats/lmdb/LmdbCursor';
import { isLmdbEnvironment, LMDB_FIRST_KEY_FRAME, lmdbFrameKey, lmdbKeyPrefix, openLmdbEnvironment, parseLmdbFrameKey } from '../../features/lmdbTrack';
import { ImportFormatError } from '../common/errors';
import { isFile } from '../common/datasetPaths';
import { npyTrackShape } from '../common/npyFeatures';
import type { ProgressCounter } from '../common/progress';
import { DISK_VIEW_NAMES, logicalView } from './views';

export type FeatureStorage = 'lmdb' | 'npy';

export interface FoundTrack {
  sequence: string;
  /** Camera name on disk (e.g. C10095_rgb, HMC_84346135_mono10bit). */
  diskView: string;
  frames: number;
  dim: number;
  dtype: 'float32' | 'float16';
  /** Absolute path: the LMDB environment folder, or the .npy file. */
  path: string;
}

export const NPY_FEATURE_FILE = 'features.npy';

function folders(parent: string): string[] {
  return readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

function unknownView(where: string, name: string): ImportFormatError {
  return new ImportFormatError(where, `view ${JSON.stringify(name)} is not an Assembly101 camera (expected one of ${DISK_VIEW_NAMES.join(', ')})`);
}

/** 'lmdb' when any folder under `features` is an LMDB environment, else 'npy'. */
export function detectFeatureStorage(features: string): FeatureStorage {
  return folders(features).some((name) => isLmdbEnvironment(join(features, name))) ? 'lmdb' : 'npy';
}

/** The units of work a scan will report (environments, or sequence folders). */
export function featureScanUnits(features: string, storage: FeatureStorage): string[] {
  const names = folders(features);
  return storage === 'lmdb' ? names.filter((name) => isLmdbEnvironment(join(features, name))) : names;
}

/** Every (sequence, view) track of one LMDB environment, in key order. */
export async function scanLmdbEnvironment(environment: string, diskView: string, counter: ProgressCounter): Promise<FoundTrack[]> {
  if (!logicalView(diskView)) throw unknownView(environment, diskView);
  const env = openLmdbEnvironment(environment);
  try {
    return await scanKeys(env.cursor(), environment, diskView, counter);
  } finally {
    env.close();
  }
}

async function scanKeys(cursor: LmdbCursor, environment: string, diskView: string, counter: ProgressCounter): Promise<FoundTrack[]> {
  const tracks: FoundTrack[] = [];
  let current: FoundTrack | undefined;
  let seen = 0;
  for (let more = cursor.first(); more; more = cursor.next()) {
    const key = cursor.keyText();
    const parsed = parseLmdbFrameKey(key);
    if (!parsed) throw new ImportFormatError(`${environment} key ${JSON.stringify(key)}`, 'expected a key {sequence}/{view}/{view}_{frame:010d}.jpg');
    if (parsed.view !== diskView) {
      const where = `${environment} key ${key}`;
      if (!logicalView(parsed.view)) throw unknownView(where, parsed.view);
      throw new ImportFormatError(where, `view ${parsed.view} in the environment of view ${diskView}`);
    }
    if (!current || current.sequence !== parsed.sequence) {
      current = { sequence: parsed.sequence, diskView, frames: 0, dim: valueDim(cursor.valueSize(), environment, key), dtype: 'float32', path: environment };
      tracks.push(current);
    }
    const expected = current.frames + LMDB_FIRST_KEY_FRAME;
    if (parsed.keyFrame !== expected) {
      const missing = lmdbFrameKey(lmdbKeyPrefix(parsed.sequence, diskView), expected);
      throw new ImportFormatError(`${environment} key ${missing}`, `missing: the next key is ${key}`);
    }
    current.frames++;
    if (++seen % 4096 === 0) await counter.pace(`reading ${diskView}`);
  }
  return tracks;
}

function valueDim(bytes: number, environment: string, key: string): number {
  if (bytes === 0 || bytes % 4 !== 0) {
    throw new ImportFormatError(`${environment} key ${key}`, `expected float32 values (a multiple of 4 bytes), got ${bytes} bytes`);
  }
  return bytes / 4;
}

/** The tracks of one sequence folder of the numpy layout: `<sequence>/<view>/features.npy`, [dim, T]. */
export function scanNpySequence(features: string, sequence: string): FoundTrack[] {
  const folder = join(features, sequence);
  return folders(folder).map((diskView) => {
    const viewFolder = join(folder, diskView);
    if (!logicalView(diskView)) throw unknownView(viewFolder, diskView);
    const file = join(viewFolder, NPY_FEATURE_FILE);
    if (!isFile(file)) throw new ImportFormatError(viewFolder, `expected ${NPY_FEATURE_FILE} ([dim, T] float32 or float16)`);
    const shape = npyTrackShape(file, 'FT');
    return { sequence, diskView, frames: shape.frames, dim: shape.dim, dtype: shape.dtype, path: file };
  });
}
