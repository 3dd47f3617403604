// Builds small Assembly101 datasets in the real on-disk layouts for importer tests: the published metadata from
// test/fixtures/assembly101 (see its SOURCE.md) copied into an annotation folder, generated coarse label files, and
// TSM features written as per-view LMDB environments (real key format, written by the reference LMDB library through
// Python's lmdb, as the dataset's own tooling does) or `<sequence>/<view>/features.npy` [dim, T].
// Feature values encode (view, frame, component) so a read can be checked exactly.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LMDB_FIRST_KEY_FRAME, lmdbFrameKey, lmdbKeyPrefix } from '../../../../main/features/lmdbTrack';
import { NpyWriter } from '../../../../main/formats/npy';
import { LmdbRecords, writeReferenceLmdbs } from '../../../fixtures/referenceLmdb';

export const FIXTURES = join(import.meta.dirname, '../../../fixtures/assembly101');
export const METADATA_FILES = ['coarse_actions.csv', 'fine_actions.csv', 'coarse_seq_views.txt', 'recording_names.txt', 'coarse_splits'];

/** In the training split (both parts). */
export const TRAIN_SEQUENCE = 'nusar-2021_action_both_9044-a08_9044_user_id_2021-02-19_083738';
/** In the test split (both parts). */
export const TEST_SEQUENCE = 'nusar-2021_action_both_9021-a27_9021_user_id_2021-02-03_103039';
/** coarse_seq_views.txt lists only its 8 exocentric videos. */
export const EXO_ONLY_SEQUENCE = 'nusar-2021_action_both_9013-a28_9013_user_id_2021-02-02_134134';

export const EXO = ['C10095_rgb', 'C10115_rgb', 'C10118_rgb', 'C10119_rgb', 'C10379_rgb', 'C10390_rgb', 'C10395_rgb', 'C10404_rgb'];
export const EGO_FIRST_HEADSET = ['HMC_84346135_mono10bit', 'HMC_84347414_mono10bit', 'HMC_84355350_mono10bit', 'HMC_84358933_mono10bit'];
export const EGO_SECOND_HEADSET = ['HMC_21176875_mono10bit', 'HMC_21176623_mono10bit', 'HMC_21110305_mono10bit', 'HMC_21179183_mono10bit'];

export interface FixtureTrack {
  sequence: string;
  view: string;
  frames: number;
  dim: number;
}

/** The value of component d of (0-based) frame t of a view: distinct per view, frame and component. */
export function featureValue(view: string, t: number, d: number): number {
  return (view.length % 7) * 1000 + t + d / 1000;
}

export function frameValues(view: string, t: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let d = 0; d < dim; d++) out[d] = featureValue(view, t, d);
  return out;
}

/** Copies the real metadata and writes coarse label files for `sequences` (assembly then disassembly ranges). */
export function writeAnnotations(folder: string, sequences: string[], framesPerPart = 40): void {
  mkdirSync(folder, { recursive: true });
  for (const name of METADATA_FILES) cpSync(join(FIXTURES, name), join(folder, name), { recursive: true });
  const labels = join(folder, 'coarse_labels');
  mkdirSync(labels, { recursive: true });
  for (const sequence of sequences) {
    const half = framesPerPart / 2;
    writeFileSync(
      join(labels, `assembly_${sequence}.txt`),
      `${pad(0)}\t${pad(half)}\tattach cabin\n${pad(half)}\t${pad(framesPerPart)}\tattach wheel\n`,
    );
    writeFileSync(
      join(labels, `disassembly_${sequence}.txt`),
      `${pad(framesPerPart)} ${pad(framesPerPart + half)} detach cabin\n${pad(framesPerPart + half)} ${pad(2 * framesPerPart)} detach wheel\n`,
    );
  }
}

const pad = (n: number) => String(n).padStart(9, '0');

/** One LMDB environment per view under `features`, keys in the real format, written by the reference library. */
export function writeLmdbFeatures(features: string, tracks: FixtureTrack[], skipKeyFrames: number[] = []): void {
  const byView = new Map<string, FixtureTrack[]>();
  for (const track of tracks) byView.set(track.view, [...(byView.get(track.view) ?? []), track]);
  const environments = [...byView].map(([view, viewTracks]) => {
    const records = new LmdbRecords();
    for (const track of viewTracks) {
      const prefix = lmdbKeyPrefix(track.sequence, view);
      for (let t = 0; t < track.frames; t++) {
        if (skipKeyFrames.includes(t + LMDB_FIRST_KEY_FRAME)) continue;
        records.put(lmdbFrameKey(prefix, t + LMDB_FIRST_KEY_FRAME), new Uint8Array(frameValues(view, t, track.dim).buffer));
      }
    }
    return { folder: join(features, view), records };
  });
  writeReferenceLmdbs(environments);
}

/** `<features>/<sequence>/<view>/features.npy` as [dim, T] float32. */
export function writeNpyFeatures(features: string, tracks: FixtureTrack[]): void {
  for (const track of tracks) {
    const folder = join(features, track.sequence, track.view);
    mkdirSync(folder, { recursive: true });
    const writer = NpyWriter.create(join(folder, 'features.npy'), { dtype: 'float32', rows: track.dim, cols: track.frames });
    for (let d = 0; d < track.dim; d++) {
      const row = new Float32Array(track.frames);
      for (let t = 0; t < track.frames; t++) row[t] = featureValue(track.view, t, d);
      writer.writeRows(row);
    }
    writer.close();
  }
}

export function tracksFor(sequence: string, views: string[], frames: number, dim: number): FixtureTrack[] {
  return views.map((view) => ({ sequence, view, frames, dim }));
}
