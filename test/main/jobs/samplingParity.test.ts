// One seed, the same batches in both engines: for step 1 (pairs) and step 2 (groups), on the demo (float16 [T, F]
// tracks, sync offsets) and on a dataset with float32 tracks stored [T, F] and [F, T], the app's sampler and
// evgap_torch's sampler (run on the exported job folder) draw the same clips — source, scene time, scale, set —
// at steps across an epoch boundary, exactly, and the same resampled clip tensors within 1e-6.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTraining } from '../../../main/engine/training/prepareTraining';
import type { GroupBatch } from '../../../main/engine/sampling/groupSampler';
import type { PairBatch } from '../../../main/engine/sampling/pairSampler';
import type { ClipSampler } from '../../../main/engine/sampling/clipSampler';
import { exportJob } from '../../../main/jobs/exportJob';
import { createTrainingFixture, type TrainingFixture } from '../engine/training/trainingFixture';
import { createDemoData, evgap, readFloat32Npy, requirePythonTorch, runJobModule } from './jobFixture';

type PythonClip = { source: number; scene: string; ego: string[]; exo: string[]; time: number; scale: number; set: number };
type PythonBatches = { batchesPerEpoch: number; batches: { step: number; epoch: number; batchIndex: number; clips: PythonClip[] }[] };

let fixture: TrainingFixture;
let work: string;
let tiny: string;

beforeAll(async () => {
  requirePythonTorch();
  fixture = createTrainingFixture();
  work = mkdtempSync(join(tmpdir(), 'evgap-sampling-parity-'));
  await createDemoData(fixture.dataDir);
  tiny = fixture.addDataset({ scenes: 3, ego: 2, exo: 2, frames: 300 });
}, 120_000);

afterAll(() => {
  fixture?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The steps compared: the first batches and both sides of the first epoch boundary. */
const stepsAcross = (batchesPerEpoch: number) => [0, 1, batchesPerEpoch - 1, batchesPerEpoch, batchesPerEpoch + 2];

async function compare(dataset: string, step: 1 | 2, init?: number): Promise<void> {
  const job = join(work, `${dataset}-step${step}`);
  const exported = await exportJob(fixture.catalog, { datasets: [dataset], step, out: job, ...(init !== undefined && { init: { runId: init } }) });
  const prepared = await prepareTraining({ mode: 'new', step, dataset }, fixture.catalog);
  try {
    expect(exported.batchesPerEpoch).toBe(prepared.sampler.batchesPerEpoch);
    const steps = stepsAcross(exported.batchesPerEpoch);
    const out = join(job, 'batches.json');
    const tensors = join(job, 'batches');
    const result = runJobModule(job, 'batches', [job, '--steps', steps.join(','), '--out', out, '--tensors', tensors]);
    expect(result.code, result.stderr).toBe(0);
    const python = JSON.parse(readFileSync(out, 'utf8')) as PythonBatches;
    expect(python.batchesPerEpoch).toBe(exported.batchesPerEpoch);
    const viewName = (viewId: number) => fixture.catalog.getView(viewId).name;
    for (const [index, s] of steps.entries()) {
      const position = { epoch: Math.floor(s / exported.batchesPerEpoch), batchIndex: s % exported.batchesPerEpoch };
      const theirs = python.batches[index]!;
      expect({ epoch: theirs.epoch, batchIndex: theirs.batchIndex }).toEqual(position);
      const ego = readFloat32Npy(join(tensors, `step-${s}.ego.npy`));
      const exo = readFloat32Npy(join(tensors, `step-${s}.exo.npy`));
      let ours: { clips: PythonClip[]; ego: Float32Array; exo: Float32Array };
      if (step === 1) {
        const batch = (prepared.sampler as ClipSampler<PairBatch>).batchAt(position);
        ours = {
          clips: batch.clips.map((c) => ({ scene: c.sceneName, ego: [viewName(c.egoViewId)], exo: [viewName(c.exoViewId)], time: c.time, scale: c.scale, set: c.set }) as PythonClip),
          ego: batch.ego,
          exo: batch.exo,
        };
      } else {
        const batch = (prepared.sampler as ClipSampler<GroupBatch>).batchAt(position);
        ours = {
          clips: batch.groups.map((g) => ({ scene: g.sceneName, ego: g.egoViewIds.map(viewName), exo: g.exoViewIds.map(viewName), time: g.time, scale: g.scale, set: g.set }) as PythonClip),
          ego: batch.ego,
          exo: batch.exo,
        };
      }
      expect(theirs.clips.map(({ source: _source, ...clip }) => clip), `clips of step ${s}`).toEqual(ours.clips);
      expect(ego.data.length).toBe(ours.ego.length);
      expect(exo.data.length).toBe(ours.exo.length);
      expect(largest(ego.data, ours.ego), `ego clips of step ${s}`).toBeLessThanOrEqual(1e-6);
      expect(largest(exo.data, ours.exo), `exo clips of step ${s}`).toBeLessThanOrEqual(1e-6);
    }
  } finally {
    prepared.store.close();
  }
}

function largest(a: Float32Array, b: Float32Array): number {
  let value = 0;
  for (let i = 0; i < a.length; i++) value = Math.max(value, Math.abs(a[i]! - b[i]!));
  return value;
}

describe('the same seed draws the same clips in TF.js and PyTorch', () => {
  it('step 1 on the demo (float16 [T, F] tracks with sync offsets)', { timeout: 60_000 }, () => compare('demo', 1));

  it('step 1 on float32 tracks stored [T, F] and [F, T]', { timeout: 60_000 }, () => compare(tiny, 1));

  it('step 2 on the demo and on float32 [T, F] / [F, T] tracks', { timeout: 120_000 }, async () => {
    for (const dataset of ['demo', tiny]) {
      await evgap(['pretrain', '--data', fixture.dataDir, '--step', '1', '--dataset', dataset, '--steps', '1']);
      const step1 = fixture.catalog.listRuns().find((run) => run.kind === 'pretrain-step1' && run.status === 'completed')!;
      await compare(dataset, 2, step1.id);
    }
  });
});
