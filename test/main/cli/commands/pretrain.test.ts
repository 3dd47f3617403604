// `evgap pretrain` in-process: flags that do not fit together are usage errors, bad input fails before a run is
// recorded, a short run prints the backend and its events and completes, and a stop signal cancels it cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../../main/cli/commandLine';
import { pretrainCommand, pretrainRequest } from '../../../../main/cli/commands/pretrain';
import { createTrainingFixture, type TrainingFixture } from '../../engine/training/trainingFixture';

let fixture: TrainingFixture;
let dataset: string;

beforeAll(() => {
  fixture = createTrainingFixture();
  // Enough for the demo preset: 2048-d features, 10 windows of stride 100 per view, 7 pair sources for 7 sets of 10.
  dataset = fixture.addDataset({ scenes: 1, ego: 1, exo: 7, featureDim: 2048, frames: 1000 });
});
afterAll(() => fixture.cleanup());

async function pretrain(args: string[], stop?: Promise<string>) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    untilStopped: () => stop ?? new Promise<string>(() => {}),
  };
  const code = await pretrainCommand.run([...args, '--data', fixture.dataDir, '--backend', 'wasm'], io).catch((error: Error) => error);
  return { code, stdout, stderr };
}

describe('evgap pretrain', () => {
  it('turns flags into a training request, refusing ones that do not fit', () => {
    expect(pretrainRequest({ step: '2', dataset: ['d'], init: '4:200', steps: '9' })).toEqual({
      mode: 'new',
      step: 2,
      dataset: 'd',
      init: { runId: 4, checkpointStep: 200 },
      overrides: { step2: { steps: 9 } },
    });
    expect(pretrainRequest({ step: '1', dataset: ['a', 'b'], mix: 'a=0.25, b=0.75' })).toEqual({
      mode: 'new',
      step: 1,
      dataset: 'a',
      extraDatasets: ['b'],
      mix: [{ dataset: 'a', proportion: 0.25 }, { dataset: 'b', proportion: 0.75 }],
    });
    expect(pretrainRequest({ resume: '3' })).toEqual({ mode: 'resume', runId: 3 });
    expect(() => pretrainRequest({ dataset: ['d'] })).toThrow(/--step: expected 1 or 2, got nothing/);
    expect(() => pretrainRequest({ step: '1' })).toThrow(/missing --dataset/);
    expect(() => pretrainRequest({ resume: '3', dataset: ['d'] })).toThrow(/leave out --dataset/);
    expect(() => pretrainRequest({ step: '2', dataset: ['d'], init: 'x' })).toThrow(/--init: expected RUN or RUN:STEP/);
    expect(() => pretrainRequest({ step: '1', dataset: ['d'], preset: 'huge' })).toThrow(/--preset: expected one of demo, paper/);
    expect(() => pretrainRequest({ step: '2', dataset: ['a', 'b'] })).toThrow(/only step 1 trains on several datasets/);
    expect(() => pretrainRequest({ step: '1', dataset: ['a'], mix: 'a=1' })).toThrow(/--mix needs step 1 on several datasets/);
    expect(() => pretrainRequest({ step: '1', dataset: ['a', 'b'], mix: 'a=1,b' })).toThrow(/--mix: expected NAME=PROPORTION pairs .*got "b"/);
    expect(() => pretrainRequest({ step: '1', dataset: ['a', 'b'], mix: 'a=0,b=1' })).toThrow(/positive proportions/);
    expect(pretrainRequest({ step: '1', dataset: ['d'], steps: '5', precision: 'bf16' })).toEqual({
      mode: 'new',
      step: 1,
      dataset: 'd',
      overrides: { step1: { steps: 5 }, training: { precision: 'bf16' } },
    });
    expect(pretrainRequest({ resume: '3', precision: 'fp32' })).toEqual({ mode: 'resume', runId: 3, overrides: { training: { precision: 'fp32' } } });
    expect(() => pretrainRequest({ step: '1', dataset: ['d'], precision: 'fp16' })).toThrow(/--precision: expected one of fp32, bf16/);
  });

  it('fails on bad input before recording a run', async () => {
    const result = await pretrain(['--step', '2', '--dataset', dataset, '--init', '1']);
    expect(result.code).toBeInstanceOf(Error);
    expect((result.code as Error).message).toMatch(/no run with id 1/);
    expect(fixture.catalog.listRuns()).toEqual([]);
  });

  it('prints the precision that runs, and records it with the run', async () => {
    const result = await pretrain(['--step', '1', '--dataset', dataset, '--steps', '1', '--precision', 'bf16']);
    expect(result.code).toBe(0);
    const printed = /Precision: (.*)/.exec(result.stderr)?.[1];
    expect(printed).toMatch(/^(bf16 matrix products, float32 sums|fp32 \(bf16 requested: )/);
    const run = fixture.catalog.listRuns().at(-1)!;
    expect(fixture.catalog.getRun(run.id).config).toMatchObject({ training: { precision: 'bf16' } });
    expect(fixture.catalog.getRun(run.id).backendReport).toMatchObject({ precision: { requested: 'bf16', note: printed } });
  });

  it('prints the backend and its reason, streams JSON events and completes', async () => {
    const result = await pretrain(['--step', '1', '--dataset', dataset, '--steps', '2', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Backend: wasm \(@tensorflow\/tfjs-backend-wasm/);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(events.filter((e) => e.type === 'progress').map((e) => e.step)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'completed', step: 2 });
    expect(fixture.catalog.getRun(events.at(-1).runId)).toMatchObject({ kind: 'pretrain-step1', status: 'completed' });
  });

  it('trains with a saved sampling config named by --sampling-config, and names the saved ones when it is not found', async () => {
    const datasetId = fixture.catalog.findDatasetByName(dataset)!.id;
    fixture.catalog.saveSamplingConfig(datasetId, 'short', {
      preset: 'demo',
      overrides: { sampling: { window: 10, stride: 50, scaleMin: 1, scaleMax: 1, clipsPerSet: 4 }, step1: { batchPairs: 8 }, step2: { batchGroups: 4 } },
      views: ['ego0', 'exo1', 'exo2'],
    });
    const missing = await pretrain(['--step', '1', '--dataset', dataset, '--steps', '1', '--sampling-config', 'long']);
    expect((missing.code as Error).message).toBe(`--sampling-config: dataset ${dataset} has no saved sampling config named "long" (saved: "short")`);
    const result = await pretrain(['--step', '1', '--dataset', dataset, '--steps', '1', '--sampling-config', 'short']);
    expect(result.code).toBe(0);
    const run = fixture.catalog.getRun(fixture.catalog.listRuns()[0]!.id);
    expect(run.config).toMatchObject({ sampling: { window: 10, stride: 50 }, step1: { batchPairs: 8 }, samplingConfig: { name: 'short', settings: { views: ['ego0', 'exo1', 'exo2'] } } });
    expect(() => pretrainRequest({ resume: '3', 'sampling-config': 'short' })).toThrow(/leave out --sampling-config/);
  });

  it('trains step 1 on two datasets and prints their mix', async () => {
    const other = fixture.addDataset({ scenes: 1, ego: 1, exo: 3, featureDim: 2048, frames: 1000 });
    const result = await pretrain(['--step', '1', '--dataset', dataset, '--dataset', other, '--mix', `${dataset}=2,${other}=1`, '--steps', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`mix: ${dataset} \\(folder\\): \\d+\\.\\d% of pairs \\(asked 66\\.7%\\), 679 pairs from 7 sources`));
    expect(result.stderr).toMatch(new RegExp(`mix: ${other} \\(folder\\): \\d+\\.\\d% of pairs \\(asked 33\\.3%\\), 291 pairs from 3 sources`));
  });

  it('cancels with a checkpoint on a stop signal and says how to resume', async () => {
    const result = await pretrain(['--step', '1', '--dataset', dataset, '--steps', '50'], Promise.resolve('SIGINT'));
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: stopping after the current step/);
    expect(result.stderr).toMatch(/Run (\d+) cancelled at step 0.*evgap pretrain --resume \1/);
  });
});
