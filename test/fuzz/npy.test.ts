// Fuzz: .npy feature files (header and data) — every mutation of a valid float16 matrix is read in full or
// refused with an NpyFormatError naming the file.
import { expect, it } from 'vitest';
import { formatNpyHeader, NpyFormatError, NpyMatrixReader } from '../../main/formats/npy';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

it('reads every mutated .npy fully or refuses it with an error naming the file', async () => {
  const summary = await fuzz(
    {
      name: 'npy',
      fileName: 'features.npy',
      valid: () => {
        const rows = 40;
        const cols = 16;
        const data = new Uint16Array(rows * cols).map((_, i) => 0x3c00 + (i % 512));
        return Buffer.concat([formatNpyHeader('float16', [rows, cols]), Buffer.from(data.buffer)]);
      },
      parse: (path) => {
        const reader = NpyMatrixReader.open(path);
        try {
          return reader.readRows(0, reader.rows);
        } finally {
          reader.close();
        }
      },
      isFormatError: (error) => error instanceof NpyFormatError,
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});
