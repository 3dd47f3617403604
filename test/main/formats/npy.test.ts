// .npy reading and writing: round trips in float32 and float16, row-range reads, headers of format versions 1-3,
// and errors that name the file for bad magic, truncation, unsupported dtypes and ranks.
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../../main/formats/float16';
import { formatNpyHeader, NpyFormatError, NpyMatrixReader, NpyWriter, readNpyHeader, readNpyRows, type NpyDtype } from '../../../main/formats/npy';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-npy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A matrix whose every value says where it is: row r, column c -> r + c / 100. */
function positional(rows: number, cols: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols) + (i % cols) / 100);
}

function writeMatrix(file: string, dtype: NpyDtype, values: Float32Array, rows: number, cols: number, rowsPerWrite: number): void {
  const writer = NpyWriter.create(file, { dtype, rows, cols });
  for (let r = 0; r < rows; r += rowsPerWrite) writer.writeRows(values.subarray(r * cols, Math.min(rows, r + rowsPerWrite) * cols));
  writer.close();
}

/** A hand-made .npy of format `major` with the given header dictionary and data bytes. */
function rawNpy(major: number, dict: string, data: Buffer): Buffer {
  const lengthBytes = major === 1 ? 2 : 4;
  const unpadded = 8 + lengthBytes + dict.length + 1;
  const text = dict + ' '.repeat(Math.ceil(unpadded / 64) * 64 - unpadded) + '\n';
  const preamble = Buffer.alloc(8 + lengthBytes);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]).copy(preamble);
  if (major === 1) preamble.writeUInt16LE(text.length, 8);
  else preamble.writeUInt32LE(text.length, 8);
  return Buffer.concat([preamble, Buffer.from(text, major === 3 ? 'utf8' : 'latin1'), data]);
}

describe('NpyWriter and readers', () => {
  it('round-trip a float32 matrix written in chunks, and read any row range', () => {
    const file = join(dir, 'f32.npy');
    const values = positional(37, 5);
    writeMatrix(file, 'float32', values, 37, 5, 8);
    const header = readNpyHeader(file);
    expect(header).toMatchObject({ dtype: 'float32', shape: [37, 5], fortranOrder: false });
    expect(header.dataOffset % 64).toBe(0);
    expect(readNpyRows(file, 0, 37)).toEqual(values);
    const reader = NpyMatrixReader.open(file);
    expect([reader.rows, reader.cols, reader.dtype]).toEqual([37, 5, 'float32']);
    expect(reader.readRows(30, 33)).toEqual(values.subarray(150, 165));
    expect(reader.readRows(36, 37)).toEqual(values.subarray(180, 185));
    expect(reader.readRows(5, 5)).toEqual(new Float32Array(0));
    expect(() => reader.readRows(30, 38)).toThrow(/0 <= start <= end <= 37/);
    reader.close();
  });

  it('round-trip float16 to the nearest half-precision value', () => {
    const file = join(dir, 'f16.npy');
    const values = Float32Array.from([0, 1, -2, 0.1, 1 / 3, 65504, 1e-7, -3.75, 1234.5, 7]);
    writeMatrix(file, 'float16', values, 5, 2, 2);
    expect(readNpyHeader(file)).toMatchObject({ dtype: 'float16', shape: [5, 2] });
    const back = readNpyRows(file, 0, 5);
    values.forEach((v, i) => expect(back[i]).toBe(float16BitsToFloat32(float32ToFloat16Bits(v))));
    expect([back[1], back[2], back[3], back[5], back[6]]).toEqual([1, -2, 0.0999755859375, 65504, 2 ** -23]);
    expect(readNpyRows(file, 1, 3)).toEqual(back.subarray(2, 6));
  });

  it('read headers of format versions 2 and 3', () => {
    const data = Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    for (const major of [2, 3]) {
      const file = join(dir, `v${major}.npy`);
      writeFileSync(file, rawNpy(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data));
      expect(readNpyHeader(file)).toMatchObject({ dtype: 'float32', shape: [2, 3], fortranOrder: false });
      expect(Array.from(readNpyRows(file, 1, 2))).toEqual([4, 5, 6]);
    }
  });

  it('leave no file behind when fewer rows than declared were written', () => {
    const file = join(dir, 'short.npy');
    const writer = NpyWriter.create(file, { dtype: 'float32', rows: 4, cols: 2 });
    writer.writeRows(new Float32Array(2));
    expect(() => writer.close()).toThrow(/declared 4 rows, wrote 1/);
    expect(readdirSync(dir).filter((f) => f.startsWith('short'))).toEqual([]);
    expect(() => NpyWriter.create(file, { dtype: 'float32', rows: 1, cols: 3 }).writeRows(new Float32Array(4))).toThrow(/multiple of 3/);
  });
});

describe('bad .npy input', () => {
  it('is not an .npy: bad magic, naming the file', () => {
    const file = join(dir, 'text.npy');
    writeFileSync(file, 'hello, not numpy');
    expect(() => readNpyHeader(file)).toThrow(NpyFormatError);
    expect(() => readNpyHeader(file)).toThrow(`${file}: not an .npy file (bad magic bytes`);
  });

  it('is truncated: shorter than its header says', () => {
    const file = join(dir, 'truncated.npy');
    writeMatrix(file, 'float16', positional(10, 4), 10, 4, 10);
    const complete = readNpyHeader(file).dataOffset + 10 * 4 * 2;
    truncateSync(file, complete - 3);
    expect(() => readNpyHeader(file)).toThrow(`${file}: truncated: header says shape (10, 4) = ${complete} bytes, file has ${complete - 3}`);
    truncateSync(file, 20);
    expect(() => readNpyHeader(file)).toThrow(/truncated \.npy header/);
  });

  it('has an unsupported dtype, saying which', () => {
    const file = join(dir, 'f8.npy');
    writeFileSync(file, rawNpy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(16)));
    expect(() => readNpyHeader(file)).toThrow(`${file}: unsupported dtype '<f8' (float64): expected '<f4' (float32) or '<f2' (float16)`);
    writeFileSync(file, rawNpy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(8)));
    expect(() => readNpyHeader(file)).toThrow(/'>f4' \(float32, big-endian\)/);
  });

  it('has the wrong rank or order for a matrix', () => {
    const vector = join(dir, 'vector.npy');
    writeFileSync(vector, Buffer.concat([formatNpyHeader('float32', [3]), Buffer.alloc(12)]));
    expect(readNpyHeader(vector).shape).toEqual([3]);
    expect(() => NpyMatrixReader.open(vector)).toThrow(`${vector}: expected a 2-D matrix, got rank 1 shape (3)`);
    const cube = join(dir, 'cube.npy');
    writeFileSync(cube, Buffer.concat([formatNpyHeader('float16', [2, 2, 2]), Buffer.alloc(16)]));
    expect(() => readNpyRows(cube, 0, 1)).toThrow(/expected a 2-D matrix, got rank 3/);
    const fortran = join(dir, 'fortran.npy');
    writeFileSync(fortran, rawNpy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", Buffer.alloc(16)));
    expect(() => NpyMatrixReader.open(fortran)).toThrow(/fortran_order True is not supported/);
    expect(existsSync(fortran)).toBe(true);
  });
});
