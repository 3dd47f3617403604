// Per-frame embeddings of a run's encoder go out as one .npy per view, equal to the frozen per-frame features the
// evaluation computes from the same checkpoint.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../contract/errors';
import { runTraining } from '../../../main/engine/training/runTraining';
import { loadRunEncoder } from '../../../main/engine/weights/runEncoder';
import { frozenEncoderFrameFeatures } from '../../../main/eval/frameFeatures/encoderFrameFeatures';
import { resolveFrameFeatureSettings } from '../../../main/eval/frameFeatures/settings';
import { exportRunEmbeddings } from '../../../main/export/runEmbeddings';
import { readNpyHeader, readNpyRows } from '../../../main/formats/npy';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from '../engine/training/trainingFixture';

let fixture: TrainingFixture;
let datasetId: number;
let runId: number;

beforeAll(async () => {
  const backend = await cpuBackend();
  fixture = createTrainingFixture();
  const name = fixture.addDataset({ scenes: 2, ego: 1, exo: 2 });
  datasetId = fixture.catalog.findDatasetByName(name)!.id;
  const outcome = await runTraining(
    { mode: 'new', step: 1, dataset: name, overrides: tinyOverrides({ steps: 2, checkpointEvery: 1 }) },
    { catalog: fixture.catalog, dataDir: fixture.dataDir, backend },
  );
  runId = outcome.runId;
});
afterAll(() => fixture.cleanup());

describe('exportRunEmbeddings', () => {
  it('writes [frames, D] per view, equal to the frozen per-frame features of the run’s last checkpoint', async () => {
    const out = join(fixture.dataDir, 'embeddings');
    const { files } = await exportRunEmbeddings(fixture.catalog, { datasetId, runId, out });
    expect(files).toHaveLength(6);
    const scene = fixture.catalog.getScene(fixture.catalog.listScenes(datasetId)[0]!.id);
    const view = scene.views[1]!;
    const file = join(out, scene.scene.name, `${view.name}.npy`);
    const frames = view.track!.frameCount!;
    const { encoder } = loadRunEncoder(fixture.catalog, runId);
    try {
      expect(readNpyHeader(file).shape).toEqual([frames, encoder.config.modelDim]);
      const raw = readNpyRows(fixture.catalog.trackFile(view.track!.id, 'feature'), 0, frames);
      const expected = frozenEncoderFrameFeatures(encoder, { data: raw, frames, dim: encoder.config.inputDim }, resolveFrameFeatureSettings());
      const written = readNpyRows(file, 0, frames);
      for (let i = 0; i < written.length; i++) expect(written[i]).toBeCloseTo(expected.data[i]!, 5);
    } finally {
      encoder.dispose();
    }
  });

  it('names the run and the checkpoint steps it has when a step is missing', async () => {
    await expect(exportRunEmbeddings(fixture.catalog, { datasetId, runId, checkpointStep: 7, out: join(fixture.dataDir, 'x') })).rejects.toThrow(
      NotFoundError,
    );
    await expect(exportRunEmbeddings(fixture.catalog, { datasetId, runId, checkpointStep: 7, out: join(fixture.dataDir, 'x') })).rejects.toThrow(
      /run \d+ has no checkpoint at step 7 \(checkpoints: 0, 1, 2\)/,
    );
  });
});
