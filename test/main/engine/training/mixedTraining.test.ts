// Step 1 on several datasets end to end: a multi-view dataset and a pair-only Charades-Ego-layout one mixed in
// every batch, the mix (requested and effective shares, pair counts) stored with the run, the default following
// pair counts, a resumed run continuing the same mixed order, and what is refused before anything is written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { datasetReport, formatReport } from '../../../../main/cli/datasetReport';
import type { BackendReport } from '../../../../native/tfBackend';
import { countSampling } from '../../../../main/engine/sampling/countSampling';
import { resolveConfig } from '../../../../main/engine/config';
import { storedMix } from '../../../../main/engine/training/datasetMix';
import { prepareTraining, trainingSamplerSettings, type TrainingRequest } from '../../../../main/engine/training/prepareTraining';
import { runTraining, type TrainingContext } from '../../../../main/engine/training/runTraining';
import type { TrainingEvent } from '../../../../main/engine/training/trainingEvents';
import { loadTrainingData } from '../../../../main/engine/training/trainingData';
import { readCharadesEgo } from '../../../../main/importers/charadesEgo/readCharadesEgo';
import { commitImport } from '../../../../main/importers/common/importResult';
import { writeCharadesEgoLayout } from '../../importers/charadesEgo/charadesEgoLayout';
import { cpuBackend, createTrainingFixture, FEATURE_DIM, tinyOverrides, type TrainingFixture } from './trainingFixture';

let fixture: TrainingFixture;
let backend: BackendReport;
let assembly: string;
let charades: string;

async function importCharades(name: string, featureDim: number): Promise<string> {
  const root = join(fixture.dataDir, 'datasets', name);
  writeCharadesEgoLayout(root, { pairs: 4, featureDim, frames: 60, seed: featureDim });
  commitImport(fixture.catalog, await readCharadesEgo({ root, name, featureFps: 15 }));
  return name;
}

beforeAll(async () => {
  backend = await cpuBackend();
  fixture = createTrainingFixture();
  assembly = fixture.addDataset({ scenes: 2, ego: 1, exo: 2, name: 'assembly' });
  charades = await importCharades('charades', FEATURE_DIM);
});
afterAll(() => fixture.cleanup());

const context = (events: TrainingEvent[] = [], extra: Partial<TrainingContext> = {}): TrainingContext => ({
  catalog: fixture.catalog,
  dataDir: fixture.dataDir,
  backend,
  onEvent: (event) => events.push(event),
  ...extra,
});

/** Distinct step-1 pairs of a dataset under the tiny settings, as the Sampling view counts them. */
function pairsOf(dataset: string): number {
  // Pre-training draws from the training split (and unsplit scenes), as training itself does.
  const settings = trainingSamplerSettings(resolveConfig('demo', tinyOverrides()));
  return countSampling(loadTrainingData(fixture.catalog, dataset).sources, settings).pairs;
}

/** Runs the request, expecting it to fail and leave the catalog's runs and the runs folder as they were. */
async function expectRefused(request: TrainingRequest, message: RegExp): Promise<void> {
  const runsBefore = fixture.catalog.listRuns().length;
  const promise = runTraining(request, context());
  await expect(promise).rejects.toThrow(ArgumentError);
  await expect(promise).rejects.toThrow(message);
  expect(fixture.catalog.listRuns()).toHaveLength(runsBefore);
  expect(existsSync(join(fixture.dataDir, 'runs', String(runsBefore + 1)))).toBe(false);
}

describe('step 1 on two datasets', () => {
  it('mixes them in proportion to their pair counts by default and stores the mix with the run', async () => {
    const events: TrainingEvent[] = [];
    const outcome = await runTraining({ mode: 'new', step: 1, dataset: assembly, extraDatasets: [charades], overrides: tinyOverrides({ steps: 20 }) }, context(events));
    expect(outcome).toMatchObject({ status: 'completed', step: 20 });
    const run = fixture.catalog.getRun(outcome.runId);
    expect(run.datasetId).toBe(fixture.catalog.findDatasetByName(assembly)!.id);
    const mix = storedMix(run.config)!;
    const pairs = [pairsOf(assembly), pairsOf(charades)];
    expect(pairs.every((n) => n > 0)).toBe(true);
    expect(mix).toMatchObject({ version: 1, proportionsFrom: 'pairs', batches: 20 });
    expect(mix.datasets.map((d) => [d.name, d.format, d.pairs])).toEqual([[assembly, 'folder', pairs[0]], [charades, 'charades-ego', pairs[1]]]);
    mix.datasets.forEach((d, i) => {
      expect(d.requested).toBeCloseTo(pairs[i]! / (pairs[0]! + pairs[1]!), 12);
      // 20 batches of 8 pairs in sets of 4: within one set (4 of 160 pairs) of the request.
      expect(Math.abs(d.effective - d.requested)).toBeLessThanOrEqual(4 / 160 + 1e-9);
    });
    expect(events.find((e) => e.type === 'started')).toMatchObject({ mix });
    // The engine config itself is unchanged: the mix sits beside it.
    expect(run.config).toMatchObject({ encoder: { inputDim: FEATURE_DIM }, step1: { steps: 20 } });
    // `evgap info` of either dataset lists the run with its mix.
    for (const name of [assembly, charades]) {
      const text = formatReport(datasetReport(fixture.catalog, fixture.catalog.findDatasetByName(name)!.id)).join('\n');
      expect(text).toContain(`#${outcome.runId} pretrain-step1 completed`);
      expect(text).toContain(`step 1 on 2 datasets, 20 batches:`);
      expect(text).toMatch(new RegExp(`charades \\(charades-ego\\): \\d+\\.\\d% of pairs \\(asked \\d+\\.\\d%, by pair count\\), ${pairs[1]} pairs from \\d+ sources`));
    }
  });

  it('follows requested proportions over the run\'s batches', async () => {
    // Preparing the run computes the mix over its 200 batches; no step needs to run for that.
    const prepared = await prepareTraining(
      { mode: 'new', step: 1, dataset: assembly, extraDatasets: [charades], mix: [{ dataset: charades, proportion: 3 }, { dataset: assembly, proportion: 1 }], overrides: tinyOverrides({ steps: 200 }) },
      fixture.catalog,
    );
    prepared.store.close();
    const mix = prepared.mix!;
    expect(mix).toMatchObject({ proportionsFrom: 'given', batches: 200 });
    expect(mix.datasets.map((d) => d.requested)).toEqual([0.25, 0.75]);
    expect(mix.datasets.map((d) => d.weight)).toEqual([250_000, 750_000]);
    for (const d of mix.datasets) expect(Math.abs(d.effective - d.requested)).toBeLessThan(0.01);
  });

  it('continues the same mixed order when resumed after an interruption', async () => {
    const request: TrainingRequest = { mode: 'new', step: 1, dataset: assembly, extraDatasets: [charades], overrides: tinyOverrides({ steps: 16, checkpointEvery: 6 }) };
    const reference = await runTraining(request, context());
    const crash = new Error('simulated crash');
    const interrupted = await runTraining(request, context([], { onEvent: (event) => { if (event.type === 'progress' && event.step === 9) throw crash; } }));
    expect(interrupted.status).toBe('failed');
    fixture.catalog.setRunStatus(interrupted.runId, 'running');
    const resumed = await runTraining({ mode: 'resume', runId: interrupted.runId }, context());
    expect(resumed).toMatchObject({ runId: interrupted.runId, status: 'completed', step: 16 });
    const loss = (runId: number) => fixture.catalog.runMetrics(runId, ['loss']).filter((m) => m.step > 6).map((m) => m.value);
    expect(loss(resumed.runId)).toEqual(loss(reference.runId));
    const finalWeights = (runId: number) => readFileSync(fixture.catalog.listCheckpoints(runId).at(-1)!.path);
    expect(finalWeights(resumed.runId).equals(finalWeights(reference.runId))).toBe(true);
  });
});

describe('refused before anything is written', () => {
  it('datasets whose features differ in dimension', async () => {
    const wide = await importCharades('wide', FEATURE_DIM + 2);
    await expectRefused(
      { mode: 'new', step: 1, dataset: assembly, extraDatasets: [wide], overrides: { ...tinyOverrides(), encoder: { modelDim: 16, layers: 2, heads: 2, ffDim: 32 } } },
      /needs features of one dimension; the datasets have assembly 8-d, wide 10-d/,
    );
  });

  it('step 2 on a pair-only dataset, and step 2 on several datasets', async () => {
    const step1 = await runTraining({ mode: 'new', step: 1, dataset: assembly, overrides: tinyOverrides({ steps: 2, checkpointEvery: 1 }) }, context());
    await expectRefused(
      { mode: 'new', step: 2, dataset: charades, init: { runId: step1.runId }, overrides: tinyOverrides() },
      /dataset charades \(format 'charades-ego'\) has only pair-only scenes .* takes part in step 1 only/,
    );
    await expectRefused(
      { mode: 'new', step: 2, dataset: assembly, extraDatasets: [charades], init: { runId: step1.runId }, overrides: tinyOverrides() },
      /step 2 trains on the groups of one dataset; several datasets \(assembly, charades\) take part in step 1 only/,
    );
  });

  it('shares that do not name exactly the run\'s datasets, or a dataset named twice', async () => {
    const base = { mode: 'new', step: 1, dataset: assembly, overrides: tinyOverrides() } as const;
    await expectRefused({ ...base, extraDatasets: [charades], mix: [{ dataset: assembly, proportion: 1 }] }, /mix: expected one proportion for each of assembly, charades; missing charades/);
    await expectRefused({ ...base, extraDatasets: [charades], mix: [{ dataset: assembly, proportion: 1 }, { dataset: 'other', proportion: 1 }] }, /not among the datasets: other/);
    await expectRefused({ ...base, extraDatasets: [assembly] }, /assembly is named twice/);
    await expectRefused({ ...base, mix: [{ dataset: assembly, proportion: 1 }] }, /mix: proportions need step 1 on several datasets/);
  });
});
