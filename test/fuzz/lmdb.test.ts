// Fuzz: LMDB data.mdb files (meta pages, branch and leaf pages, overflow runs) — every mutation of a small valid
// environment written by the reference LMDB library (python3-lmdb) is read in full (every key and value, one by one
// and batched, a prefix scan and lookups) or refused with an LmdbFormatError naming the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LmdbEnvironment } from '../../main/formats/lmdb/LmdbEnvironment';
import { LmdbFormatError } from '../../main/formats/lmdb/LmdbFormatError';
import { LmdbRecords, writeReferenceLmdb } from '../fixtures/referenceLmdb';
import { useTempDir } from '../main/catalog/fixtures/catalogFixtures';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

const tempDir = useTempDir();

/** About 80 KB: a branch root over several leaves, and values in overflow pages among inline ones. */
function validEnvironment(): Uint8Array {
  const folder = join(tempDir(), 'valid');
  const records = new LmdbRecords();
  for (let f = 1; f <= 150; f++) records.put(`seq/C1/C1_${String(f).padStart(10, '0')}.jpg`, Buffer.alloc(100, f));
  for (let f = 1; f <= 5; f++) records.put(`seq/C10/C10_${String(f).padStart(10, '0')}.jpg`, Buffer.alloc(5000, f));
  const stat = writeReferenceLmdb(folder, records);
  expect(stat.depth).toBeGreaterThanOrEqual(2);
  expect(stat.overflow_pages).toBeGreaterThan(0);
  return readFileSync(join(folder, 'data.mdb'));
}

function readEverything(path: string): number {
  const env = LmdbEnvironment.open(path);
  try {
    let bytes = 0;
    for (const { value } of env.entries()) bytes += value.length;
    for (const key of env.keys({ prefix: 'seq/C10/' })) bytes += env.get(key)?.length ?? 0;
    const cursor = env.cursor();
    const batch = env.overflowBatch();
    const values: Buffer[] = [];
    for (let more = cursor.first(); more; more = cursor.next()) {
      const value = Buffer.alloc(cursor.valueSize());
      cursor.readValue(value, 0, batch);
      values.push(value);
    }
    batch.flush();
    return bytes + values.length;
  } finally {
    env.close();
  }
}

it('reads every mutated data.mdb fully or refuses it with an error naming the file', async () => {
  const summary = await fuzz(
    {
      name: 'lmdb data.mdb',
      fileName: 'env/data.mdb',
      valid: validEnvironment,
      parse: (path) => readEverything(path),
      isFormatError: (error) => error instanceof LmdbFormatError,
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
  expect(summary.rejected).toBeGreaterThan(0);
});
