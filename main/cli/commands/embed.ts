// `evgap embed --weights FILE.safetensors --features IN.npy --out OUT.npy`: per-clip embeddings of a feature array
// by an encoder weights file (engine/weights/embed.ts). IN is float32 (or float16) [B, T, F]; OUT is float32, the
// final layer's H [B, D], or with --all-layers every layer's h_l [L, B, D], all L2-normalized. The input is checked
// against the weights before any work (shapes, finite values, a head count the file records or --heads gives), OUT
// may not be either input (compared as resolved real paths), and every error names the file and what was expected.
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { embedFeatures } from '../../engine/weights/embed';
import { decodeEncoderSafetensors } from '../../engine/weights/encoderWeights';
import { decodeFloat16 } from '../../formats/float16';
import { formatNpyHeader, readNpyHeader } from '../../formats/npy';
import { defineCommand, intFlag, UsageError, writeLine } from '../commandLine';
import { activateBackend } from '../backendFlag';

const help = `Usage: evgap embed --weights FILE.safetensors --features IN.npy --out OUT.npy [--all-layers] [--heads N]
       [--batch N] [--backend tensorflow-gpu|tensorflow|wasm|cpu]

Embed clips with an EVGAP encoder: IN.npy holds float32 (or float16) features [B, T, F] (B clips of T frames of F
features); OUT.npy receives float32 embeddings [B, D] of the final layer, or [L, B, D] of every layer with
--all-layers, L2-normalized. The encoder's shape comes from the weights file (a checkpoint of \`evgap pretrain\`, or
PyTorch nn.TransformerEncoderLayer-named weights); T must equal the positional embedding's length minus one.

Options:
  --weights FILE    Encoder weights (.safetensors)
  --features FILE   Input features (.npy, [B, T, F])
  --out FILE        Output embeddings (.npy)
  --all-layers      Write every layer's embedding [L, B, D] instead of the final layer's [B, D]
  --heads N         Attention heads; required when the weights file does not record them (shapes cannot tell)
  --batch N         Clips per forward pass (default 256)
  --backend NAME    Use exactly this TF.js backend (default: the fastest that loads)
  -h, --help        Show this help`;


export type EmbedArgs = {
  weights: string;
  features: string;
  out: string;
  allLayers?: boolean;
  heads?: number;
  batchSize?: number;
};

/** `file` as it would be opened: its real path, or for a file not there yet its folder's real path and its name. */
function realTarget(file: string): string {
  if (existsSync(file)) return realpathSync(file);
  const folder = dirname(file);
  return existsSync(folder) ? join(realpathSync(folder), basename(file)) : file;
}

/** Refuses an output that is one of the inputs (also through a link or another spelling of the path). */
function checkOutput(out: string, inputs: Record<string, string>): void {
  const target = realTarget(out);
  for (const [flag, input] of Object.entries(inputs)) {
    if (realTarget(input) === target) throw new ArgumentError(`${out}: --out is the ${flag} file ${input}; write the embeddings to another file`);
  }
}

/** Reads both files, checks the features against the weights, embeds, writes OUT; returns OUT's shape. */
export function runEmbed(args: EmbedArgs): { shape: number[] } {
  const weightsFile = resolve(args.weights);
  const featuresFile = resolve(args.features);
  const outFile = resolve(args.out);
  checkOutput(outFile, { '--weights': weightsFile, '--features': featuresFile });
  const weightsBytes = readInput(weightsFile, 'weights');
  const { config } = decodeEncoderSafetensors(weightsBytes, headsOption(args), weightsFile);
  const features = readFeatures(featuresFile, { tokens: config.tokens, inputDim: config.inputDim, weightsFile });
  const embeddings = embedFeatures(weightsBytes, features, {
    ...headsOption(args),
    sources: { weights: weightsFile, features: featuresFile },
    allLayers: args.allLayers === true,
    ...(args.batchSize !== undefined && { batchSize: args.batchSize }),
  });
  writeFloat32Npy(outFile, embeddings.data, embeddings.shape);
  return { shape: embeddings.shape };
}

function headsOption(args: EmbedArgs): { heads?: number } {
  return args.heads === undefined ? {} : { heads: args.heads };
}

function readInput(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`${file}: no such ${what} file`);
    throw new ArgumentError(`${file}: cannot read the ${what} file: ${(error as Error).message}`);
  }
}

/** The [B, T, F] features of an .npy file, as float32, after checking T and F against the encoder. */
function readFeatures(
  file: string,
  expected: { tokens: number; inputDim: number; weightsFile: string },
): { data: Float32Array; shape: number[] } {
  const bytes = readInput(file, 'features');
  const header = readNpyHeader(file);
  const { shape } = header;
  const shown = `(${shape.join(', ')})`;
  if (shape.length !== 3) {
    throw new ArgumentError(`${file}: expected features of shape [B, T, F] (rank 3), got rank ${shape.length} shape ${shown}`);
  }
  if (header.fortranOrder) throw new ArgumentError(`${file}: expected a C-order array, got fortran_order True`);
  const [clips, tokens, dim] = shape as [number, number, number];
  if (dim !== expected.inputDim) {
    throw new ArgumentError(
      `${file}: expected F = ${expected.inputDim} features per frame, as ${expected.weightsFile} (input_proj.weight) takes, got shape ${shown}`,
    );
  }
  if (tokens !== expected.tokens) {
    throw new ArgumentError(
      `${file}: expected T = ${expected.tokens} frames per clip, as ${expected.weightsFile}'s positional embedding has ` +
        `(pos_embed of T + 1 = ${expected.tokens + 1} rows), got shape ${shown}`,
    );
  }
  if (clips < 1) throw new ArgumentError(`${file}: expected at least one clip, got shape ${shown}`);
  const count = clips * tokens * dim;
  const values = bytes.subarray(header.dataOffset);
  if (header.dtype === 'float32') {
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(values.subarray(0, count * 4));
    return { data, shape };
  }
  const half = new Uint16Array(count);
  new Uint8Array(half.buffer).set(values.subarray(0, count * 2));
  const data = new Float32Array(count);
  decodeFloat16(half, data);
  return { data, shape };
}

/** A C-order float32 .npy, written to `<file>.partial` and renamed, so a failed write leaves no plausible file. */
function writeFloat32Npy(file: string, data: Float32Array, shape: number[]): void {
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([formatNpyHeader('float32', shape), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new ArgumentError(`${file}: cannot write the embeddings: ${(error as Error).message}`);
  }
}

export const embedCommand = defineCommand({
  name: 'embed',
  summary: 'Embed clips of an .npy feature array with encoder weights',
  help,
  options: {
    weights: { type: 'string' },
    features: { type: 'string' },
    out: { type: 'string' },
    'all-layers': { type: 'boolean' },
    heads: { type: 'string' },
    batch: { type: 'string' },
    backend: { type: 'string' },
  },
  positionals: [],
  async run({ values }, io) {
    for (const flag of ['weights', 'features', 'out'] as const) {
      if (values[flag] === undefined) throw new UsageError(`missing --${flag} FILE`, 'embed');
    }
    const heads = intFlag('embed', 'heads', values.heads, { min: 1, max: 4096 });
    const batchSize = intFlag('embed', 'batch', values.batch, { min: 1, max: 1_000_000 });
    await activateBackend(io, 'embed', values.backend);
    const { shape } = runEmbed({
      weights: values.weights as string,
      features: values.features as string,
      out: values.out as string,
      allLayers: values['all-layers'] === true,
      ...(heads !== undefined && { heads }),
      ...(batchSize !== undefined && { batchSize }),
    });
    writeLine(io.stdout, `Wrote embeddings [${shape.join(', ')}] to ${resolve(values.out as string)}`);
    return 0;
  },
});
