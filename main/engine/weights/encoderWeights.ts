// Moving the encoder's weights in and out under their PyTorch names (see encoder/parameters.ts), plus the
// loss's optional scalars `logit_scale` (s) and `logit_bias` (b), shape [] as PyTorch stores a 0-d parameter.
// Import checks every name and shape against the config before changing anything, and lists all problems.
// `inferEncoderConfig` derives F, D, L, FF and T from a safetensors header's shapes; the head count cannot be
// read from shapes (every head count that divides D gives the same tensors), so it comes from this project's own
// metadata or from the caller, and a file that records none needs the caller's: there is no default to guess
// with. Decoding refuses weights with a NaN or an infinity, naming the tensor.

import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { validateEncoderConfig, type EncoderConfig } from '../config';
import type { Encoder } from '../encoder/encoder';
import { encoderParameterShapes } from '../encoder/parameters';
import { checkFiniteTensor } from '../finiteValues';
import { readSafetensors, writeSafetensors, type Float32Tensor } from './safetensors';

/** The loss's learnable scalars that travel with the encoder. */
export type LossScalars = { logitScale?: number; logitBias?: number };

export type ShapeTable = Map<string, { shape: number[] }>;

const scalarNames = { logitScale: 'logit_scale', logitBias: 'logit_bias' } as const;
/** Metadata key under which this project stores the encoder config in a safetensors file. */
export const encoderConfigMetadataKey = 'evgap.encoder_config';

/** The encoder's weights (and the given scalars) as named float32 arrays, in state_dict order. */
export function exportEncoderTensors(encoder: Encoder, scalars: LossScalars = {}): Map<string, Float32Tensor> {
  const tensors = new Map<string, Float32Tensor>();
  for (const [name, variable] of encoder.params) {
    tensors.set(name, { shape: [...variable.shape], data: Float32Array.from(variable.dataSync()) });
  }
  for (const key of ['logitScale', 'logitBias'] as const) {
    const value = scalars[key];
    if (value !== undefined) tensors.set(scalarNames[key], { shape: [], data: Float32Array.of(value) });
  }
  return tensors;
}

/**
 * Throws ArgumentError listing every tensor whose shape differs from the config's, every missing and every
 * unexpected name. `logit_scale` and `logit_bias` are allowed (shape [] or [1]) but not required.
 */
export function checkEncoderTensors(config: EncoderConfig, tensors: ShapeTable, source = 'weights'): void {
  const expected = encoderParameterShapes(config);
  const problems: string[] = [];
  const missing = [...expected.keys()].filter((name) => !tensors.has(name));
  const unexpected: string[] = [];
  for (const [name, { shape }] of tensors) {
    const want = expected.get(name);
    if (want === undefined) {
      const isScalar = name === scalarNames.logitScale || name === scalarNames.logitBias;
      if (!isScalar) unexpected.push(name);
      else if (shape.length > 1 || (shape.length === 1 && shape[0] !== 1)) {
        problems.push(`${name}: expected shape [], got ${formatShape(shape)}`);
      }
    } else if (!sameShape(want, shape)) {
      problems.push(`${name}: expected shape ${formatShape(want)}, got ${formatShape(shape)}`);
    }
  }
  if (missing.length > 0) problems.push(`missing: ${missing.join(', ')}`);
  if (unexpected.length > 0) problems.push(`unexpected: ${unexpected.join(', ')}`);
  if (problems.length > 0) {
    throw new ArgumentError(`${source} do not match the encoder config:\n  ${problems.join('\n  ')}`);
  }
}

/** Sets the encoder's parameters from named arrays after checking them all; returns the scalars found. */
export function importEncoderTensors(encoder: Encoder, tensors: Map<string, Float32Tensor>, source = 'weights'): LossScalars {
  checkEncoderTensors(encoder.config, tensors, source);
  for (const [name, tensor] of tensors) {
    if (tensor.data.length !== tensor.shape.reduce((a, b) => a * b, 1)) {
      throw new ArgumentError(`${source}: ${name}: expected ${tensor.shape.reduce((a, b) => a * b, 1)} values, got ${tensor.data.length}`);
    }
  }
  for (const [name, variable] of encoder.params) {
    const tensor = tensors.get(name) as Float32Tensor;
    tf.tidy(() => variable.assign(tf.tensor(tensor.data, variable.shape, 'float32')));
  }
  const scalars: LossScalars = {};
  for (const key of ['logitScale', 'logitBias'] as const) {
    const tensor = tensors.get(scalarNames[key]);
    if (tensor !== undefined) scalars[key] = tensor.data[0] as number;
  }
  return scalars;
}

export type InferOptions = {
  /** Attention heads (not recoverable from shapes); required unless the file's metadata records them. */
  heads?: number;
  /** Tokens per clip when the file has no pos_embed (sinusoidal positions); default: the metadata's. */
  tokens?: number;
  /** LayerNorm epsilon; default: the metadata's, else 1e-5. */
  layerNormEps?: number;
};

/** Head counts an encoder of width `modelDim` can have. */
function headChoices(modelDim: number): number[] {
  return Array.from({ length: Math.min(modelDim, 64) }, (_, i) => i + 1).filter((h) => modelDim % h === 0);
}

/** The encoder config that a safetensors header's shapes describe; `source` names the file in errors. */
export function inferEncoderConfig(
  header: { tensors: ShapeTable; metadata?: Record<string, string> },
  options: InferOptions = {},
  source = 'weights',
): EncoderConfig {
  const shapeOf = (name: string): number[] | undefined => header.tensors.get(name)?.shape;
  const fail = (message: string): never => {
    throw new ArgumentError(`${source}: cannot infer the encoder config: ${message}`);
  };
  const stored = storedConfig(header.metadata, source);
  const inputProj = shapeOf('input_proj.weight');
  if (inputProj?.length !== 2) fail('expected input_proj.weight of shape [D, F]');
  const [modelDim, inputDim] = inputProj as [number, number];
  const linear1 = shapeOf('layers.0.linear1.weight');
  if (linear1?.length !== 2) fail('expected layers.0.linear1.weight of shape [FF, D]');
  let layers = 0;
  while (header.tensors.has(`layers.${layers}.norm1.weight`)) layers++;
  const posEmbed = shapeOf('pos_embed');
  let tokens: number;
  if (posEmbed !== undefined) {
    if (posEmbed.length !== 2 || (posEmbed[0] as number) < 2) fail('expected pos_embed of shape [T+1, D]');
    tokens = (posEmbed[0] as number) - 1;
  } else {
    tokens = options.tokens ?? stored?.tokens ?? fail('no pos_embed, so tokens must be given');
  }
  if (options.heads !== undefined && stored?.heads !== undefined && options.heads !== stored.heads) {
    throw new ArgumentError(`${source}: records ${stored.heads} attention heads (__metadata__.${encoderConfigMetadataKey}), got --heads ${options.heads}`);
  }
  const heads = options.heads ?? stored?.heads;
  if (heads === undefined) {
    throw new ArgumentError(
      `${source}: the number of attention heads is not recorded (no __metadata__.${encoderConfigMetadataKey}) and the shapes cannot tell it ` +
        `(every head count dividing D = ${modelDim} has the same tensors): give --heads N (${headChoices(modelDim).join(', ')}; the paper's encoder has 8)`,
    );
  }
  if (!Number.isInteger(heads) || heads < 1 || modelDim % heads !== 0) {
    throw new ArgumentError(`${source}: expected heads to divide modelDim ${modelDim}, got ${heads}`);
  }
  const config: EncoderConfig = {
    inputDim,
    modelDim,
    layers,
    heads,
    ffDim: (linear1 as number[])[0] as number,
    tokens,
    layerNormEps: options.layerNormEps ?? stored?.layerNormEps ?? 1e-5,
    posEmbed: posEmbed !== undefined ? 'learned' : 'sinusoidal',
  };
  try {
    validateEncoderConfig(config);
  } catch (error) {
    if (error instanceof ArgumentError) fail(error.message);
    throw error;
  }
  return config;
}

/** Safetensors bytes of the encoder with its config in the metadata (so heads and eps travel with it). */
export function encodeEncoderSafetensors(encoder: Encoder, scalars: LossScalars = {}): Uint8Array {
  return writeSafetensors(exportEncoderTensors(encoder, scalars), {
    format: 'pt',
    [encoderConfigMetadataKey]: JSON.stringify(encoder.config),
  });
}

/** The config (inferred, see inferEncoderConfig) and checked tensors of encoder safetensors bytes. */
export function decodeEncoderSafetensors(
  bytes: Uint8Array,
  options: InferOptions = {},
  source = 'safetensors',
): { config: EncoderConfig; tensors: Map<string, Float32Tensor> } {
  const { tensors, metadata } = readSafetensors(bytes, source);
  const config = inferEncoderConfig({ tensors, metadata }, options, source);
  checkEncoderTensors(config, tensors, source);
  for (const [name, tensor] of tensors) checkFiniteTensor(tensor.data, tensor.shape, `${source}: tensor ${name}`);
  return { config, tensors };
}

function storedConfig(metadata: Record<string, string> | undefined, source: string): Partial<EncoderConfig> | undefined {
  const text = metadata?.[encoderConfigMetadataKey];
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<EncoderConfig>) : undefined;
  } catch {
    throw new ArgumentError(`${source}: expected __metadata__.${encoderConfigMetadataKey} to be JSON`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
