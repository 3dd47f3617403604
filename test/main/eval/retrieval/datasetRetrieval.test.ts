import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import type { SceneImportSpec } from '../../../../main/catalog/importSpec';
import type { CliIO } from '../../../../main/cli/commandLine';
import { retrievalCommand } from '../../../../main/cli/commands/retrieval';
import { resolveConfig } from '../../../../main/engine/config';
import { createEncoder } from '../../../../main/engine/encoder/encoder';
import { encodeEncoderSafetensors } from '../../../../main/engine/weights/encoderWeights';
import { readSafetensors, writeSafetensors } from '../../../../main/engine/weights/safetensors';
import { evaluateDatasetRetrieval } from '../../../../main/eval/retrieval/datasetRetrieval';
import { NpyWriter } from '../../../../main/formats/npy';
import { catalogFile } from '../../../../main/paths';

const dim = 6;
const frames = 400;
const views = [
  { name: 'ego-a', role: 'ego' as const, offset: 0 },
  { name: 'ego-b', role: 'ego' as const, offset: 5 },
  { name: 'exo-a', role: 'exo' as const, offset: 12 },
  { name: 'exo-b', role: 'exo' as const, offset: 2 },
];

let dataDir: string;
let catalog: Catalog;
let weightsFile: string;

/** A scene whose views all show one random content sequence, each shifted by its sync offset. */
function writeScene(root: string, name: string, split: 'train' | 'test', seed: number): SceneImportSpec {
  const content = tf.randomNormal([frames, dim], 0, 1, 'float32', seed);
  const values = content.dataSync() as Float32Array;
  content.dispose();
  return {
    name,
    split,
    segments: [],
    views: views.map((view) => {
      const featurePath = `features/${name}-${view.name}.npy`;
      const writer = NpyWriter.create(join(root, featurePath), { dtype: 'float32', rows: frames, cols: dim });
      const rows = new Float32Array(frames * dim);
      for (let f = 0; f < frames; f++) {
        const t = f - view.offset;
        rows.set(t >= 0 ? values.subarray(t * dim, (t + 1) * dim) : new Float32Array(dim).fill(-f), f * dim);
      }
      writer.writeRows(rows);
      writer.close();
      return { ...view, syncOffsetFrames: view.offset, track: { featurePath, featureDim: dim, featureFps: 30, frameCount: frames } };
    }),
  };
}

function captured(): { io: CliIO; stdout: () => string } {
  let stdout = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: () => true, isTTY: false },
    env: {},
    untilStopped: () => new Promise(() => {}),
  };
  return { io, stdout: () => stdout };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-retrieval-'));
  const root = join(dataDir, 'datasets', 'synced');
  mkdirSync(join(root, 'features'), { recursive: true });
  catalog = Catalog.open(catalogFile(dataDir));
  catalog.importDataset({
    name: 'synced',
    root,
    format: 'folder',
    scenes: [writeScene(root, 'held-out-1', 'test', 1), writeScene(root, 'held-out-2', 'test', 2), writeScene(root, 'seen', 'train', 3)],
  });
  const encoder = createEncoder({ inputDim: dim, modelDim: 16, layers: 2, heads: 4, ffDim: 32, tokens: 10, layerNormEps: 1e-5, posEmbed: 'learned' }, 4);
  weightsFile = join(dataDir, 'encoder.safetensors');
  writeFileSync(weightsFile, encodeEncoderSafetensors(encoder));
  encoder.dispose();
});

afterAll(() => {
  catalog.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('evaluateDatasetRetrieval', () => {
  it('evaluates the test scenes of a catalog dataset with raw features, offsets applied', () => {
    const report = evaluateDatasetRetrieval(catalog, { dataset: 'synced', embedding: { kind: 'raw' }, stride: 40 });
    expect(report.scenes).toBe(2);
    expect(report.window).toBe(20);
    expect(report.embedding).toMatch(/^raw features \(Base/);
    expect(report.pairs).toHaveLength(4);
    expect(report.mean.egoToExo.recallAt[1]).toBe(100);
    expect(report.mean.exoToEgo.recallAt[1]).toBe(100);
    expect(report.pairs[0]!.perScene.map((s) => s.scene)).toEqual(['held-out-1', 'held-out-2']);
  });

  it('evaluates with an encoder weights file, its T as the window', () => {
    const report = evaluateDatasetRetrieval(catalog, { dataset: 'synced', embedding: { kind: 'weights', file: weightsFile }, stride: 40, split: null });
    expect(report.scenes).toBe(3);
    expect(report.window).toBe(10);
    expect(report.mean.egoToExo.recallAt[1]).toBe(100);
  });

  it("evaluates a run's checkpoint with the run's window and stride", () => {
    const config = resolveConfig('demo', {
      encoder: { inputDim: dim, modelDim: 16, layers: 2, heads: 4, ffDim: 32 },
      sampling: { window: 10, stride: 30 },
    });
    const datasetId = catalog.findDatasetByName('synced')!.id;
    const runId = catalog.createRun({ datasetId, kind: 'pretrain-step1', config, seed: 1, backend: 'cpu' });
    catalog.addCheckpoint(runId, { step: 5, path: weightsFile });
    const report = evaluateDatasetRetrieval(catalog, { dataset: 'synced', embedding: { kind: 'run', runId } });
    expect(report.embedding).toBe(`encoder of run ${runId} (pretrain-step1) at step 5, ${weightsFile}`);
    expect([report.window, report.stride]).toEqual([10, 30]);
    expect(report.mean.exoToEgo.recallAt[1]).toBe(100);
    expect(() => evaluateDatasetRetrieval(catalog, { dataset: 'synced', embedding: { kind: 'run', runId, checkpointStep: 7 } })).toThrow(
      `run ${runId} has no checkpoint at step 7 (checkpoints: 5)`,
    );
  });

  it('refuses a window that differs from the encoder\'s T', () => {
    expect(() => evaluateDatasetRetrieval(catalog, { dataset: 'synced', embedding: { kind: 'weights', file: weightsFile }, window: 20 })).toThrow(
      /expected window = 10, the encoder's T \(encoder .*encoder\.safetensors\), got 20/,
    );
  });
});

describe('evgap retrieval', () => {
  it('prints the per-pair table with chance, and the mean', async () => {
    const { io, stdout } = captured();
    const code = await retrievalCommand.run(['--dataset', 'synced', '--stride', '40', '--data', dataDir], io);
    expect(code).toBe(0);
    const text = stdout();
    expect(text).toContain('Cross-view retrieval on synced, split test: 2 scene(s), clips of 20 frames every 40 (scale 1)');
    expect(text).toMatch(/^EGO\s+EXO\s+DIRECTION\s+R@1\s+R@5\s+R@10\s+MEDIAN RANK\s+SCENES\s+QUERIES$/m);
    expect(text).toMatch(/^ego-a\s+exo-a\s+ego→exo\s+100\.0 \(\d+\.\d\)/m);
    expect(text).toMatch(/^mean \(4 pairs\)\s+ego→exo\s+100\.0 /m);
  });

  it('prints JSON with --json and takes --weights', async () => {
    const { io, stdout } = captured();
    const code = await retrievalCommand.run(['--dataset', 'synced', '--weights', weightsFile, '--backend', 'cpu', '--json', '--data', dataDir], io);
    expect(code).toBe(0);
    const report = JSON.parse(stdout());
    expect(report.dataset).toBe('synced');
    expect(report.window).toBe(10);
    expect(report.stride).toBe(100);
    expect(report.mean.egoToExo.recallAt['1']).toBe(100);
    expect(report.pairs[0].perScene).toHaveLength(2);
  });

  it('needs --heads for weights that record no head count', async () => {
    const plain = join(dataDir, 'plain.safetensors');
    writeFileSync(plain, writeSafetensors(readSafetensors(readFileSync(weightsFile)).tensors));
    const { io, stdout } = captured();
    await expect(retrievalCommand.run(['--dataset', 'synced', '--weights', plain, '--backend', 'cpu', '--data', dataDir], io)).rejects.toThrow(
      `${plain}: the number of attention heads is not recorded (no __metadata__.evgap.encoder_config) and the shapes cannot tell it`,
    );
    const code = await retrievalCommand.run(['--dataset', 'synced', '--weights', plain, '--heads', '4', '--backend', 'cpu', '--json', '--data', dataDir], io);
    expect(code).toBe(0);
    expect(JSON.parse(stdout()).mean.egoToExo.recallAt['1']).toBe(100);
  });

  it('refuses a NaN in a feature track, naming scene, view, clip and frame', async () => {
    const root = join(dataDir, 'datasets', 'nan');
    mkdirSync(join(root, 'features'), { recursive: true });
    const scene = writeScene(root, 'held-out', 'test', 5);
    const exo = scene.views.find((v) => v.name === 'exo-b')!;
    const rows = new Float32Array(frames * dim);
    rows[(83 * dim) + 4] = Number.NaN;
    const writer = NpyWriter.create(join(root, exo.track!.featurePath!), { dtype: 'float32', rows: frames, cols: dim });
    writer.writeRows(rows);
    writer.close();
    catalog.importDataset({ name: 'with-nan', root, format: 'folder', scenes: [scene] });
    const trackId = catalog.getScene(catalog.listScenes(catalog.findDatasetByName('with-nan')!.id)[0]!.id).views.find((v) => v.name === 'exo-b')!.track!.id;
    // Clips every 40 frames from scene time 0; exo-b reads view frames t + 2, so view frame 83 is in clip 2 (scene frames
    // 80..99): token 0 is view frame 82 exactly (a frame at weight 0 is not read), token 1 mixes in frame 83.
    expect(() => evaluateDatasetRetrieval(catalog, { dataset: 'with-nan', embedding: { kind: 'raw' }, stride: 40 })).toThrow(
      `scene held-out view exo-b (track ${trackId}): clip 2 (scene frame 80) holds NaN at frame 1, feature 4: expected finite features`,
    );
  });

  it('rejects --run with --weights, and an unknown split', async () => {
    const { io } = captured();
    await expect(retrievalCommand.run(['--dataset', 'synced', '--run', '1', '--weights', weightsFile], io)).rejects.toThrow(
      'give --run or --weights, not both',
    );
    await expect(retrievalCommand.run(['--dataset', 'synced', '--split', 'dev'], io)).rejects.toThrow(
      '--split: expected one of test, val, train, all, got "dev"',
    );
  });
});
