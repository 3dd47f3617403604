// Cross-view retrieval of a catalog dataset's held-out scenes with one embedder: the raw-feature Base, an encoder
// weights file, or a pre-training run's checkpoint. Loads the scenes and their feature tracks as training does
// (engine/training/trainingData.ts), adds each scene's split, picks the clip geometry (a run's own window and
// stride; otherwise the published w1 = 20, w2 = 100, the window following an encoder's T), and runs
// crossViewRetrieval. The caller activates a TF.js backend first when an encoder is used.
import { readFileSync } from 'node:fs';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import { presets } from '../../engine/config';
import type { Encoder } from '../../engine/encoder/encoder';
import type { SceneSource, SceneSplit } from '../../engine/sampling/sources';
import { loadTrainingData } from '../../engine/training/trainingData';
import { FeatureStore } from '../../features/FeatureStore';
import { crossViewRetrieval, type CrossViewResult } from './crossViewRetrieval';
import { encoderEmbedder, encoderFromSafetensors, rawFeatureEmbedder } from './embedders';
import { loadRunEncoder } from '../../engine/weights/runEncoder';
import type { ClipEmbedder, ClipGeometry } from './evaluationClips';

export type RetrievalEmbedding =
  /** The Base: each window's raw feature rows, mean-pooled and L2-normalized. */
  | { kind: 'raw' }
  /** An encoder weights file (safetensors); heads as in `evgap embed`. */
  | { kind: 'weights'; file: string; heads?: number }
  /** A pre-training run's last checkpoint, or the one at checkpointStep. */
  | { kind: 'run'; runId: number; checkpointStep?: number };

export type DatasetRetrievalRequest = {
  /** The dataset's name in the catalog. */
  dataset: string;
  embedding: RetrievalEmbedding;
  /** The held-out split (default 'test'); null: every scene. */
  split?: SceneSplit | null;
  /** w1 for the raw-feature Base (an encoder's window is its T). */
  window?: number;
  /** w2 (default: the run's, else the published 100). */
  stride?: number;
  ks?: number[];
  onScene?: (done: number, total: number, scene: string) => void;
};

export type DatasetRetrievalReport = CrossViewResult & {
  dataset: string;
  /** What embedded the clips, in words. */
  embedding: string;
};

const published = presets.paper.sampling;

export function evaluateDatasetRetrieval(catalog: Catalog, request: DatasetRetrievalRequest): DatasetRetrievalReport {
  const data = loadTrainingData(catalog, request.dataset);
  const splits = new Map(catalog.listScenes(data.datasetId).map((scene) => [scene.id, scene.split]));
  const scenes: SceneSource[] = data.sources.map((source) => ({ ...source, split: splits.get(source.sceneId) ?? null }));
  const store = new FeatureStore((trackId) => {
    const location = data.locations.get(trackId);
    if (location === undefined) throw new NotFoundError(`track ${trackId} is not a feature track of dataset ${data.datasetName}`);
    return location;
  });
  const split = request.split === undefined ? 'test' : request.split;
  const embedder = openEmbedder(catalog, request);
  try {
    if (embedder.encoder) {
      const evaluated = scenes.filter((scene) => split === null || scene.split === split);
      checkFeatureDims(evaluated, embedder.encoder, embedder.description);
    }
    const result = crossViewRetrieval({
      scenes,
      reader: store,
      geometry: embedder.geometry,
      embed: embedder.embed,
      split,
      ...(request.ks && { ks: request.ks }),
      ...(request.onScene && { onScene: request.onScene }),
    });
    return { dataset: data.datasetName, embedding: embedder.description, ...result, warnings: [...data.warnings, ...result.warnings] };
  } finally {
    embedder.encoder?.dispose();
    store.close();
  }
}

type OpenedEmbedder = { embed: ClipEmbedder; geometry: ClipGeometry; description: string; encoder?: Encoder };

function openEmbedder(catalog: Catalog, request: DatasetRetrievalRequest): OpenedEmbedder {
  const { embedding } = request;
  if (embedding.kind === 'raw') {
    const geometry = { window: request.window ?? published.window, stride: request.stride ?? published.stride, resample: published.resample };
    checkGeometry(geometry);
    return { embed: rawFeatureEmbedder, geometry, description: 'raw features (Base: window mean, L2-normalized)' };
  }
  if (embedding.kind === 'weights') {
    const encoder = encoderFromSafetensors(readWeights(embedding.file), embedding.file, embedding.heads === undefined ? {} : { heads: embedding.heads });
    return withEncoder(encoder, request, request.stride ?? published.stride, published.resample, `encoder ${embedding.file}`);
  }
  const { encoder, config, description } = loadRunEncoder(catalog, embedding.runId, embedding.checkpointStep);
  return withEncoder(encoder, request, request.stride ?? config.sampling.stride, config.sampling.resample, description);
}

function withEncoder(
  encoder: Encoder,
  request: DatasetRetrievalRequest,
  stride: number,
  resample: ClipGeometry['resample'],
  description: string,
): OpenedEmbedder {
  const window = encoder.config.tokens;
  try {
    if (request.window !== undefined && request.window !== window) {
      throw new ArgumentError(`expected window = ${window}, the encoder's T (${description}), got ${request.window}`);
    }
    const geometry = { window, stride, resample };
    checkGeometry(geometry);
    return { embed: encoderEmbedder(encoder), geometry, description, encoder };
  } catch (error) {
    encoder.dispose();
    throw error;
  }
}

function checkGeometry({ window, stride }: ClipGeometry): void {
  if (!Number.isInteger(window) || window < 1) throw new ArgumentError(`expected window >= 1, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1) throw new ArgumentError(`expected stride >= 1, got ${stride}`);
}

function readWeights(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${file}: no such weights file`);
    throw new ArgumentError(`${file}: cannot read the weights file: ${(error as Error).message}`);
  }
}

/** Every evaluated view's F must be the encoder's input size; the error names the first view that differs. */
function checkFeatureDims(scenes: readonly SceneSource[], encoder: Encoder, description: string): void {
  for (const scene of scenes) {
    for (const view of scene.views) {
      if (view.featureDim !== encoder.config.inputDim) {
        throw new ArgumentError(
          `scene ${scene.name} view ${view.name} (track ${view.trackId}): expected features of dimension ` +
            `${encoder.config.inputDim} for the ${description}, got ${view.featureDim}`,
        );
      }
    }
  }
}
