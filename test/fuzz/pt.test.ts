// Fuzz: PyTorch .pt tensor files — every mutation of a valid torch.save-written float16 [40, 16] tensor is read in
// full (header and every row) or refused with a ZipFormatError, PickleError or TorchFileError naming the file.
// The valid file is written once per run by Debian's python3-torch (test/fixtures/torch).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { PickleError } from '../../main/formats/pickle';
import { TorchFileError, TorchMatrixReader } from '../../main/formats/torchTensorFile';
import { ZipFormatError } from '../../main/formats/zipArchive';
import { pythonTorch, writeTensorFiles } from '../fixtures/torch/torchFixtures';
import { needs } from '../preconditions';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

function validTensorFile(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'evgap-fuzz-pt-'));
  try {
    const path = join(dir, 'features.pt');
    writeTensorFiles([{ path, kind: 'matrix', rows: 40, cols: 16, dtype: 'float16' }], dir);
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

needs(pythonTorch).it('reads every mutated .pt fully or refuses it with an error naming the file', async () => {
  const summary = await fuzz(
    {
      name: 'pt',
      fileName: 'features.pt',
      valid: validTensorFile,
      parse: (path) => {
        const reader = TorchMatrixReader.open(path);
        try {
          return reader.readRows(0, reader.rows);
        } finally {
          reader.close();
        }
      },
      isFormatError: (error) => error instanceof ZipFormatError || error instanceof PickleError || error instanceof TorchFileError,
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
  expect(summary.rejected).toBeGreaterThan(0);
});
