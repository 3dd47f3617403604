// `evgap export job`: a pre-training run handed to PyTorch as a self-contained job folder (jobFormat.ts). Everything
// is checked the way a run in the app is checked before it starts (prepareTraining: config, dataset, feature files,
// the step-1 run a step-2 job starts from, that a batch can be made), the folder is written beside its target and
// renamed into place at the end, so a failed export leaves nothing behind.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunSamplingConfig, Step1LossSetting } from '../../contract/api';
import { ArgumentError, ConflictError, NotFoundError } from '../../contract/errors';
import { packageRoot, packageVersion } from '../api/packageInfo';
import type { ConfigOverrides, EvgapConfig, PresetName } from '../engine/config';
import { encoderParameterShapes, initialParameterValues } from '../engine/encoder/parameters';
import { planSampling } from '../engine/sampling/plan';
import { prepareTraining, trainingSamplerSettings, type TrainingCatalog } from '../engine/training/prepareTraining';
import { loadTrainingData } from '../engine/training/trainingData';
import { runKind, type PretrainStep } from '../engine/training/trainingState';
import { encoderConfigMetadataKey } from '../engine/weights/encoderWeights';
import { writeSafetensors, type Float32Tensor } from '../engine/weights/safetensors';
import { APP_NAME } from '../paths';
import { jobFiles, jobFormat, jobFormatVersion, type JobSpec } from './jobFormat';
import { jobReadme, launchScript, shellQuote, slurmScript } from './launchScripts';
import { samplingPlanFile } from './samplingPlanFile';

export type ExportJobRequest = {
  /** Dataset names in the catalog; one for now (the sampler draws from one dataset). */
  datasets: string[];
  step: PretrainStep;
  /** Default 'demo'. */
  preset?: PresetName;
  overrides?: ConfigOverrides;
  /** Optimizer steps (default: the preset's). */
  steps?: number;
  /** Seeds the initial weights and the batches (default: the preset's). */
  seed?: number;
  /** Step 2: the completed step-1 run (and checkpoint, default its last) the job starts from. */
  init?: { runId: number; checkpointStep?: number };
  /** Step 1's loss over each rank's own pairs ('local', default) or over the gathered global batch. */
  step1Loss?: Step1LossSetting;
  /** A saved sampling configuration: its settings apply under `overrides`, its views are the ones the plan samples. */
  samplingConfig?: RunSamplingConfig;
  /** The job folder to write; must not exist, or be empty. */
  out: string;
};

export type ExportedJob = {
  folder: string;
  kind: string;
  config: EvgapConfig;
  batchesPerEpoch: number;
  tracks: number;
  warnings: string[];
  /** The command that trains it on this machine. */
  launch: string;
};

/**
 * The PyTorch package the job carries (python/evgap_torch beside the app's package.json). In the installed app it
 * is unpacked beside app.asar (electron-builder.yml), where plain file copies can read it.
 */
export function pythonPackageFolder(): string {
  const folder = join(packageRoot(), 'python', 'evgap_torch');
  const unpacked = folder.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
  if (unpacked !== folder && existsSync(join(unpacked, '__init__.py'))) return unpacked;
  if (!existsSync(join(folder, '__init__.py'))) throw new NotFoundError(`the PyTorch package is missing from the app (${folder})`);
  return folder;
}

export async function exportJob(catalog: TrainingCatalog, request: ExportJobRequest): Promise<ExportedJob> {
  const out = resolve(request.out);
  checkTarget(out);
  if (request.datasets.length !== 1) {
    throw new ArgumentError(`expected one dataset, got ${request.datasets.length}: a job draws its batches from one dataset`);
  }
  const datasetName = request.datasets[0]!;
  const stepKey = request.step === 1 ? 'step1' : 'step2';
  const overrides: ConfigOverrides = {
    ...request.overrides,
    ...(request.seed !== undefined && { seed: request.seed }),
    ...(request.steps !== undefined && { [stepKey]: { ...request.overrides?.[stepKey], steps: request.steps } }),
  };
  const prepared = await prepareTraining(
    {
      mode: 'new',
      step: request.step,
      dataset: datasetName,
      preset: request.preset ?? 'demo',
      overrides,
      ...(request.init && { init: request.init }),
      ...(request.samplingConfig && { samplingConfig: request.samplingConfig }),
    },
    catalog,
  );
  prepared.store.close();
  const { config } = prepared;
  const dataset = catalog.findDatasetByName(datasetName)!;
  const data = loadTrainingData(catalog, datasetName);
  const plan = samplingPlanFile(planSampling(data.sources, trainingSamplerSettings(config, request.samplingConfig?.settings.views ?? null)), {
    step: request.step,
    seed: config.seed,
    batchesPerEpoch: prepared.sampler.batchesPerEpoch,
    dataset: { name: dataset.name, root: dataset.root, locations: data.locations },
  });
  const spec: JobSpec = {
    format: jobFormat,
    version: jobFormatVersion,
    createdBy: { app: APP_NAME, version: packageVersion() },
    createdAt: new Date().toISOString(),
    step: request.step,
    kind: runKind(request.step),
    preset: request.preset ?? 'demo',
    seed: config.seed,
    config,
    step1Loss: request.step1Loss ?? 'local',
    datasets: [{ name: dataset.name, format: dataset.format, root: dataset.root }],
    init: { weights: jobFiles.init, from: prepared.init && { runId: prepared.init.runId, step: prepared.init.step } },
    samplingPlan: jobFiles.plan,
    output: jobFiles.output,
    warnings: prepared.warnings,
  };
  const initial = prepared.init ? encoderOnly(prepared.init.weights) : seededWeights(config);

  const staging = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    mkdirSync(join(staging, jobFiles.output), { recursive: true });
    writeFileSync(join(staging, jobFiles.spec), JSON.stringify(spec, null, 2) + '\n');
    writeFileSync(join(staging, jobFiles.plan), JSON.stringify(plan) + '\n');
    writeFileSync(join(staging, jobFiles.init), writeSafetensors(initial, { format: 'pt', [encoderConfigMetadataKey]: JSON.stringify(config.encoder) }));
    writeFileSync(join(staging, jobFiles.launch), launchScript(), { mode: 0o755 });
    writeFileSync(join(staging, jobFiles.slurm), slurmScript(spec), { mode: 0o755 });
    writeFileSync(join(staging, jobFiles.readme), jobReadme(spec, plan.batchesPerEpoch));
    cpSync(pythonPackageFolder(), join(staging, jobFiles.python, 'evgap_torch'), {
      recursive: true,
      filter: (source) => !source.includes('__pycache__'),
    });
    if (existsSync(out)) rmSync(out, { recursive: true }); // empty: checked above
    renameSync(staging, out);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return {
    folder: out,
    kind: spec.kind,
    config,
    batchesPerEpoch: plan.batchesPerEpoch,
    tracks: plan.tracks.length,
    warnings: spec.warnings,
    launch: `${shellQuote(join(out, jobFiles.launch))} --nproc N`,
  };
}

function checkTarget(out: string): void {
  if (!existsSync(out)) return;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    throw new ConflictError(`out: ${out} exists and is not a folder`);
  }
  if (entries.length > 0) throw new ConflictError(`out: ${out} exists and is not empty; choose a new folder for the job`);
}

/** The encoder's seeded initial weights, exactly those a step-1 run of the app starts from. */
function seededWeights(config: EvgapConfig): Map<string, Float32Tensor> {
  const values = initialParameterValues(config.encoder, config.seed);
  const tensors = new Map<string, Float32Tensor>();
  for (const [name, shape] of encoderParameterShapes(config.encoder)) tensors.set(name, { shape, data: values.get(name)! });
  return tensors;
}

/** A step-1 checkpoint's encoder weights: step 2 starts its logit scale and bias from its own config, as in the app. */
function encoderOnly(weights: Map<string, Float32Tensor>): Map<string, Float32Tensor> {
  return new Map([...weights].filter(([name]) => name !== 'logit_scale' && name !== 'logit_bias'));
}
