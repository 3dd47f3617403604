// A tiny learnable dataset for training tests: scenes whose views all see one per-scene latent signal z(t)
// (random per frame), each view through a linear map shared by the scene's views plus a smaller view-specific
// one, and a little noise, so ego and exo clips
// of the same moment agree and clips of other moments do not. Stored as .npy files (float32, frame-major, one
// scene's exo view feature-major) in a temporary data folder with a catalog, plus a config small enough to train
// 30 steps in seconds on the cpu backend.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendReport } from '../../../../native/tfBackend';
import { Catalog } from '../../../../main/catalog/Catalog';
import type { DatasetImportSpec, ViewImportSpec } from '../../../../main/catalog/importSpec';
import type { ConfigOverrides } from '../../../../main/engine/config';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { NpyWriter } from '../../../../main/formats/npy';
import { catalogFile } from '../../../../main/paths';

export const FEATURE_DIM = 8;
const LATENT_DIM = 4;
const DEFAULT_FRAMES = 120;

export type DatasetShape = {
  scenes: number;
  ego: number;
  exo: number;
  featureDim?: number;
  frames?: number;
  name?: string;
  /** The last this many scenes are 'test' scenes (default none: every scene is 'train'). */
  testScenes?: number;
};

export type TrainingFixture = {
  dataDir: string;
  catalog: Catalog;
  addDataset(shape: DatasetShape): string;
  cleanup(): void;
};

/** A fresh data folder with an open catalog; datasets are added with addDataset. */
export function createTrainingFixture(): TrainingFixture {
  const dataDir = mkdtempSync(join(tmpdir(), 'evgap-training-'));
  const catalog = Catalog.open(catalogFile(dataDir));
  let datasets = 0;
  return {
    dataDir,
    catalog,
    addDataset(shape) {
      const name = shape.name ?? `tiny${++datasets}`;
      catalog.importDataset(writeDataset(join(dataDir, 'datasets', name), name, shape));
      return name;
    },
    cleanup() {
      catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function writeDataset(root: string, name: string, shape: DatasetShape): DatasetImportSpec {
  mkdirSync(root, { recursive: true });
  const dim = shape.featureDim ?? FEATURE_DIM;
  const frames = shape.frames ?? DEFAULT_FRAMES;
  const random = new SeededRandom(dim * 1000 + shape.scenes * 100 + shape.ego * 10 + shape.exo);
  const scenes = Array.from({ length: shape.scenes }, (_, s) => {
    const latent = random.normalArray(frames * LATENT_DIM, 1); // [T, k]
    const sharedMap = random.normalArray(dim * LATENT_DIM, 1); // [F, k], seen by every view of the scene
    const roles = [...Array<'ego'>(shape.ego).fill('ego'), ...Array<'exo'>(shape.exo).fill('exo')];
    const views: ViewImportSpec[] = roles.map((role, v) => {
      const featureMajor = s === 0 && v === roles.length - 1;
      const file = `s${s}-v${v}.npy`;
      const viewMap = random.normalArray(dim * LATENT_DIM, 0.3).map((value, i) => value + sharedMap[i]!); // [F, k]
      writeView(join(root, file), latent, viewMap, random, frames, dim, featureMajor);
      return {
        name: `${role}${v}`,
        role,
        syncOffsetFrames: 0,
        track: { featurePath: file, featureLayout: featureMajor ? 'FT' : 'TF', featureDtype: 'float32', featureDim: dim, featureFps: 15, frameCount: frames },
      };
    });
    return { name: `scene${s}`, split: s >= shape.scenes - (shape.testScenes ?? 0) ? ('test' as const) : ('train' as const), views, segments: [] };
  });
  return { name, root, format: 'folder', scenes };
}

function writeView(
  path: string,
  latent: Float32Array,
  map: Float32Array,
  random: SeededRandom,
  frames: number,
  dim: number,
  featureMajor: boolean,
): void {
  const values = new Float32Array(frames * dim); // [T, F]
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < dim; f++) {
      let sum = 0.1 * random.normal();
      for (let k = 0; k < LATENT_DIM; k++) sum += map[f * LATENT_DIM + k]! * latent[t * LATENT_DIM + k]!;
      values[t * dim + f] = sum;
    }
  }
  const out = featureMajor ? transpose(values, frames, dim) : values;
  const writer = NpyWriter.create(path, { dtype: 'float32', rows: featureMajor ? dim : frames, cols: featureMajor ? frames : dim });
  writer.writeRows(out);
  writer.close();
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** A config for the tiny dataset: a 2-block encoder of width 16, 4-frame clips, batches of 8 pairs or 4 groups. */
export function tinyOverrides(extra: { steps?: number; checkpointEvery?: number; bias?: 'none' | 'learnable' } = {}): ConfigOverrides {
  const steps = extra.steps ?? 30;
  const checkpointEvery = extra.checkpointEvery ?? 10;
  return {
    encoder: { inputDim: FEATURE_DIM, modelDim: 16, layers: 2, heads: 2, ffDim: 32 },
    sampling: { window: 4, stride: 4, scaleMin: 1, scaleMax: 1, clipsPerSet: 4 },
    step1: { batchPairs: 8, lr: 3e-3, steps, checkpointEvery },
    step2: { batchGroups: 4, lr: 3e-3, steps, checkpointEvery, bias: extra.bias ?? 'none' },
    seed: 7,
  };
}

/** The cpu backend, as loadBackend would report it. */
export async function cpuBackend(): Promise<BackendReport> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', tried: [{ name: 'cpu', ok: true }], details: 'cpu (test)', bf16: { available: false, detail: 'the cpu backend multiplies in float32 only' } };
}
