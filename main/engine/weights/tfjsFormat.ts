// The encoder in TF.js's weights layout: a model.json whose `weightsManifest` lists the float32 tensors in order
// ({paths, weights: [{name, shape, dtype}]}, the layout tf.io.decodeWeights reads) and the binary file(s) the
// paths name, holding the tensors' little-endian bytes back to back. model.json also carries the encoder config,
// so a saved encoder loads without guessing. Names are the PyTorch names (encoder/parameters.ts).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError } from '../../../contract/errors';
import { validateEncoderConfig, type EncoderConfig } from '../config';
import type { Encoder } from '../encoder/encoder';
import { checkEncoderTensors, exportEncoderTensors, type LossScalars } from './encoderWeights';
import type { Float32Tensor } from './safetensors';

export const tfjsModelFormat = 'evgap-encoder';
const weightsFileName = 'weights.bin';

export type TfjsWeightSpec = { name: string; shape: number[]; dtype: 'float32' };
export type TfjsEncoderModelJson = {
  format: typeof tfjsModelFormat;
  generatedBy: string;
  config: EncoderConfig;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
};

/** model.json and the weights file's bytes for an encoder (and optional loss scalars). */
export function encodeTfjsEncoder(
  encoder: Encoder,
  scalars: LossScalars = {},
): { modelJson: TfjsEncoderModelJson; weights: Uint8Array } {
  const tensors = exportEncoderTensors(encoder, scalars);
  const specs: TfjsWeightSpec[] = [];
  let total = 0;
  for (const [name, tensor] of tensors) {
    specs.push({ name, shape: tensor.shape, dtype: 'float32' });
    total += tensor.data.length;
  }
  const weights = new Uint8Array(total * 4);
  const view = new DataView(weights.buffer);
  let position = 0;
  for (const tensor of tensors.values()) {
    for (const value of tensor.data) {
      view.setFloat32(position, value, true);
      position += 4;
    }
  }
  const modelJson: TfjsEncoderModelJson = {
    format: tfjsModelFormat,
    generatedBy: 'EVGAP Studio',
    config: { ...encoder.config },
    weightsManifest: [{ paths: [weightsFileName], weights: specs }],
  };
  return { modelJson, weights };
}

/**
 * The config and checked tensors of a TF.js-layout encoder; `readPath` returns the bytes of a manifest path.
 * Each manifest group's files are concatenated in order, as TF.js shards them.
 */
export async function decodeTfjsEncoder(
  modelJson: unknown,
  readPath: (path: string) => Promise<Uint8Array>,
  source = 'model.json',
): Promise<{ config: EncoderConfig; tensors: Map<string, Float32Tensor> }> {
  const fail = (message: string): never => {
    throw new ArgumentError(`${source}: ${message}`);
  };
  const json = modelJson as Partial<TfjsEncoderModelJson> | null;
  if (typeof json !== 'object' || json === null) fail('expected a JSON object');
  const { format, config, weightsManifest } = json as Partial<TfjsEncoderModelJson>;
  if (format !== tfjsModelFormat) fail(`expected format "${tfjsModelFormat}", got ${JSON.stringify(format)}`);
  if (typeof config !== 'object' || config === null) fail('expected an encoder config');
  validateEncoderConfig(config as EncoderConfig);
  if (!Array.isArray(weightsManifest)) fail('expected a weightsManifest list');
  const tensors = new Map<string, Float32Tensor>();
  for (const group of weightsManifest as TfjsEncoderModelJson['weightsManifest']) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) fail('expected each manifest group to have paths and weights');
    const parts = await Promise.all(group.paths.map((path) => readPath(path)));
    const bytes = concat(parts);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let position = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32') fail(`${spec.name}: expected dtype float32, got ${JSON.stringify(spec.dtype)}`);
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        fail(`${spec.name}: expected shape to be a list of non-negative integers`);
      }
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (position + 4 * size > bytes.length) fail(`${spec.name}: the weights files end before this tensor's data`);
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = view.getFloat32(position + 4 * i, true);
      position += 4 * size;
      tensors.set(spec.name, { shape: [...spec.shape], data });
    }
    if (position !== bytes.length) fail(`expected ${position} bytes of weights in ${group.paths.join(', ')}, got ${bytes.length}`);
  }
  checkEncoderTensors(config as EncoderConfig, tensors, source);
  return { config: config as EncoderConfig, tensors };
}

/** Writes model.json and weights.bin into `directory` (created if needed). */
export async function saveTfjsEncoder(directory: string, encoder: Encoder, scalars: LossScalars = {}): Promise<void> {
  const { modelJson, weights } = encodeTfjsEncoder(encoder, scalars);
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, weightsFileName), weights);
  await writeFile(join(directory, 'model.json'), JSON.stringify(modelJson, null, 1));
}

/** Reads an encoder saved by saveTfjsEncoder (or any model.json of the same layout) from `directory`. */
export async function loadTfjsEncoder(
  directory: string,
): Promise<{ config: EncoderConfig; tensors: Map<string, Float32Tensor> }> {
  const modelPath = join(directory, 'model.json');
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(await readFile(modelPath, 'utf8'));
  } catch (error) {
    throw new ArgumentError(`${modelPath}: expected a JSON file (${(error as Error).message})`);
  }
  return decodeTfjsEncoder(
    modelJson,
    async (path) => {
      if (path.includes('..') || path.startsWith('/')) throw new ArgumentError(`${modelPath}: expected a relative path, got ${path}`);
      return readFile(join(directory, path));
    },
    modelPath,
  );
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
