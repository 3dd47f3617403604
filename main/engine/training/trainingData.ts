// The data a pre-training run reads, from the catalog: each scene of a dataset as a sampling SceneSource and where
// each view's feature track is on disk. Every track file's header is read and checked against what the catalog
// says (frames and dimension) before training starts, so a missing or mismatched file fails the run before it
// is created rather than mid-way (features/trackLocation.ts).
import { NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import type { FeatureTrackLocation } from '../../features/FeatureStore';
import { trackLocation } from '../../features/trackLocation';
import { sceneSourceFromDetail, type SceneSource } from '../sampling/sources';

/** What training reads from the catalog. */
export type TrainingDataCatalog = Pick<Catalog, 'findDatasetByName' | 'listScenes' | 'getScene' | 'trackFile'>;

export type TrainingData = {
  datasetId: number;
  datasetName: string;
  /** The dataset's format ('assembly101', 'charades-ego', 'folder', …). */
  format: string;
  sources: SceneSource[];
  /** Where each track of `sources` is, by track id. */
  locations: Map<number, FeatureTrackLocation>;
  /** Views left out (no feature track) and why. */
  warnings: string[];
};

/** Dataset formats whose scenes are pair-only sources (one ego and one exo video, not frame-synchronized). */
export const pairOnlyFormats = new Set(['charades-ego']);

export function loadTrainingData(catalog: TrainingDataCatalog, datasetName: string): TrainingData {
  const dataset = catalog.findDatasetByName(datasetName);
  if (dataset === undefined) throw new NotFoundError(`no dataset named ${JSON.stringify(datasetName)} in the catalog`);
  const pairOnly = pairOnlyFormats.has(dataset.format);
  const sources: SceneSource[] = [];
  const warnings: string[] = [];
  const locations = new Map<number, FeatureTrackLocation>();
  for (const summary of catalog.listScenes(dataset.id)) {
    const detail = catalog.getScene(summary.id);
    // The scene keeps its split: the sampler takes the training split (and scenes without one), so held-out
    // scenes stay unseen for evaluation.
    const made = sceneSourceFromDetail(detail, { pairOnly });
    sources.push(made.source);
    warnings.push(...made.warnings);
    for (const view of made.source.views) {
      const info = detail.views.find((v) => v.id === view.viewId)!;
      locations.set(view.trackId, trackLocation(catalog, dataset.format, detail, info));
    }
  }
  return { datasetId: dataset.id, datasetName: dataset.name, format: dataset.format, sources, locations, warnings };
}
