// Checkpoint files: atomic replacement (no torn or temporary file left behind) and an exact round trip of the
// weights, loss scalars, optimizer moments and step counts into a fresh state.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../../main/engine/config';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { removeInterruptedWrites, writeFileAtomic } from '../../../../main/engine/training/atomicFile';
import { readCheckpoint, restoreCheckpoint, saveCheckpoint } from '../../../../main/engine/training/checkpoint';
import { trainGroupStep } from '../../../../main/engine/training/trainingStep';
import { createTrainingState, disposeTrainingState, type TrainingState } from '../../../../main/engine/training/trainingState';
import { cpuBackend, FEATURE_DIM, tinyOverrides } from './trainingFixture';

const folder = mkdtempSync(join(tmpdir(), 'evgap-checkpoint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeAll(cpuBackend);

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const path = join(folder, 'atomic.bin');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(folder).filter((name) => name.includes('atomic'))).toEqual(['atomic.bin']);
  });

  it('leaves the old file when the write fails', async () => {
    const path = join(folder, 'kept.txt');
    writeFileSync(path, 'old');
    await expect(writeFileAtomic(join(folder, 'missing', 'kept.txt'), 'new')).rejects.toThrow(/ENOENT/);
    await expect(writeFileAtomic(path, 42 as unknown as string)).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(folder).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('finds and removes what an interrupted write left', async () => {
    writeFileSync(join(folder, '.ckpt-5.safetensors.1a2b3c4d.partial'), 'torn');
    expect(await removeInterruptedWrites(folder)).toEqual(['.ckpt-5.safetensors.1a2b3c4d.partial']);
    expect(readdirSync(folder).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});

describe('saveCheckpoint / readCheckpoint', () => {
  const config = resolveConfig('demo', tinyOverrides({ bias: 'learnable' }));
  const T = config.encoder.tokens;

  function trainedState(): TrainingState {
    const state = createTrainingState(config, 2);
    const random = new SeededRandom(5);
    for (let i = 0; i < 2; i++) {
      trainGroupStep(state, {
        epoch: 0,
        batchIndex: i,
        egoShape: [4, 1, T, FEATURE_DIM],
        exoShape: [4, 2, T, FEATURE_DIM],
        ego: random.normalArray(4 * T * FEATURE_DIM, 1),
        exo: random.normalArray(8 * T * FEATURE_DIM, 1),
        groups: [],
      });
    }
    return state;
  }

  it('restores weights, s, b, optimizer moments and step counts exactly', async () => {
    const original = trainedState();
    const saved = await saveCheckpoint(join(folder, 'run'), original, {
      runId: 3,
      kind: 'pretrain-step2',
      sampler: { epoch: 1, batchIndex: 2 },
      initializedFrom: { runId: 1, step: 30 },
    });
    expect(saved.path).toBe(join(folder, 'run', 'ckpt-2.safetensors'));
    const contents = await readCheckpoint(saved.path);
    expect(contents.sidecar).toMatchObject({ step: 2, runId: 3, sampler: { epoch: 1, batchIndex: 2 }, initializedFrom: { runId: 1, step: 30 } });

    const restored = createTrainingState(config, 2);
    restoreCheckpoint(restored, contents, saved.path);
    expect(restored.updates).toBe(2);
    for (const [name, variable] of original.params) {
      expect(restored.params.get(name)!.dataSync(), name).toEqual(variable.dataSync());
    }
    expect(restored.optimizer.exportState()).toEqual(original.optimizer.exportState());
    const before = tf.memory().numTensors;
    disposeTrainingState(original);
    disposeTrainingState(restored);
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('names the missing file of an incomplete checkpoint', async () => {
    await expect(readCheckpoint(join(folder, 'run', 'ckpt-99.safetensors'))).rejects.toThrow(/ckpt-99\.json/);
  });
});
