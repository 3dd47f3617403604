// exportJob over the API: the run the Training screen describes (preset, typed overrides, step count) as a job
// folder, by default a new one in the data folder's jobs/, with the commands that train it and bring it back;
// arguments that do not fit are refused before anything is written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { defaultJobFolder } from '../../../main/api/jobsApi';
import { createTrainingFixture, type TrainingFixture } from '../engine/training/trainingFixture';
import { serveApi, type ServedApi } from './servedApi';

let fixture: TrainingFixture;
let api: ServedApi;
let datasetId: number;

beforeAll(() => {
  fixture = createTrainingFixture();
  const name = fixture.addDataset({ scenes: 2, ego: 2, exo: 2, frames: 300 });
  datasetId = fixture.catalog.findDatasetByName(name)!.id;
  api = serveApi(fixture.catalog, fixture.dataDir);
});
afterAll(() => fixture.cleanup());

describe('exportJob', () => {
  it('writes the typed run into <data>/jobs/ and says how to train and import it', async () => {
    const job = await api.client.api.exportJob({ datasetId, step: 1, preset: 'demo', overrides: { step1: { lr: 0.001 } }, steps: 12, step1Loss: 'gathered' });
    expect(job.folder.startsWith(join(fixture.dataDir, 'jobs', 'tiny1-step1-'))).toBe(true);
    expect(job).toMatchObject({ kind: 'pretrain-step1', steps: 12, tracks: 8, launch: `${job.folder}/launch.sh --nproc N`, importCommand: `evgap import run ${job.folder}` });
    const spec = JSON.parse(readFileSync(join(job.folder, 'job.json'), 'utf8'));
    expect(spec).toMatchObject({ step1Loss: 'gathered', config: { encoder: { inputDim: 8 }, step1: { lr: 0.001, steps: 12 } } });
    expect(readdirSync(job.folder).sort()).toEqual(['README.md', 'init.safetensors', 'job.json', 'launch.sh', 'output', 'python', 'sampling-plan.json', 'slurm.sbatch']);
  });

  it('applies a saved sampling config: its settings in the job’s config, only its views in the sampling plan', async () => {
    const samplingConfigId = fixture.catalog.saveSamplingConfig(datasetId, 'two views', {
      preset: 'demo',
      overrides: { sampling: { window: 6, stride: 6, scaleMin: 1, scaleMax: 1, clipsPerSet: 4 }, step1: { batchPairs: 8 }, step2: { batchGroups: 4 } },
      views: ['ego0', 'exo2'],
    });
    const job = await api.client.api.exportJob({ datasetId, step: 1, preset: 'demo', steps: 4, samplingConfigId, out: join(fixture.dataDir, 'jobs', 'two-views') });
    expect(job.tracks).toBe(4); // 2 scenes × the 2 saved views (8 with every view)
    const spec = JSON.parse(readFileSync(join(job.folder, 'job.json'), 'utf8'));
    expect(spec).toMatchObject({ config: { sampling: { window: 6, stride: 6 }, encoder: { tokens: 6 }, step1: { batchPairs: 8 } } });
  });

  it('names the default folder by dataset, step and time', () => {
    expect(defaultJobFolder('/data', 'Assembly 101', 2, new Date('2026-12-07T03:04:05.678Z'))).toBe('/data/jobs/Assembly_101-step2-20261207-030405');
  });

  it('refuses arguments that do not fit, writing nothing', async () => {
    const out = join(fixture.dataDir, 'refused');
    expect(await api.outcome('exportJob', { datasetId, step: 2, preset: 'demo', out })).toBeInstanceOf(ArgumentError);
    expect(await api.outcome('exportJob', { datasetId, step: 1, preset: 'demo', initRunId: 1, out })).toBeInstanceOf(ArgumentError);
    expect(await api.outcome('exportJob', { datasetId, step: 1, preset: 'demo', overrides: { step1: { lr: -1 } }, out })).toBeInstanceOf(ArgumentError);
    expect(await api.outcome('exportJob', { datasetId: 999, step: 1, preset: 'demo', out })).toBeInstanceOf(NotFoundError);
    expect(existsSync(out)).toBe(false);
  });
});
