// Writes a validated import: the dataset, its scenes, views, tracks, segments and vocabularies. Runs inside the
// caller's write transaction, so a failure anywhere leaves the catalog as it was.
import { ConflictError } from '../../contract/errors';
import type { DatasetQueries } from './datasets';
import { toJson } from './json';
import type { SceneQueries } from './scenes';
import type { SegmentQueries } from './segments';
import type { ValidImport } from './validateImportSpec';
import type { ViewQueries } from './views';
import type { VocabularyQueries } from './vocabularies';

/** The vocabulary every imported segment label joins. */
export const ACTIONS_VOCABULARY = 'actions';

export interface ImportQueries {
  datasets: DatasetQueries;
  scenes: SceneQueries;
  views: ViewQueries;
  segments: SegmentQueries;
  vocabularies: VocabularyQueries;
}

export function writeDataset(q: ImportQueries, spec: ValidImport): number {
  const existing = q.datasets.idByName(spec.name);
  if (existing !== undefined) {
    throw new ConflictError(
      `name: a dataset named ${JSON.stringify(spec.name)} already exists (id ${existing}); choose another name or delete it first`,
    );
  }
  const datasetId = q.datasets.insert({
    name: spec.name,
    root: spec.root,
    format: spec.format,
    meta: toJson(spec.meta, 'meta'),
  });
  // Declared vocabularies first, so their label order (class order) and verb/object win over segment labels.
  for (const vocabulary of spec.vocabularies) {
    const vocabularyId = q.vocabularies.ensure(datasetId, vocabulary.name);
    for (const label of vocabulary.labels) q.vocabularies.addLabel(vocabularyId, label);
  }
  const hasSegments = spec.scenes.some((scene) => scene.segments.length > 0);
  const actionsId = hasSegments ? q.vocabularies.ensure(datasetId, ACTIONS_VOCABULARY) : undefined;
  spec.scenes.forEach((scene, index) => {
    const sceneId = q.scenes.insert({
      datasetId,
      name: scene.name,
      split: scene.split,
      meta: toJson(scene.meta, `scenes[${index}].meta`),
    });
    for (const view of scene.views) {
      const { name, role, cameraId, syncOffsetFrames } = view;
      const viewId = q.views.insertView({ sceneId, name, role, cameraId, syncOffsetFrames });
      if (view.track) q.views.insertTrack(viewId, view.track);
    }
    for (const segment of scene.segments) {
      q.segments.insert({ sceneId, ...segment, source: 'imported' });
      q.vocabularies.addLabel(actionsId!, { label: segment.label, verb: segment.verb, object: segment.object });
    }
  });
  return datasetId;
}
