// PyTorch tensor files (`torch.save(tensor, path)`, the zip format PyTorch writes since 1.6) read in Node, without
// Python and without executing the pickle inside. The archive holds `<name>/data.pkl` (a protocol-2 pickle),
// `<name>/data/<key>` (each storage's raw bytes, stored uncompressed), `<name>/version` and, since PyTorch 2.1,
// `<name>/byteorder`. For a plain tensor the pickle is
//   torch._utils._rebuild_tensor_v2(<persistent id ('storage', torch.FloatStorage, key, location, numel)>,
//                                    storage_offset, size, stride, requires_grad, collections.OrderedDict())
// which is interpreted (main/formats/pickle.ts) with exactly those globals allowed; anything else — another
// global (os.system, builtins.eval, __main__.X), a dict or list of tensors, BUILD, a non-tensor result — is refused
// naming the file and the opcode or global. The result is the tensor's dtype, shape, stride and storage offset and
// the byte offset of its first value in the file, so rows are read with positioned reads, never the whole tensor.
// Files in the legacy format (`_use_new_zipfile_serialization=False`, a bare pickle stream) are refused with a
// message saying how to re-save them. Values are little-endian (a `byteorder` entry saying otherwise is refused).
// Reference: PyTorch's torch/serialization.py (_save, _load) and torch/_utils.py (_rebuild_tensor_v2).
import { closeSync, fstatSync, openSync } from 'node:fs';
import { decodeFloat16 } from './float16';
import { describePickleValue, interpretPickle, PickleGlobal, PickleTuple, type PickleObject, type PickleValue } from './pickle';
import { readAt } from './positionedRead';
import { readStoredEntry, readZipDirectory, storedEntryData, type ZipDirectory } from './zipArchive';

/** The file is not a tensor file this reader accepts; the message names the file and what was expected. */
export class TorchFileError extends Error {
  override name = 'TorchFileError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Element types of the storages the pickle may name (torch.<Type>Storage). */
export type TorchDtype = 'float32' | 'float16' | 'bfloat16' | 'float64';
/** The ones whose rows are read (as float32). */
export type TorchReadableDtype = Exclude<TorchDtype, 'float64'>;

const STORAGE_TYPES: Record<string, { dtype: TorchDtype; bytes: number }> = {
  'torch.FloatStorage': { dtype: 'float32', bytes: 4 },
  'torch.HalfStorage': { dtype: 'float16', bytes: 2 },
  'torch.BFloat16Storage': { dtype: 'bfloat16', bytes: 2 },
  'torch.DoubleStorage': { dtype: 'float64', bytes: 8 },
};
const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';
const ORDERED_DICT = 'collections.OrderedDict';
const ALLOWED_GLOBALS: ReadonlySet<string> = new Set([REBUILD_TENSOR, ORDERED_DICT, ...Object.keys(STORAGE_TYPES)]);

/** data.pkl of one tensor is ~150 bytes; anything this large is not a plain tensor file. */
const MAX_PICKLE_BYTES = 1024 * 1024;
const MAX_RANK = 8;
const ZIP_MAGIC = 0x04034b50;
const PICKLE_PROTO = 0x80;

export interface TorchTensorHeader {
  dtype: TorchDtype;
  shape: number[];
  /** In elements, as torch reports it. */
  stride: number[];
  /** In elements, from the start of the storage. */
  storageOffset: number;
  /** Byte offset in the file of the tensor's first element (the storage's data plus the storage offset). */
  dataOffset: number;
}

interface StorageRef extends PickleObject {
  kind: 'a torch storage';
  dtype: TorchDtype;
  bytesPerValue: number;
  key: string;
  numel: number;
}

interface TensorRecord extends PickleObject {
  kind: 'a tensor';
  storage: StorageRef;
  storageOffset: number;
  shape: number[];
  stride: number[];
}

const EMPTY_HOOKS: PickleObject = { kind: 'an empty OrderedDict' };

function isObject<T extends PickleObject>(value: PickleValue, kind: T['kind']): value is T {
  return typeof value === 'object' && value !== null && !(value instanceof PickleTuple) && !(value instanceof PickleGlobal) && value.kind === kind;
}

function nonNegativeInts(value: PickleValue, what: string, refuse: (problem: string) => never): number[] {
  if (!(value instanceof PickleTuple)) return refuse(`${what}: expected a tuple of ints, got ${describePickleValue(value)}`);
  if (value.items.length > MAX_RANK) return refuse(`${what}: rank ${value.items.length} is above ${MAX_RANK}`);
  return value.items.map((item) => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) return refuse(`${what}: expected non-negative ints, got ${describePickleValue(item)}`);
    return item;
  });
}

const rules = {
  globals: ALLOWED_GLOBALS,
  persistentLoad(pid: PickleValue, refuse: (problem: string) => never): StorageRef {
    const items = pid instanceof PickleTuple ? pid.items : [];
    const [tag, type, key, , numel] = items;
    if (items.length !== 5 || tag !== 'storage') {
      return refuse(`expected a storage id ('storage', type, key, location, numel), got ${describePickleValue(pid)}`);
    }
    const storage = type instanceof PickleGlobal ? STORAGE_TYPES[type.qualifiedName] : undefined;
    if (!storage) return refuse(`expected a storage type (${Object.keys(STORAGE_TYPES).join(', ')}), got ${describePickleValue(type ?? null)}`);
    if (typeof key !== 'string' || !/^[A-Za-z0-9_]+$/.test(key)) return refuse(`expected a storage key of letters and digits, got ${describePickleValue(key ?? null)}`);
    if (typeof numel !== 'number' || !Number.isInteger(numel) || numel < 0) return refuse(`expected a storage size (a non-negative int), got ${describePickleValue(numel ?? null)}`);
    return { kind: 'a torch storage', dtype: storage.dtype, bytesPerValue: storage.bytes, key, numel };
  },
  reduce(callable: PickleGlobal, args: PickleTuple, refuse: (problem: string) => never): PickleValue {
    if (callable.qualifiedName === ORDERED_DICT) {
      if (args.items.length !== 0) return refuse('collections.OrderedDict with items (backward hooks) is not supported: expected OrderedDict()');
      return EMPTY_HOOKS;
    }
    if (callable.qualifiedName !== REBUILD_TENSOR) return refuse(`${callable.qualifiedName} is a type, not something a tensor file rebuilds with`);
    const [storage, storageOffset, size, stride, requiresGrad, hooks] = args.items;
    if (args.items.length !== 6) {
      return refuse(
        `expected _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks), got ${args.items.length} arguments` +
          (args.items.length === 7 ? ' (tensor metadata is not supported)' : ''),
      );
    }
    if (!isObject<StorageRef>(storage!, 'a torch storage')) return refuse(`expected a storage as the first argument, got ${describePickleValue(storage!)}`);
    if (typeof storageOffset !== 'number' || !Number.isInteger(storageOffset) || storageOffset < 0) {
      return refuse(`expected a non-negative int storage offset, got ${describePickleValue(storageOffset!)}`);
    }
    if (typeof requiresGrad !== 'boolean') return refuse(`expected requires_grad to be a bool, got ${describePickleValue(requiresGrad!)}`);
    if (hooks !== EMPTY_HOOKS) return refuse(`expected OrderedDict() as backward hooks, got ${describePickleValue(hooks!)}`);
    const tensor: TensorRecord = {
      kind: 'a tensor',
      storage,
      storageOffset,
      shape: nonNegativeInts(size!, 'size', refuse),
      stride: nonNegativeInts(stride!, 'stride', refuse),
    };
    if (tensor.shape.length !== tensor.stride.length) return refuse(`size (${tensor.shape.join(', ')}) and stride (${tensor.stride.join(', ')}) differ in rank`);
    return tensor;
  },
};

/** The archive's record folder: the one `<name>/` holding `<name>/data.pkl`. */
function recordPrefix(directory: ZipDirectory, file: string): string {
  const pickles = directory.entries.filter((entry) => /^[^/]+\/data\.pkl$/.test(entry.name));
  if (pickles.length !== 1) {
    throw new TorchFileError(file, `expected one <name>/data.pkl in the archive (torch.save's format), found ${pickles.length}: ${directory.entries.slice(0, 8).map((e) => e.name).join(', ')}`);
  }
  return pickles[0]!.name.slice(0, -'data.pkl'.length);
}

function checkByteOrder(fd: number, file: string, directory: ZipDirectory, prefix: string): void {
  const entry = directory.entries.find((e) => e.name === `${prefix}byteorder`);
  if (!entry) return;
  const order = readStoredEntry(fd, file, directory, entry, 16).toString('latin1').trim();
  if (order !== 'little') throw new TorchFileError(file, `byteorder is ${JSON.stringify(order)}: only little-endian tensor files are read`);
}

function checkNotLegacy(fd: number, file: string, fileSize: number): void {
  const head = readAt(fd, 4, 0);
  if (head.length === 4 && head.readUInt32LE(0) === ZIP_MAGIC) return;
  if (head.length >= 1 && head[0] === PICKLE_PROTO) {
    throw new TorchFileError(
      file,
      'legacy PyTorch format (a bare pickle stream, torch.save(..., _use_new_zipfile_serialization=False) or PyTorch < 1.6) is not read: ' +
        'load it in Python and save it again with torch.save(tensor, path) to get the zip format',
    );
  }
  if (fileSize === 0) throw new TorchFileError(file, 'empty file: expected a torch.save zip archive');
}

function elementCount(shape: readonly number[], file: string): number {
  let count = 1;
  for (const n of shape) {
    count *= n;
    if (count > Number.MAX_SAFE_INTEGER) throw new TorchFileError(file, `shape (${shape.join(', ')}) has too many elements`);
  }
  return count;
}

function headerFromFd(fd: number, file: string): TorchTensorHeader {
  const fileSize = fstatSync(fd).size;
  checkNotLegacy(fd, file, fileSize);
  const directory = readZipDirectory(fd, file, fileSize);
  const prefix = recordPrefix(directory, file);
  checkByteOrder(fd, file, directory, prefix);
  const pickle = readStoredEntry(fd, file, directory, directory.entries.find((e) => e.name === `${prefix}data.pkl`)!, MAX_PICKLE_BYTES);
  const value = interpretPickle(pickle, `${file} (${prefix}data.pkl)`, rules);
  if (!isObject<TensorRecord>(value, 'a tensor')) {
    throw new TorchFileError(file, `expected a single tensor (torch.save(tensor, path)), the pickle holds ${describePickleValue(value)}`);
  }
  const { storage, storageOffset, shape, stride } = value;
  const name = `${prefix}data/${storage.key}`;
  const entry = directory.entries.find((e) => e.name === name);
  if (!entry) throw new TorchFileError(file, `the tensor's storage ${name} is not in the archive`);
  const data = storedEntryData(fd, file, directory, entry);
  if (data.size !== storage.numel * storage.bytesPerValue) {
    throw new TorchFileError(file, `storage ${name} holds ${data.size} bytes, expected ${storage.numel} ${storage.dtype} values (${storage.numel * storage.bytesPerValue} bytes)`);
  }
  if (elementCount(shape, file) > 0) {
    const last = shape.reduce((sum, n, i) => sum + (n - 1) * stride[i]!, storageOffset);
    if (last >= storage.numel) {
      throw new TorchFileError(file, `tensor (offset ${storageOffset}, size (${shape.join(', ')}), stride (${stride.join(', ')})) reaches element ${last} of a storage of ${storage.numel}`);
    }
  }
  return { dtype: storage.dtype, shape, stride, storageOffset, dataOffset: data.offset + storageOffset * storage.bytesPerValue };
}

/** Reads and checks the header of a tensor file (zip directory and pickle; never the tensor's values). */
export function readTorchTensorHeader(file: string): TorchTensorHeader {
  const fd = openSync(file, 'r');
  try {
    return headerFromFd(fd, file);
  } finally {
    closeSync(fd);
  }
}

export interface TorchMatrix {
  rows: number;
  cols: number;
  dtype: TorchReadableDtype;
}

/**
 * The tensor as a C-contiguous [rows, cols] matrix of a readable dtype: [T, F]; [F] (one row); or [T, 1, F], the
 * shape Ego4D's feature extraction saves (a stack of batch-of-one outputs). Anything else is refused.
 */
export function torchMatrixShape(header: TorchTensorHeader, file: string): TorchMatrix {
  const { shape, stride, dtype } = header;
  if (dtype === 'float64') throw new TorchFileError(file, 'float64 tensors (DoubleStorage) are not read: expected float32, float16 or bfloat16 (save tensor.float())');
  let rows: number, cols: number, rowStride: number, colStride: number;
  if (shape.length === 1) [rows, cols, rowStride, colStride] = [1, shape[0]!, 0, stride[0]!];
  else if (shape.length === 2) [rows, cols, rowStride, colStride] = [shape[0]!, shape[1]!, stride[0]!, stride[1]!];
  else if (shape.length === 3 && shape[1] === 1) [rows, cols, rowStride, colStride] = [shape[0]!, shape[2]!, stride[0]!, stride[2]!];
  else throw new TorchFileError(file, `expected a [T, F] matrix (or [F], or [T, 1, F]), got shape (${shape.join(', ')})`);
  if ((cols > 1 && colStride !== 1) || (rows > 1 && rowStride !== cols)) {
    throw new TorchFileError(
      file,
      `the tensor is not C-contiguous (shape (${shape.join(', ')}), stride (${stride.join(', ')})): save tensor.contiguous() instead`,
    );
  }
  return { rows, cols, dtype };
}

const BYTES: Record<TorchReadableDtype, number> = { float32: 4, float16: 2, bfloat16: 2 };

/** Positioned row reads of a tensor file's [rows, cols] matrix; rows come back as float32. */
export class TorchMatrixReader implements TorchMatrix {
  private constructor(
    readonly file: string,
    private fd: number | null,
    readonly header: TorchTensorHeader,
    readonly rows: number,
    readonly cols: number,
    readonly dtype: TorchReadableDtype,
  ) {}

  static open(file: string): TorchMatrixReader {
    const fd = openSync(file, 'r');
    try {
      const header = headerFromFd(fd, file);
      const { rows, cols, dtype } = torchMatrixShape(header, file);
      return new TorchMatrixReader(file, fd, header, rows, cols, dtype);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Rows [start, end) as one row-major Float32Array of (end - start) * cols values. */
  readRows(start: number, end: number): Float32Array {
    if (this.fd === null) throw new Error(`${this.file}: reader is closed`);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > this.rows) {
      throw new RangeError(`${this.file}: expected 0 <= start <= end <= ${this.rows} (integers), got [${start}, ${end})`);
    }
    const count = (end - start) * this.cols;
    const width = BYTES[this.dtype];
    const position = this.header.dataOffset + start * this.cols * width;
    const bytes = readAt(this.fd, count * width, position);
    if (bytes.length < count * width) throw new TorchFileError(this.file, `file ended at byte ${position + bytes.length} while reading rows [${start}, ${end})`);
    return decodeTorchValues(this.dtype, bytes, count);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** `count` little-endian values of `dtype` from `bytes`, as float32 (bfloat16 is the upper half of a float32). */
function decodeTorchValues(dtype: TorchReadableDtype, bytes: Buffer, count: number): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'float32') {
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
  } else {
    const halves = new Uint16Array(count);
    new Uint8Array(halves.buffer).set(bytes.subarray(0, count * 2));
    if (dtype === 'float16') decodeFloat16(halves, out);
    else {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = halves[i]! << 16;
    }
  }
  return out;
}
