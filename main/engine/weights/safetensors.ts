// The safetensors file format (https://github.com/huggingface/safetensors, "Format"): an 8-byte little-endian
// header length N, N bytes of JSON mapping each tensor name to {dtype, shape, data_offsets: [begin, end]} (byte
// offsets into the data that follows) plus an optional "__metadata__" string map, then the little-endian data.
// The header is padded with spaces so the data starts 8-byte aligned. Reading accepts F32, F64, F16 and BF16
// (converted to float32) and checks the header as strictly as the reference implementation: every tensor's byte
// size matches its shape and the tensors cover the data exactly, without holes or overlaps. Writing emits F32.

import { open, readFile, writeFile } from 'node:fs/promises';
import { ArgumentError } from '../../../contract/errors';

export type Float32Tensor = { shape: number[]; data: Float32Array };

export type SafetensorsEntry = { dtype: string; shape: number[]; dataOffsets: [number, number] };

export type SafetensorsHeader = {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
};

export type SafetensorsContents = { tensors: Map<string, Float32Tensor>; metadata: Record<string, string> };

const bytesPerElement: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
/** The reference implementation refuses headers above 100 MB; a larger one means a corrupt or hostile file. */
const maxHeaderBytes = 100_000_000;

/** The parsed header of safetensors bytes; `source` names the file in errors. */
export function parseSafetensorsHeader(bytes: Uint8Array, source = 'safetensors'): SafetensorsHeader {
  return parseHeader(bytes, bytes.length, source);
}

/** Parses the header from `bytes`, a prefix of a file of `fileSize` bytes holding at least the whole header. */
function parseHeader(bytes: Uint8Array, fileSize: number, source: string): SafetensorsHeader {
  const fail = (message: string): never => {
    throw new ArgumentError(`${source}: ${message}`);
  };
  if (bytes.length < 8) fail(`expected at least 8 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > maxHeaderBytes || headerLength > fileSize - 8) {
    fail(`header length ${headerLength} exceeds the file (${fileSize} bytes)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected the header to be a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  const tensors = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, fail);
      continue;
    }
    const entry = value as Partial<{ dtype: unknown; shape: unknown; data_offsets: unknown }> | null;
    if (typeof entry !== 'object' || entry === null) fail(`${name}: expected an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in bytesPerElement)) {
      fail(`${name}: expected dtype F32, F64, F16 or BF16, got ${JSON.stringify(dtype)}`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`${name}: expected shape to be a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(`${name}: expected data_offsets [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    const expectedBytes = (shape as number[]).reduce((a, b) => a * b, 1) * (bytesPerElement[dtype as string] as number);
    if (end < begin || end - begin !== expectedBytes) {
      fail(`${name}: expected ${expectedBytes} bytes for shape [${shape}] ${dtype}, got offsets [${begin}, ${end}]`);
    }
    if (end > dataLength) fail(`${name}: data_offsets end ${end} is past the data (${dataLength} bytes)`);
    tensors.set(name, { dtype: dtype as string, shape: shape as number[], dataOffsets: [begin, end] });
  }
  let covered = 0;
  const byOffset = [...tensors].sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  for (const [name, entry] of byOffset) {
    if (entry.dataOffsets[0] !== covered) fail(`${name}: expected data to start at byte ${covered}, got ${entry.dataOffsets[0]}`);
    covered = entry.dataOffsets[1];
  }
  if (covered !== dataLength) fail(`expected the tensors to cover all ${dataLength} data bytes, they cover ${covered}`);
  return { tensors, metadata, dataStart };
}

/** All tensors of safetensors bytes, as float32. */
export function readSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContents {
  const header = parseSafetensorsHeader(bytes, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, Float32Tensor>();
  for (const [name, entry] of header.tensors) {
    const start = header.dataStart + entry.dataOffsets[0];
    const count = (entry.dataOffsets[1] - entry.dataOffsets[0]) / (bytesPerElement[entry.dtype] as number);
    tensors.set(name, { shape: [...entry.shape], data: decode(view, start, count, entry.dtype) });
  }
  return { tensors, metadata: header.metadata };
}

/** Safetensors bytes holding the tensors as F32, in the map's order, with optional string metadata. */
export function writeSafetensors(tensors: Map<string, Float32Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (name === '__metadata__') throw new ArgumentError('a tensor cannot be named __metadata__');
    const size = tensor.shape.reduce((a, b) => a * b, 1);
    if (size !== tensor.data.length) {
      throw new ArgumentError(`${name}: expected ${size} values for shape [${tensor.shape}], got ${tensor.data.length}`);
    }
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8; // pads so the data starts 8-byte aligned
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const tensor of tensors.values()) {
    for (const value of tensor.data) {
      view.setFloat32(position, value, true);
      position += 4;
    }
  }
  return bytes;
}

export async function readSafetensorsFile(path: string): Promise<SafetensorsContents> {
  return readSafetensors(await readFile(path), path);
}

export async function writeSafetensorsFile(
  path: string,
  tensors: Map<string, Float32Tensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFile(path, writeSafetensors(tensors, metadata));
}

/** The header of a safetensors file, reading only its first bytes (for config inference on large files). */
export async function readSafetensorsHeaderFile(path: string): Promise<SafetensorsHeader> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const lengthBytes = Buffer.alloc(8);
    await file.read(lengthBytes, 0, 8, 0);
    const headerLength = size >= 8 ? Number(lengthBytes.readBigUInt64LE(0)) : 0;
    const prefix = Buffer.alloc(Math.min(size, 8 + Math.min(headerLength, maxHeaderBytes)));
    await file.read(prefix, 0, prefix.length, 0);
    return parseHeader(new Uint8Array(prefix.buffer, prefix.byteOffset, prefix.length), size, path);
  } finally {
    await file.close();
  }
}

function parseMetadata(value: unknown, fail: (message: string) => never): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected __metadata__ to be an object');
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, text] of entries) {
    if (typeof text !== 'string') fail(`__metadata__.${key}: expected a string`);
  }
  // fromEntries defines own properties, so a key such as "__proto__" is kept as data, not taken as a prototype.
  return Object.fromEntries(entries) as Record<string, string>;
}

function decode(view: DataView, start: number, count: number, dtype: string): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, true);
  else if (dtype === 'F64') for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, true);
  else if (dtype === 'BF16') {
    const word = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < count; i++) {
      word.setUint32(0, view.getUint16(start + 2 * i, true) << 16);
      out[i] = word.getFloat32(0);
    }
  } else for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(start + 2 * i, true));
  return out;
}

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
