// Tests of the safetensors reader/writer: exact bytes of a hand-made file, round trips, dtypes, malformed files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseSafetensorsHeader,
  readSafetensors,
  readSafetensorsFile,
  readSafetensorsHeaderFile,
  writeSafetensors,
  writeSafetensorsFile,
  type Float32Tensor,
} from '../../../../main/engine/weights/safetensors';

/** A safetensors file assembled by hand: 8-byte LE length, the JSON header padded with spaces, the data. */
function handMade(header: object, data: number[]): Uint8Array {
  const json = JSON.stringify(header);
  const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
  const bytes = new Uint8Array(8 + padded.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(padded.length), true);
  bytes.set(new TextEncoder().encode(padded), 8);
  bytes.set(data, 8 + padded.length);
  return bytes;
}

const le32 = (value: number): number[] => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return [...b];
};
const le16 = (bits: number): number[] => [bits & 0xff, bits >> 8];

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'evgap-safetensors-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('safetensors', () => {
  it('writes the exact bytes of the format: length, padded JSON header, offsets, little-endian data', () => {
    const tensors = new Map<string, Float32Tensor>([
      ['a', { shape: [2], data: Float32Array.of(1, -2) }],
      ['b', { shape: [], data: Float32Array.of(0.5) }],
    ]);
    const bytes = writeSafetensors(tensors);
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}';
    const headerLength = Math.ceil(json.length / 8) * 8;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(Number(view.getBigUint64(0, true))).toBe(headerLength);
    expect((8 + headerLength) % 8).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))).toBe(json.padEnd(headerLength, ' '));
    expect([...bytes.subarray(8 + headerLength)]).toEqual([...le32(1), ...le32(-2), ...le32(0.5)]);
    expect(bytes).toEqual(handMade(JSON.parse(json) as object, [...le32(1), ...le32(-2), ...le32(0.5)]));
  });

  it('round-trips tensors and metadata', () => {
    const tensors = new Map<string, Float32Tensor>([
      ['layers.0.linear1.weight', { shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6.25) }],
      ['logit_scale', { shape: [], data: Float32Array.of(0.155) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ]);
    const { tensors: read, metadata } = readSafetensors(writeSafetensors(tensors, { format: 'pt', note: 'x' }));
    expect(metadata).toEqual({ format: 'pt', note: 'x' });
    expect([...read.keys()]).toEqual([...tensors.keys()]);
    for (const [name, tensor] of tensors) expect(read.get(name)).toEqual(tensor);
  });

  it('reads F16 and BF16 (and F64) tensors as float32', () => {
    const bytes = handMade(
      {
        __metadata__: { format: 'pt' },
        half: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
        brain: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
        double: { dtype: 'F64', shape: [1], data_offsets: [12, 20] },
      },
      [...le16(0x3c00), ...le16(0xc000), ...le16(0x3800), ...le16(0x0001), ...le16(0x3f80), ...le16(0xc040), ...new Uint8Array(Float64Array.of(-0.25).buffer)],
    );
    const { tensors } = readSafetensors(bytes);
    expect(Array.from(tensors.get('half')!.data)).toEqual([1, -2, 0.5, Math.fround(2 ** -24)]);
    expect(Array.from(tensors.get('brain')!.data)).toEqual([1, -3]);
    expect(Array.from(tensors.get('double')!.data)).toEqual([-0.25]);
  });

  it('rejects malformed files with the file and tensor named', () => {
    const data = [...le32(1), ...le32(2)];
    const bad = (header: object, bytes = data) => () => readSafetensors(handMade(header, bytes), 'w.safetensors');
    expect(bad({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } })).toThrow(
      'w.safetensors: a: expected 12 bytes for shape [3] F32, got offsets [0, 8]',
    );
    expect(bad({ a: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } })).toThrow('a: expected dtype F32, F64, F16 or BF16, got "I8"');
    expect(bad({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } })).toThrow('a: expected data to start at byte 0, got 4');
    expect(bad({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } })).toThrow(
      'expected the tensors to cover all 8 data bytes, they cover 4',
    );
    expect(bad({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } })).toThrow('a: data_offsets end 16 is past the data (8 bytes)');
    expect(bad({ __metadata__: { n: 1 }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } })).toThrow('__metadata__.n: expected a string');
    const truncated = handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data).subarray(0, 20);
    expect(() => readSafetensors(truncated, 'cut')).toThrow('cut: header length');
    expect(() => readSafetensors(new Uint8Array(4), 'tiny')).toThrow('tiny: expected at least 8 bytes, got 4');
  });

  it('rejects writing values that do not fill the shape', () => {
    expect(() => writeSafetensors(new Map([['a', { shape: [2, 2], data: new Float32Array(3) }]]))).toThrow(
      'a: expected 4 values for shape [2,2], got 3',
    );
  });

  it('reads and writes files, and reads a header alone', async () => {
    const path = join(directory, 'w.safetensors');
    const tensors = new Map<string, Float32Tensor>([['x', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }]]);
    await writeSafetensorsFile(path, tensors, { format: 'pt' });
    expect((await readSafetensorsFile(path)).tensors.get('x')).toEqual(tensors.get('x'));
    const header = await readSafetensorsHeaderFile(path);
    expect(header.tensors.get('x')).toEqual({ dtype: 'F32', shape: [2, 3], dataOffsets: [0, 24] });
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(header).toEqual(parseSafetensorsHeader(writeSafetensors(tensors, { format: 'pt' })));
    await writeFile(path, Buffer.from([1, 2, 3]));
    await expect(readSafetensorsHeaderFile(path)).rejects.toThrow(`${path}: expected at least 8 bytes, got 3`);
  });
});
