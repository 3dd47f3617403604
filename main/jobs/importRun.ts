// `evgap import run DIR`: a job folder trained by PyTorch (jobFormat.ts) becomes a pre-training run of the catalog,
// of the same kind as the app's own ('pretrain-step1' / 'pretrain-step2'), with its resolved config, seed, metric
// series and checkpoints, and backend 'pytorch' with where and how each launch ran (output/run.json). Everything is
// read and checked first (job format and version, config, every checkpoint against the encoder config, the metrics
// file, the dataset's feature size); the checkpoint files are then copied into a staging folder, and the catalog
// rows are written in one transaction in which the staging folder becomes <data>/runs/<id>/. A failed import leaves
// the catalog and the data folder as they were.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { RunStatus } from '../../contract/api';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { validateConfig, type EvgapConfig } from '../engine/config';
import { readCheckpoint, runFolder, type CheckpointContents } from '../engine/training/checkpoint';
import { checkEncoderTensors } from '../engine/weights/encoderWeights';
import { jobFiles, jobFormat, jobFormatVersion, outputFiles, runRecordFormat, type JobRunRecord, type JobSpec } from './jobFormat';

export type ImportRunRequest = {
  /** The job folder (job.json, output/). */
  folder: string;
  /** The catalog dataset the run belongs to (default: the job's dataset, by name). */
  dataset?: string;
};

export type ImportedRun = {
  runId: number;
  kind: string;
  status: RunStatus;
  dataset: string;
  /** Steps of the checkpoints imported, ascending. */
  checkpoints: number[];
  /** Steps with metrics. */
  metricSteps: number;
  /** Where it ran, in words. */
  ranOn: string;
};

export const importedBackend = 'pytorch';

export async function importRun(catalog: Catalog, dataDir: string, request: ImportRunRequest): Promise<ImportedRun> {
  const folder = resolve(request.folder);
  const spec = readSpec(join(folder, jobFiles.spec));
  const output = join(folder, spec.output);
  const record = readRunRecord(join(output, outputFiles.run));
  const datasetName = request.dataset ?? spec.datasets[0]?.name ?? '';
  const dataset = catalog.findDatasetByName(datasetName);
  if (dataset === undefined) {
    throw new NotFoundError(`no dataset named ${JSON.stringify(datasetName)} in the catalog: import it first, or name the run's dataset with --dataset`);
  }
  checkFeatureDim(catalog, dataset.id, dataset.name, spec.config);
  const checkpoints = await readCheckpoints(output, spec);
  const metrics = readMetrics(join(output, outputFiles.metrics));
  const last = checkpoints.at(-1)!;
  const totalSteps = (spec.step === 1 ? spec.config.step1 : spec.config.step2).steps;
  const status: RunStatus =
    record.status === 'failed' ? 'failed' : record.status === 'completed' && last.sidecar.step === totalSteps ? 'completed' : 'cancelled';
  const ranOn = describeLaunches(record);

  const runsDir = join(dataDir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const staging = join(runsDir, `.import-${randomBytes(4).toString('hex')}`);
  let placed: string | null = null;
  try {
    mkdirSync(staging);
    for (const { sidecar } of checkpoints) {
      copyFileSync(join(output, sidecar.weights), join(staging, sidecar.weights));
      copyFileSync(join(output, sidecar.optimizer), join(staging, sidecar.optimizer));
    }
    const launches = record.launches;
    const runId = catalog.importRun(
      {
        datasetId: dataset.id,
        kind: spec.kind,
        config: spec.config,
        seed: spec.seed,
        backend: importedBackend,
        backendReport: {
          backend: importedBackend,
          details: ranOn,
          tried: [],
          job: { folder, createdAt: spec.createdAt, createdBy: spec.createdBy, step1Loss: spec.step1Loss, initializedFrom: spec.init.from },
          launches,
        },
        status,
        ...(status === 'failed' && { error: record.error ?? 'the job failed' }),
        startedAt: text(launches[0]?.startedAt),
        finishedAt: status === 'completed' || status === 'failed' ? text(launches.at(-1)?.finishedAt) : null,
      },
      metrics.rows,
      (newRunId) => {
        const target = runFolder(dataDir, newRunId);
        renameSync(staging, target);
        placed = target;
        return checkpoints.map(({ sidecar }) => {
          const sidecarPath = join(target, `ckpt-${sidecar.step}.json`);
          writeFileSync(sidecarPath, JSON.stringify({ ...sidecar, runId: newRunId }, null, 2) + '\n');
          const sampler = sidecar.sampler;
          return { step: sidecar.step, path: join(target, sidecar.weights), meta: { sidecar: sidecarPath, optimizer: join(target, sidecar.optimizer), sampler } };
        });
      },
    );
    return { runId, kind: spec.kind, status, dataset: dataset.name, checkpoints: checkpoints.map((c) => c.sidecar.step), metricSteps: metrics.steps, ranOn };
  } catch (error) {
    rmSync(placed ?? staging, { recursive: true, force: true });
    throw error;
  }
}

function readJson(path: string, what: string): Record<string, unknown> {
  let textValue: string;
  try {
    textValue = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ArgumentError(`${path}: cannot read ${what} (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(textValue);
  } catch (error) {
    throw new ArgumentError(`${path}: expected ${what} as JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ArgumentError(`${path}: expected ${what} to be a JSON object`);
  return value as Record<string, unknown>;
}

function readSpec(path: string): JobSpec {
  const spec = readJson(path, 'a job description');
  if (spec.format !== jobFormat) throw new ArgumentError(`${path}: expected format "${jobFormat}", got ${JSON.stringify(spec.format)}`);
  const version = spec.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new ArgumentError(`${path}: expected an integer version >= 1`);
  if (version > jobFormatVersion) {
    throw new ArgumentError(`${path}: the job is in job format ${version}, written by a newer app; this app reads job format ${jobFormatVersion} and older`);
  }
  if (spec.step !== 1 && spec.step !== 2) throw new ArgumentError(`${path}: expected step 1 or 2, got ${JSON.stringify(spec.step)}`);
  const kind = spec.step === 1 ? 'pretrain-step1' : 'pretrain-step2';
  if (spec.kind !== kind) throw new ArgumentError(`${path}: expected kind '${kind}' for step ${spec.step}, got ${JSON.stringify(spec.kind)}`);
  try {
    validateConfig(spec.config as EvgapConfig);
  } catch (error) {
    throw new ArgumentError(`${path}: config: ${(error as Error).message}`);
  }
  if (!Array.isArray(spec.datasets) || typeof spec.output !== 'string' || typeof spec.init !== 'object' || spec.init === null) {
    throw new ArgumentError(`${path}: expected datasets, output and init`);
  }
  return spec as unknown as JobSpec;
}

function readRunRecord(path: string): JobRunRecord {
  if (!existsSync(path)) throw new ArgumentError(`${path} is missing: the job has not been trained yet (run its launch.sh)`);
  const record = readJson(path, 'the job\'s run record');
  if (record.format !== runRecordFormat) throw new ArgumentError(`${path}: expected format "${runRecordFormat}", got ${JSON.stringify(record.format)}`);
  if (!Array.isArray(record.launches)) throw new ArgumentError(`${path}: expected launches to be a list`);
  return record as unknown as JobRunRecord;
}

/** Every complete checkpoint in output/ (its sidecar exists), read and checked against the job's encoder config. */
async function readCheckpoints(output: string, spec: JobSpec): Promise<CheckpointContents[]> {
  const steps = readdirSync(output)
    .map((name) => /^ckpt-(\d+)\.json$/.exec(name))
    .filter((match) => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
  if (steps.length === 0) throw new ArgumentError(`${output}: no complete checkpoint (ckpt-<step>.json) to import`);
  const contents: CheckpointContents[] = [];
  for (const step of steps) {
    const path = join(output, `ckpt-${step}.safetensors`);
    const checkpoint = await readCheckpoint(path);
    if (checkpoint.sidecar.step !== step || checkpoint.sidecar.kind !== spec.kind) {
      throw new ArgumentError(`${path}: its sidecar says step ${checkpoint.sidecar.step} of a '${checkpoint.sidecar.kind}' run, expected step ${step} of '${spec.kind}'`);
    }
    checkEncoderTensors(spec.config.encoder, checkpoint.weights, path);
    contents.push(checkpoint);
  }
  return contents;
}

/** metrics.jsonl as catalog rows (null → NaN); a last line cut short by a kill is left out. */
function readMetrics(path: string): { rows: { step: number; name: string; value: number }[]; steps: number } {
  if (!existsSync(path)) return { rows: [], steps: 0 };
  const lines = readFileSync(path, 'utf8').split('\n');
  const complete = lines.slice(0, -1); // what follows the last newline: nothing, or a line a kill cut short
  const byStep = new Map<number, Record<string, number>>();
  for (const [index, line] of complete.entries()) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (error) {
      throw new ArgumentError(`${path} line ${index + 1}: expected a JSON object (${(error as Error).message})`);
    }
    const record = entry as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null || !Number.isInteger(record.step) || (record.step as number) < 0) {
      throw new ArgumentError(`${path} line ${index + 1}: expected an object with an integer step`);
    }
    const values: Record<string, number> = {};
    for (const [name, value] of Object.entries(record)) {
      if (name === 'step') continue;
      if (value !== null && typeof value !== 'number') throw new ArgumentError(`${path} line ${index + 1}: ${name}: expected a number or null`);
      values[name] = value === null ? Number.NaN : value;
    }
    byStep.set(record.step as number, values); // a step logged again (after a resume) replaces the earlier one
  }
  const rows = [...byStep].flatMap(([step, values]) => Object.entries(values).map(([name, value]) => ({ step, name, value })));
  return { rows, steps: byStep.size };
}

function checkFeatureDim(catalog: Catalog, datasetId: number, datasetName: string, config: EvgapConfig): void {
  for (const scene of catalog.listScenes(datasetId)) {
    const dim = catalog.getScene(scene.id).views.find((view) => view.track?.featureDim != null)?.track?.featureDim;
    if (dim == null) continue;
    if (dim !== config.encoder.inputDim) {
      throw new ArgumentError(`dataset ${datasetName} has ${dim}-d features, the job's encoder takes ${config.encoder.inputDim}-d: name the run's dataset with --dataset`);
    }
    return;
  }
}

/** "PyTorch 1.13.0, 2 processes on cpu (gloo), host node01" for the last launch, and how many there were. */
function describeLaunches(record: JobRunRecord): string {
  const last = record.launches.at(-1);
  if (last === undefined) return 'PyTorch (no launch recorded)';
  const processes = Number(last.worldSize ?? 1);
  const device = String(last.deviceName && last.device === 'cuda' ? `${last.device} ${last.deviceName}` : last.device ?? '?');
  const launches = record.launches.length > 1 ? `; ${record.launches.length} launches (resumed)` : '';
  return `PyTorch ${String(last.torch ?? '?')}, ${processes} process${processes === 1 ? '' : 'es'} on ${device} (${String(last.backend ?? '?')}), host ${String(last.host ?? '?')}${launches}`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
