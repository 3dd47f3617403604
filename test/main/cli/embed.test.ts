import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedCommand, runEmbed } from '../../../main/cli/commands/embed';
import type { CliIO } from '../../../main/cli/commandLine';
import type { EncoderConfig } from '../../../main/engine/config';
import { createEncoder, type Encoder } from '../../../main/engine/encoder/encoder';
import { encodeEncoderSafetensors } from '../../../main/engine/weights/encoderWeights';
import { readSafetensors, writeSafetensors } from '../../../main/engine/weights/safetensors';
import { formatNpyHeader, readNpyHeader } from '../../../main/formats/npy';

const config: EncoderConfig = { inputDim: 6, modelDim: 8, layers: 2, heads: 2, ffDim: 16, tokens: 5, layerNormEps: 1e-5, posEmbed: 'learned' };
const clips = 7;

let folder: string;
let encoder: Encoder;
let weightsFile: string;
let featuresFile: string;
let features: Float32Array;

function writeNpy(file: string, data: Float32Array, shape: number[]): void {
  writeFileSync(file, Buffer.concat([formatNpyHeader('float32', shape), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));
}

function readNpy(file: string): { shape: number[]; data: Float32Array } {
  const header = readNpyHeader(file);
  expect(header.dtype).toBe('float32');
  const bytes = readFileSync(file).subarray(header.dataOffset);
  const data = new Float32Array(bytes.length / 4);
  new Uint8Array(data.buffer).set(bytes);
  return { shape: header.shape, data };
}

/** The encoder's own per-layer embeddings of the features, as arrays. */
function forwardLayers(): Float32Array[] {
  const x = tf.tensor3d(features, [clips, config.tokens, config.inputDim]);
  const { layers } = encoder.forward(x);
  const values = layers.map((layer) => Float32Array.from(layer.dataSync()));
  tf.dispose([x, ...layers]);
  return values;
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const worst = actual.reduce((max, v, i) => Math.max(max, Math.abs(v - expected[i]!)), 0);
  expect(worst).toBeLessThan(1e-5);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = mkdtempSync(join(tmpdir(), 'evgap-embed-'));
  encoder = createEncoder(config, 5);
  weightsFile = join(folder, 'encoder.safetensors');
  writeFileSync(weightsFile, encodeEncoderSafetensors(encoder, { logitScale: 1 }));
  featuresFile = join(folder, 'clips.npy');
  const values = tf.randomNormal([clips, config.tokens, config.inputDim], 0, 1, 'float32', 9);
  features = Float32Array.from(values.dataSync());
  values.dispose();
  writeNpy(featuresFile, features, [clips, config.tokens, config.inputDim]);
});

afterAll(() => {
  encoder.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('evgap embed', () => {
  it('writes the final-layer embeddings [B, D] that encoder.forward computes', () => {
    const out = join(folder, 'final.npy');
    expect(runEmbed({ weights: weightsFile, features: featuresFile, out, batchSize: 3 })).toEqual({ shape: [clips, config.modelDim] });
    const written = readNpy(out);
    expect(written.shape).toEqual([clips, config.modelDim]);
    expectClose(written.data, forwardLayers().at(-1)!);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('writes every layer [L, B, D] with --all-layers', () => {
    const out = join(folder, 'all.npy');
    runEmbed({ weights: weightsFile, features: featuresFile, out, allLayers: true });
    const written = readNpy(out);
    expect(written.shape).toEqual([config.layers, clips, config.modelDim]);
    const expected = forwardLayers();
    const size = clips * config.modelDim;
    expected.forEach((layer, l) => expectClose(written.data.subarray(l * size, (l + 1) * size), layer));
  });

  it.each([
    ['wrong rank', [clips * config.tokens, config.inputDim], /clips2\.npy: expected features of shape \[B, T, F\] \(rank 3\), got rank 2 shape \(35, 6\)/],
    ['F mismatch', [clips, config.tokens, 3], /clips2\.npy: expected F = 6 features per frame, as .*encoder\.safetensors \(input_proj\.weight\) takes, got shape \(7, 5, 3\)/],
    ['T mismatch', [clips, 4, config.inputDim], /clips2\.npy: expected T = 5 frames per clip, as .*encoder\.safetensors's positional embedding has \(pos_embed of T \+ 1 = 6 rows\), got shape \(7, 4, 6\)/],
  ])('names the file and what was expected on %s', (_case, shape, message) => {
    const file = join(folder, 'clips2.npy');
    writeNpy(file, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
    expect(() => runEmbed({ weights: weightsFile, features: file, out: join(folder, 'x.npy') })).toThrow(message);
  });

  it('names a missing input file', () => {
    expect(() => runEmbed({ weights: join(folder, 'none.safetensors'), features: featuresFile, out: join(folder, 'x.npy') })).toThrow(
      /none\.safetensors: no such weights file/,
    );
    expect(() => runEmbed({ weights: weightsFile, features: join(folder, 'none.npy'), out: join(folder, 'x.npy') })).toThrow(
      /none\.npy: no such features file/,
    );
  });

  it('needs --heads for PyTorch-named weights that record no head count, and then embeds as the model does', () => {
    const plain = join(folder, 'plain.safetensors');
    writeFileSync(plain, writeSafetensors(readSafetensors(readFileSync(weightsFile)).tensors));
    const out = join(folder, 'plain.npy');
    expect(() => runEmbed({ weights: plain, features: featuresFile, out })).toThrow(
      `${plain}: the number of attention heads is not recorded (no __metadata__.evgap.encoder_config) and the shapes cannot tell it`,
    );
    expect(existsSync(out)).toBe(false);
    runEmbed({ weights: plain, features: featuresFile, out, heads: config.heads });
    expectClose(readNpy(out).data, forwardLayers().at(-1)!);
    expect(() => runEmbed({ weights: weightsFile, features: featuresFile, out, heads: 4 })).toThrow(
      `${weightsFile}: records ${config.heads} attention heads (__metadata__.evgap.encoder_config), got --heads 4`,
    );
  });

  it('refuses a NaN in the weights naming the tensor, and one in the features naming the clip', () => {
    const tensors = readSafetensors(readFileSync(weightsFile));
    tensors.tensors.get('input_proj.weight')!.data[3] = Number.NaN;
    const nanWeights = join(folder, 'nan.safetensors');
    writeFileSync(nanWeights, writeSafetensors(tensors.tensors, tensors.metadata));
    const out = join(folder, 'nan-out.npy');
    expect(() => runEmbed({ weights: nanWeights, features: featuresFile, out })).toThrow(
      `${nanWeights}: tensor input_proj.weight: holds NaN at index 3 (shape [${config.modelDim}, ${config.inputDim}]): expected finite values`,
    );
    const nanFeatures = join(folder, 'nan-clips.npy');
    const values = features.slice();
    values[(4 * config.tokens + 2) * config.inputDim + 1] = Number.POSITIVE_INFINITY;
    writeNpy(nanFeatures, values, [clips, config.tokens, config.inputDim]);
    expect(() => runEmbed({ weights: weightsFile, features: nanFeatures, out })).toThrow(
      `${nanFeatures}: clip 4 holds Infinity at frame 2, feature 1: expected finite features`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an output that is an input, also through a link or another spelling', () => {
    const weightsBefore = readFileSync(weightsFile);
    expect(() => runEmbed({ weights: weightsFile, features: featuresFile, out: weightsFile })).toThrow(
      `${weightsFile}: --out is the --weights file ${weightsFile}; write the embeddings to another file`,
    );
    const spelled = join(folder, '.', '..', basename(folder), 'clips.npy');
    expect(() => runEmbed({ weights: weightsFile, features: featuresFile, out: spelled })).toThrow(/--out is the --features file/);
    const link = join(folder, 'link.npy');
    symlinkSync(featuresFile, link);
    expect(() => runEmbed({ weights: weightsFile, features: featuresFile, out: link })).toThrow(/--out is the --features file/);
    expect(readFileSync(weightsFile).equals(weightsBefore)).toBe(true);
    expect(readNpy(featuresFile).data).toEqual(features);
  });

  it('runs as a command, and a missing flag is a usage error', async () => {
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      env: {},
      untilStopped: () => new Promise(() => {}),
    };
    const out = join(folder, 'command.npy');
    const code = await embedCommand.run(['--weights', weightsFile, '--features', featuresFile, '--out', out, '--backend', 'cpu'], io);
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote embeddings [${clips}, ${config.modelDim}] to ${out}`);
    expectClose(readNpy(out).data, forwardLayers().at(-1)!);
    await expect(embedCommand.run(['--weights', weightsFile, '--features', featuresFile], io)).rejects.toThrow('missing --out FILE');
  });
});
