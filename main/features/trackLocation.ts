// Where the catalog says a view's feature track is, as a FeatureStore location: an .npy file with the layout the
// importer recorded (or, for tracks imported without one, read off the file's shape against the catalog's frame
// count and dimension), or an Assembly101 LMDB environment with the view's key prefix. Checked against the file's
// header here, so a missing or mismatched file fails before any run or evaluation starts.
import { ArgumentError } from '../../contract/errors';
import type { SceneDetail, ViewInfo } from '../../contract/api';
import { matrixShape, readNpyHeader } from '../formats/npy';
import type { FeatureTrackLocation } from './FeatureStore';
import { lmdbKeyPrefix } from './lmdbTrack';

export type TrackFileCatalog = { trackFile(trackId: number, kind: 'video' | 'feature'): string };

export function trackLocation(
  catalog: TrackFileCatalog,
  datasetFormat: string,
  scene: SceneDetail,
  view: ViewInfo,
): FeatureTrackLocation {
  const track = view.track;
  const where = `scene ${scene.scene.name} view ${view.name}`;
  if (!track || track.featurePath === null || track.frameCount === null || track.featureDim === null) {
    throw new ArgumentError(`${where}: no feature track with a known frame count and dimension`);
  }
  const path = catalog.trackFile(track.id, 'feature');
  if (datasetFormat === 'assembly101' && track.featureLayout === null) {
    return {
      lmdb: { environment: path, keyPrefix: lmdbKeyPrefix(scene.scene.name, view.cameraId ?? view.name), dim: track.featureDim, frames: track.frameCount },
    };
  }
  let rows: number;
  let cols: number;
  try {
    [rows, cols] = matrixShape(readNpyHeader(path), path);
  } catch (error) {
    throw new ArgumentError(`${where} (track ${track.id}): cannot read its feature file: ${(error as Error).message}`);
  }
  const dtype = track.featureDtype ?? undefined;
  const fits = (layout: 'TF' | 'FT') =>
    layout === 'TF' ? rows === track.frameCount && cols === track.featureDim : rows === track.featureDim && cols === track.frameCount;
  const layout = track.featureLayout ?? (fits('TF') ? 'TF' : fits('FT') ? 'FT' : null);
  if (layout === null || !fits(layout)) {
    throw new ArgumentError(
      `${where} (track ${track.id}): expected a feature matrix of [frames, F] = [${track.frameCount}, ${track.featureDim}]` +
        `${track.featureLayout === 'FT' ? ' stored transposed' : ''} as the catalog says, ${path} holds [${rows}, ${cols}]`,
    );
  }
  return dtype === undefined ? { path, layout } : { path, layout, dtype };
}
