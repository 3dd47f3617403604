// Where the catalog says a view's feature track is, as a FeatureStore location: an .npy or .pt file with the
// layout the importer recorded (or, for tracks imported without one, read off the file's shape against the
// catalog's frame count and dimension) and, for a windowed track, its windows; or an Assembly101 LMDB environment
// with the view's key prefix. Checked against the file's header here, so a missing or mismatched file fails before
// any run or evaluation starts.
import { ArgumentError } from '../../contract/errors';
import type { SceneDetail, ViewInfo } from '../../contract/api';
import { readFeatureFileMatrix } from './featureFile';
import type { FeatureTrackLocation, WindowedTrack } from './FeatureStore';
import { windowCount } from './featureWindows';
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
    ({ rows, cols } = readFeatureFileMatrix(path));
  } catch (error) {
    throw new ArgumentError(`${where} (track ${track.id}): cannot read its feature file: ${(error as Error).message}`);
  }
  const windowed: WindowedTrack | undefined =
    track.featureStrideFrames !== null && track.featureWindowFrames !== null
      ? { windows: { strideFrames: track.featureStrideFrames, windowFrames: track.featureWindowFrames }, frames: track.frameCount }
      : undefined;
  // A windowed track's file holds one row per window of its frames.
  const fileRows = windowed ? windowCount(windowed.frames, windowed.windows) : track.frameCount;
  const what = windowed ? `[windows, F] = [${fileRows}, ${track.featureDim}] (${track.frameCount} frames)` : `[frames, F] = [${fileRows}, ${track.featureDim}]`;
  const dtype = track.featureDtype ?? undefined;
  const fits = (layout: 'TF' | 'FT') =>
    layout === 'TF' ? rows === fileRows && cols === track.featureDim : rows === track.featureDim && cols === fileRows;
  const layout = track.featureLayout ?? (fits('TF') ? 'TF' : fits('FT') ? 'FT' : null);
  if (layout === null || !fits(layout)) {
    throw new ArgumentError(
      `${where} (track ${track.id}): expected a feature matrix of ${what}` +
        `${track.featureLayout === 'FT' ? ' stored transposed' : ''} as the catalog says, ${path} holds [${rows}, ${cols}]`,
    );
  }
  return { path, layout, ...(dtype === undefined ? {} : { dtype }), ...(windowed ? { windowed } : {}) };
}
