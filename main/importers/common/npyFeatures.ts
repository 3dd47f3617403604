// Frame count, dimension and dtype of one .npy feature track from its header (never its data), for importers.
// A truncated file, an unsupported dtype or a non-matrix is an error naming the file (NpyFormatError).
import type { NpyDtype } from '../../formats/npy';
import { matrixShape, NpyFormatError, readNpyHeader } from '../../formats/npy';

export interface NpyTrackShape {
  frames: number;
  dim: number;
  dtype: NpyDtype;
}

/** Reads the header of `file` as a [T, F] ('TF') or [F, T] ('FT') matrix. */
export function npyTrackShape(file: string, layout: 'TF' | 'FT'): NpyTrackShape {
  const header = readNpyHeader(file);
  const [rows, cols] = matrixShape(header, file);
  if (header.fortranOrder) throw new NpyFormatError(file, 'fortran_order True is not supported: expected a C-order matrix');
  return layout === 'TF' ? { frames: rows, dim: cols, dtype: header.dtype } : { frames: cols, dim: rows, dtype: header.dtype };
}
