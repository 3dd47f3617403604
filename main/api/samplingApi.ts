// The sampling panel's methods: what a dataset yields under given clip sampling settings (no feature is read) with
// one scene's windows for drawing, saving the settings as a named config, and listing a dataset's saved configs. Scene descriptions are cached per
// dataset; the cache is cleared whenever this API reports a catalog change (offsets, segments, ...).
import type { ApiImpl, SamplingSettingsInput, SceneDetail } from '../../contract/api';
import { ArgumentError, ConflictError } from '../../contract/errors';
import { sceneTimestamps } from '../engine/sampling/clipWindow';
import { countSampling } from '../engine/sampling/countSampling';
import { FeatureDimensionError, MissingViewsError } from '../engine/sampling/errors';
import { samplingConfigInfo } from '../engine/sampling/savedSampling';
import type { SamplerSettings } from '../engine/sampling/settings';
import { sceneSourceFromDetail, type SceneSource } from '../engine/sampling/sources';
import type { ApiContext } from './apiContext';

type SamplingMethods = Pick<ApiImpl, 'samplingPreview' | 'saveSamplingConfig' | 'listSamplingConfigs'>;

interface DatasetScenes {
  sources: SceneSource[];
  details: Map<number, SceneDetail>;
  viewNames: Set<string>;
  warnings: string[];
}

/** Checks what the argument schema cannot (relations between fields, known view names); errors name the field. */
function samplerSettings(settings: SamplingSettingsInput, viewNames: ReadonlySet<string>): SamplerSettings {
  const { window, stride, scaleMin, scaleMax, clipsPerSet, batchPairs, batchGroups, views } = settings;
  if (scaleMax < scaleMin) throw new ArgumentError(`arguments.settings.scaleMax: expected >= scaleMin (${scaleMin}), got ${scaleMax}`);
  const smallestBatch = Math.min(batchPairs, batchGroups);
  if (clipsPerSet > smallestBatch) {
    throw new ArgumentError(`arguments.settings.clipsPerSet: expected <= the smaller batch size (${smallestBatch}), got ${clipsPerSet}`);
  }
  if (views !== undefined) {
    if (views.length === 0) throw new ArgumentError('arguments.settings.views: expected a non-empty list of view names (or none for all views)');
    const unknown = views.find((name) => !viewNames.has(name));
    if (unknown !== undefined) {
      throw new ArgumentError(`arguments.settings.views: expected names of the dataset's views (${[...viewNames].join(', ')}), got ${JSON.stringify(unknown)}`);
    }
  }
  return {
    sampling: { window, stride, scaleMin, scaleMax, resample: 'linear', clipsPerSet },
    batchPairs,
    batchGroups,
    inputDim: null,
    split: 'train',
    views: views ?? null,
  };
}

/** The methods, and `forgetScenes` to drop the cached scene descriptions after a catalog change. */
export function samplingApi(ctx: ApiContext): { methods: SamplingMethods; forgetScenes(): void } {
  const { catalog } = ctx;
  const cache = new Map<number, DatasetScenes>();

  const datasetScenes = (datasetId: number): DatasetScenes => {
    const cached = cache.get(datasetId);
    if (cached) return cached;
    const details = new Map<number, SceneDetail>();
    const sources: SceneSource[] = [];
    const warnings: string[] = [];
    for (const scene of catalog.getDataset(datasetId).scenes) {
      const detail = catalog.getScene(scene.id);
      details.set(scene.id, detail);
      const { source, warnings: sceneWarnings } = sceneSourceFromDetail(detail);
      sources.push(source);
      warnings.push(...sceneWarnings);
    }
    const viewNames = new Set([...details.values()].flatMap((detail) => detail.views.map((view) => view.name)));
    const entry = { sources, details, viewNames, warnings };
    cache.set(datasetId, entry);
    return entry;
  };

  const methods: SamplingMethods = {
    samplingPreview: ({ datasetId, sceneId, settings }) => {
      const scenes = datasetScenes(datasetId);
      const sampler = samplerSettings(settings, scenes.viewNames);
      if (sceneId !== undefined && !scenes.details.has(sceneId)) {
        const { scene } = catalog.getScene(sceneId);
        throw new ArgumentError(`arguments.sceneId: expected a scene of dataset ${datasetId}, scene ${sceneId} belongs to dataset ${scene.datasetId}`);
      }
      let counts;
      try {
        counts = countSampling(scenes.sources, sampler);
      } catch (error) {
        if (error instanceof MissingViewsError) throw new ArgumentError(`arguments.settings.views: ${error.message}`);
        if (error instanceof FeatureDimensionError) throw new ConflictError(error.message);
        throw error;
      }
      const { window, stride, scaleMin, scaleMax } = settings;
      let sceneWindows: { start: number; minLength: number; maxLength: number }[] = [];
      const source = sceneId === undefined ? undefined : scenes.sources.find((s) => s.sceneId === sceneId);
      if (source) {
        const viewFilter = settings.views ? new Set(settings.views) : null;
        const views = source.views.filter((view) => viewFilter === null || viewFilter.has(view.name));
        const { start, count } = sceneTimestamps(views, window * scaleMax, stride);
        sceneWindows = Array.from({ length: count }, (_, i) => ({ start: start + i * stride, minLength: window * scaleMin, maxLength: window * scaleMax }));
      }
      return {
        windows: counts.windows,
        pairs: counts.pairs,
        groups: counts.groups,
        pairSources: counts.pairSources,
        groupScenes: counts.groupScenes,
        egoPerGroup: counts.egoPerGroup,
        exoPerGroup: counts.exoPerGroup,
        pairBatchesPerEpoch: counts.pairBatchesPerEpoch,
        groupBatchesPerEpoch: counts.groupBatchesPerEpoch,
        warnings: [...scenes.warnings, ...counts.warnings],
        sceneWindows,
      };
    },
    saveSamplingConfig: ({ datasetId, name, config }) => {
      const id = catalog.saveSamplingConfig(datasetId, name, config);
      ctx.emit('catalog.changed', { datasetId, sceneId: null, what: 'samplingConfig' });
      return { id };
    },
    listSamplingConfigs: ({ datasetId }) => catalog.listSamplingConfigs(datasetId).map(samplingConfigInfo),
  };
  return { methods, forgetScenes: () => cache.clear() };
}
