// The data a pre-training run reads, from the catalog: each scene of a dataset as a sampling SceneSource and where
// each view's feature track is on disk. Every track file's header is read and checked against what the catalog
// says (frames and dimension) before training starts, so a missing or mismatched file fails the run before it
// is created rather than mid-way. The catalog's API does not expose a track's stored layout, so the layout is
// read from the file's shape: [frames, F] is frame-major ('TF'), [F, frames] feature-major ('FT').
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import type { FeatureTrackLocation } from '../../features/FeatureStore';
import { matrixShape, readNpyHeader } from '../../formats/npy';
import { sceneSourceFromDetail, type SceneSource, type SourceView } from '../sampling/sources';

/** What training reads from the catalog. */
export type TrainingDataCatalog = Pick<Catalog, 'findDatasetByName' | 'listScenes' | 'getScene' | 'trackFile'>;

export type TrainingData = {
  datasetId: number;
  datasetName: string;
  sources: SceneSource[];
  /** Where each track of `sources` is, by track id. */
  locations: Map<number, FeatureTrackLocation>;
  /** Views left out (no feature track) and why. */
  warnings: string[];
};

/** Dataset formats whose scenes are pair-only sources (one ego and one exo video, not frame-synchronized). */
const pairOnlyFormats = new Set(['charades-ego']);

export function loadTrainingData(catalog: TrainingDataCatalog, datasetName: string): TrainingData {
  const dataset = catalog.findDatasetByName(datasetName);
  if (dataset === undefined) throw new NotFoundError(`no dataset named ${JSON.stringify(datasetName)} in the catalog`);
  const pairOnly = pairOnlyFormats.has(dataset.format);
  const sources: SceneSource[] = [];
  const warnings: string[] = [];
  const locations = new Map<number, FeatureTrackLocation>();
  for (const summary of catalog.listScenes(dataset.id)) {
    // The scene keeps its split: the sampler takes the training split (and scenes without one), so held-out
    // scenes stay unseen for evaluation.
    const made = sceneSourceFromDetail(catalog.getScene(summary.id), { pairOnly });
    sources.push(made.source);
    warnings.push(...made.warnings);
    for (const view of made.source.views) locations.set(view.trackId, locateTrack(catalog, made.source, view));
  }
  return { datasetId: dataset.id, datasetName: dataset.name, sources, locations, warnings };
}

function locateTrack(catalog: TrainingDataCatalog, scene: SceneSource, view: SourceView): FeatureTrackLocation {
  const where = `scene ${scene.name} view ${view.name} (track ${view.trackId})`;
  const path = catalog.trackFile(view.trackId, 'feature');
  let rows: number;
  let cols: number;
  try {
    [rows, cols] = matrixShape(readNpyHeader(path), path);
  } catch (error) {
    throw new ArgumentError(`${where}: cannot read its feature file: ${(error as Error).message}`);
  }
  if (rows === view.frameCount && cols === view.featureDim) return { path, layout: 'TF' };
  if (rows === view.featureDim && cols === view.frameCount) return { path, layout: 'FT' };
  throw new ArgumentError(
    `${where}: expected a feature matrix of [frames, F] = [${view.frameCount}, ${view.featureDim}] (or its transpose) ` +
      `as the catalog says, ${path} holds [${rows}, ${cols}]`,
  );
}
