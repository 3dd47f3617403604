// The cluster hand-off's method: exportJob writes the pre-training run the Training screen would start as a PyTorch
// job folder (main/jobs/exportJob.ts), checked as a run is checked before it starts, in the data folder's jobs/
// unless the caller names a folder.
import { join } from 'node:path';
import type { ApiImpl } from '../../contract/api';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import { runSamplingConfig } from '../engine/sampling/savedSampling';
import { exportJob } from '../jobs/exportJob';
import { shellQuote } from '../jobs/launchScripts';
import { configOverrides } from '../runs/pretrainRequest';
import type { ApiContext } from './apiContext';

type JobMethods = Pick<ApiImpl, 'exportJob'>;

/** <data>/jobs/<dataset>-step<k>-<UTC time>: a new folder per export. */
export function defaultJobFolder(dataDir: string, dataset: string, step: number, now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return join(dataDir, 'jobs', `${dataset.replace(/[^\w.-]+/g, '_')}-step${step}-${stamp}`);
}

export function jobsApi(ctx: ApiContext): JobMethods {
  return {
    async exportJob(args) {
      const dataset = ctx.catalog.listDatasets().find((d) => d.id === args.datasetId);
      if (dataset === undefined) throw new NotFoundError(`datasetId: no dataset with id ${args.datasetId} in the catalog`);
      if (args.initRunId !== undefined && args.step !== 2) throw new ArgumentError('initRunId: only a step-2 job starts from a step-1 run');
      if (args.initRunId === undefined && args.step === 2) throw new ArgumentError('initRunId: a step-2 job starts from a completed step-1 run');
      if (args.step1Loss !== undefined && args.step !== 1) throw new ArgumentError('step1Loss: applies to step-1 jobs only');
      const step = args.step === 1 ? 1 : 2;
      const job = await exportJob(ctx.catalog, {
        datasets: [dataset.name],
        step,
        preset: args.preset,
        overrides: configOverrides(args.overrides, step, args.steps),
        ...(args.seed !== undefined && { seed: args.seed }),
        ...(args.initRunId !== undefined && { init: { runId: args.initRunId } }),
        ...(args.step1Loss !== undefined && { step1Loss: args.step1Loss }),
        ...(args.samplingConfigId !== undefined && { samplingConfig: runSamplingConfig(ctx.catalog, dataset.id, args.samplingConfigId) }),
        out: args.out ?? defaultJobFolder(ctx.dataDir, dataset.name, step),
      });
      return {
        folder: job.folder,
        kind: job.kind,
        steps: (step === 1 ? job.config.step1 : job.config.step2).steps,
        batchesPerEpoch: job.batchesPerEpoch,
        tracks: job.tracks,
        warnings: job.warnings,
        launch: job.launch,
        importCommand: `evgap import run ${shellQuote(job.folder)}`,
      };
    },
  };
}
