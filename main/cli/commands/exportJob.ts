// `evgap export job`: the flags of a PyTorch job export and what it prints (the folder, its size in batches and
// tracks, the sampler's warnings, and the commands that train it and bring it back).
import { step1LossSettings } from '../../../contract/api';
import { configFieldLimits, seedLimit } from '../../../contract/evgapConfig';
import { presetNames } from '../../engine/config';
import { exportJob, type ExportJobRequest } from '../../jobs/exportJob';
import { intFlag, oneOfFlag, runFlag, UsageError, writeLine, type CliIO } from '../commandLine';
import { withCatalog } from '../openCatalog';

export const jobExportOptions = {
  dataset: { type: 'string', multiple: true },
  step: { type: 'string' },
  preset: { type: 'string' },
  steps: { type: 'string' },
  init: { type: 'string' },
  seed: { type: 'string' },
  'step1-loss': { type: 'string' },
} as const;

type JobValues = {
  out?: string;
  dataset?: string[];
  step?: string;
  preset?: string;
  steps?: string;
  init?: string;
  seed?: string;
  'step1-loss'?: string;
};

/** The export request the flags describe; usage errors for flags that are missing or do not fit together. */
export function jobExportRequest(values: JobValues): ExportJobRequest {
  const step = values.step === '1' ? 1 : values.step === '2' ? 2 : undefined;
  if (step === undefined) throw new UsageError(`--step: expected 1 or 2, got ${values.step === undefined ? 'nothing' : JSON.stringify(values.step)}`, 'export');
  if (!values.dataset || values.dataset.length === 0) throw new UsageError('missing --dataset NAME', 'export');
  if (!values.out) throw new UsageError('--out is required', 'export');
  const init = runFlag('export', 'init', values.init);
  if (init !== undefined && step !== 2) throw new UsageError('--init: only a step-2 job starts from a step-1 run', 'export');
  if (init === undefined && step === 2) throw new UsageError('--init RUN[:STEP] is required for a step-2 job (the step-1 run it starts from)', 'export');
  const step1Loss = oneOfFlag('export', 'step1-loss', values['step1-loss'], step1LossSettings);
  if (step1Loss !== undefined && step !== 1) throw new UsageError('--step1-loss applies to step-1 jobs only (step 2 never gathers)', 'export');
  const preset = oneOfFlag('export', 'preset', values.preset, presetNames);
  const steps = intFlag('export', 'steps', values.steps, configFieldLimits.step1.steps);
  const seed = intFlag('export', 'seed', values.seed, seedLimit);
  return {
    datasets: values.dataset,
    step,
    out: values.out,
    ...(preset && { preset }),
    ...(steps !== undefined && { steps }),
    ...(seed !== undefined && { seed }),
    ...(init && { init }),
    ...(step1Loss && { step1Loss }),
  };
}

export async function runJobExport(values: JobValues, dataDir: string, io: CliIO): Promise<number> {
  const request = jobExportRequest(values);
  if (request.datasets.length > 1) {
    throw new UsageError(`one --dataset per job for now (a job's sampler draws from one dataset), got ${request.datasets.join(', ')}`, 'export');
  }
  const job = await withCatalog(dataDir, (catalog) => exportJob(catalog, request));
  const settings = request.step === 1 ? job.config.step1 : job.config.step2;
  writeLine(io.stdout, `Wrote job ${job.folder}`);
  writeLine(io.stdout, `  ${job.kind}: ${settings.steps} steps, ${job.batchesPerEpoch} batches per epoch, ${job.tracks} feature tracks, seed ${job.config.seed}`);
  for (const warning of job.warnings) writeLine(io.stdout, `  warning: ${warning}`);
  writeLine(io.stdout, `Train it:        ${job.launch} [--root NAME=PATH]   (or sbatch slurm.sbatch)`);
  writeLine(io.stdout, `Bring it back:   evgap import run ${job.folder}`);
  return 0;
}
