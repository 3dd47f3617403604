// NumPy .npy files (format versions 1.0, 2.0 and 3.0) holding float32 ('<f4') or float16 ('<f2') matrices:
// header parsing that reads only the header bytes, positioned row-range reads of a C-order [rows, cols] matrix
// (never the whole file), and a streaming writer that appends rows so a large matrix is never in memory.
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// Multi-byte values are little-endian on disk and are used as such: every platform the app targets is little-endian.
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { decodeFloat16, encodeFloat16 } from './float16';

export type NpyDtype = 'float32' | 'float16';

export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  fortranOrder: boolean;
  /** Byte offset of the first value. */
  dataOffset: number;
}

/** The file is not a readable .npy of a supported kind; the message names the file. */
export class NpyFormatError extends Error {
  override name = 'NpyFormatError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"
const PREAMBLE_BYTES = 8; // magic + major + minor
const ALIGNMENT = 64;
/** The longest header read (1 MiB); NumPy's own reader refuses more than 10,000 bytes by default. */
const MAX_HEADER_BYTES = 1 << 20;

const descrOf: Record<NpyDtype, string> = { float32: '<f4', float16: '<f2' };
const dtypeOfDescr: Record<string, NpyDtype> = { '<f4': 'float32', '<f2': 'float16' };

export const bytesPerValue = (dtype: NpyDtype) => (dtype === 'float32' ? 4 : 2);

function describeDescr(descr: string): string {
  const kinds: Record<string, string> = { f: 'float', i: 'int', u: 'uint', b: 'bool', c: 'complex', U: 'unicode', S: 'bytes', O: 'object' };
  const match = /^([<>|=])([a-zA-Z])(\d*)$/.exec(descr);
  if (!match) return `'${descr}'`;
  const [, order, kind, size] = match;
  const bits = size ? String(Number(size) * 8) : '';
  const endian = order === '>' ? ', big-endian' : '';
  return `'${descr}' (${kinds[kind!] ?? kind}${bits}${endian})`;
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

function parseHeaderText(file: string, text: string): Omit<NpyHeader, 'dataOffset'> {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError(file, `malformed .npy header ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const dtype = dtypeOfDescr[descr];
  if (!dtype) {
    throw new NpyFormatError(file, `unsupported dtype ${describeDescr(descr)}: expected '<f4' (float32) or '<f2' (float16)`);
  }
  const shape = shapeText
    .split(',')
    .map((part) => part.trim().replace(/L$/, ''))
    .filter((part) => part.length > 0)
    .map((part) => {
      const n = Number(part);
      if (!Number.isInteger(n) || n < 0) throw new NpyFormatError(file, `malformed .npy shape (${shapeText})`);
      return n;
    });
  return { dtype, shape, fortranOrder: fortran === 'True' };
}

function readHeaderFromFd(fd: number, file: string): NpyHeader {
  const fileBytes = fstatSync(fd).size;
  const preamble = readExactly(fd, PREAMBLE_BYTES + 4, 0);
  if (preamble.length < MAGIC.length || !preamble.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new NpyFormatError(file, 'not an .npy file (bad magic bytes, expected "\\x93NUMPY")');
  }
  if (preamble.length < PREAMBLE_BYTES + 2) throw new NpyFormatError(file, 'truncated .npy header');
  const major = preamble[6]!;
  if (major < 1 || major > 3) throw new NpyFormatError(file, `unsupported .npy format version ${major}.${preamble[7]}`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (preamble.length < PREAMBLE_BYTES + lengthBytes) throw new NpyFormatError(file, 'truncated .npy header');
  const headerLength = major === 1 ? preamble.readUInt16LE(PREAMBLE_BYTES) : preamble.readUInt32LE(PREAMBLE_BYTES);
  const dataOffset = PREAMBLE_BYTES + lengthBytes + headerLength;
  // Checked before reading: a hostile length field must not make us allocate gigabytes.
  if (headerLength > MAX_HEADER_BYTES) {
    throw new NpyFormatError(file, `header length ${headerLength} bytes: expected at most ${MAX_HEADER_BYTES} (a shape and dtype description)`);
  }
  if (dataOffset > fileBytes) {
    throw new NpyFormatError(file, `truncated .npy header: expected ${dataOffset} header bytes, file has ${fileBytes}`);
  }
  const headerBytes = readExactly(fd, headerLength, PREAMBLE_BYTES + lengthBytes);
  if (headerBytes.length < headerLength) {
    throw new NpyFormatError(file, `truncated .npy header: expected ${dataOffset} header bytes, file has ${fileBytes}`);
  }
  const header = { ...parseHeaderText(file, headerBytes.toString(major === 3 ? 'utf8' : 'latin1')), dataOffset };
  const dataBytes = header.shape.reduce((a, b) => a * b, 1) * bytesPerValue(header.dtype);
  if (fileBytes < dataOffset + dataBytes) {
    throw new NpyFormatError(
      file,
      `truncated: header says shape (${header.shape.join(', ')}) = ${dataOffset + dataBytes} bytes, file has ${fileBytes}`,
    );
  }
  return header;
}

/** Reads and checks the header of `file` (only its first bytes), including that the file holds all its data. */
export function readNpyHeader(file: string): NpyHeader {
  const fd = openSync(file, 'r');
  try {
    return readHeaderFromFd(fd, file);
  } finally {
    closeSync(fd);
  }
}

/** [rows, cols] of a 2-D header; throws naming the file for any other rank. */
export function matrixShape(header: NpyHeader, file: string): [number, number] {
  if (header.shape.length !== 2) {
    throw new NpyFormatError(file, `expected a 2-D matrix, got rank ${header.shape.length} shape (${header.shape.join(', ')})`);
  }
  return [header.shape[0]!, header.shape[1]!];
}

/** Positioned row reads of a C-order [rows, cols] .npy matrix; rows come back as float32 whatever the file holds. */
export class NpyMatrixReader {
  private constructor(
    readonly file: string,
    private fd: number | null,
    readonly header: NpyHeader,
    readonly rows: number,
    readonly cols: number,
  ) {}

  static open(file: string): NpyMatrixReader {
    const fd = openSync(file, 'r');
    try {
      const header = readHeaderFromFd(fd, file);
      const [rows, cols] = matrixShape(header, file);
      if (header.fortranOrder) {
        throw new NpyFormatError(file, 'fortran_order True is not supported: expected a C-order matrix');
      }
      return new NpyMatrixReader(file, fd, header, rows, cols);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get dtype(): NpyDtype {
    return this.header.dtype;
  }

  /** Rows [start, end) as one row-major Float32Array of (end - start) * cols values. */
  readRows(start: number, end: number): Float32Array {
    if (this.fd === null) throw new Error(`${this.file}: reader is closed`);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > this.rows) {
      throw new RangeError(`${this.file}: expected 0 <= start <= end <= ${this.rows} (integers), got [${start}, ${end})`);
    }
    const count = (end - start) * this.cols;
    const width = bytesPerValue(this.header.dtype);
    const bytes = readExactly(this.fd, count * width, this.header.dataOffset + start * this.cols * width);
    if (bytes.length < count * width) throw new NpyFormatError(this.file, 'truncated while reading rows');
    if (this.header.dtype === 'float32') {
      return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    }
    const out = new Float32Array(count);
    decodeFloat16(new Uint16Array(bytes.buffer, bytes.byteOffset, count), out);
    return out;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Rows [start, end) of the [rows, cols] matrix in `file`, as float32. */
export function readNpyRows(file: string, start: number, end: number): Float32Array {
  const reader = NpyMatrixReader.open(file);
  try {
    return reader.readRows(start, end);
  } finally {
    reader.close();
  }
}

/** The header bytes (preamble, dictionary, padding to 64 bytes) for a C-order array. */
export function formatNpyHeader(dtype: NpyDtype, shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descrOf[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const major = dict.length + 1 + PREAMBLE_BYTES + 2 < 65536 ? 1 : 2;
  const lengthBytes = major === 1 ? 2 : 4;
  const unpadded = PREAMBLE_BYTES + lengthBytes + dict.length + 1;
  const padded = Math.ceil(unpadded / ALIGNMENT) * ALIGNMENT;
  const text = dict + ' '.repeat(padded - unpadded) + '\n';
  const out = Buffer.alloc(padded);
  MAGIC.copy(out, 0);
  out[6] = major;
  out[7] = 0;
  if (major === 1) out.writeUInt16LE(text.length, PREAMBLE_BYTES);
  else out.writeUInt32LE(text.length, PREAMBLE_BYTES);
  out.write(text, PREAMBLE_BYTES + lengthBytes, 'latin1');
  return out;
}

/**
 * Streams a [rows, cols] matrix to disk: the header first (shape known up front), then rows appended in order.
 * Writes `<file>.partial` and renames it on close, so an interrupted write never leaves a plausible file.
 */
export class NpyWriter {
  private written = 0;
  private fd: number | null;
  private halfBuffer = new Uint16Array(0);

  private constructor(
    readonly file: string,
    readonly dtype: NpyDtype,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.fd = openSync(this.partialFile, 'w');
    writeSync(this.fd, formatNpyHeader(dtype, [rows, cols]));
  }

  static create(file: string, options: { dtype: NpyDtype; rows: number; cols: number }): NpyWriter {
    const { dtype, rows, cols } = options;
    for (const [name, value] of [['rows', rows], ['cols', cols]] as const) {
      if (!Number.isInteger(value) || value < 0) throw new RangeError(`NpyWriter ${file}: expected ${name} >= 0 (integer), got ${value}`);
    }
    return new NpyWriter(file, dtype, rows, cols);
  }

  private get partialFile(): string {
    return `${this.file}.partial`;
  }

  get rowsWritten(): number {
    return this.written;
  }

  /** Appends whole rows given row-major (length a multiple of cols). */
  writeRows(values: Float32Array): void {
    if (this.fd === null) throw new Error(`NpyWriter ${this.file}: already closed`);
    if (this.cols === 0 ? values.length !== 0 : values.length % this.cols !== 0) {
      throw new RangeError(`NpyWriter ${this.file}: expected a multiple of ${this.cols} values, got ${values.length}`);
    }
    const rowCount = this.cols === 0 ? 0 : values.length / this.cols;
    if (this.written + rowCount > this.rows) {
      throw new RangeError(`NpyWriter ${this.file}: declared ${this.rows} rows, got ${this.written + rowCount}`);
    }
    if (this.dtype === 'float32') {
      writeSync(this.fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    } else {
      if (this.halfBuffer.length < values.length) this.halfBuffer = new Uint16Array(values.length);
      const half = this.halfBuffer.subarray(0, values.length);
      encodeFloat16(values, half);
      writeSync(this.fd, new Uint8Array(half.buffer, half.byteOffset, half.byteLength));
    }
    this.written += rowCount;
  }

  /** Finishes the file; throws (and removes the partial file) unless every declared row was written. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    if (this.written !== this.rows) {
      rmSync(this.partialFile, { force: true });
      throw new RangeError(`NpyWriter ${this.file}: declared ${this.rows} rows, wrote ${this.written}`);
    }
    renameSync(this.partialFile, this.file);
  }

  /** Abandons the file (e.g. after an error elsewhere): nothing is left on disk. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.partialFile, { force: true });
  }
}
