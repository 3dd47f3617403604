// Mixed-precision pre-training (training.precision 'bf16': bf16 operands in the encoder's products, float32 sums,
// weights, optimizer and losses) against the same run in fp32: 300 steps of the demo preset's step 1 on a small demo
// dataset (test/main/pipeline/pipelineFixture.ts), with the same seed and so the same batches. At every logged
// step the bf16 loss is within 2 % of the fp32 loss, and the trained encoders' held-out cross-view Recall@1 (over
// both directions' queries) is within 2 points, each direction alone within 3 (the test says why). The run records
// say which precision ran. Needs the native addon's bf16 kernel: where it is missing the test fails under CI=true
// with the reason, and is skipped (saying why) elsewhere.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDatasetRetrieval } from '../../main/eval/retrieval/datasetRetrieval';
import { runTraining } from '../../main/engine/training/runTraining';
import { bf16Variable, loadMatMulAddon } from '../../native/matmul/index';
import { loadBackend, type BackendReport } from '../../native/tfBackend';
import { createPipelineFixture, type PipelineFixture } from '../main/pipeline/pipelineFixture';
import { matmulAddon, needs, precondition } from '../preconditions';

// The CPUs this project is tested on run AVX512_BF16 even where a hypervisor hides it from CPUID.
process.env[bf16Variable] = 'probe';
const load = loadMatMulAddon();
const bf16Kernel = precondition('bf16-kernel', () => {
  if (!load.ok) return `needs the native addon (${load.reason})`;
  const bf16 = load.addon.info().bf16;
  return bf16.enabled ? null : bf16.detail;
});

needs(matmulAddon(load), bf16Kernel).describe('bf16 mixed-precision pre-training', () => {
  let fixture: PipelineFixture;
  let backend: BackendReport;

  beforeAll(async () => {
    backend = await loadBackend({ force: 'wasm' });
    expect(backend.bf16.available, backend.bf16.detail).toBe(true);
    fixture = await createPipelineFixture();
  }, 600_000);

  afterAll(() => fixture?.cleanup());

  async function train(precision: 'fp32' | 'bf16'): Promise<number> {
    const outcome = await runTraining(
      { mode: 'new', step: 1, dataset: fixture.dataset, preset: 'demo', overrides: { training: { precision } } },
      { catalog: fixture.catalog, dataDir: fixture.dataDir, backend },
    );
    expect(outcome.status, outcome.error).toBe('completed');
    return outcome.runId;
  }

  it('follows the fp32 loss curve within 2 % at every logged step, and retrieval within 2 points', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const fp32Run = await train('fp32');
    const bf16Run = await train('bf16');
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const record = fixture.catalog.getRun(bf16Run).backendReport as { precision: { used: string } };
    expect(record.precision.used).toBe('bf16');
    expect((fixture.catalog.getRun(fp32Run).backendReport as { precision: { used: string } }).precision.used).toBe('fp32');

    const fp32Losses = fixture.catalog.runMetrics(fp32Run, ['loss']);
    const bf16Losses = fixture.catalog.runMetrics(bf16Run, ['loss']);
    expect(fp32Losses.length).toBe(300);
    expect(bf16Losses.map((row) => row.step)).toEqual(fp32Losses.map((row) => row.step));
    const worst = fp32Losses.reduce((most, row, i) => Math.max(most, Math.abs(bf16Losses[i]!.value - row.value) / row.value), 0);
    expect(worst, 'largest relative difference of the step losses').toBeLessThanOrEqual(0.02);
    // The curves must have moved: a loss that did not fall would make the comparison meaningless.
    expect(fp32Losses.at(-1)!.value).toBeLessThan(0.8 * fp32Losses[0]!.value);

    const recall = (runId: number) => {
      const { mean } = evaluateDatasetRetrieval(fixture.catalog, { dataset: fixture.dataset, embedding: { kind: 'run', runId } });
      return [mean.egoToExo.recallAt[1]!, mean.exoToEgo.recallAt[1]!];
    };
    const [fp32Recall, bf16Recall] = [recall(fp32Run), recall(bf16Run)];
    const mean = (values: number[]) => (values[0]! + values[1]!) / 2;
    console.log(
      `bf16 vs fp32 after 300 steps: largest step-loss difference ${(100 * worst).toFixed(2)} %; R@1 ego→exo ${bf16Recall[0]!.toFixed(1)} vs ` +
        `${fp32Recall[0]!.toFixed(1)}, exo→ego ${bf16Recall[1]!.toFixed(1)} vs ${fp32Recall[1]!.toFixed(1)}, both directions ` +
        `${mean(bf16Recall).toFixed(2)} vs ${mean(fp32Recall).toFixed(2)}`,
    );
    // Retrieval as one figure, R@1 over both directions' queries, within 2 points. Each direction alone has 396
    // queries here, whose R@1 has a sampling error of about 2.4 points at R@1 ≈ 35 %: two encoders whose losses agree
    // to 0.5 % were measured 2.02 points apart in one direction and equal in the other. So each direction is held
    // to 3 points.
    expect(Math.abs(mean(bf16Recall) - mean(fp32Recall)), 'R@1 over both directions').toBeLessThanOrEqual(2);
    fp32Recall.forEach((value, i) => expect(Math.abs(bf16Recall[i]! - value), `R@1 ${i === 0 ? 'ego→exo' : 'exo→ego'}: bf16 ${bf16Recall[i]} vs fp32 ${value}`).toBeLessThanOrEqual(3));
  }, 600_000); // ~20 s of CPU; the limit leaves room for a loaded machine
});
