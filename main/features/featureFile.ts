// What a feature file holds, whichever format it is in: a NumPy .npy matrix or a PyTorch .pt tensor (torch.save's
// zip format, as Ego-Exo4D ships its features), told apart by their first bytes, never by the file name. Only
// the header is read: the matrix's rows and columns, the dtype and the byte offset of its first value, which is
// all a positioned row read needs. Feature tracks are float32 or float16 (a bfloat16 tensor is refused here).
import { closeSync, openSync } from 'node:fs';
import { NpyFormatError, readNpyHeader, type NpyDtype } from '../formats/npy';
import { readAt } from '../formats/positionedRead';
import { readTorchTensorHeader, TorchFileError, torchMatrixShape } from '../formats/torchTensorFile';

type FeatureFileFormat = 'npy' | 'pt';

export interface FeatureFileMatrix {
  format: FeatureFileFormat;
  dtype: NpyDtype;
  /** The stored matrix's shape as the file says it ([rows, cols]; a .pt [F] is one row, [T, 1, F] is [T, F]). */
  rows: number;
  cols: number;
  /** .npy only: the matrix is stored column by column. */
  fortranOrder: boolean;
  /** Byte offset of the first value. */
  dataOffset: number;
}

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/** 'pt' for a ZIP archive (torch.save's format), else 'npy' (whose reader names anything else as not an .npy). */
function featureFileFormat(path: string): FeatureFileFormat {
  const fd = openSync(path, 'r');
  try {
    return readAt(fd, ZIP_MAGIC.length, 0).equals(ZIP_MAGIC) ? 'pt' : 'npy';
  } finally {
    closeSync(fd);
  }
}

/** Reads the header of the feature file at `path` (.npy or .pt) as a 2-D matrix. */
export function readFeatureFileMatrix(path: string): FeatureFileMatrix {
  if (featureFileFormat(path) === 'pt') {
    const header = readTorchTensorHeader(path);
    const { rows, cols, dtype } = torchMatrixShape(header, path);
    if (dtype === 'bfloat16') throw new TorchFileError(path, 'bfloat16 feature tracks are not supported: expected float32 or float16 (save tensor.float())');
    return { format: 'pt', dtype, rows, cols, fortranOrder: false, dataOffset: header.dataOffset };
  }
  const header = readNpyHeader(path);
  if (header.shape.length !== 2) {
    throw new NpyFormatError(path, `expected a 2-D matrix, got rank ${header.shape.length} shape (${header.shape.join(', ')})`);
  }
  return { format: 'npy', dtype: header.dtype, rows: header.shape[0]!, cols: header.shape[1]!, fortranOrder: header.fortranOrder, dataOffset: header.dataOffset };
}
