// What every evaluation stage of the pipeline reads, loaded once: the dataset's scenes as sampling sources with
// their splits, a feature store over their tracks, each scene's segments and the frames they annotate, the class
// lists (actions for segmentation; verbs, objects and actions for anticipation) and the frame rate. It also
// checks, before the pipeline writes anything, that the dataset can be evaluated at all (train and test scenes,
// frame-synchronized ego and exo views, one feature size) and that every requested held-out view exists.
import { ArgumentError, NotFoundError } from '../../contract/errors';
import type { Role, SegmentInfo } from '../../contract/api';
import type { Catalog } from '../catalog/Catalog';
import { sceneSourceFromDetail, type SceneSource, type SourceView } from '../engine/sampling/sources';
import { loadTrainingData } from '../engine/training/trainingData';
import { FeatureStore } from '../features/FeatureStore';
import { sharedSceneFrames, type SceneFrameRange } from '../eval/frameFeatures/sceneFrames';

export type EvaluationScene = {
  source: SceneSource;
  segments: SegmentInfo[];
  /** Scene frames every view covers and the segments annotate: the frames all heads train and test on. */
  range: SceneFrameRange;
};

export type EvaluationData = {
  datasetId: number;
  datasetName: string;
  featureDim: number;
  fps: number;
  train: EvaluationScene[];
  test: EvaluationScene[];
  /** Every scene as a source with its split (retrieval picks the test split itself). */
  sources: SceneSource[];
  /** View names of the evaluated scenes by role, sorted. */
  views: Record<Role, string[]>;
  actions: string[];
  /** The class of frames no segment covers (one of `actions`); undefined: such frames are an error. */
  unlabeled?: string;
  verbs: string[];
  objects: string[];
  store: FeatureStore;
  warnings: string[];
};

export type DatasetFacts = Pick<EvaluationData, 'datasetId' | 'datasetName' | 'featureDim' | 'views'>;

/** Checks the dataset without opening a feature file: what runPipeline validates before creating its run. */
export function inspectDataset(catalog: Catalog, datasetName: string): DatasetFacts & { sources: SceneSource[] } {
  const dataset = catalog.findDatasetByName(datasetName);
  if (dataset === undefined) throw new NotFoundError(`no dataset named ${JSON.stringify(datasetName)} in the catalog`);
  const sources = catalog.listScenes(dataset.id).map((summary) => sceneSource(catalog, summary.id));
  const bySplit = (split: string) => sources.filter((s) => s.split === split);
  for (const split of ['train', 'test']) {
    if (bySplit(split).length === 0) {
      throw new ArgumentError(`dataset ${datasetName}: the pipeline needs 'train' and 'test' scenes, it has no '${split}' scene`);
    }
  }
  const evaluated = [...bySplit('train'), ...bySplit('test')];
  const dims = new Set(evaluated.flatMap((s) => s.views.map((v) => v.featureDim)));
  if (dims.size !== 1) {
    throw new ArgumentError(`dataset ${datasetName}: expected one feature dimension in every view, got ${[...dims].join(', ') || 'no feature tracks'}`);
  }
  const views: Record<Role, string[]> = { ego: [], exo: [] };
  for (const role of ['ego', 'exo'] as const) {
    views[role] = [...new Set(evaluated.flatMap((s) => s.views.filter((v) => v.role === role).map((v) => v.name)))].sort();
    if (views[role].length === 0) throw new ArgumentError(`dataset ${datasetName}: the pipeline needs ${role} views, the dataset has none`);
  }
  return { datasetId: dataset.id, datasetName: dataset.name, featureDim: [...dims][0]!, views, sources };
}

/** The default held-out views (the first two ego and the first two exo cameras by name), or the requested ones checked. */
export function resolveHeldOutViews(facts: DatasetFacts, requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...facts.views.ego.slice(0, 2), ...facts.views.exo.slice(0, 2)];
  if (!Array.isArray(requested) || requested.length === 0) throw new ArgumentError('heldOutViews: expected at least one view name, got none');
  const known = [...facts.views.ego, ...facts.views.exo];
  for (const view of requested) {
    if (!known.includes(view)) {
      throw new ArgumentError(`heldOutViews: dataset ${facts.datasetName} has no view ${JSON.stringify(view)} (its views: ${known.join(', ')})`);
    }
  }
  if (new Set(requested).size !== requested.length) throw new ArgumentError(`heldOutViews: expected distinct view names, got ${requested.join(', ')}`);
  return [...requested];
}

/** Loads the scenes, tracks (headers checked), segments and vocabularies (with `unlabeled`, the class of frames in
 *  no segment, among the actions); the caller closes `store`. */
export function loadEvaluationData(catalog: Catalog, datasetName: string, unlabeled?: string): EvaluationData {
  const facts = inspectDataset(catalog, datasetName);
  const data = loadTrainingData(catalog, datasetName);
  const splits = new Map(facts.sources.map((s) => [s.sceneId, s.split]));
  const sources = data.sources.map((source) => ({ ...source, split: splits.get(source.sceneId) ?? null }));
  const scenes = (split: 'train' | 'test') =>
    sources.filter((s) => s.split === split && !s.pairOnly).map((source) => evaluationScene(catalog, source));
  const train = scenes('train').filter((s) => s.range.end > s.range.start);
  const test = scenes('test').filter((s) => s.range.end > s.range.start);
  if (train.length === 0 || test.length === 0) {
    throw new ArgumentError(`dataset ${datasetName}: expected annotated, frame-synchronized train and test scenes, got ${train.length} and ${test.length}`);
  }
  const vocabulary = catalog.listVocabulary(data.datasetId);
  const segments = [...train, ...test].flatMap((s) => s.segments);
  const labelled = (pick: (s: { verb: string | null; object: string | null }) => string | null) =>
    [...new Set([...vocabulary.map(pick), ...segments.map(pick)].filter((v): v is string => v !== null && v !== ''))].sort();
  const actions = [...new Set([...vocabulary.map((v) => v.label), ...segments.map((s) => s.label), ...(unlabeled === undefined ? [] : [unlabeled])])].sort();
  const fps = frameRate(catalog, sources);
  const store = new FeatureStore((trackId) => {
    const location = data.locations.get(trackId);
    if (location === undefined) throw new NotFoundError(`track ${trackId} is not a feature track of dataset ${datasetName}`);
    return location;
  });
  return {
    datasetId: facts.datasetId,
    datasetName: facts.datasetName,
    featureDim: facts.featureDim,
    fps,
    train,
    test,
    sources,
    views: facts.views,
    actions,
    ...(unlabeled !== undefined && { unlabeled }),
    verbs: labelled((s) => s.verb),
    objects: labelled((s) => s.object),
    store,
    warnings: data.warnings,
  };
}

/** The views of a scene with the given names, in the order asked (those it lacks left out). */
export function viewsNamed(scene: EvaluationScene, names: readonly string[]): SourceView[] {
  return names.map((name) => scene.source.views.find((v) => v.name === name)).filter((v): v is SourceView => v !== undefined);
}

function evaluationScene(catalog: Catalog, source: SceneSource): EvaluationScene {
  const segments = catalog.getScene(source.sceneId).segments;
  if (source.views.length === 0 || segments.length === 0) return { source, segments, range: { start: 0, end: 0 } };
  const shared = sharedSceneFrames(source.views);
  const start = Math.max(shared.start, Math.min(...segments.map((s) => s.startFrame)));
  const end = Math.min(shared.end, Math.max(...segments.map((s) => s.endFrame)));
  return { source, segments, range: end > start ? { start, end } : { start, end: start } };
}

function sceneSource(catalog: Catalog, sceneId: number): SceneSource {
  return sceneSourceFromDetail(catalog.getScene(sceneId)).source;
}

/** The feature tracks' frame rate (anticipation's 1 s lead is counted in frames); the tracks must agree. */
function frameRate(catalog: Catalog, sources: readonly SceneSource[]): number {
  const rates = new Set<number>();
  for (const source of sources) {
    for (const view of catalog.getScene(source.sceneId).views) if (view.track?.featureFps) rates.add(view.track.featureFps);
  }
  if (rates.size > 1) throw new ArgumentError(`expected one feature frame rate, got ${[...rates].join(', ')} fps`);
  return [...rates][0] ?? 30;
}
