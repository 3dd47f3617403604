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
    expect(pretrainRequest({ step: '2', dataset: 'd', init: '4:200', steps: '9' })).toEqual({
      mode: 'new',
      step: 2,
      dataset: 'd',
      init: { runId: 4, checkpointStep: 200 },
      overrides: { step2: { steps: 9 } },
    });
    expect(pretrainRequest({ resume: '3' })).toEqual({ mode: 'resume', runId: 3 });
    expect(() => pretrainRequest({ dataset: 'd' })).toThrow(/--step: expected 1 or 2, got nothing/);
    expect(() => pretrainRequest({ step: '1' })).toThrow(/missing --dataset/);
    expect(() => pretrainRequest({ resume: '3', dataset: 'd' })).toThrow(/leave out --dataset/);
    expect(() => pretrainRequest({ step: '2', dataset: 'd', init: 'x' })).toThrow(/--init: expected RUN or RUN:STEP/);
    expect(() => pretrainRequest({ step: '1', dataset: 'd', preset: 'huge' })).toThrow(/--preset: expected one of demo, paper/);
  });

  it('fails on bad input before recording a run', async () => {
    const result = await pretrain(['--step', '2', '--dataset', dataset, '--init', '1']);
    expect(result.code).toBeInstanceOf(Error);
    expect((result.code as Error).message).toMatch(/no run with id 1/);
    expect(fixture.catalog.listRuns()).toEqual([]);
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

  it('cancels with a checkpoint on a stop signal and says how to resume', async () => {
    const result = await pretrain(['--step', '1', '--dataset', dataset, '--steps', '50'], Promise.resolve('SIGINT'));
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: stopping after the current step/);
    expect(result.stderr).toMatch(/Run (\d+) cancelled at step 0.*evgap pretrain --resume \1/);
  });
});
