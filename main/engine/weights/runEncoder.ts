// The encoder of a pre-training run: its last checkpoint (or the one at a given step) loaded with the run's own
// config, for everything that embeds with a trained model (retrieval, embedding export).
import { readFileSync } from 'node:fs';
import { NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import type { EvgapConfig } from '../config';
import { createEncoder, type Encoder } from '../encoder/encoder';
import { decodeEncoderSafetensors, importEncoderTensors } from './encoderWeights';

export interface RunEncoder {
  encoder: Encoder;
  config: EvgapConfig;
  checkpoint: { step: number; path: string };
  /** In words, for progress lines and reports. */
  description: string;
}

export function loadRunEncoder(catalog: Pick<Catalog, 'getRun' | 'listCheckpoints'>, runId: number, checkpointStep?: number): RunEncoder {
  const run = catalog.getRun(runId);
  const checkpoints = catalog.listCheckpoints(run.id);
  const chosen = checkpointStep === undefined ? checkpoints.at(-1) : checkpoints.find((c) => c.step === checkpointStep);
  if (chosen === undefined) {
    const steps = checkpoints.map((c) => c.step).join(', ') || 'none';
    throw new NotFoundError(`run ${run.id} has no checkpoint at step ${checkpointStep ?? '(last)'} (checkpoints: ${steps})`);
  }
  const config = run.config as EvgapConfig;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(chosen.path);
  } catch (error) {
    throw new NotFoundError(`run ${run.id}: cannot read checkpoint ${chosen.path}: ${(error as Error).message}`);
  }
  const { config: encoderConfig, tensors } = decodeEncoderSafetensors(bytes, { heads: config.encoder.heads }, chosen.path);
  const encoder = createEncoder(encoderConfig, 0);
  try {
    importEncoderTensors(encoder, tensors, chosen.path);
  } catch (error) {
    encoder.dispose();
    throw error;
  }
  return {
    encoder,
    config,
    checkpoint: { step: chosen.step, path: chosen.path },
    description: `encoder of run ${run.id} (${run.kind}) at step ${chosen.step}, ${chosen.path}`,
  };
}
