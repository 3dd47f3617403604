// PyTorch tensor files written by Debian's python3-torch (torch.save): headers and rows read back exactly for
// float32, float16 and bfloat16, a view with a storage offset, [T, 1, F] and 1-D tensors; refused with a named
// error: non-contiguous and float64 tensors, a dict or list of tensors, a pickle that would call os.system (and
// nothing runs), the legacy format, re-zipped (deflated) entries and a truncated file.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PickleError } from '../../../main/formats/pickle';
import { readTorchTensorHeader, TorchFileError, TorchMatrixReader } from '../../../main/formats/torchTensorFile';
import { ZipFormatError } from '../../../main/formats/zipArchive';
import { fixtureMatrix, pythonTorch, writeTensorFiles, type TensorFileSpec } from '../../fixtures/torch/torchFixtures';
import { needs } from '../../preconditions';

const ROWS = 40;
const COLS = 16;

needs(pythonTorch).describe('torch.save files', () => {
  let dir = '';
  const file = (name: string) => join(dir, `${name}.pt`);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'evgap-pt-'));
    const specs: TensorFileSpec[] = [
      { path: file('f32'), kind: 'matrix', rows: ROWS, cols: COLS, dtype: 'float32', base: 0 },
      { path: file('f16'), kind: 'matrix', rows: ROWS, cols: COLS, dtype: 'float16', base: 3 },
      { path: file('bf16'), kind: 'matrix', rows: 8, cols: 4, dtype: 'bfloat16', base: 1 },
      { path: file('view'), kind: 'view', rows: ROWS, cols: COLS, dtype: 'float32', base: 0 },
      { path: file('stacked'), kind: 'stacked', rows: ROWS, cols: COLS, dtype: 'float16', base: 2 },
      { path: file('vector'), kind: 'vector', cols: COLS, dtype: 'float32', base: 5 },
      { path: file('transposed'), kind: 'transposed', rows: ROWS, cols: COLS },
      { path: file('f64'), kind: 'matrix', rows: 4, cols: 3, dtype: 'float64' },
      { path: file('dict'), kind: 'dict' },
      { path: file('list'), kind: 'list' },
      { path: file('hostile'), kind: 'hostile' },
      { path: file('legacy'), kind: 'legacy' },
      { path: file('deflated'), kind: 'deflated' },
    ];
    writeTensorFiles(specs, dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function readAll(name: string): { rows: number; cols: number; dtype: string; values: Float32Array } {
    const reader = TorchMatrixReader.open(file(name));
    try {
      return { rows: reader.rows, cols: reader.cols, dtype: reader.dtype, values: reader.readRows(0, reader.rows) };
    } finally {
      reader.close();
    }
  }

  it('reads a float32 [T, F] tensor: header facts and every value', () => {
    const header = readTorchTensorHeader(file('f32'));
    expect(header).toMatchObject({ dtype: 'float32', shape: [ROWS, COLS], stride: [COLS, 1], storageOffset: 0 });
    expect(header.dataOffset % 64).toBe(0); // torch aligns storages to 64 bytes
    const { rows, cols, values } = readAll('f32');
    expect([rows, cols]).toEqual([ROWS, COLS]);
    expect(values).toEqual(fixtureMatrix(ROWS, COLS, 0));
  });

  it('reads row ranges with positioned reads', () => {
    const reader = TorchMatrixReader.open(file('f16'));
    try {
      expect(reader.dtype).toBe('float16');
      expect(reader.readRows(7, 11)).toEqual(fixtureMatrix(ROWS, COLS, 3).subarray(7 * COLS, 11 * COLS));
      expect(reader.readRows(ROWS, ROWS)).toEqual(new Float32Array(0));
      expect(() => reader.readRows(0, ROWS + 1)).toThrow(RangeError);
    } finally {
      reader.close();
    }
  });

  it('reads float16 and bfloat16 values exactly', () => {
    expect(readAll('f16').values).toEqual(fixtureMatrix(ROWS, COLS, 3));
    const bf16 = readAll('bf16');
    expect(bf16.dtype).toBe('bfloat16');
    expect(bf16.values).toEqual(fixtureMatrix(8, 4, 1));
  });

  it('reads a saved view from its storage offset (torch.save writes the whole storage)', () => {
    const header = readTorchTensorHeader(file('view'));
    expect(header).toMatchObject({ shape: [ROWS, COLS], storageOffset: 5 * COLS });
    expect(header.dataOffset - readTorchTensorHeader(file('f32')).dataOffset).toBe(5 * COLS * 4);
    expect(readAll('view').values).toEqual(fixtureMatrix(ROWS, COLS, 5 * COLS));
  });

  it('reads [T, 1, F] (Ego4D\'s stacked batch-of-one features) as [T, F] and a 1-D tensor as one row', () => {
    expect(readAll('stacked')).toMatchObject({ rows: ROWS, cols: COLS, values: fixtureMatrix(ROWS, COLS, 2) });
    expect(readAll('vector')).toMatchObject({ rows: 1, cols: COLS, values: fixtureMatrix(1, COLS, 5) });
  });

  it('refuses a non-contiguous tensor and a float64 one, naming the file', () => {
    expect(readTorchTensorHeader(file('transposed'))).toMatchObject({ shape: [ROWS, COLS], stride: [1, ROWS] });
    expect(() => TorchMatrixReader.open(file('transposed'))).toThrow(TorchFileError);
    expect(() => TorchMatrixReader.open(file('transposed'))).toThrow(/transposed\.pt: the tensor is not C-contiguous \(shape \(40, 16\), stride \(1, 40\)\)/);
    expect(() => TorchMatrixReader.open(file('f64'))).toThrow(/f64\.pt: float64 tensors \(DoubleStorage\) are not read/);
  });

  it('refuses a dict or a list of tensors at its opcode', () => {
    expect(() => readTorchTensorHeader(file('dict'))).toThrow(PickleError);
    expect(() => readTorchTensorHeader(file('dict'))).toThrow(/dict\.pt \(dict\/data\.pkl\): pickle byte 2: EMPTY_DICT \(0x7d\): not supported: it starts a dict/);
    expect(() => readTorchTensorHeader(file('list'))).toThrow(/list\.pt \(list\/data\.pkl\): pickle byte 2: EMPTY_LIST \(0x5d\)/);
  });

  it('refuses a pickle that would call os.system, naming the global, and runs nothing', () => {
    const hostile = file('hostile');
    expect(readFileSync(hostile).includes(Buffer.from('system'))).toBe(true);
    expect(() => readTorchTensorHeader(hostile)).toThrow(PickleError);
    expect(() => readTorchTensorHeader(hostile)).toThrow(/hostile\.pt \(hostile\/data\.pkl\): pickle byte 2: GLOBAL \(0x63\): global posix\.system is not allowed .*nothing in it was run/);
    expect(existsSync(`${hostile}.pwned`)).toBe(false);
  });

  it('refuses the legacy format and deflated entries with what to do', () => {
    expect(() => readTorchTensorHeader(file('legacy'))).toThrow(/legacy\.pt: legacy PyTorch format .*save it again with torch\.save\(tensor, path\)/);
    expect(() => readTorchTensorHeader(file('deflated'))).toThrow(ZipFormatError);
    // Saved to a buffer first, so torch named the record folder 'archive' (a file's stem otherwise).
    expect(() => readTorchTensorHeader(file('deflated'))).toThrow(/deflated\.pt: entry archive\/data\.pkl is compressed \(method 8, deflate\)/);
  });

  it('refuses a truncated or empty file with an error naming it', () => {
    const bytes = readFileSync(file('f32'));
    const cut = join(dir, 'cut.pt');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    expect(() => readTorchTensorHeader(cut)).toThrow(/cut\.pt: not a ZIP archive/);
    writeFileSync(cut, bytes.subarray(0, 1000));
    expect(() => readTorchTensorHeader(cut)).toThrow(/cut\.pt: /);
    writeFileSync(cut, '');
    expect(() => readTorchTensorHeader(cut)).toThrow(/cut\.pt: empty file/);
  });
});
