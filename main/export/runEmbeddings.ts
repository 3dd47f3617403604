// Per-frame embeddings of a pre-training run's encoder for every view of a dataset, as `<out>/<scene>/<view>.npy`
// ([frames, D] float32): the track's frames are read in chunks from the feature store and embedded frozen
// (frameFeatures: 'tokens' — final-layer token outputs over windows of T frames tiled within the chunk — or
// 'sliding-cls'), so a dataset's embeddings leave the app for other tools without any track being whole in memory.
import type { Catalog } from '../catalog/Catalog';
import { FeatureStore } from '../features/FeatureStore';
import { trackLocation } from '../features/trackLocation';
import { frozenEncoderFrameFeatures } from '../eval/frameFeatures/encoderFrameFeatures';
import { resolveFrameFeatureSettings, type FrameFeatureMethod } from '../eval/frameFeatures/settings';
import { loadRunEncoder } from '../engine/weights/runEncoder';
import type { ImportControl } from '../importers/common/progress';
import { exportEmbeddings } from './embeddingExport';

export interface RunEmbeddingExport extends ImportControl {
  datasetId: number;
  runId: number;
  checkpointStep?: number;
  out: string;
  method?: FrameFeatureMethod;
}

export async function exportRunEmbeddings(catalog: Catalog, request: RunEmbeddingExport): Promise<{ files: string[]; encoder: string }> {
  const dataset = catalog.getDataset(request.datasetId).dataset;
  const { encoder, description } = loadRunEncoder(catalog, request.runId, request.checkpointStep);
  const locations = new Map(
    catalog.listScenes(dataset.id).flatMap((summary) => {
      const scene = catalog.getScene(summary.id);
      return scene.views
        .filter((view) => view.track && (view.track.frameCount ?? 0) > 0)
        .map((view) => [view.track!.id, trackLocation(catalog, dataset.format, scene, view)] as const);
    }),
  );
  const store = new FeatureStore((trackId) => locations.get(trackId)!);
  const settings = resolveFrameFeatureSettings(request.method === undefined ? {} : { method: request.method });
  try {
    const files = await exportEmbeddings(
      catalog,
      dataset.id,
      request.out,
      (track, start, end) => {
        const dim = store.track(track.trackId).dim;
        return frozenEncoderFrameFeatures(encoder, { data: store.readFrames(track.trackId, start, end), frames: end - start, dim }, settings).data;
      },
      { ...(request.onProgress && { onProgress: request.onProgress }), ...(request.signal && { signal: request.signal }) },
    );
    return { files, encoder: description };
  } finally {
    store.close();
    encoder.dispose();
  }
}
