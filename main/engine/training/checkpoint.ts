// Checkpoints of a pre-training run, in <dataDir>/runs/<runId>/:
//   ckpt-<step>.safetensors            encoder weights + logit_scale (+ logit_bias), PyTorch names (weights/)
//   ckpt-<step>.optimizer.safetensors  Adam moments, `<param>.exp_avg` and `<param>.exp_avg_sq` as in PyTorch
//   ckpt-<step>.json                   the sidecar: step, per-parameter optimizer step counts, learning rate, s, b,
//                                      the sampler's position and seed (sampling is a pure function of both, so
//                                      that is the whole random state: the model has no dropout)
// Each file is written atomically (atomicFile.ts), the sidecar last: a checkpoint whose sidecar exists is
// complete. The caller registers it in the catalog only after that, so the catalog never names a partial one.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ArgumentError } from '../../../contract/errors';
import type { AdamWState } from '../optim/adamw';
import type { SamplerPosition } from '../sampling/schedule';
import { readSafetensors, writeSafetensors, type Float32Tensor } from '../weights/safetensors';
import { encodeEncoderSafetensors, importEncoderTensors } from '../weights/encoderWeights';
import { writeFileAtomic } from './atomicFile';
import { lossScalars, setLossScalars, type TrainingState } from './trainingState';

export const checkpointFormat = 'evgap-checkpoint';
export const checkpointVersion = 1;

export type CheckpointSidecar = {
  format: typeof checkpointFormat;
  version: typeof checkpointVersion;
  runId: number;
  kind: string;
  /** Optimizer updates applied when the checkpoint was taken. */
  step: number;
  /** File names, in the sidecar's folder. */
  weights: string;
  optimizer: string;
  /** Adam's step count per parameter (parameters without moments yet are absent). */
  optimizerSteps: Record<string, number>;
  learningRate: number;
  /** s (not t) and b, also stored in the weights file; repeated here for a reader without safetensors. */
  logitScale: number;
  logitBias: number | null;
  /** The position of the next batch: a resumed run draws exactly the batches the uninterrupted one would. */
  sampler: SamplerPosition;
  seed: number;
  /** The step-1 checkpoint a step-2 run started from. */
  initializedFrom: { runId: number; step: number } | null;
};

export type SavedCheckpoint = { step: number; path: string; sidecarPath: string; optimizerPath: string };

export type CheckpointContents = { sidecar: CheckpointSidecar; weights: Map<string, Float32Tensor>; optimizer: AdamWState };

export function runFolder(dataDir: string, runId: number): string {
  return join(dataDir, 'runs', String(runId));
}

/** The sidecar that belongs to a checkpoint's weights file. */
export function sidecarPathOf(weightsPath: string): string {
  return join(dirname(weightsPath), basename(weightsPath).replace(/\.safetensors$/, '') + '.json');
}

/** Writes the state's checkpoint at its current step (weights, optimizer, then sidecar, each atomically). */
export async function saveCheckpoint(
  folder: string,
  state: TrainingState,
  info: { runId: number; kind: string; sampler: SamplerPosition; initializedFrom: CheckpointSidecar['initializedFrom'] },
): Promise<SavedCheckpoint> {
  await mkdir(folder, { recursive: true });
  const stem = `ckpt-${state.updates}`;
  const scalars = lossScalars(state);
  const optimizerState = state.optimizer.exportState();
  const moments = new Map<string, Float32Tensor>();
  const optimizerSteps: Record<string, number> = {};
  for (const [name, entry] of Object.entries(optimizerState.parameters)) {
    const shape = [...(state.params.get(name)?.shape ?? [entry.firstMoment.length])];
    moments.set(`${name}.exp_avg`, { shape, data: entry.firstMoment });
    moments.set(`${name}.exp_avg_sq`, { shape, data: entry.secondMoment });
    optimizerSteps[name] = entry.step;
  }
  const sidecar: CheckpointSidecar = {
    format: checkpointFormat,
    version: checkpointVersion,
    runId: info.runId,
    kind: info.kind,
    step: state.updates,
    weights: `${stem}.safetensors`,
    optimizer: `${stem}.optimizer.safetensors`,
    optimizerSteps,
    learningRate: state.optimizer.learningRate,
    logitScale: scalars.logitScale,
    logitBias: scalars.logitBias ?? null,
    sampler: { ...info.sampler },
    seed: state.config.seed,
    initializedFrom: info.initializedFrom,
  };
  const path = join(folder, sidecar.weights);
  const optimizerPath = join(folder, sidecar.optimizer);
  const sidecarPath = join(folder, `${stem}.json`);
  await writeFileAtomic(optimizerPath, writeSafetensors(moments, { format: 'pt' }));
  await writeFileAtomic(path, encodeEncoderSafetensors(state.encoder, scalars));
  await writeFileAtomic(sidecarPath, JSON.stringify(sidecar, null, 2) + '\n');
  return { step: state.updates, path, sidecarPath, optimizerPath };
}

/** Reads a checkpoint's three files, named by its weights file, and checks that they belong together. */
export async function readCheckpoint(weightsPath: string): Promise<CheckpointContents> {
  const sidecarPath = sidecarPathOf(weightsPath);
  const sidecar = parseSidecar(await readFileNamed(sidecarPath), sidecarPath);
  const folder = dirname(weightsPath);
  const weights = readSafetensors(await readFileNamed(join(folder, sidecar.weights)), join(folder, sidecar.weights)).tensors;
  const optimizerFile = join(folder, sidecar.optimizer);
  const moments = readSafetensors(await readFileNamed(optimizerFile), optimizerFile).tensors;
  const optimizer: AdamWState = { parameters: {} };
  for (const [name, step] of Object.entries(sidecar.optimizerSteps)) {
    const firstMoment = moments.get(`${name}.exp_avg`);
    const secondMoment = moments.get(`${name}.exp_avg_sq`);
    if (firstMoment === undefined || secondMoment === undefined) {
      throw new ArgumentError(`${optimizerFile}: expected ${name}.exp_avg and ${name}.exp_avg_sq, the sidecar lists ${name}`);
    }
    optimizer.parameters[name] = { step, firstMoment: firstMoment.data, secondMoment: secondMoment.data };
  }
  return { sidecar, weights, optimizer };
}

/** Only the encoder weights (and s, b) of a checkpoint: what a step-2 run starts from. */
export async function readCheckpointWeights(weightsPath: string): Promise<Map<string, Float32Tensor>> {
  return readSafetensors(await readFileNamed(weightsPath), weightsPath).tensors;
}

/** Puts a checkpoint's weights, s, b, optimizer state and step count into a state of the same config. */
export function restoreCheckpoint(state: TrainingState, contents: CheckpointContents, source: string): void {
  importEncoderTensors(state.encoder, contents.weights, source);
  setLossScalars(state, {
    logitScale: contents.sidecar.logitScale,
    ...(contents.sidecar.logitBias === null ? {} : { logitBias: contents.sidecar.logitBias }),
  });
  state.optimizer.importState(contents.optimizer);
  state.updates = contents.sidecar.step;
}

async function readFileNamed(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ArgumentError(`cannot read checkpoint file ${path}: ${(error as Error).message}`);
  }
}

function parseSidecar(bytes: Uint8Array, path: string): CheckpointSidecar {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ArgumentError(`${path}: expected a JSON checkpoint sidecar (${(error as Error).message})`);
  }
  const sidecar = value as Partial<CheckpointSidecar> | null;
  if (sidecar === null || typeof sidecar !== 'object' || sidecar.format !== checkpointFormat) {
    throw new ArgumentError(`${path}: expected format "${checkpointFormat}"`);
  }
  if (sidecar.version !== checkpointVersion) {
    throw new ArgumentError(`${path}: expected checkpoint version ${checkpointVersion}, got ${String(sidecar.version)}`);
  }
  for (const field of ['step', 'runId', 'learningRate', 'logitScale', 'seed'] as const) {
    if (typeof sidecar[field] !== 'number') throw new ArgumentError(`${path}: expected ${field} to be a number`);
  }
  for (const field of ['weights', 'optimizer', 'kind'] as const) {
    if (typeof sidecar[field] !== 'string') throw new ArgumentError(`${path}: expected ${field} to be a string`);
  }
  const sampler = sidecar.sampler;
  if (typeof sampler !== 'object' || sampler === null || !Number.isInteger(sampler.epoch) || !Number.isInteger(sampler.batchIndex)) {
    throw new ArgumentError(`${path}: expected sampler {epoch, batchIndex}`);
  }
  if (typeof sidecar.optimizerSteps !== 'object' || sidecar.optimizerSteps === null) {
    throw new ArgumentError(`${path}: expected optimizerSteps to be an object`);
  }
  return sidecar as CheckpointSidecar;
}
